"""When the coaching did not help: the learner says so with a comment, then asks again (the request goes back
to the queue, marked, for another coach first) or closes it (status "not_helped", with an optional rating);
the counters, the outbox and the tracking events follow in the same transaction; and each refusal."""
import dataclasses
from datetime import UTC, timedelta

import pytest
from story import COURSE, MISSING_ID, answer, ask, reachable, refused, reload, thread_of

from coach_xblock import notifications, queries, workflow
from coach_xblock.domain import (
    FOLLOWUP_PRIORITY,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RequestStatus,
)
from coach_xblock.models import AuthorRole, CheckinRequest, DailyStats, Delivery

pytestmark = pytest.mark.django_db

MISSING = "I still do not know which of my skills a training centre looks for."


@pytest.fixture
def point(skills_point):
    """The skills point, whose coaches Karim and Léa have addresses (so that emails are recorded)."""
    return dataclasses.replace(skills_point, coaches=(reachable("karim"), reachable("lea")))


@pytest.fixture
def answered_by_karim(point, mathilde, t0):
    """Mathilde's request at t0, answered by Karim (with his address) at t0 + 5 min."""
    return answer(ask(point, mathilde, now=t0), reachable("karim"), now=t0 + timedelta(minutes=5))


def not_helped(point, learner, request, then, comment=MISSING, rating=None, *, now, **options):
    return workflow.not_helped(point, learner, request.pk, comment, then, rating, now=now, **options)


def stats(request):
    return DailyStats.objects.get(point_id=request.point_id, day=request.created_at.astimezone(UTC).date())


# ---------------------------------------------------------------- ask again


def test_asking_again_puts_the_request_back_in_the_queue_marked_with_the_comment(
        answered_by_karim, point, mathilde, t0):
    at = t0 + timedelta(hours=2)
    not_helped(point, mathilde, answered_by_karim, "ask_again", f"  {MISSING}  ", now=at)

    row = reload(answered_by_karim)
    assert (row.status, row.waiting_since, row.due_at, row.closed_at) == (
        RequestStatus.OPEN, at, at + timedelta(hours=row.expected_response_hours), None)
    assert (row.not_helped_at, row.not_helped_count, row.not_helped_comment, row.not_helped_coach_id) == (
        at, 1, MISSING, "coach_karim")
    assert (row.last_coach_id, row.last_coach_name) == ("", "Karim")  # no follow-up kept for Karim
    assert row.is_asked_again() and not row.is_followup()
    assert row.reserved_for(at) == ""
    said = thread_of(row)[-1]
    assert (said.author_role, said.author_id, said.body, said.created_at) == (
        AuthorRole.LEARNER, "anon-mathilde", MISSING, at)
    assert (stats(row).not_helped, stats(row).rating_count) == (1, 0)


def test_asking_again_tells_the_course_coaches_quoting_the_comment(answered_by_karim, point, mathilde, t0):
    not_helped(point, mathilde, answered_by_karim, "ask_again", now=t0 + timedelta(hours=2))
    told = Delivery.objects.filter(event="asked_again")
    assert sorted(d.recipient for d in told) == ["karim@example.com", "lea@example.com"]
    assert {d.message.body for d in told} == {MISSING}
    assert {d.request_status for d in told} == {"open"}


def test_asking_again_ends_a_claim_left_on_the_request(answered_by_karim, point, mathilde, t0):
    CheckinRequest.objects.filter(pk=answered_by_karim.pk).update(
        claimed_by="coach_karim", claimed_by_name="Karim", claim_expires_at=t0 + timedelta(hours=3))
    not_helped(point, mathilde, answered_by_karim, "ask_again", now=t0 + timedelta(hours=2))
    row = reload(answered_by_karim)
    assert (row.claimed_by, row.claimed_by_name, row.claim_expires_at) == ("", "", None)


def test_asking_again_needs_a_comment_and_takes_no_rating(answered_by_karim, point, mathilde, t0):
    with refused(InvalidInput, match="What was missing[?]: this field is required"):
        not_helped(point, mathilde, answered_by_karim, "ask_again", "  ", now=t0)
    with refused(InvalidInput, match="when you close the request"):
        not_helped(point, mathilde, answered_by_karim, "ask_again", rating=2, now=t0)


# ---------------------------------------------------------------- who claims a request asked again


@pytest.fixture
def asked_again(answered_by_karim, point, mathilde, t0):
    """Karim's answer did not help: Mathilde asked again at t0 + 2 h."""
    return not_helped(point, mathilde, answered_by_karim, "ask_again", now=t0 + timedelta(hours=2))


def test_the_coach_whose_answer_did_not_help_is_refused_first_and_told_until_when(asked_again, karim, t0):
    during = t0 + timedelta(hours=2, minutes=30)
    assert reload(asked_again).kept_from(during) == "coach_karim"
    with refused(Conflict, match=f"Request #{asked_again.pk} was asked again because your answer did not help"):
        workflow.claim_request(COURSE, asked_again.pk, karim, now=during)


