"""Escalation: a request that waits past its point's expected time is told to every coach with an
address and to the webhook, once per wait.

The story and its clock are tests/story/timers.py's. The clock belongs to the test: every call gets its
`now=`, and nothing sleeps. Where a real clock cannot be avoided (the management command, the workbench
pages) the story is set in the past with `now=` and the real clock only reads it. Rows are read with the
ORM to check what a call changed, or that a refused call changed nothing. Webhooks point at a closed
local port: they are only written to the outbox here, never sent.
"""
import json
from datetime import timedelta

import pytest
from story import ASK, COURSE, REPLY, T0, answer, ask, at_first, meanwhile, reload
from story.outbox import count_about, sent_about
from story.timers import COACH_EMAILS, HOOK, KARIM, MATHILDE, SECOND, WEBHOOK

from coach_xblock import notifications, queries, workflow
from coach_xblock.domain import RequestStatus
from coach_xblock.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- escalation


def test_a_request_waiting_past_its_expected_time_is_escalated_once_to_every_coach_and_webhook(point, webhook):
    request = ask(point, MATHILDE, now=T0)
    due = T0 + timedelta(hours=48)
    assert (request.waiting_since, request.due_at) == (T0, due)

    # One second before the 48 hours are up, nobody is told.
    assert workflow.escalate_overdue(now=due - SECOND) == 0
    assert reload(request).escalated_at is None
    assert count_about(notifications.ESCALATED) == 0

    # At the due time, each coach with an address gets an email, and the webhook is called.
    assert workflow.escalate_overdue(now=due) == 1
    assert reload(request).escalated_at == due
    assert sent_about(notifications.ESCALATED) == COACH_EMAILS | {WEBHOOK}
    escalations = Delivery.objects.filter(event=notifications.ESCALATED)
    assert {(d.status, d.created_at, d.next_attempt_at) for d in escalations} == {(DeliveryStatus.PENDING, due, due)}
    body = notifications.webhook_body(escalations.get(channel="webhook"))
    assert (body["event"], body["status"], body["request_id"]) == ("escalated", "open", request.pk)
    assert ASK["stuck_on"] not in json.dumps(body), "no learner text leaves by webhook"

    # The timers run again and again while the request keeps waiting: nobody is told twice.
    for later in (due + SECOND, due + timedelta(hours=1), due + timedelta(days=10)):
        assert workflow.run_timers(now=later) == {"escalated": 0, "nudged": 0, "closed": 0}
    assert count_about(notifications.ESCALATED) == 3
    assert reload(request).escalated_at == due


def test_two_workers_running_the_timers_at_once_escalate_a_request_once(point):
    request = ask(point, MATHILDE, now=T0)
    due = T0 + timedelta(hours=48)
    other_worker = []

    # The other worker escalates the request after this one listed it, just before this one's UPDATE.
    with meanwhile(lambda: other_worker.append(workflow.escalate_overdue(now=due)), at_first("UPDATE")):
        mine = workflow.escalate_overdue(now=due)

    assert (mine, other_worker) == (0, [1])
    assert sent_about(notifications.ESCALATED, request) == COACH_EMAILS
    assert count_about(notifications.ESCALATED) == 2


def test_the_expected_time_is_the_points_own(point, slow_point):
    fast, slow = ask(point, MATHILDE, now=T0), ask(slow_point, MATHILDE, now=T0)

    assert workflow.escalate_overdue(now=T0 + timedelta(hours=48)) == 1
    assert reload(fast).escalated_at is not None and reload(slow).escalated_at is None
    assert workflow.escalate_overdue(now=T0 + timedelta(hours=72) - SECOND) == 0
    assert workflow.escalate_overdue(now=T0 + timedelta(hours=72)) == 1
    assert sent_about(notifications.ESCALATED, slow) == COACH_EMAILS


def test_the_escalation_email_tells_the_coach_who_waits_where_and_for_how_long(point):
    request = ask(point, MATHILDE, now=T0)
    workflow.escalate_overdue(now=T0 + timedelta(hours=48))
    delivery = Delivery.objects.get(event=notifications.ESCALATED, recipient="karim@example.com")

    subject, text, html = notifications.render_email(delivery)

    assert subject == f"[Coaching] Overdue: request #{request.pk} from Mathilde still waits for a coach"
    assert "Hello Karim," in text
    assert "longer than the 48 hours learners are told to expect" in text
    assert ASK["stuck_on"] in text and "https://lms.example.org/unit" in text
    assert "Mathilde" in html


