"""Every transition and every refusal of coach_xblock.workflow, on the real test database (SQLite, PostgreSQL or
MariaDB). Races, on connections of their own: tests/platform/test_platform_transactions.py.

A refused action must change nothing: each refusal is checked with `refused()`, which compares
every row of both tables before and after. The clock is driven through the `now=` arguments.
"""
import dataclasses
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from coach_xblock import queries, workflow
from coach_xblock.domain import (
    CLAIM_DURATION,
    CheckinPoint,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Person,
    RequestStatus,
)
from coach_xblock.models import AuthorRole, CheckinMessage, CheckinRequest

COURSE = "course-v1:Demo+Career+2026"  # the course of the conftest's points
OTHER_COURSE = "course-v1:Other+Course+2026"
MISSING_ID = 999_999

ASK = {
    "working_on": "Moving from network technician to IT trainer.",
    "stuck_on": "I know my job, but I do not know how to name my skills.",
    "tried": "An online skills test and a first draft of my list of skills.",
    "link": "https://tests.example.org/results/mathilde",
}

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- helpers


def ask(point, learner, token="token-1", **changes):
    """`learner` asks for help at `point` with the fields of ASK, some of them changed."""
    return workflow.ask_for_help(point, learner, client_token=token, **{**ASK, **changes})


def snapshot():
    """Every row of both tables, to compare before and after a refused action."""
    return (
        list(CheckinRequest.objects.order_by("pk").values()),
        list(CheckinMessage.objects.order_by("pk").values()),
    )


@contextmanager
def refused(error, match=None):
    """Expect `error` (a WorkflowError class) and no change at all in the database."""
    before = snapshot()
    with pytest.raises(error, match=match) as info:
        yield info
    assert snapshot() == before


def reload(request):
    return CheckinRequest.objects.get(pk=request.pk)


def thread_of(request):
    return list(CheckinMessage.objects.filter(request=request).order_by("created_at", "id"))


@contextmanager
def meanwhile(action, when):
    """Run `action` (someone else's call) just before the first SQL query of this thread for which
    `when(sql, earlier_sqls)` is true: a deterministic interleaving of two people's calls."""
    earlier, fired = [], []

    def wrapper(execute, sql, params, many, context):
        if not fired and when(sql, earlier):
            fired.append(sql)
            action()
        earlier.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
    assert fired, "the interleaving point was never reached"


@pytest.fixture(autouse=True)
def in_english():
    """Messages are matched in English, whatever language another test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def t0():
    """The start of the story's clock."""
    return timezone.now()


@pytest.fixture
def asked(skills_point, mathilde):
    """Mathilde's open request at the skills check-in."""
    return ask(skills_point, mathilde)


@pytest.fixture
def claimed(asked, karim, t0):
    """Mathilde's request, claimed by Karim at t0."""
    return workflow.claim_request(COURSE, asked.pk, karim, now=t0)


@pytest.fixture
def answered(claimed, karim, t0):
    """Mathilde's request, answered by Karim at t0 + 5 min."""
    return workflow.coach_reply(COURSE, claimed.pk, karim, "Start from verbs: I configured, I trained...",
                                now=t0 + timedelta(minutes=5))


@pytest.fixture
def resolved(answered, skills_point, mathilde, t0):
    """Mathilde's request, resolved with 4 stars at t0 + 10 min."""
    return workflow.resolve_request(skills_point, mathilde, answered.pk, 4, now=t0 + timedelta(minutes=10))


@pytest.fixture
def withdrawn(asked, skills_point, mathilde, t0):
    """Mathilde's request, withdrawn before any coach answered."""
    return workflow.withdraw_request(skills_point, mathilde, asked.pk, now=t0)


@pytest.fixture
def request_in_state(request):
    """A request in the state named by the test's parameter (a fixture name)."""
    return request.getfixturevalue(request.param)


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
    with refused(InvalidInput, match=r"at most 2000 characters \(you wrote 2001\)"):
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


# ---------------------------------------------------------------- claim_request


def test_a_coach_claims_an_open_request_for_30_minutes(asked, karim, t0):
    request = workflow.claim_request(COURSE, asked.pk, karim, now=t0)

    row = reload(request)
    assert row.status == RequestStatus.OPEN
    assert (row.claimed_by, row.claimed_by_name) == ("coach_karim", "Karim")
    assert row.claim_expires_at == t0 + CLAIM_DURATION == t0 + timedelta(minutes=30)
    assert row.claim_is_active(t0 + timedelta(minutes=29))
    assert request.claimed_by == "coach_karim"


