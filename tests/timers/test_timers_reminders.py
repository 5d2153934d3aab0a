"""Reminder and closing: an answer left unread is reminded after 14 days, and the request closes
"no reply" after 28; a learner's reply, resolution or choice of emails changes what the timers do."""
import dataclasses
from datetime import timedelta

import pytest
from django.test import override_settings
from story import COURSE, OTHER_COURSE, REPLY, T0, answer, ask, at_first, meanwhile, refused, reload
from story.outbox import count_about, sent_about
from story.timers import CLOSE_AT, KARIM, LEA, MATHILDE, NUDGE_AT, PAUL, SECOND, TA, WEBHOOK

from coach_xblock import notifications, queries, workflow
from coach_xblock.domain import Conflict, RequestStatus
from coach_xblock.models import Delivery

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- reminder and closing


def test_an_answer_left_unread_gets_one_reminder_after_14_days(answered, webhook):
    assert workflow.nudge_and_close_silent(now=NUDGE_AT - SECOND) == (0, 0)
    assert reload(answered).nudged_at is None

    assert workflow.nudge_and_close_silent(now=NUDGE_AT) == (1, 0)
    row = reload(answered)
    assert (row.status, row.nudged_at) == (RequestStatus.ANSWERED, NUDGE_AT)
    assert sent_about(notifications.NUDGED) == {("email", "mathilde@example.org", "Mathilde"), WEBHOOK}

    for later in (NUDGE_AT + SECOND, NUDGE_AT + timedelta(days=1), CLOSE_AT - SECOND):
        assert workflow.nudge_and_close_silent(now=later) == (0, 0)
    assert count_about(notifications.NUDGED) == 2, "one email and one webhook, not a reminder a day"


def test_two_workers_running_the_timers_at_once_remind_once_and_close_once(answered):
    other_worker = []
    with meanwhile(lambda: other_worker.append(workflow.nudge_and_close_silent(now=NUDGE_AT)), at_first("UPDATE")):
        mine = workflow.nudge_and_close_silent(now=NUDGE_AT)
    assert (mine, other_worker) == ((0, 0), [(1, 0)])

    other_worker.clear()
    with meanwhile(lambda: other_worker.append(workflow.nudge_and_close_silent(now=CLOSE_AT)), at_first("UPDATE")):
        mine = workflow.nudge_and_close_silent(now=CLOSE_AT)
    assert (mine, other_worker) == ((0, 0), [(0, 1)])

    assert count_about(notifications.NUDGED) == 1
    assert reload(answered).closed_at == CLOSE_AT


def test_the_reminder_says_when_the_request_will_close(answered):
    workflow.nudge_and_close_silent(now=NUDGE_AT)
    delivery = Delivery.objects.get(event=notifications.NUDGED)

    subject, text, _html = notifications.render_email(delivery)

    assert subject == "[Coaching] Your coach's answer at “Naming my skills” is waiting for you"
    assert "Hello Mathilde," in text
    assert "Karim answered your request" in text
    assert "Without news, the request closes 28 days after the answer." in text
    assert "You can turn these reminders off" in text


def test_no_reminder_email_for_a_learner_who_turned_reminders_off(point, webhook):
    workflow.set_email_preferences(COURSE, MATHILDE, answer_emails=True, reminder_emails=False)
    hers = answer(ask(point, MATHILDE, now=T0), KARIM, now=TA)
    pauls = answer(ask(point, PAUL, now=T0), KARIM, now=TA)
    elsewhere = dataclasses.replace(point, course_key=OTHER_COURSE, point_id="block-v1:Other+skills")
    hers_elsewhere = answer(ask(elsewhere, MATHILDE, now=T0), KARIM, now=TA)

    workflow.nudge_and_close_silent(now=NUDGE_AT)

    assert sent_about(notifications.NUDGED, hers) == {WEBHOOK}, "the webhook is the operator's, not hers"
    assert sent_about(notifications.NUDGED, pauls) == {("email", "paul@example.org", "Paul"), WEBHOOK}
    assert sent_about(notifications.NUDGED, hers_elsewhere) == {
        ("email", "mathilde@example.org", "Mathilde"), WEBHOOK}, "her choice holds in this course only"

    # Without reminders, the request still closes after 28 days.
    workflow.nudge_and_close_silent(now=CLOSE_AT)
    assert reload(hers).status == RequestStatus.CLOSED


def test_an_answer_left_unread_for_28_days_closes_the_request_without_an_email(answered, point, webhook):
    workflow.nudge_and_close_silent(now=NUDGE_AT)
    assert workflow.nudge_and_close_silent(now=CLOSE_AT - SECOND) == (0, 0)
    assert reload(answered).status == RequestStatus.ANSWERED

    assert workflow.nudge_and_close_silent(now=CLOSE_AT) == (0, 1)

    row = reload(answered)
    assert (row.status, row.closed_at) == (RequestStatus.CLOSED, CLOSE_AT)
    assert row.get_status_display() == "Closed: no reply"
    assert queries.request_dict(row, CLOSE_AT)["status_label"] == "Closed: no reply"
    assert sent_about(notifications.CLOSED) == {WEBHOOK}, "the webhook hears of it; nobody gets an email"
    body = notifications.webhook_body(Delivery.objects.get(event=notifications.CLOSED))
    assert (body["event"], body["status"], body["request_id"], body["occurred_at"]) == (
        "closed", "closed", answered.pk, CLOSE_AT.isoformat())

    assert workflow.run_timers(now=CLOSE_AT + timedelta(days=30)) == {"escalated": 0, "nudged": 0, "closed": 0}
    assert reload(answered).closed_at == CLOSE_AT
    assert count_about(notifications.CLOSED) == 1

    # The closed request no longer counts against her: she may ask again here.
    again = ask(point, MATHILDE, now=CLOSE_AT + timedelta(days=1), token="token-2")
    assert again.status == RequestStatus.OPEN


