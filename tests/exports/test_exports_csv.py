"""CSV exports of a course's requests and messages: their columns, cells a spreadsheet will not run, who
the learner is shown as, one course only.

The data is made through coach_xblock.workflow on the real test database, SQLite, PostgreSQL or MariaDB
(the size tests bulk-create rows as setup); every export is parsed back with the csv module.
"""
import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.test import override_settings
from story import COURSE, OTHER_COURSE, T0, ask
from story.exports import (
    AT_SUM,
    CMD,
    HYPERLINK,
    MESSAGE_HEADER,
    MESSAGE_HEADER_WITH_NAMES,
    MINUS,
    PHONE,
    REQUEST_HEADER,
    as_dicts,
    messages_csv,
    parse,
    requests_csv,
)

from coach_xblock import exports
from coach_xblock.exports import cell_text, spreadsheet_safe
from coach_xblock.models import CheckinMessage, CheckinRequest

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- spreadsheet_safe


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"),
    (HYPERLINK, "'" + HYPERLINK),
    ("+33 6 12", "'+33 6 12"),
    ("-2+3", "'-2+3"),
    ("@SUM(1)", "'@SUM(1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("plain text = fine", "plain text = fine"),
    ("a cell with @ and + inside", "a cell with @ and + inside"),
    ("'already quoted", "'already quoted"),
    ("", ""),
    (None, ""),
    (42, "42"),
])
def test_spreadsheet_safe_quotes_what_starts_like_a_formula(value, safe):
    assert spreadsheet_safe(value) == safe
    assert cell_text(value) == safe


@pytest.mark.parametrize("value, text", [
    (datetime(2026, 3, 10, 9, 0, tzinfo=UTC), "2026-03-10T09:00:00Z"),
    (datetime(2026, 3, 10, 9, 0, 59, 999_999, tzinfo=UTC), "2026-03-10T09:00:59Z"),  # to the second
    (datetime(2026, 3, 10, 11, 0, tzinfo=timezone(timedelta(hours=2))), "2026-03-10T09:00:00Z"),  # in UTC
])
def test_instants_are_iso_8601_in_utc_to_the_second(value, text):
    assert cell_text(value) == text


# ---------------------------------------------------------------- requests export


def test_requests_export_has_a_header_and_one_line_per_request(story):
    rows = parse(exports.export_requests(COURSE))

    assert rows[0] == REQUEST_HEADER
    assert len(rows) == 1 + 2
    assert all(len(row) == len(REQUEST_HEADER) for row in rows)


def test_requests_export_lines_are_csv_lines(story):
    lines = list(exports.export_requests(COURSE))

    assert len(lines) == 3  # a cell with a line break stays inside its quoted line
    assert all(line.endswith("\r\n") for line in lines)


def test_requests_export_gives_each_request_as_it_stands(story, skills_point):
    mine, pauls = story

    rows = {row["request_id"]: row for row in requests_csv()}

    assert list(rows) == [str(mine.pk), str(pauls.pk)]  # by id
    assert rows[str(mine.pk)] == {
        "request_id": str(mine.pk),
        "learner": "a1b2c3-mathilde",
        "point_id": skills_point.point_id,
        "point_title": "Naming my skills",
        "topic": "skills",
        "status": "resolved",
        "created_at": "2026-03-10T09:00:00Z",
        "first_answered_at": "2026-03-10T12:00:00Z",
        "last_answered_at": "2026-03-10T14:00:00Z",
        "closed_at": "2026-03-11T09:00:00Z",
        "expected_response_hours": "48",
        "due_at": "2026-03-12T13:00:00Z",  # 48 h after the learner's reply
        "rating": "4",
        "rating_comment": "'" + CMD,
        "not_helped_at": "",
        "not_helped_count": "0",
        "not_helped_comment": "",
        "working_on": "'" + PHONE,
        "stuck_on": "'" + HYPERLINK,
        "tried": "'" + MINUS,
        "link": "https://example.org/results",
    }
    paul = rows[str(pauls.pk)]
    assert (paul["status"], paul["first_answered_at"], paul["closed_at"], paul["rating"]) == ("open", "", "", "")
    assert paul["stuck_on"] == "I do not know whether the town needs one more shop."


def test_no_cell_of_the_exports_starts_like_a_formula(story):
    for rows in (parse(exports.export_requests(COURSE)), parse(exports.export_messages(COURSE))):
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_an_authors_title_starting_like_a_formula_is_quoted(skills_point, learners):
    point = dataclasses.replace(skills_point, title="@Home: -my project +")
    ask(point, learners[0], token="t1", now=T0, working_on="w", stuck_on="Twenty characters at least.", tried="t")

    assert requests_csv()[0]["point_title"] == "'@Home: -my project +"


def test_text_with_commas_quotes_and_line_breaks_comes_back_whole(skills_point, learners):
    working_on = 'Line one, with a comma;\n"quoted" line two,\nand a third'
    ask(skills_point, learners[0], token="t1", now=T0, working_on=working_on, stuck_on="Stuck, \"truly\", here.",
        tried="é, ü, 漢字")

    row = requests_csv()[0]

    assert (row["working_on"], row["stuck_on"], row["tried"]) == (working_on, 'Stuck, "truly", here.', "é, ü, 漢字")


