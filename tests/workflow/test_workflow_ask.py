"""Asking for help (coach_xblock.workflow.ask_for_help): what a request copies in, every input it
refuses, the limit of open requests, a double submit; and the errors every action raises.

The tests of this folder run on the real test database (SQLite, PostgreSQL or MariaDB); races, on
connections of their own, are in tests/platform/test_platform_transactions.py. A refused action must
change nothing: each refusal is checked with `refused()` (tests/story/), which compares every table of
the app before and after. The clock is driven through the `now=` arguments.
"""
import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from story import ASK, COURSE, ask, refused, reload

from coach_xblock.domain import Conflict, Forbidden, InvalidInput, NotFound, Person, RequestStatus
from coach_xblock.models import CheckinMessage, CheckinRequest, Delivery

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- errors


def test_each_error_carries_its_http_status_and_message():
    assert [cls("why").status for cls in (InvalidInput, Forbidden, NotFound, Conflict)] == [400, 403, 404, 409]
    assert Conflict("taken").message == "taken"


# ---------------------------------------------------------------- ask_for_help


def test_ask_opens_a_request_with_point_and_learner_copied_in(skills_point, mathilde):
    request = ask(skills_point, mathilde)

    row = reload(request)
    assert row.status == RequestStatus.OPEN
    assert (row.course_key, row.point_id, row.point_title, row.topic) == (
        COURSE, skills_point.point_id, "Naming my skills", "skills")
    assert (row.learner_id, row.learner_name, row.client_token) == ("anon-mathilde", "Mathilde", "token-1")
    assert (row.working_on, row.stuck_on, row.tried, row.link) == (
        ASK["working_on"], ASK["stuck_on"], ASK["tried"], ASK["link"])
    assert row.claimed_by == "" and row.claim_expires_at is None
    assert row.first_answered_at is None and row.closed_at is None and row.rating is None
    assert CheckinMessage.objects.count() == 0


def test_a_point_whose_title_is_longer_than_its_column_takes_asks_with_the_title_cut(skills_point, mathilde):
    """Authors name a check-in freely in Studio; PostgreSQL and MySQL's strict mode (Open edX's) refuse a title
    longer than its column, where SQLite would store it whole."""
    long_title = "Naming my skills: " + "from network technician to IT trainer, " * 8
    assert len(long_title) > 255

    request = ask(dataclasses.replace(skills_point, title=long_title), mathilde)

    title = reload(request).point_title
    assert len(title) == 255 and title == long_title[:254] + "…"


def test_ask_strips_the_text_fields_and_the_token(skills_point, mathilde):
    request = ask(skills_point, mathilde, token="  token-1 ", working_on="  my project \n",
                  stuck_on=f"\t{ASK['stuck_on']}  ", link=" https://example.org/x ")

    row = reload(request)
    assert (row.working_on, row.stuck_on, row.link, row.client_token) == (
        "my project", ASK["stuck_on"], "https://example.org/x", "token-1")


@pytest.mark.parametrize("field", ["working_on", "stuck_on", "tried"])
@pytest.mark.parametrize("value", [None, ""], ids=["none", "empty"])
def test_ask_refuses_a_missing_field(skills_point, mathilde, field, value):
    with refused(InvalidInput, match="this field is required"):
        ask(skills_point, mathilde, **{field: value})
    assert CheckinRequest.objects.count() == 0


@pytest.mark.parametrize("field", ["working_on", "stuck_on", "tried"])
def test_ask_refuses_a_whitespace_only_field(skills_point, mathilde, field):
    with refused(InvalidInput, match="this field is required"):
        ask(skills_point, mathilde, **{field: " \n\t  "})


@pytest.mark.parametrize("field", ["working_on", "stuck_on", "tried", "link"])
@pytest.mark.parametrize("value", [42, ["a list of words that is long enough"], {"text": "x"}],
                         ids=["int", "list", "dict"])