def test_a_closed_request_takes_no_more_replies(answered, point):
    workflow.nudge_and_close_silent(now=CLOSE_AT)

    with refused(Conflict, match="Closed: no reply"):
        workflow.learner_reply(point, MATHILDE, answered.pk, REPLY, now=CLOSE_AT + SECOND)


def test_timers_first_run_after_28_days_closes_the_request_without_a_late_reminder(answered):
    assert workflow.run_timers(now=CLOSE_AT + timedelta(days=2)) == {"escalated": 0, "nudged": 0, "closed": 1}
    assert count_about(notifications.NUDGED) == 0


def test_the_reminder_and_closing_delays_are_settings_read_at_call_time(answered):
    three_days, five_days = TA + timedelta(days=3), TA + timedelta(days=5)
    assert workflow.nudge_and_close_silent(now=five_days) == (0, 0), "the defaults are 14 and 28 days"

    with override_settings(COACH_XBLOCK={"NUDGE_AFTER_DAYS": 3, "CLOSE_AFTER_DAYS": 5}):
        assert workflow.nudge_and_close_silent(now=three_days - SECOND) == (0, 0)
        assert workflow.nudge_and_close_silent(now=three_days) == (1, 0)
        _subject, text, _html = notifications.render_email(Delivery.objects.get(event=notifications.NUDGED))
        assert "Without news, the request closes 5 days after the answer." in text
        assert workflow.nudge_and_close_silent(now=five_days - SECOND) == (0, 0)
        assert workflow.nudge_and_close_silent(now=five_days) == (0, 1)

    row = reload(answered)
    assert (row.nudged_at, row.closed_at, row.status) == (three_days, five_days, RequestStatus.CLOSED)


def test_a_learner_reply_stops_the_clock_and_the_next_answer_restarts_it(answered, point):
    workflow.learner_reply(point, MATHILDE, answered.pk, REPLY, now=TA + timedelta(days=10))

    # While she waits for a coach, she is neither reminded nor closed out (the coaches are told instead).
    counts = workflow.run_timers(now=CLOSE_AT + timedelta(days=1))
    assert (counts["nudged"], counts["closed"], counts["escalated"]) == (0, 0, 1)
    assert reload(answered).status == RequestStatus.OPEN

    second_answer = CLOSE_AT + timedelta(days=2)
    answer(answered, LEA, now=second_answer)
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=14) - SECOND) == (0, 0)
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=14)) == (1, 0)
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=28) - SECOND) == (0, 0)
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=28)) == (0, 1)


def test_a_new_answer_after_a_reminder_earns_a_new_reminder(answered, point):
    workflow.nudge_and_close_silent(now=NUDGE_AT)
    workflow.learner_reply(point, MATHILDE, answered.pk, REPLY, now=NUDGE_AT + timedelta(days=1))
    second_answer = NUDGE_AT + timedelta(days=2)

    answer(answered, KARIM, now=second_answer)

    row = reload(answered)
    assert (row.last_answered_at, row.nudged_at) == (second_answer, None)
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=14)) == (1, 0)
    reminders = Delivery.objects.filter(event=notifications.NUDGED).order_by("created_at")
    assert [(d.recipient, d.created_at) for d in reminders] == [
        ("mathilde@example.org", NUDGE_AT),
        ("mathilde@example.org", second_answer + timedelta(days=14)),
    ]
    assert reload(answered).status == RequestStatus.ANSWERED, "28 days from the first answer do not close it"
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=28)) == (0, 1)


def test_a_learner_who_resolves_after_the_reminder_is_not_closed_out(answered, point):
    workflow.nudge_and_close_silent(now=NUDGE_AT)
    resolved_at = NUDGE_AT + timedelta(days=1)
    workflow.resolve_request(point, MATHILDE, answered.pk, 5, now=resolved_at)

    assert workflow.nudge_and_close_silent(now=CLOSE_AT) == (0, 0)

    row = reload(answered)
    assert (row.status, row.closed_at, row.rating) == (RequestStatus.RESOLVED, resolved_at, 5)
    assert count_about(notifications.CLOSED) == 0


@pytest.mark.parametrize("ending", ["resolved", "withdrawn"])
def test_resolved_and_withdrawn_requests_are_never_reminded_or_closed(point, webhook, ending):
    request = ask(point, MATHILDE, now=T0)
    if ending == "resolved":
        answer(request, KARIM, now=TA)
        workflow.resolve_request(point, MATHILDE, request.pk, 4, now=TA + timedelta(hours=1))
    else:
        workflow.withdraw_request(point, MATHILDE, request.pk, now=TA + timedelta(hours=1))
    before = reload(request)

    for later in (NUDGE_AT, CLOSE_AT, T0 + timedelta(days=365)):
        assert workflow.run_timers(now=later) == {"escalated": 0, "nudged": 0, "closed": 0}

    row = reload(request)
    assert (row.status, row.closed_at, row.nudged_at) == (ending, before.closed_at, None)
    assert count_about(notifications.NUDGED) == count_about(notifications.CLOSED) == 0