def test_the_holder_claiming_again_extends_the_claim(claimed, karim, t0):
    later = t0 + timedelta(minutes=20)
    workflow.claim_request(COURSE, claimed.pk, karim, now=later)

    row = reload(claimed)
    assert row.claim_expires_at == later + CLAIM_DURATION
    assert row.claimed_by == "coach_karim"


def test_a_second_coach_is_refused_while_the_claim_runs_and_told_who_holds_it(claimed, lea, t0):
    with refused(Conflict, match=f"Karim is already working on request #{claimed.pk}") as info:
        workflow.claim_request(COURSE, claimed.pk, lea, now=t0 + timedelta(minutes=29))
    assert info.value.status == 409
    assert reload(claimed).claimed_by == "coach_karim"


def test_an_expired_claim_can_be_taken_by_another_coach(claimed, lea, t0):
    later = t0 + timedelta(minutes=31)
    workflow.claim_request(COURSE, claimed.pk, lea, now=later)

    row = reload(claimed)
    assert (row.claimed_by, row.claimed_by_name, row.claim_expires_at) == ("coach_lea", "Léa", later + CLAIM_DURATION)


def test_a_claim_is_over_at_its_exact_expiry(claimed, lea, t0):
    workflow.claim_request(COURSE, claimed.pk, lea, now=t0 + CLAIM_DURATION)
    assert reload(claimed).claimed_by == "coach_lea"


@pytest.mark.parametrize("request_in_state", ["answered", "resolved", "withdrawn"], indirect=True)
def test_a_request_that_is_not_open_cannot_be_claimed(request_in_state, lea, t0):
    with refused(Conflict, match="no longer waiting for a coach"):
        workflow.claim_request(COURSE, request_in_state.pk, lea, now=t0 + timedelta(minutes=15))


def test_claiming_an_unknown_request_is_not_found(karim):
    with refused(NotFound, match=f"no request #{MISSING_ID} in this course"):
        workflow.claim_request(COURSE, MISSING_ID, karim)


def test_claiming_a_request_of_another_course_is_not_found(asked, karim):
    with refused(NotFound):
        workflow.claim_request(OTHER_COURSE, asked.pk, karim)


def test_a_lost_claim_is_refused_even_if_the_holder_releases_right_after(claimed, karim, lea, t0):
    """Léa's UPDATE finds Karim's claim; Karim releases before Léa's code re-reads the row."""
    now = t0 + timedelta(minutes=1)
    reread_after_update = lambda sql, earlier: sql.startswith("SELECT") and any(  # noqa: E731
        s.startswith("UPDATE") for s in earlier)
    release = lambda: workflow.release_claim(COURSE, claimed.pk, karim, now=now)  # noqa: E731
    with meanwhile(release, when=reread_after_update), pytest.raises(Conflict):
        workflow.claim_request(COURSE, claimed.pk, lea, now=now)
    assert reload(claimed).claimed_by == ""


# ---------------------------------------------------------------- release_claim


def test_the_holder_releases_the_claim_and_another_coach_can_take_it(claimed, karim, lea, t0):
    request = workflow.release_claim(COURSE, claimed.pk, karim, now=t0 + timedelta(minutes=1))

    row = reload(request)
    assert (row.claimed_by, row.claimed_by_name, row.claim_expires_at) == ("", "", None)
    assert row.status == RequestStatus.OPEN
    workflow.claim_request(COURSE, claimed.pk, lea, now=t0 + timedelta(minutes=2))
    assert reload(claimed).claimed_by == "coach_lea"


def test_a_coach_who_does_not_hold_the_claim_cannot_release_it(claimed, lea):
    with refused(Conflict, match="do not hold a claim"):
        workflow.release_claim(COURSE, claimed.pk, lea)


def test_releasing_an_unclaimed_request_is_refused(asked, karim):
    with refused(Conflict, match="do not hold a claim"):
        workflow.release_claim(COURSE, asked.pk, karim)


def test_releasing_in_another_course_or_an_unknown_id_is_not_found(claimed, karim):
    with refused(NotFound):
        workflow.release_claim(OTHER_COURSE, claimed.pk, karim)
    with refused(NotFound):
        workflow.release_claim(COURSE, MISSING_ID, karim)


