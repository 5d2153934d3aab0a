"""The timers of coach_xblock.workflow: escalation, reminder, closing; and who they notify.

The story: Mathilde asks at "Naming my skills", a check-in whose coaches answer within 48
hours. Karim and Léa coach the course (Sam too, but without an email address). When no coach
answers in time, every coach with an address is told, once per wait. When Mathilde leaves an
answer unread, she is reminded after 14 days, and the request closes "no reply" after 28.

The clock belongs to the test: every call gets its `now=`, and nothing sleeps. Where a real
clock cannot be avoided (the management command, the workbench pages) the story is set in the
past with `now=` and the real clock only reads it. Rows are read with the ORM to check what a
call changed, or that a refused call changed nothing. Webhooks point at a closed local port:
they are only written to the outbox here, never sent.
"""
import dataclasses
import email
import email.policy
import json
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from io import StringIO
from itertools import count
from types import SimpleNamespace
from urllib.parse import quote

import lxml.html
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone, translation
from workbench.runtime import WorkbenchRuntime
from workbench.runtime_util import reset_global_state
from workbench.scenarios import get_scenarios

from coach_xblock import identity, notifications, queries, workflow
from coach_xblock.domain import Conflict, InvalidInput, Person, RequestStatus
from coach_xblock.management.commands import coach_notifications
from coach_xblock.management.commands.coach_notifications import Command
from coach_xblock.models import (
    CheckinMessage,
    CheckinRequest,
    Delivery,
    DeliveryStatus,
    LearnerPreference,
)

pytestmark = [
    pytest.mark.django_db,
    # The workbench runtime reads the deprecated Runtime.user_id on every block it builds.
    pytest.mark.filterwarnings("ignore::xblock.exceptions.UserIdDeprecationWarning"),
]

COURSE = "course-v1:Demo+Career+2026"  # the course of the conftest's points
OTHER_COURSE = "course-v1:Other+Course+2026"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday morning: Mathilde asks
SECOND = timedelta(seconds=1)
HOOK = {"url": "http://127.0.0.1:9/hook", "secret": "x"}

KARIM = Person(user_id="coach_karim", display_name="Karim", email="karim@example.com")
LEA = Person(user_id="coach_lea", display_name="Léa", email="lea@example.com")
SAM = Person(user_id="coach_sam", display_name="Sam", email="")  # a coach without an address
MATHILDE = Person(user_id="anon-mathilde", display_name="Mathilde", email="mathilde@example.org")
PAUL = Person(user_id="anon-paul", display_name="Paul", email="paul@example.org")
ZOE = Person(user_id="anon-zoe", display_name="Zoé", email="zoe@example.org")

ASK = {
    "working_on": "Moving from network technician to IT trainer.",
    "stuck_on": "I know my job, but I do not know how to name my skills.",
    "tried": "An online skills test and a first draft of my list of skills.",
}
ANSWER = "Start from verbs: I configured, I trained, I diagnosed..."
REPLY = "Here is my list: network configuration, user training, incident diagnosis."

# The webhook receives every event; the coaches' and learners' emails depend on the event.
COACH_EMAILS = {("email", "karim@example.com", "Karim"), ("email", "lea@example.com", "Léa")}
WEBHOOK = ("webhook", HOOK["url"], "")


# ---------------------------------------------------------------- the story's cast


