"""The coach's transitions: claiming (a timed lock), releasing, answering; and each refusal."""
from datetime import timedelta

import pytest
from story import COURSE, MISSING_ID, OTHER_COURSE, meanwhile, refused, reload, thread_of

from coach_xblock import workflow
from coach_xblock.domain import CLAIM_DURATION, Conflict, InvalidInput, NotFound, RequestStatus
from coach_xblock.models import AuthorRole, CheckinMessage

pytestmark = pytest.mark.django_db


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
    assert (row.first_answered_at, row.first_coach_id) == (at, "coach_karim")
    [message] = thread_of(row)
    assert (message.author_role, message.author_id, message.author_name, message.body, message.created_at) == (
        AuthorRole.COACH, "coach_karim", "Karim", "Start from verbs.", at)


def test_first_answered_at_is_set_only_by_the_first_answer(answered, skills_point, mathilde, lea, t0):
    first = reload(answered).first_answered_at
    workflow.learner_reply(skills_point, mathilde, answered.pk, "Here is my new list.", now=t0 + timedelta(hours=1))
    workflow.claim_request(COURSE, answered.pk, lea, now=t0 + timedelta(hours=2))
    workflow.coach_reply(COURSE, answered.pk, lea, "Much better.", now=t0 + timedelta(hours=2, minutes=5))

    row = reload(answered)
    assert row.first_answered_at == first == t0 + timedelta(minutes=5)
    assert row.first_coach_id == "coach_karim"
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
    ("x" * 10001, "at most 10,000"),
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