# ---------------------------------------------------------------- coach_reply


def test_the_holder_answers_the_request_becomes_answered_and_the_claim_ends(claimed, karim, t0):
    at = t0 + timedelta(minutes=5)
    request = workflow.coach_reply(COURSE, claimed.pk, karim, "  Start from verbs.  ", now=at)

    row = reload(request)
    assert row.status == RequestStatus.ANSWERED
    assert (row.claimed_by, row.claimed_by_name, row.claim_expires_at) == ("", "", None)
    assert row.first_answered_at == at
    [message] = thread_of(row)
    assert (message.author_role, message.author_id, message.author_name, message.body, message.created_at) == (
        AuthorRole.COACH, "coach_karim", "Karim", "Start from verbs.", at)


def test_first_answered_at_is_set_only_by_the_first_answer(answered, skills_point, mathilde, karim, t0):
    first = reload(answered).first_answered_at
    workflow.learner_reply(skills_point, mathilde, answered.pk, "Here is my new list.", now=t0 + timedelta(hours=1))
    workflow.claim_request(COURSE, answered.pk, karim, now=t0 + timedelta(hours=2))
    workflow.coach_reply(COURSE, answered.pk, karim, "Much better.", now=t0 + timedelta(hours=2, minutes=5))

    row = reload(answered)
    assert row.first_answered_at == first == t0 + timedelta(minutes=5)
    assert row.status == RequestStatus.ANSWERED
    assert [m.author_role for m in thread_of(row)] == ["coach", "learner", "coach"]


def test_a_coach_without_a_claim_cannot_answer(asked, karim):
    with refused(Conflict, match="Claim request .* before answering"):
        workflow.coach_reply(COURSE, asked.pk, karim, "An answer.")


def test_a_coach_cannot_answer_while_another_holds_the_claim(claimed, lea, t0):
    with refused(Conflict, match="Karim is already working on"):
        workflow.coach_reply(COURSE, claimed.pk, lea, "An answer.", now=t0 + timedelta(minutes=1))


def test_a_coach_cannot_answer_once_his_claim_expired(claimed, karim, t0):
    with refused(Conflict, match="your claim has expired or was released"):
        workflow.coach_reply(COURSE, claimed.pk, karim, "Late answer.", now=t0 + CLAIM_DURATION)


def test_after_the_claim_expired_and_another_coach_took_it_the_first_answer_is_refused(claimed, karim, lea, t0):
    workflow.claim_request(COURSE, claimed.pk, lea, now=t0 + timedelta(minutes=31))

    with refused(Conflict, match="Léa is already working on"):
        workflow.coach_reply(COURSE, claimed.pk, karim, "Late answer.", now=t0 + timedelta(minutes=32))
    assert CheckinMessage.objects.count() == 0
    row = reload(claimed)
    assert (row.status, row.claimed_by, row.first_answered_at) == (RequestStatus.OPEN, "coach_lea", None)


def test_a_coach_cannot_answer_after_releasing(claimed, karim, t0):
    workflow.release_claim(COURSE, claimed.pk, karim, now=t0)
    with refused(Conflict, match="expired or was released"):
        workflow.coach_reply(COURSE, claimed.pk, karim, "An answer.", now=t0 + timedelta(minutes=1))


@pytest.mark.parametrize("request_in_state", ["answered", "resolved", "withdrawn"], indirect=True)
def test_a_request_that_is_not_open_cannot_be_answered(request_in_state, karim, t0):
    with refused(Conflict, match="no longer waiting for a coach"):
        workflow.coach_reply(COURSE, request_in_state.pk, karim, "Again.", now=t0 + timedelta(minutes=15))


@pytest.mark.parametrize("body, error", [
    (None, "required"), ("", "required"), ("  \n ", "required"), (42, "expected text"), (["tips"], "expected text"),
    ("x" * 10001, "at most 10000"),
])
def test_a_coach_answer_must_be_text_of_1_to_10000_characters(claimed, karim, t0, body, error):
    with refused(InvalidInput, match=error):
        workflow.coach_reply(COURSE, claimed.pk, karim, body, now=t0)


def test_a_coach_answer_of_10000_characters_is_accepted(claimed, karim, t0):
    workflow.coach_reply(COURSE, claimed.pk, karim, "x" * 10000, now=t0)
    assert len(thread_of(claimed)[0].body) == 10000