def test_another_coach_claims_a_request_asked_again_at_once(asked_again, lea, t0):
    workflow.claim_request(COURSE, asked_again.pk, lea, now=t0 + timedelta(hours=2, minutes=1))
    assert reload(asked_again).claimed_by == "coach_lea"


def test_after_the_priority_the_coach_whose_answer_did_not_help_may_claim_it(asked_again, karim, t0):
    later = t0 + timedelta(hours=2) + FOLLOWUP_PRIORITY
    assert reload(asked_again).kept_from(later) == ""
    workflow.claim_request(COURSE, asked_again.pk, karim, now=later)
    assert reload(asked_again).claimed_by == "coach_karim"


def test_next_request_skips_a_request_asked_again_for_the_coach_whose_answer_did_not_help(asked_again, t0):
    during = t0 + timedelta(hours=2, minutes=10)
    assert queries.next_claimable(COURSE, "coach_karim", during) is None
    assert queries.next_claimable(COURSE, "coach_lea", during) == asked_again.pk
    assert queries.next_claimable(COURSE, "coach_karim", t0 + timedelta(hours=3)) == asked_again.pk


@pytest.mark.parametrize("minutes", [0, 30, 59, 60, 61, 600])
@pytest.mark.parametrize("coach", ["coach_karim", "coach_lea", "coach_other"])
def test_the_queries_and_the_views_read_one_claim_rule(asked_again, coach, minutes, t0):
    at = t0 + timedelta(hours=2, minutes=minutes)
    in_sql = queries.next_claimable(COURSE, coach, at) == asked_again.pk
    assert in_sql == reload(asked_again).may_claim(coach, at)
    assert in_sql == (coach != "coach_karim" or minutes >= 60)
    [row] = queries.CoachQueue(COURSE).page().rows
    assert row.is_asked_again() and row.may_claim(coach, at) == in_sql


def test_a_reply_to_the_next_coach_makes_an_ordinary_follow_up_kept_for_them(asked_again, point, mathilde, t0):
    lea = reachable("lea")
    answer(asked_again, lea, now=t0 + timedelta(hours=3))
    workflow.learner_reply(point, mathilde, asked_again.pk, "Thanks, one more question.", now=t0 + timedelta(hours=4))
    row = reload(asked_again)
    assert not row.is_asked_again() and row.is_followup()
    assert row.reserved_for(t0 + timedelta(hours=4, minutes=1)) == "coach_lea"
    assert row.may_claim("coach_karim", t0 + timedelta(hours=4, minutes=1)) is False


def test_it_can_fail_to_help_again_and_then_the_second_coach_is_kept_from_it(asked_again, point, mathilde, t0):
    answer(asked_again, reachable("lea"), now=t0 + timedelta(hours=3))
    not_helped(point, mathilde, asked_again, "ask_again", "Still lost.", now=t0 + timedelta(hours=4))
    row = reload(asked_again)
    assert (row.not_helped_count, row.not_helped_coach_id, row.not_helped_comment) == (2, "coach_lea", "Still lost.")
    assert row.kept_from(t0 + timedelta(hours=4, minutes=1)) == "coach_lea"
    assert row.may_claim("coach_karim", t0 + timedelta(hours=4, minutes=1))
    assert stats(row).not_helped == 2


# ---------------------------------------------------------------- close


def test_closing_as_not_helped_keeps_the_comment_and_counts_the_rating(answered_by_karim, point, mathilde, t0):
    at = t0 + timedelta(hours=2)
    not_helped(point, mathilde, answered_by_karim, "close", rating=2, now=at)

    row = reload(answered_by_karim)
    assert (row.status, row.closed_at, row.rating, row.rating_comment) == (RequestStatus.NOT_HELPED, at, 2, "")
    assert (row.not_helped_at, row.not_helped_count, row.not_helped_comment, row.not_helped_coach_id) == (
        at, 1, MISSING, "coach_karim")
    assert not row.is_active()
    assert len(thread_of(row)) == 1  # Karim's answer only: nothing more waits for a coach
    day = stats(row)
    assert (day.not_helped, day.rating_sum, day.rating_count, day.resolved) == (1, 2, 1, 0)


def test_closing_tells_the_coach_who_answered(answered_by_karim, point, mathilde, t0):
    not_helped(point, mathilde, answered_by_karim, "close", rating=1, now=t0 + timedelta(hours=2))
    told = Delivery.objects.filter(event="not_helped", channel="email")
    assert [(d.recipient, d.request_status) for d in told] == [("karim@example.com", "not_helped")]


def test_closing_without_rating_or_comment_counts_no_rating(answered_by_karim, point, mathilde, t0):
    not_helped(point, mathilde, answered_by_karim, "close", "", now=t0 + timedelta(hours=2))
    row = reload(answered_by_karim)
    assert (row.status, row.rating, row.not_helped_comment) == (RequestStatus.NOT_HELPED, None, "")
    assert (stats(row).not_helped, stats(row).rating_count) == (1, 0)