def test_a_claim_is_not_an_answer_a_claimed_request_is_still_escalated(point, webhook):
    request = ask(point, MATHILDE, now=T0)
    due = T0 + timedelta(hours=48)
    workflow.claim_request(COURSE, request.pk, KARIM, now=due - timedelta(minutes=10))

    assert workflow.escalate_overdue(now=due) == 1

    assert sent_about(notifications.ESCALATED) == COACH_EMAILS | {WEBHOOK}
    row = reload(request)
    assert (row.status, row.claimed_by, row.claim_expires_at) == (
        RequestStatus.OPEN, "coach_karim", due + timedelta(minutes=20)), "the escalation leaves Karim's claim alone"
    assert queries.queue_row_dict(row, due)["overdue"] is True


@pytest.mark.parametrize("answered_after", [timedelta(hours=47), timedelta(hours=49)],
                         ids=["in-time", "late-but-before-the-timers-ran"])
def test_an_answered_request_is_not_escalated(point, webhook, answered_after):
    request = answer(ask(point, MATHILDE, now=T0), KARIM, now=T0 + answered_after)

    for hours in (48, 50, 24 * 10):
        assert workflow.escalate_overdue(now=T0 + timedelta(hours=hours)) == 0

    assert reload(request).escalated_at is None
    assert count_about(notifications.ESCALATED) == 0


def test_withdrawn_and_resolved_requests_are_not_escalated(point, slow_point, webhook):
    withdrawn = ask(point, MATHILDE, now=T0)
    workflow.withdraw_request(point, MATHILDE, withdrawn.pk, now=T0 + timedelta(hours=1))
    resolved = answer(ask(slow_point, MATHILDE, now=T0), KARIM, now=T0 + timedelta(hours=1))
    workflow.resolve_request(slow_point, MATHILDE, resolved.pk, 5, now=T0 + timedelta(hours=2))

    assert workflow.escalate_overdue(now=T0 + timedelta(days=30)) == 0
    assert count_about(notifications.ESCALATED) == 0


def test_a_learner_reply_starts_a_new_wait_which_can_be_escalated_once_more(point, webhook):
    request = ask(point, MATHILDE, now=T0)
    workflow.escalate_overdue(now=T0 + timedelta(hours=48))
    answer(request, KARIM, now=T0 + timedelta(hours=50))

    # Mathilde replies ten hours after the answer: she waits for a coach again, for 48 new hours.
    replied_at = T0 + timedelta(hours=60)
    workflow.learner_reply(point, MATHILDE, request.pk, REPLY, now=replied_at)
    row = reload(request)
    new_due = replied_at + timedelta(hours=48)
    assert (row.status, row.waiting_since, row.due_at) == (RequestStatus.OPEN, replied_at, new_due)
    assert queries.queue_row_dict(row, new_due - SECOND)["overdue"] is False

    assert workflow.escalate_overdue(now=new_due - SECOND) == 0
    assert workflow.escalate_overdue(now=new_due) == 1
    assert workflow.escalate_overdue(now=new_due + timedelta(days=3)) == 0

    assert reload(request).escalated_at == new_due
    escalations = Delivery.objects.filter(event=notifications.ESCALATED).order_by("created_at", "recipient")
    assert [(d.created_at, d.recipient) for d in escalations] == [
        (T0 + timedelta(hours=48), HOOK["url"]),
        (T0 + timedelta(hours=48), "karim@example.com"),
        (T0 + timedelta(hours=48), "lea@example.com"),
        (new_due, HOOK["url"]),
        (new_due, "karim@example.com"),
        (new_due, "lea@example.com"),
    ]


def test_a_reply_before_the_first_escalation_moves_the_due_time(point):
    request = answer(ask(point, MATHILDE, now=T0), KARIM, now=T0 + timedelta(hours=1))
    workflow.learner_reply(point, MATHILDE, request.pk, REPLY, now=T0 + timedelta(hours=2))

    # The first wait's due time has passed, but it ended with Karim's answer.
    assert workflow.escalate_overdue(now=T0 + timedelta(hours=48)) == 0
    assert workflow.escalate_overdue(now=T0 + timedelta(hours=50)) == 1


def test_the_queue_row_marks_a_request_overdue_from_its_due_time(point):
    request = ask(point, MATHILDE, now=T0)
    due = T0 + timedelta(hours=48)

    assert queries.queue_row_dict(request, due - SECOND)["overdue"] is False
    assert queries.queue_row_dict(request, due)["overdue"] is True
    assert request.is_overdue(due) and not request.is_overdue(due - SECOND)

    answered = answer(request, KARIM, now=due + timedelta(hours=1))
    assert queries.queue_row_dict(answered, due + timedelta(hours=2))["overdue"] is False