@pytest.fixture(autouse=True)
def in_english():
    """Emails and statuses are read in English, whatever language another test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def webhook():
    """The operator configured one webhook: every event writes one delivery to it."""
    with override_settings(COACH_XBLOCK={"WEBHOOKS": [HOOK]}):
        yield HOOK


@pytest.fixture
def point(skills_point):
    """"Naming my skills": answers expected within 48 hours, coached by Karim, Léa and Sam."""
    return dataclasses.replace(
        skills_point, expected_response_hours=48, coaches=(KARIM, LEA, SAM), unit_url="https://lms.example.org/unit"
    )


@pytest.fixture
def slow_point(feasibility_point):
    """"Is my project feasible?": answers expected within 72 hours, same coaches."""
    return dataclasses.replace(feasibility_point, expected_response_hours=72, coaches=(KARIM, LEA, SAM))


def ask(point, learner=MATHILDE, *, at=T0, token="token-1"):
    """`learner` asks for help at `point` at the time `at`."""
    return workflow.ask_for_help(point, learner, client_token=token, now=at, **ASK)


def answer(request, coach=KARIM, *, at):
    """`coach` claims the request and answers it at the time `at`."""
    workflow.claim_request(request.course_key, request.pk, coach, now=at)
    return workflow.coach_reply(request.course_key, request.pk, coach, ANSWER, now=at)


def reload(request):
    return CheckinRequest.objects.get(pk=request.pk)


def sent_about(event, request=None):
    """The deliveries an event wrote, as a set of (channel, recipient, recipient_name)."""
    rows = Delivery.objects.filter(event=event)
    if request is not None:
        rows = rows.filter(request_id=request.pk)
    return {(d.channel, d.recipient, d.recipient_name) for d in rows}


def count_about(event, request=None):
    rows = Delivery.objects.filter(event=event)
    return rows.filter(request_id=request.pk).count() if request is not None else rows.count()


def snapshot():
    """Every row of the app, to prove that a refused call changed nothing."""
    return tuple(
        list(model.objects.order_by("pk").values())
        for model in (CheckinRequest, CheckinMessage, Delivery, LearnerPreference)
    )


@contextmanager
def refused(error, match=None):
    """Expect `error` (a WorkflowError class) and no change at all in the database."""
    before = snapshot()
    with pytest.raises(error, match=match):
        yield
    assert snapshot() == before


# ---------------------------------------------------------------- escalation


def test_a_request_waiting_past_its_expected_time_is_escalated_once_to_every_coach_and_webhook(point, webhook):
    request = ask(point, at=T0)
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


@contextmanager
def meanwhile(action, before_sql):
    """Run `action` (another worker's timers) just before this thread's first SQL statement starting
    with `before_sql`: a deterministic interleaving of two workers."""
    fired = []

    def wrapper(execute, sql, params, many, context):
        if not fired and sql.lstrip().upper().startswith(before_sql):
            fired.append(sql)
            action()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
    assert fired, "the interleaving point was never reached"


def test_two_workers_running_the_timers_at_once_escalate_a_request_once(point):
    request = ask(point, at=T0)
    due = T0 + timedelta(hours=48)
    other_worker = []

    # The other worker escalates the request after this one listed it, just before this one's UPDATE.
    with meanwhile(lambda: other_worker.append(workflow.escalate_overdue(now=due)), "UPDATE"):
        mine = workflow.escalate_overdue(now=due)

    assert (mine, other_worker) == (0, [1])
    assert sent_about(notifications.ESCALATED, request) == COACH_EMAILS
    assert count_about(notifications.ESCALATED) == 2


def test_the_expected_time_is_the_points_own(point, slow_point):
    fast, slow = ask(point, at=T0), ask(slow_point, at=T0)

    assert workflow.escalate_overdue(now=T0 + timedelta(hours=48)) == 1
    assert reload(fast).escalated_at is not None and reload(slow).escalated_at is None
    assert workflow.escalate_overdue(now=T0 + timedelta(hours=72) - SECOND) == 0
    assert workflow.escalate_overdue(now=T0 + timedelta(hours=72)) == 1
    assert sent_about(notifications.ESCALATED, slow) == COACH_EMAILS


def test_the_escalation_email_tells_the_coach_who_waits_where_and_for_how_long(point):
    request = ask(point, at=T0)
    workflow.escalate_overdue(now=T0 + timedelta(hours=48))
    delivery = Delivery.objects.get(event=notifications.ESCALATED, recipient="karim@example.com")

    subject, text, html = notifications.render_email(delivery)

    assert subject == f"[Coaching] Overdue: request #{request.pk} from Mathilde still waits for a coach"
    assert "Hello Karim," in text
    assert "longer than the 48 hours learners are told to expect" in text
    assert ASK["stuck_on"] in text and "https://lms.example.org/unit" in text
    assert "Mathilde" in html


def test_a_claim_is_not_an_answer_a_claimed_request_is_still_escalated(point, webhook):
    request = ask(point, at=T0)
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
    request = answer(ask(point, at=T0), at=T0 + answered_after)

    for hours in (48, 50, 24 * 10):
        assert workflow.escalate_overdue(now=T0 + timedelta(hours=hours)) == 0

    assert reload(request).escalated_at is None
    assert count_about(notifications.ESCALATED) == 0


def test_withdrawn_and_resolved_requests_are_not_escalated(point, slow_point, webhook):
    withdrawn = ask(point, at=T0)
    workflow.withdraw_request(point, MATHILDE, withdrawn.pk, now=T0 + timedelta(hours=1))
    resolved = answer(ask(slow_point, at=T0), at=T0 + timedelta(hours=1))
    workflow.resolve_request(slow_point, MATHILDE, resolved.pk, 5, now=T0 + timedelta(hours=2))

    assert workflow.escalate_overdue(now=T0 + timedelta(days=30)) == 0
    assert count_about(notifications.ESCALATED) == 0


def test_a_learner_reply_starts_a_new_wait_which_can_be_escalated_once_more(point, webhook):
    request = ask(point, at=T0)
    workflow.escalate_overdue(now=T0 + timedelta(hours=48))
    answer(request, at=T0 + timedelta(hours=50))

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
    request = answer(ask(point, at=T0), at=T0 + timedelta(hours=1))
    workflow.learner_reply(point, MATHILDE, request.pk, REPLY, now=T0 + timedelta(hours=2))

    # The first wait's due time has passed, but it ended with Karim's answer.
    assert workflow.escalate_overdue(now=T0 + timedelta(hours=48)) == 0
    assert workflow.escalate_overdue(now=T0 + timedelta(hours=50)) == 1


def test_the_queue_row_marks_a_request_overdue_from_its_due_time(point):
    request = ask(point, at=T0)
    due = T0 + timedelta(hours=48)

    assert queries.queue_row_dict(request, due - SECOND)["overdue"] is False
    assert queries.queue_row_dict(request, due)["overdue"] is True
    assert request.is_overdue(due) and not request.is_overdue(due - SECOND)

    answered = answer(request, at=due + timedelta(hours=1))
    assert queries.queue_row_dict(answered, due + timedelta(hours=2))["overdue"] is False


# ---------------------------------------------------------------- reminder and closing


@pytest.fixture
def answered(point):
    """Mathilde's request, answered by Karim an hour after she asked (at TA)."""
    return answer(ask(point, at=T0), at=TA)


TA = T0 + timedelta(hours=1)  # when Karim answers
NUDGE_AT = TA + timedelta(days=14)
CLOSE_AT = TA + timedelta(days=28)


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
    with meanwhile(lambda: other_worker.append(workflow.nudge_and_close_silent(now=NUDGE_AT)), "UPDATE"):
        mine = workflow.nudge_and_close_silent(now=NUDGE_AT)
    assert (mine, other_worker) == ((0, 0), [(1, 0)])

    other_worker.clear()
    with meanwhile(lambda: other_worker.append(workflow.nudge_and_close_silent(now=CLOSE_AT)), "UPDATE"):
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
    hers = answer(ask(point, MATHILDE, at=T0), at=TA)
    pauls = answer(ask(point, PAUL, at=T0), at=TA)
    elsewhere = dataclasses.replace(point, course_key=OTHER_COURSE, point_id="block-v1:Other+skills")
    hers_elsewhere = answer(ask(elsewhere, MATHILDE, at=T0), at=TA)

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
    again = ask(point, at=CLOSE_AT + timedelta(days=1), token="token-2")
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
    answer(answered, LEA, at=second_answer)
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=14) - SECOND) == (0, 0)
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=14)) == (1, 0)
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=28) - SECOND) == (0, 0)
    assert workflow.nudge_and_close_silent(now=second_answer + timedelta(days=28)) == (0, 1)