def test_ask_refuses_a_field_that_is_not_text(skills_point, mathilde, field, value):
    with refused(InvalidInput, match="expected text"):
        ask(skills_point, mathilde, **{field: value})


def test_ask_refuses_stuck_on_shorter_than_the_point_min_length(skills_point, mathilde):
    with refused(InvalidInput, match=r"at least 20 characters \(you wrote 19\)"):
        ask(skills_point, mathilde, stuck_on="   " + "x" * 19 + "   ")


def test_ask_accepts_stuck_on_of_exactly_min_length(skills_point, mathilde):
    assert ask(skills_point, mathilde, stuck_on="x" * 20).stuck_on == "x" * 20


def test_min_length_applies_to_stuck_on_only(skills_point, mathilde):
    request = ask(skills_point, mathilde, working_on="CV", tried="no")
    assert (request.working_on, request.tried) == ("CV", "no")


@pytest.mark.parametrize("field", ["working_on", "stuck_on", "tried"])
def test_ask_refuses_a_field_longer_than_the_point_max_length(skills_point, mathilde, field):
    with refused(InvalidInput, match=r"at most 2,000 characters \(you wrote 2,001\)"):
        ask(skills_point, mathilde, **{field: "x" * 2001})


@pytest.mark.parametrize("field", ["working_on", "stuck_on", "tried"])
def test_ask_accepts_a_field_of_exactly_max_length(skills_point, mathilde, field):
    assert len(getattr(ask(skills_point, mathilde, **{field: "x" * 2000}), field)) == 2000


def test_ask_uses_the_limits_of_its_point(skills_point, mathilde):
    strict = dataclasses.replace(skills_point, min_length=5, max_length=30)
    short = {"working_on": "My CV", "tried": "A test"}
    with refused(InvalidInput, match="at least 5"):
        ask(strict, mathilde, stuck_on="abcd", **short)
    with refused(InvalidInput, match="What have you tried.*at most 30"):
        ask(strict, mathilde, stuck_on="abcde", working_on="My CV", tried="x" * 31)
    assert ask(strict, mathilde, stuck_on="abcde", working_on="x" * 30, tried="x" * 30).stuck_on == "abcde"


@pytest.mark.parametrize("link", [
    "javascript:alert(document.cookie)",
    "JavaScript://example.org/%0Aalert(1)",
    "ftp://files.example.org/results.pdf",
    "mailto:mathilde@example.org",
    "data:text/html,<script>alert(1)</script>",
    "file:///home/mathilde/results.pdf",
    "www.example.org/results",
    "http://",
    "https:///results",
    "http:example.org",
    "http:/example.org",
])
def test_ask_refuses_a_link_that_is_not_a_full_http_address(skills_point, mathilde, link):
    with refused(InvalidInput, match="http:// or https://"):
        ask(skills_point, mathilde, link=link)


@pytest.mark.parametrize("link", ["http://:8080/results", "https://@/results"])
def test_ask_refuses_a_link_with_an_empty_host(skills_point, mathilde, link):
    with refused(InvalidInput, match="http:// or https://"):
        ask(skills_point, mathilde, link=link)


def test_ask_refuses_a_malformed_link_with_invalid_input(skills_point, mathilde):
    with refused(InvalidInput):
        ask(skills_point, mathilde, link="https://[my-results/2026")


def test_ask_refuses_a_link_longer_than_500_characters(skills_point, mathilde):
    link = "https://example.org/" + "a" * 481
    with refused(InvalidInput, match="at most 500"):
        ask(skills_point, mathilde, link=link)
    assert ask(skills_point, mathilde, link=link[:500]).link == link[:500]


@pytest.mark.parametrize("link", ["http://example.org", "https://tests.example.org/r?id=3#top", "HTTPS://EXAMPLE.ORG"])
def test_ask_accepts_http_and_https_links(skills_point, mathilde, link):
    assert ask(skills_point, mathilde, link=link).link == link