def test_answering_in_another_course_or_an_unknown_id_is_not_found(claimed, karim, t0):
    with refused(NotFound):
        workflow.coach_reply(OTHER_COURSE, claimed.pk, karim, "An answer.", now=t0)
    with refused(NotFound):
        workflow.coach_reply(COURSE, MISSING_ID, karim, "An answer.", now=t0)


# ---------------------------------------------------------------- learner_reply


def test_the_learner_replies_to_an_answer_and_the_request_waits_for_a_coach_again(
        answered, skills_point, mathilde, t0):
    at = t0 + timedelta(hours=1)
    request = workflow.learner_reply(skills_point, mathilde, answered.pk, " My revised list. ", now=at)

    row = reload(request)
    assert row.status == RequestStatus.OPEN
    assert row.first_answered_at == t0 + timedelta(minutes=5)
    reply = thread_of(row)[-1]
    assert (reply.author_role, reply.author_id, reply.author_name, reply.body, reply.created_at) == (
        AuthorRole.LEARNER, "anon-mathilde", "Mathilde", "My revised list.", at)


@pytest.mark.parametrize("request_in_state", ["asked", "claimed", "resolved", "withdrawn"], indirect=True)
def test_the_learner_can_reply_only_to_an_answered_request(request_in_state, skills_point, mathilde):
    with refused(Conflict, match="once a coach has answered"):
        workflow.learner_reply(skills_point, mathilde, request_in_state.pk, "Anyone?")


def test_a_double_reply_is_refused_and_writes_one_message(answered, skills_point, mathilde):
    workflow.learner_reply(skills_point, mathilde, answered.pk, "My revised list.")
    with refused(Conflict):
        workflow.learner_reply(skills_point, mathilde, answered.pk, "My revised list.")
    assert CheckinMessage.objects.filter(author_role=AuthorRole.LEARNER).count() == 1


def test_another_learner_cannot_reply(answered, skills_point, paul):
    with refused(Forbidden, match="belongs to another learner"):
        workflow.learner_reply(skills_point, paul, answered.pk, "Me too!")


def test_replying_to_an_unknown_id_or_at_another_point_is_not_found(answered, skills_point, feasibility_point,
                                                                     mathilde):
    with refused(NotFound, match=f"no request #{MISSING_ID} at this check-in"):
        workflow.learner_reply(skills_point, mathilde, MISSING_ID, "Hello?")
    with refused(NotFound):
        workflow.learner_reply(feasibility_point, mathilde, answered.pk, "Hello?")


@pytest.mark.parametrize("body, error", [
    (None, "required"), ("   ", "required"), (7, "expected text"), ("x" * 2001, "at most 2000"),
])
def test_a_learner_reply_must_be_text_within_the_point_max_length(answered, skills_point, mathilde, body, error):
    with refused(InvalidInput, match=error):
        workflow.learner_reply(skills_point, mathilde, answered.pk, body)


# ---------------------------------------------------------------- withdraw_request


def test_the_learner_withdraws_an_open_request(asked, skills_point, mathilde, t0):
    request = workflow.withdraw_request(skills_point, mathilde, asked.pk, now=t0)

    row = reload(request)
    assert (row.status, row.closed_at) == (RequestStatus.WITHDRAWN, t0)


def test_a_claimed_request_is_still_open_and_can_be_withdrawn_which_ends_the_claim(
        claimed, skills_point, mathilde, t0):
    workflow.withdraw_request(skills_point, mathilde, claimed.pk, now=t0 + timedelta(minutes=1))

    row = reload(claimed)
    assert row.status == RequestStatus.WITHDRAWN
    assert (row.claimed_by, row.claimed_by_name, row.claim_expires_at) == ("", "", None)


def test_a_request_reopened_by_a_learner_reply_can_be_withdrawn(answered, skills_point, mathilde, t0):
    workflow.learner_reply(skills_point, mathilde, answered.pk, "Another question.", now=t0 + timedelta(hours=1))
    workflow.withdraw_request(skills_point, mathilde, answered.pk, now=t0 + timedelta(hours=2))
    assert reload(answered).status == RequestStatus.WITHDRAWN


@pytest.mark.parametrize("request_in_state", ["answered", "resolved", "withdrawn"], indirect=True)
def test_only_an_open_request_can_be_withdrawn(request_in_state, skills_point, mathilde):
    with refused(Conflict, match="Only a request waiting for a coach can be withdrawn"):
        workflow.withdraw_request(skills_point, mathilde, request_in_state.pk)