def test_a_new_answer_after_a_reminder_earns_a_new_reminder(answered, point):
    workflow.nudge_and_close_silent(now=NUDGE_AT)
    workflow.learner_reply(point, MATHILDE, answered.pk, REPLY, now=NUDGE_AT + timedelta(days=1))
    second_answer = NUDGE_AT + timedelta(days=2)

    answer(answered, KARIM, at=second_answer)

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
    request = ask(point, at=T0)
    if ending == "resolved":
        answer(request, at=TA)
        workflow.resolve_request(point, MATHILDE, request.pk, 4, now=TA + timedelta(hours=1))
    else:
        workflow.withdraw_request(point, MATHILDE, request.pk, now=TA + timedelta(hours=1))
    before = reload(request)

    for later in (NUDGE_AT, CLOSE_AT, T0 + timedelta(days=365)):
        assert workflow.run_timers(now=later) == {"escalated": 0, "nudged": 0, "closed": 0}

    row = reload(request)
    assert (row.status, row.closed_at, row.nudged_at) == (ending, before.closed_at, None)
    assert count_about(notifications.NUDGED) == count_about(notifications.CLOSED) == 0


# ---------------------------------------------------------------- the management command


def addressee(message):
    """The To header of a sent email, as its reader's mail program shows it."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    return str(parsed["To"])


def run_command():
    out = StringIO()
    call_command("coach_notifications", "--once", stdout=out)
    return out.getvalue().strip()


def test_the_command_runs_the_timers_then_sends_every_due_email_once(point):
    # The command reads the real clock: the story is set in the past. Nobody configured webhooks,
    # and pytest-django's locmem backend keeps the "sent" emails in mail.outbox.
    now = timezone.now()
    overdue = ask(point, PAUL, at=now - timedelta(days=3))
    silent = answer(ask(point, MATHILDE, at=now - timedelta(days=16)), at=now - timedelta(days=15))
    abandoned = answer(ask(point, ZOE, at=now - timedelta(days=30)), at=now - timedelta(days=29))

    assert run_command() == "escalated 1, nudged 1, closed 1, sent 11"

    # 3 asks x 2 coaches, 2 answers to learners (Paul is still waiting), 2 escalations, 1 reminder.
    assert len(mail.outbox) == 11
    assert Delivery.objects.exclude(status=DeliveryStatus.SENT).count() == 0
    assert reload(abandoned).status == RequestStatus.CLOSED
    assert reload(silent).nudged_at is not None
    by_subject = {}
    for message in mail.outbox:
        by_subject.setdefault(message.subject, []).append(addressee(message))
    assert sorted(by_subject[f"[Coaching] Overdue: request #{overdue.pk} from Paul still waits for a coach"]) == [
        "Karim <karim@example.com>", "Léa <lea@example.com>"]
    assert by_subject["[Coaching] Your coach's answer at “Naming my skills” is waiting for you"] == [
        "Mathilde <mathilde@example.org>"]
    assert all(m.from_email == "Course coaching <coaching@example.com>" for m in mail.outbox)
    assert [addressee(m) for m in mail.outbox].count("Zoé <zoe@example.org>") == 1, "her answer, not the closing"

    # A second round finds nothing to do, and sends nothing twice.
    assert run_command() == "escalated 0, nudged 0, closed 0, sent 0"
    assert len(mail.outbox) == 11


class StopLoop(Exception):
    """Raised by the fake clock of the command to end its loop."""


def test_without_once_the_command_loops_every_interval_and_reports_only_rounds_that_did_something(
        point, monkeypatch):
    # The loop's sleep is replaced by a clock that records the waits: nothing sleeps for real.
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 2:
            raise StopLoop

    monkeypatch.setattr(coach_notifications, "time", SimpleNamespace(sleep=sleep))
    ask(point, PAUL, at=timezone.now() - timedelta(days=3))
    out = StringIO()

    with pytest.raises(StopLoop):
        call_command("coach_notifications", "--interval", "60", stdout=out)

    assert waits == [60.0, 60.0]
    assert out.getvalue().splitlines() == ["escalated 1, nudged 0, closed 0, sent 4"], "the idle round is silent"
    assert len(mail.outbox) == 4


def test_the_command_help_tells_about_once_and_interval():
    help_text = Command().create_parser("manage.py", "coach_notifications").format_help()

    assert "--once" in help_text and "Do one round, then exit." in help_text
    assert "--interval" in help_text and "Seconds between two rounds" in help_text


# ---------------------------------------------------------------- email preferences from the block

WORKBENCH_COURSE = "define-your-skills-coach-check-ins"  # the English scenario, a course of its own


@pytest.fixture
def workbench():
    """Every workbench test starts from the scenarios as their XML defines them, with no block state."""
    reset_global_state()


def scenario_blocks(scenario, user="mathilde"):
    """The two check-in blocks of a workbench scenario, built by a runtime acting for `user`."""
    runtime = WorkbenchRuntime(user)
    unit = runtime.get_block(get_scenarios()[scenario].usage_id)
    return [runtime.get_block(child) for child in unit.children if ".coach_checkin." in child]


class Handlers:
    """The JSON handlers of one check-in block, reached over HTTP like the browser does."""

    def __init__(self, client, usage_id):
        self.client, self.usage_id = client, usage_id

    def post(self, handler, student, payload=None, *, raw=None):
        body = raw if raw is not None else json.dumps({} if payload is None else payload)
        return self.client.post(
            f"/handler/{self.usage_id}/{handler}/?student={quote(student)}", data=body, content_type="application/json"
        )

    def ok(self, handler, student, payload=None):
        response = self.post(handler, student, payload)
        assert response.status_code == 200, response.content
        return response.json()

    def refused(self, handler, student, payload=None, *, status, raw=None):
        before = snapshot()
        response = self.post(handler, student, payload, raw=raw)
        assert response.status_code == status, response.content
        assert response.json()["error"].strip()
        assert snapshot() == before
        return response.json()["error"]


def unit_points(client, url):
    """The (skills, feasibility) handlers of a unit, found in the data-usage attributes of its page."""
    html = client.get(f"{url}?student=mathilde").content.decode()
    usage_ids = re.findall(r"data-usage='([^']*\.coach_checkin\.[^']*)'", html)
    assert len(usage_ids) == 2, usage_ids
    return [Handlers(client, usage_id) for usage_id in usage_ids]


@pytest.fixture
def en(workbench, client):
    """The English unit: its skills and feasibility points."""
    return unit_points(client, "/scenario/coach_checkin.1/")


@pytest.fixture
def fr(workbench, client):
    """The French unit, another course."""
    return unit_points(client, "/scenario/coach_checkin.0/")


_tokens = count(1)


def ask_over_http(point, learner):
    payload = {**ASK, "client_token": f"http-{next(_tokens)}"}
    return point.ok("ask", learner, payload)["request"]["id"]


def answer_over_http(point, request_id, coach="coach_karim"):
    point.ok("claim", coach, {"request_id": request_id})
    point.ok("coach_reply", coach, {"request_id": request_id, "body": ANSWER})


def test_mathilde_turns_answer_emails_off_and_keeps_reminders(en):
    skills, feasibility = en
    assert skills.ok("learner_state", "mathilde")["preferences"] == {"answer_emails": True, "reminder_emails": True}

    state = skills.ok("email_preferences", "mathilde", {"answer_emails": False, "reminder_emails": True})

    assert state["preferences"] == {"answer_emails": False, "reminder_emails": True}
    boxes = {box.get("name"): box.get("checked") is not None
             for box in lxml.html.fromstring(state["html"]).xpath("//input[@type='checkbox']")}
    assert boxes == {"answer_emails": False, "reminder_emails": True}
    assert skills.ok("learner_state", "mathilde")["preferences"] == {"answer_emails": False, "reminder_emails": True}
    assert [(p.course_key, p.learner_id, p.answer_emails, p.reminder_emails)
            for p in LearnerPreference.objects.all()] == [(WORKBENCH_COURSE, "mathilde", False, True)]
    assert feasibility.ok("learner_state", "mathilde")["preferences"] == {
        "answer_emails": False, "reminder_emails": True}, "one choice for every check-in of the course"
    assert skills.ok("learner_state", "paul")["preferences"] == {"answer_emails": True, "reminder_emails": True}

    # She changes her mind: the same row is updated.
    skills.ok("email_preferences", "mathilde", {"answer_emails": True, "reminder_emails": False})
    assert [(p.answer_emails, p.reminder_emails) for p in LearnerPreference.objects.all()] == [(True, False)]


MISSING = object()


@pytest.mark.parametrize("field", ["answer_emails", "reminder_emails"])
@pytest.mark.parametrize("value", ["no", "false", 0, 1, None, MISSING, [False]],
                         ids=["no", "false-text", "zero", "one", "null", "missing", "list"])
def test_email_preferences_refuse_anything_but_true_or_false(en, field, value):
    skills, _feasibility = en
    skills.ok("email_preferences", "mathilde", {"answer_emails": True, "reminder_emails": False})
    payload = {"answer_emails": False, "reminder_emails": True, field: value}
    if value is MISSING:
        del payload[field]

    skills.refused("email_preferences", "mathilde", payload, status=400)

    assert skills.ok("learner_state", "mathilde")["preferences"] == {"answer_emails": True, "reminder_emails": False}


def test_set_email_preferences_refuses_non_booleans_and_changes_nothing():
    workflow.set_email_preferences(COURSE, MATHILDE, answer_emails=True, reminder_emails=True)
    with refused(InvalidInput, match="choose yes or no"):
        workflow.set_email_preferences(COURSE, MATHILDE, answer_emails="no", reminder_emails=False)


def test_email_preferences_refuse_a_body_that_is_not_an_object(en):
    skills, _feasibility = en
    skills.refused("email_preferences", "mathilde", raw="[false, true]", status=400)


def test_with_answer_emails_off_a_coach_answer_emails_her_no_more_but_still_calls_the_webhook(en, fr, webhook):
    skills, feasibility = en
    skills.ok("email_preferences", "mathilde", {"answer_emails": False, "reminder_emails": True})
    hers, at_feasibility, pauls = (
        ask_over_http(skills, "mathilde"), ask_over_http(feasibility, "mathilde"), ask_over_http(skills, "paul"))
    in_french = ask_over_http(fr[0], "mathilde")

    for point, request_id in ((skills, hers), (feasibility, at_feasibility), (skills, pauls), (fr[0], in_french)):
        answer_over_http(point, request_id)

    def answered_to(request_id):
        return {(d.channel, d.recipient) for d in Delivery.objects.filter(request_id=request_id, event="answered")}

    assert answered_to(hers) == {("webhook", HOOK["url"])}
    assert answered_to(at_feasibility) == {("webhook", HOOK["url"])}, "her choice holds at every point of the course"
    assert answered_to(pauls) == {("webhook", HOOK["url"]), ("email", "paul@example.com")}
    assert answered_to(in_french) == {("webhook", HOOK["url"]), ("email", "mathilde@example.com")}, (
        "the French unit is another course")

    # She kept the reminders: two weeks later, she is reminded of the answer she has not read.
    workflow.nudge_and_close_silent(now=timezone.now() + timedelta(days=14, minutes=1))
    reminders = {(d.channel, d.recipient) for d in Delivery.objects.filter(request_id=hers, event="nudged")}
    assert reminders == {("webhook", HOOK["url"]), ("email", "mathilde@example.com")}


# ---------------------------------------------------------------- what the pages show of the timers


def test_the_coach_sees_overdue_requests_marked_in_the_queue_and_the_request(workbench, client):
    # The pages read the real clock: one request was asked 49 hours ago, one 47 hours ago.
    skills_block, _feasibility_block = scenario_blocks("coach_checkin.1")
    point = skills_block.checkin_point(asking=True)
    late = ask(point, MATHILDE, at=timezone.now() - timedelta(hours=49))
    early = ask(point, PAUL, at=timezone.now() - timedelta(hours=47))
    skills = Handlers(client, identity.point_id(skills_block))

    queue = skills.ok("queue", "coach_karim")
    assert {row["id"]: row["overdue"] for row in queue["rows"]} == {late.pk: True, early.pk: False}
    rows = dict(re.findall(r'<tr data-request-id="(\d+)">(.*?)</tr>', queue["html"], re.S))
    assert "coach-badge-overdue" in rows[str(late.pk)] and "coach-badge-overdue" not in rows[str(early.pk)]

    late_detail = skills.ok("request_detail", "coach_karim", {"request_id": late.pk})
    assert late_detail["request"]["overdue"] is True
    assert '<span class="coach-badge coach-badge-overdue">Overdue</span>' in late_detail["html"]
    early_detail = skills.ok("request_detail", "coach_karim", {"request_id": early.pk})
    assert "coach-badge-overdue" not in early_detail["html"]


def close_a_request_in_the_workbench(learner=MATHILDE):
    """A request of the English workbench unit, answered 30 days ago and closed for no reply."""
    skills_block, _feasibility_block = scenario_blocks("coach_checkin.1")
    point = skills_block.checkin_point(asking=True)
    asked_at = timezone.now() - timedelta(days=30)
    request = answer(ask(point, learner, at=asked_at), at=asked_at + timedelta(hours=1))
    assert workflow.nudge_and_close_silent(now=timezone.now()) == (0, 1)
    return Handlers(Client(), identity.point_id(skills_block)), reload(request)


def test_a_request_closed_for_no_reply_shows_so_to_the_learner_and_under_all_in_the_queue(workbench):
    skills, closed = close_a_request_in_the_workbench(Person("mathilde", "mathilde", "mathilde@example.com"))

    state = skills.ok("learner_state", "mathilde")
    assert [(r["id"], r["status"], r["status_label"]) for r in state["requests"]] == [
        (closed.pk, "closed", "Closed: no reply")]
    assert state["can_ask"] is True
    assert "Reply to your coach" not in state["html"] and "mark as resolved" not in state["html"]
    everything = skills.ok("queue", "coach_karim", {"status": "all"})
    assert [(row["id"], row["status_label"]) for row in everything["rows"]] == [(closed.pk, "Closed: no reply")]


def test_a_coach_lists_the_requests_closed_for_no_reply(workbench):
    skills, closed = close_a_request_in_the_workbench()

    response = skills.post("queue", "coach_karim", {"status": "closed"})

    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["rows"]] == [closed.pk]
    assert '<option value="closed"' in Client().get("/scenario/coach_checkin.1/?student=coach_karim").content.decode()


# ---------------------------------------------------------------- clear_student_state


def rows_of(request_ids):
    """The rows of these requests, of their messages and of their deliveries."""
    request_ids = sorted(request_ids)
    return (
        list(CheckinRequest.objects.filter(pk__in=request_ids).order_by("pk").values()),
        list(CheckinMessage.objects.filter(request_id__in=request_ids).order_by("pk").values()),
        list(Delivery.objects.filter(request_id__in=request_ids).order_by("pk").values()),
    )


def test_staff_clearing_mathildes_state_deletes_her_requests_at_this_point_only(workbench):
    skills_block, feasibility_block = scenario_blocks("coach_checkin.1", user="staff")
    skills, feasibility = skills_block.checkin_point(asking=True), feasibility_block.checkin_point(asking=True)
    mathilde = Person("mathilde", "mathilde", "mathilde@example.com")
    paul = Person("paul", "paul", "paul@example.com")

    hers = answer(ask(skills, mathilde), at=TA)
    workflow.learner_reply(skills, mathilde, hers.pk, REPLY, now=TA + timedelta(hours=1))
    hers_elsewhere = answer(ask(feasibility, mathilde), at=TA)
    pauls = answer(ask(skills, paul), at=TA)
    assert CheckinMessage.objects.filter(request=hers).count() == 2
    assert Delivery.objects.filter(request=hers).count() == 4  # asked x 2 coaches, answered, learner replied
    kept = rows_of([hers_elsewhere.pk, pauls.pk])

    skills_block.clear_student_state(
        user_id="mathilde", course_id=WORKBENCH_COURSE, item_id=identity.point_id(skills_block),
        requesting_user_id="staff",
    )

    assert not CheckinRequest.objects.filter(pk=hers.pk).exists()
    assert not CheckinMessage.objects.filter(request_id=hers.pk).exists()
    assert not Delivery.objects.filter(request_id=hers.pk).exists()
    assert rows_of(CheckinRequest.objects.values_list("pk", flat=True)) == kept, "the other requests stay whole"

    # She starts afresh at this point.
    assert ask(skills, mathilde, at=TA + timedelta(days=1), token="token-2").status == RequestStatus.OPEN


def test_clearing_the_state_of_a_learner_without_requests_changes_nothing(workbench):
    skills_block, _feasibility_block = scenario_blocks("coach_checkin.1", user="staff")
    answer(ask(skills_block.checkin_point(asking=True), Person("paul", "paul", "paul@example.com")), at=TA)
    before = snapshot()

    skills_block.clear_student_state(
        user_id="mathilde", course_id=WORKBENCH_COURSE, item_id=identity.point_id(skills_block),
        requesting_user_id="staff",
    )

    assert snapshot() == before