@pytest.mark.parametrize("link", ["", "   ", None])
def test_ask_accepts_no_link(skills_point, mathilde, link):
    assert ask(skills_point, mathilde, link=link).link == ""


@pytest.mark.parametrize("token", [None, "", "   ", 42, ["token-1"], "x" * 65],
                         ids=["none", "empty", "blank", "int", "list", "too-long"])
def test_ask_refuses_a_bad_client_token(skills_point, mathilde, token):
    with refused(InvalidInput, match="reload the page"):
        ask(skills_point, mathilde, token=token)


def test_ask_accepts_a_client_token_of_64_characters(skills_point, mathilde):
    assert ask(skills_point, mathilde, token="t" * 64).client_token == "t" * 64


def test_ask_refuses_beyond_max_open_requests_and_creates_no_row(skills_point, mathilde, asked):
    with refused(Conflict, match="already have 1 open request"):
        ask(skills_point, mathilde, token="token-2")
    assert CheckinRequest.objects.count() == 1


def test_max_open_requests_can_be_more_than_one(skills_point, mathilde):
    two = dataclasses.replace(skills_point, max_open_requests=2)
    ask(two, mathilde, token="a")
    ask(two, mathilde, token="b")
    with refused(Conflict, match="already have 2 open request"):
        ask(two, mathilde, token="c")


def test_an_answered_request_still_counts_as_open(skills_point, mathilde, answered):
    with refused(Conflict):
        ask(skills_point, mathilde, token="token-2")


@pytest.mark.parametrize("request_in_state", ["resolved", "withdrawn"], indirect=True)
def test_a_closed_request_frees_its_place(skills_point, mathilde, request_in_state):
    again = ask(skills_point, mathilde, token="token-2")
    assert again.pk != request_in_state.pk and again.status == RequestStatus.OPEN


def test_the_limit_is_per_learner_and_per_point(skills_point, feasibility_point, mathilde, paul, asked):
    assert ask(feasibility_point, mathilde).point_id == feasibility_point.point_id
    assert ask(skills_point, paul).learner_id == paul.user_id
    assert CheckinRequest.objects.count() == 3


def test_a_double_submit_returns_the_same_request_and_creates_one_row(skills_point, mathilde):
    first = ask(skills_point, mathilde, token="click-1")
    second = ask(skills_point, mathilde, token="click-1", stuck_on="Sent again after a network error, same form.")

    assert second.pk == first.pk
    assert reload(first).stuck_on == ASK["stuck_on"]
    assert CheckinRequest.objects.count() == 1


# ---------------------------------------------------------------- its cost


def _queries_of_an_ask(point, learner, token):
    with CaptureQueriesContext(connection) as captured:
        ask(point, learner, token=token)
    return [query["sql"] for query in captured.captured_queries]


def test_an_ask_makes_the_same_queries_for_2_coaches_or_20_and_locks_the_days_counters_once(
        skills_point, mathilde, paul):
    """A course's coaches are told in one insert of the outbox, and the counters of the point's day are locked
    (made if missing) once: the ask takes that lock before reading anything, and counts under it."""
    coaches = tuple(Person(f"anon-coach-{n}", f"Coach {n}", f"coach{n}@example.org") for n in range(20))
    with_two = _queries_of_an_ask(dataclasses.replace(skills_point, coaches=coaches[:2]), mathilde, "two")
    with_twenty = _queries_of_an_ask(dataclasses.replace(skills_point, coaches=coaches), paul, "twenty")

    assert len(with_twenty) == len(with_two)
    counters = CheckinRequest._meta.db_table.replace("checkinrequest", "dailystats")
    assert len([sql for sql in with_twenty if sql.startswith("INSERT INTO") and counters in sql]) == 1
    assert Delivery.objects.filter(request__learner_id=paul.user_id, channel="email").count() == 20