def test_learners_are_their_anonymous_ids_by_default(story, learners):
    mathilde, paul = learners

    text = "".join(exports.export_requests(COURSE)) + "".join(exports.export_messages(COURSE))

    assert [row["learner"] for row in requests_csv()] == [mathilde.user_id, paul.user_id]
    for person in learners:  # nothing else that names them
        for kept_out in (person.username, person.display_name, person.email):
            assert kept_out not in text


@override_settings(COACH_XBLOCK={"EXPORT_USERNAMES": True})
def test_learners_are_their_usernames_when_the_operator_allows_it(story, learners):
    mathilde, paul = learners

    rows = parse(exports.export_requests(COURSE))

    assert rows[0] == REQUEST_HEADER
    assert [row["learner"] for row in as_dicts(rows)] == ["mathilde.dupont", "paul_m"]
    assert mathilde.user_id not in "".join(exports.export_requests(COURSE))


def test_the_usernames_setting_is_read_at_each_export(story):
    with override_settings(COACH_XBLOCK={"EXPORT_USERNAMES": True}):
        assert requests_csv()[0]["learner"] == "mathilde.dupont"
    with override_settings(COACH_XBLOCK={"EXPORT_USERNAMES": False}):
        assert requests_csv()[0]["learner"] == "a1b2c3-mathilde"


def test_requests_export_holds_only_the_courses_requests(story):
    mine, pauls = story

    assert [row["request_id"] for row in requests_csv()] == [str(mine.pk), str(pauls.pk)]
    others = requests_csv(OTHER_COURSE)
    assert [row["learner"] for row in others] == ["anon-other"]
    assert requests_csv("course-v1:No+Such+Course") == []
    assert parse(exports.export_requests("course-v1:No+Such+Course")) == [REQUEST_HEADER]


# ---------------------------------------------------------------- messages export


def test_messages_export_lists_the_courses_messages_thread_by_thread(story):
    mine, _pauls = story

    rows = parse(exports.export_messages(COURSE))

    assert rows[0] == MESSAGE_HEADER
    messages = as_dicts(rows)
    ids = list(CheckinMessage.objects.filter(request=mine).order_by("created_at", "id").values_list("id", flat=True))
    assert [(m["request_id"], m["message_id"], m["author_role"], m["created_at"], m["body"]) for m in messages] == [
        (str(mine.pk), str(ids[0]), "coach", "2026-03-10T12:00:00Z", "'" + AT_SUM),
        (str(mine.pk), str(ids[1]), "learner", "2026-03-10T13:00:00Z", "'=1+1 is what I tried next"),
        (str(mine.pk), str(ids[2]), "coach", "2026-03-10T14:00:00Z", 'Good, now "group" them,\nthen rank them.'),
    ]


def test_messages_export_holds_only_the_courses_messages(story):
    assert "An answer in another course." not in "".join(exports.export_messages(COURSE))
    assert [m["body"] for m in messages_csv(OTHER_COURSE)] == ["An answer in another course."]
    assert parse(exports.export_messages("course-v1:No+Such+Course")) == [MESSAGE_HEADER]


def test_messages_export_names_no_author(story, karim, lea, learners):
    text = "".join(exports.export_messages(COURSE))

    for name in (karim.display_name, lea.display_name, learners[0].display_name, learners[0].user_id):
        assert name not in text


@override_settings(COACH_XBLOCK={"EXPORT_USERNAMES": True})
def test_messages_name_their_coach_when_the_operator_allows_usernames(story, karim, lea, learners):
    rows = parse(exports.export_messages(COURSE))

    assert rows[0] == MESSAGE_HEADER_WITH_NAMES
    assert [(m["author_role"], m["coach_name"]) for m in as_dicts(rows)] == [
        ("coach", karim.display_name), ("learner", ""), ("coach", lea.display_name)]
    text = "".join(exports.export_messages(COURSE))
    assert learners[0].display_name not in text and learners[0].user_id not in text


# ---------------------------------------------------------------- instants a spreadsheet reads


def test_every_instant_of_the_exports_reads_as_a_utc_date_and_time(story):
    mine, _pauls = story
    instants = ("created_at", "first_answered_at", "last_answered_at", "closed_at", "due_at", "not_helped_at")

    requests = {row["request_id"]: row for row in requests_csv()}
    messages = messages_csv()

    read = {name: datetime.strptime(requests[str(mine.pk)][name], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            for name in instants if requests[str(mine.pk)][name]}
    assert read == {name: getattr(mine, name).replace(microsecond=0) for name in instants if getattr(mine, name)}
    assert set(read) == set(instants) - {"not_helped_at"}, "one column each; no 'did not help' yet"
    assert all(datetime.strptime(m["created_at"], "%Y-%m-%dT%H:%M:%SZ") for m in messages)


def test_a_request_that_did_not_help_has_its_instant_count_and_comment(story):
    mine, _pauls = story
    CheckinRequest.objects.filter(pk=mine.pk).update(  # as the learner's "It did not help me" records it
        not_helped_at=T0 + timedelta(hours=4, seconds=30.5), not_helped_count=1, not_helped_comment="=Still lost")

    row = {row["request_id"]: row for row in requests_csv()}[str(mine.pk)]

    assert (row["not_helped_at"], row["not_helped_count"], row["not_helped_comment"]) == (
        "2026-03-10T13:00:30Z", "1", "'=Still lost")
