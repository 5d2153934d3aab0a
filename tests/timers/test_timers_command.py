"""The `coach_notifications` management command: the timers, then every due email, once or on a loop."""
import email
import email.policy
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from story import answer, ask, reload
from story.timers import KARIM, MATHILDE, PAUL, ZOE

from coach_xblock.domain import RequestStatus
from coach_xblock.management.commands import coach_notifications
from coach_xblock.management.commands.coach_notifications import Command
from coach_xblock.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


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
    overdue = ask(point, PAUL, now=now - timedelta(days=3))
    silent = answer(ask(point, MATHILDE, now=now - timedelta(days=16)), KARIM, now=now - timedelta(days=15))
    abandoned = answer(ask(point, ZOE, now=now - timedelta(days=30)), KARIM, now=now - timedelta(days=29))

    assert run_command() == "escalated 1, nudged 1, closed 1, sent 11, reports made 0, expired 0"

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
    assert run_command() == "escalated 0, nudged 0, closed 0, sent 0, reports made 0, expired 0"
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
    ask(point, PAUL, now=timezone.now() - timedelta(days=3))
    out = StringIO()

    with pytest.raises(StopLoop):
        call_command("coach_notifications", "--interval", "60", stdout=out)

    assert waits == [60.0, 60.0]
    assert out.getvalue().splitlines() == [
        "escalated 1, nudged 0, closed 0, sent 4, reports made 0, expired 0"
    ], "the idle round is silent"
    assert len(mail.outbox) == 4


def test_the_command_help_tells_about_once_and_interval():
    help_text = Command().create_parser("manage.py", "coach_notifications").format_help()

    assert "--once" in help_text and "Do one round, then exit." in help_text
    assert "--interval" in help_text and "Seconds between two rounds" in help_text