def test_a_request_closed_as_not_helped_waits_for_nobody(answered_by_karim, point, mathilde, lea, t0):
    not_helped(point, mathilde, answered_by_karim, "close", now=t0 + timedelta(hours=2))
    with refused(Conflict, match="no longer waiting"):
        workflow.claim_request(COURSE, answered_by_karim.pk, lea, now=t0 + timedelta(hours=3))
    with refused(Conflict):
        workflow.learner_reply(point, mathilde, answered_by_karim.pk, "Hello?")
    with refused(Conflict):
        workflow.resolve_request(point, mathilde, answered_by_karim.pk, 5)


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("request_in_state", ["asked", "claimed", "resolved", "withdrawn"], indirect=True)
@pytest.mark.parametrize("then", ["ask_again", "close"])
def test_only_a_request_waiting_for_the_learner_after_an_answer_can_be_said_not_helped(
        request_in_state, skills_point, mathilde, then):
    with refused(Conflict, match="once a coach has answered, while the request waits for you"):
        workflow.not_helped(skills_point, mathilde, request_in_state.pk, MISSING, then)


def test_a_follow_up_waiting_for_a_coach_cannot_be_said_not_helped(answered, skills_point, mathilde):
    workflow.learner_reply(skills_point, mathilde, answered.pk, "Here is my new list.")
    with refused(Conflict):
        workflow.not_helped(skills_point, mathilde, answered.pk, MISSING, "close")


@pytest.mark.parametrize("then", ["ask_again", "close"])
def test_a_double_click_makes_one_change(answered, skills_point, mathilde, then):
    workflow.not_helped(skills_point, mathilde, answered.pk, MISSING, then)
    with refused(Conflict):
        workflow.not_helped(skills_point, mathilde, answered.pk, MISSING, then)
    assert reload(answered).not_helped_count == 1


def test_another_learner_or_another_point_or_no_request(answered, skills_point, feasibility_point, mathilde, paul):
    with refused(Forbidden, match="belongs to another learner"):
        workflow.not_helped(skills_point, paul, answered.pk, MISSING, "close")
    with refused(NotFound):
        workflow.not_helped(feasibility_point, mathilde, answered.pk, MISSING, "close")
    with refused(NotFound, match=f"no request #{MISSING_ID}"):
        workflow.not_helped(skills_point, mathilde, MISSING_ID, MISSING, "close")


@pytest.mark.parametrize("comment, then, rating, error", [
    (MISSING, "again", None, "Next step: choose to ask again or to close"),
    (MISSING, None, None, "Next step"),
    (MISSING, ["close"], None, "Next step"),
    (7, "close", None, "What was missing[?]: expected text"),
    ("x" * 1001, "close", None, "at most 1,000"),
    (MISSING, "close", 6, "Rating: choose a whole number from 1 to 5"),
    (MISSING, "close", "2", "Rating"),
    (MISSING, "close", True, "Rating"),
])
def test_bad_input_is_refused_and_changes_nothing(answered, skills_point, mathilde, comment, then, rating, error):
    with refused(InvalidInput, match=error):
        workflow.not_helped(skills_point, mathilde, answered.pk, comment, then, rating)


# ---------------------------------------------------------------- what the emails say


@pytest.mark.parametrize("language, says", [
    ("en", ("Mathilde asks again at “Naming my skills”: the answer did not help",
            "Mathilde closed request #{id}: your answer did not help", "They rated the coaching 2 out of 5.")),
    ("fr", ("Mathilde redemande de l’aide au point «\u00a0Naming my skills\u00a0»\u00a0: la réponse n’a pas aidé",
            "Mathilde a clôturé la demande n°\u00a0{id}\u00a0: votre réponse n’a pas aidé",
            "Note donnée au coaching\u00a0: 2 sur 5.")),
])
def test_the_emails_say_why_in_the_recipients_language(point, mathilde, t0, language, says):
    asked_again_subject, closed_subject, rated = says
    first = answer(ask(point, mathilde, now=t0), reachable("karim"), now=t0)
    not_helped(point, mathilde, first, "ask_again", now=t0 + timedelta(hours=1))
    answer(first, reachable("lea"), now=t0 + timedelta(hours=2))
    not_helped(point, mathilde, first, "close", "Still no examples <b>at all</b>.", rating=2,
               now=t0 + timedelta(hours=3))
    Delivery.objects.update(language=language)

    asked_again = Delivery.objects.filter(event="asked_again", recipient="lea@example.com").get()
    subject, text, html = notifications.render_email(asked_again)
    assert asked_again_subject in subject  # its no-break spaces kept
    assert MISSING in text and MISSING in html
    closed = Delivery.objects.filter(event="not_helped", channel="email").get()
    assert closed.recipient == "lea@example.com"  # the coach whose answer did not help, this time
    subject, text, html = notifications.render_email(closed)
    assert closed_subject.format(id=first.pk) in subject
    assert rated in text
    assert "Still no examples <b>at all</b>." in text
    assert "Still no examples &lt;b&gt;at all&lt;/b&gt;." in html


def test_a_retired_coach_is_forgotten_as_the_one_whose_answer_did_not_help(asked_again, lea, t0):
    workflow.scrub_coach(["coach_karim"])
    row = reload(asked_again)
    assert row.not_helped_coach_id == ""
    assert row.kept_from(t0 + timedelta(hours=2, minutes=1)) == ""