def test_another_learner_cannot_withdraw(asked, skills_point, paul):
    with refused(Forbidden):
        workflow.withdraw_request(skills_point, paul, asked.pk)


def test_withdrawing_an_unknown_id_or_at_another_point_is_not_found(asked, skills_point, feasibility_point, mathilde):
    with refused(NotFound):
        workflow.withdraw_request(skills_point, mathilde, MISSING_ID)
    with refused(NotFound):
        workflow.withdraw_request(feasibility_point, mathilde, asked.pk)


# ---------------------------------------------------------------- resolve_request


def test_the_learner_resolves_an_answered_request_with_a_rating(answered, skills_point, mathilde, t0):
    at = t0 + timedelta(hours=1)
    request = workflow.resolve_request(skills_point, mathilde, answered.pk, 5, "  Very helpful, thanks! ", now=at)

    row = reload(request)
    assert (row.status, row.closed_at, row.rating, row.rating_comment) == (
        RequestStatus.RESOLVED, at, 5, "Very helpful, thanks!")


def test_a_request_reopened_and_claimed_again_can_be_resolved_which_ends_the_claim(
        answered, skills_point, mathilde, karim, t0):
    workflow.learner_reply(skills_point, mathilde, answered.pk, "One more thing.", now=t0 + timedelta(hours=1))
    workflow.claim_request(COURSE, answered.pk, karim, now=t0 + timedelta(hours=2))
    workflow.resolve_request(skills_point, mathilde, answered.pk, 3, now=t0 + timedelta(hours=2, minutes=1))

    row = reload(answered)
    assert (row.status, row.rating, row.rating_comment) == (RequestStatus.RESOLVED, 3, "")
    assert (row.claimed_by, row.claimed_by_name, row.claim_expires_at) == ("", "", None)


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_every_rating_from_1_to_5_is_accepted(answered, skills_point, mathilde, rating):
    workflow.resolve_request(skills_point, mathilde, answered.pk, rating)
    assert reload(answered).rating == rating


@pytest.mark.parametrize("rating", [0, 6, -1, "5", 4.0, 4.5, True, False, None, [5]])
def test_a_rating_must_be_a_whole_number_from_1_to_5(answered, skills_point, mathilde, rating):
    with refused(InvalidInput, match="Rating"):
        workflow.resolve_request(skills_point, mathilde, answered.pk, rating)


@pytest.mark.parametrize("comment, error", [("x" * 1001, "at most 1000"), (5, "expected text")])
def test_a_rating_comment_must_be_text_of_at_most_1000_characters(answered, skills_point, mathilde, comment, error):
    with refused(InvalidInput, match=error):
        workflow.resolve_request(skills_point, mathilde, answered.pk, 4, comment)


def test_a_rating_comment_of_1000_characters_is_accepted(answered, skills_point, mathilde):
    workflow.resolve_request(skills_point, mathilde, answered.pk, 4, "x" * 1000)
    assert len(reload(answered).rating_comment) == 1000


@pytest.mark.parametrize("request_in_state", ["asked", "claimed", "resolved", "withdrawn"], indirect=True)
def test_only_a_request_a_coach_answered_and_still_active_can_be_resolved(request_in_state, skills_point, mathilde):
    with refused(Conflict, match="can be resolved once a coach has answered it"):
        workflow.resolve_request(skills_point, mathilde, request_in_state.pk, 5)


def test_another_learner_cannot_resolve(answered, skills_point, paul):
    with refused(Forbidden):
        workflow.resolve_request(skills_point, paul, answered.pk, 1)


def test_resolving_an_unknown_id_or_at_another_point_is_not_found(answered, skills_point, feasibility_point,
                                                                  mathilde):
    with refused(NotFound):
        workflow.resolve_request(skills_point, mathilde, MISSING_ID, 5)
    with refused(NotFound):
        workflow.resolve_request(feasibility_point, mathilde, answered.pk, 5)


# ---------------------------------------------------------------- scrub_coach, in the coach lists kept as JSON


