"""The learner's transitions after asking: replying, withdrawing, resolving with a rating; and each
refusal."""
from datetime import timedelta

import pytest
from story import COURSE, MISSING_ID, refused, reload, thread_of

from coach_xblock import workflow
from coach_xblock.domain import Conflict, Forbidden, InvalidInput, NotFound, RequestStatus
from coach_xblock.models import AuthorRole, CheckinMessage

pytestmark = pytest.mark.django_db


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
    (None, "required"), ("   ", "required"), (7, "expected text"), ("x" * 2001, "at most 2,000"),
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


@pytest.mark.parametrize("comment, error", [("x" * 1001, "at most 1,000"), (5, "expected text")])
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
