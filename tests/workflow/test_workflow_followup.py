"""Follow-ups: a request waiting again after the learner's reply is kept for the coach who answered it
last during `domain.FOLLOWUP_PRIORITY` (one hour), then any coach may claim it; "next request" finds
the request waiting longest that the coach may claim."""
from datetime import timedelta

import pytest
from story import COURSE, ask, refused, reload

from coach_xblock import queries, workflow
from coach_xblock.domain import FOLLOWUP_PRIORITY, Conflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup(answered, skills_point, mathilde, t0):
    """Mathilde replied to Karim's answer at t0 + 1 h: her request waits for a coach again."""
    return workflow.learner_reply(
        skills_point, mathilde, answered.pk, "Here is my new list.", now=t0 + timedelta(hours=1)
    )


def test_a_reply_makes_a_follow_up_kept_for_the_coach_who_answered_last(followup, t0):
    row = reload(followup)
    assert row.is_followup()
    assert row.reserved_for(t0 + timedelta(hours=1, minutes=59)) == "coach_karim"
    assert row.reserved_for(t0 + timedelta(hours=1) + FOLLOWUP_PRIORITY) == ""
    assert FOLLOWUP_PRIORITY == timedelta(hours=1)


def test_another_coach_is_refused_during_the_priority_and_told_until_when(followup, lea, t0):
    with refused(Conflict, match=f"Request #{followup.pk} is a follow-up: Karim, who answered it last, has it first"):
        workflow.claim_request(COURSE, followup.pk, lea, now=t0 + timedelta(hours=1, minutes=30))


def test_the_coach_who_answered_last_claims_the_follow_up_at_once(followup, karim, t0):
    workflow.claim_request(COURSE, followup.pk, karim, now=t0 + timedelta(hours=1, minutes=1))
    assert reload(followup).claimed_by == "coach_karim"


def test_after_the_priority_any_coach_claims_the_follow_up(followup, lea, t0):
    workflow.claim_request(COURSE, followup.pk, lea, now=t0 + timedelta(hours=2))
    assert reload(followup).claimed_by == "coach_lea"


def test_a_first_request_is_no_follow_up_and_any_coach_claims_it(asked, lea, t0):
    assert not reload(asked).is_followup()
    assert reload(asked).reserved_for(t0) == ""
    workflow.claim_request(COURSE, asked.pk, lea, now=t0)


def test_a_retired_last_coach_keeps_nobody_waiting(followup, lea, t0):
    workflow.scrub_coach(["coach_karim"])
    workflow.claim_request(COURSE, followup.pk, lea, now=t0 + timedelta(hours=1, minutes=1))
    assert reload(followup).claimed_by == "coach_lea"


def test_next_request_is_the_one_waiting_longest_that_the_coach_may_claim(
    followup, skills_point, feasibility_point, paul, karim, lea, t0
):
    later = ask(feasibility_point, paul, now=t0 + timedelta(hours=1, minutes=10))
    during = t0 + timedelta(hours=1, minutes=20)
    assert queries.next_claimable(COURSE, "coach_karim", during) == followup.pk
    assert queries.next_claimable(COURSE, "coach_lea", during) == later.pk
    workflow.claim_request(COURSE, later.pk, karim, now=during)
    assert queries.next_claimable(COURSE, "coach_lea", during) is None
    assert queries.next_claimable(COURSE, "coach_karim", during) == followup.pk
    assert queries.next_claimable(COURSE, "coach_lea", t0 + timedelta(hours=2)) == followup.pk