def test_scrubbing_a_coach_takes_them_out_of_every_coach_list(skills_point, mathilde, paul, karim, lea):
    """The lists holding the coach are found by a text search in their JSON (`coaches__icontains`: text on
    SQLite and MariaDB, jsonb on PostgreSQL), then filtered exactly: a coach whose id only contains the retired
    one, or spells it in capitals, stays."""
    near_namesakes = (Person("coach_karim2", "Karim B."), Person("COACH_KARIM", "Karim C."))
    hers = ask(dataclasses.replace(skills_point, coaches=(karim, lea)), mathilde)
    his = ask(dataclasses.replace(skills_point, coaches=near_namesakes), paul)

    workflow.scrub_coach([karim.user_id])

    assert reload(hers).coaches == [{"id": "coach_lea", "name": "Léa", "email": ""}]
    assert [coach["id"] for coach in reload(his).coaches] == ["coach_karim2", "COACH_KARIM"]


# ---------------------------------------------------------------- the story of DESIGN.md


def test_mathilde_asks_karim_answers_twice_and_she_resolves_and_rates(
        skills_point, feasibility_point, mathilde, karim, lea, t0):
    minutes = lambda n: t0 + timedelta(minutes=n)  # noqa: E731
    jobs_point = CheckinPoint(COURSE, "block-v1:Demo+Career+2026+type@coach_checkin+block@jobs",
                              "Exploring jobs", "jobs")
    # Her two earlier check-ins in the course: one resolved with Léa's help, one withdrawn.
    earlier = ask(feasibility_point, mathilde, token="earlier-1")
    workflow.claim_request(COURSE, earlier.pk, lea, now=minutes(-300))
    workflow.coach_reply(COURSE, earlier.pk, lea, "Check the training budget first.", now=minutes(-290))
    workflow.resolve_request(feasibility_point, mathilde, earlier.pk, 4, now=minutes(-280))
    withdrawn = ask(jobs_point, mathilde, token="earlier-2")
    workflow.withdraw_request(jobs_point, mathilde, withdrawn.pk, now=minutes(-200))

    # At "Define your skills" she is stuck, and asks.
    request = ask(skills_point, mathilde, token="skills-1")
    assert reload(request).status_label() == "Waiting for a coach"

    # Karim opens the course's queue, oldest first, and finds her request.
    page = queries.CoachQueue(COURSE).page()
    assert [row.pk for row in page.rows] == [request.pk]

    # He claims it: no other coach takes it meanwhile.
    workflow.claim_request(COURSE, request.pk, karim, now=minutes(0))
    with refused(Conflict, match="Karim is already working"):
        workflow.claim_request(COURSE, request.pk, lea, now=minutes(1))

    # He sees her two earlier check-ins, then answers with tips.
    shown, others = queries.coach_request_detail(COURSE, request.pk)
    assert shown.pk == request.pk and {r.pk for r in others} == {earlier.pk, withdrawn.pk}
    workflow.coach_reply(COURSE, request.pk, karim, "Name each task as a skill: I configured, I trained...",
                         now=minutes(10))

    # Mathilde reads his answer and replies with a revised list.
    [mine] = queries.learner_requests(skills_point.point_id, mathilde.user_id)
    assert mine.status == RequestStatus.ANSWERED and mine.messages.get().author_name == "Karim"
    workflow.learner_reply(skills_point, mathilde, request.pk, "My revised list: configuring, training, ...",
                           now=minutes(60))
    assert [row.pk for row in queries.CoachQueue(COURSE).page().rows] == [request.pk]

    # Karim answers again.
    workflow.claim_request(COURSE, request.pk, karim, now=minutes(70))
    workflow.coach_reply(COURSE, request.pk, karim, "Much better: add 'diagnosing'.", now=minutes(75))

    # She marks it resolved and rates the help.
    workflow.resolve_request(skills_point, mathilde, request.pk, 5, "Clear and kind, thank you.", now=minutes(90))

    row = reload(request)
    assert (row.status, row.rating, row.rating_comment) == (RequestStatus.RESOLVED, 5, "Clear and kind, thank you.")
    assert (row.first_answered_at, row.closed_at) == (minutes(10), minutes(90))
    assert [(m.author_name, m.created_at) for m in thread_of(row)] == [
        ("Karim", minutes(10)), ("Mathilde", minutes(60)), ("Karim", minutes(75))]
    assert queries.CoachQueue(COURSE).page().rows == []
    assert [r.pk for r in queries.CoachQueue(COURSE, status="resolved").page().rows] == [earlier.pk, request.pk]
