"""Who is told: the coaches of the point when a learner asks, the learner when a coach answers, the
coach who answered last when she replies, the webhooks of every event.

The tests of this folder take the notification outbox end to end with real receivers (conftest.py):
who is told, what they read, and that every notification arrives exactly once whatever fails on the
way. Faults are real too: a receiver that is down, answers 500, answers slower than the timeout; an
SMTP server that refuses (554 on DATA, 550 on RCPT) or is down. Nothing is mocked; the clock is driven
through the `now=` arguments of the workflow and of `notifications.deliver_due`.
"""
import dataclasses
from datetime import timedelta

import pytest
from story import COURSE, REPLY, answer, ask
from story.outbox import configured, deliveries, drain, webhook_of

from coach_xblock import notifications, workflow
from coach_xblock.models import Channel, DeliveryStatus

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- who is told


def test_asking_emails_each_coach_of_the_point_and_not_the_learner(smtp, hook, point, mathilde_, karim_, lea_, t0):
    with configured(hook):
        request = ask(point, mathilde_, now=t0)
        assert {(d.channel, d.recipient, d.event) for d in deliveries()} == {
            (Channel.EMAIL, karim_.email, "asked"),
            (Channel.EMAIL, lea_.email, "asked"),
            (Channel.WEBHOOK, hook.url, "asked"),
        }
        assert notifications.deliver_due(now=t0) == 3

    assert [m.rcpt_tos for m in smtp.messages] == [[karim_.email], [lea_.email]]
    assert smtp.to(mathilde_.email) == []
    [accepted] = hook.accepted.values()
    assert (accepted.event, accepted.body["request_id"]) == ("asked", request.pk)
    assert all(d.status == DeliveryStatus.SENT and d.sent_at == t0 for d in deliveries())


def test_a_coach_without_an_email_is_not_emailed(point, mathilde_, karim_, lea, t0):
    with configured():
        ask(dataclasses.replace(point, coaches=(karim_, lea)), mathilde_, now=t0)
        assert [d.recipient for d in deliveries()] == [karim_.email]


def test_a_coach_answer_emails_the_learner(smtp, hook, point, mathilde_, karim_, t0):
    with configured(hook):
        request = answer(ask(point, mathilde_, now=t0), karim_, now=t0 + timedelta(minutes=5))
        answered = deliveries(event="answered")
        assert {(d.channel, d.recipient) for d in answered} == {
            (Channel.EMAIL, mathilde_.email),
            (Channel.WEBHOOK, hook.url),
        }
        drain(t0 + timedelta(minutes=5), timedelta(minutes=1))

    [message] = smtp.to(mathilde_.email)
    assert message.message["X-Coach-Event"] == "answered"
    assert hook.accepted[str(webhook_of("answered").key)].body["status"] == request.status == "answered"


def test_a_learner_who_turned_answer_emails_off_gets_none_but_webhooks_still_do(
    smtp, hook, point, mathilde_, karim_, t0
):
    workflow.set_email_preferences(COURSE, mathilde_, answer_emails=False, reminder_emails=True)
    with configured(hook):
        answer(ask(point, mathilde_, now=t0), karim_, now=t0)
        assert [(d.channel, d.recipient) for d in deliveries(event="answered")] == [(Channel.WEBHOOK, hook.url)]
        drain(t0, timedelta(minutes=1))
    assert smtp.to(mathilde_.email) == []
    assert {a.event for a in hook.accepted.values()} == {"asked", "answered"}


def test_a_learner_reply_emails_only_the_coach_who_answered_last(smtp, point, mathilde_, karim_, lea_, t0):
    with configured():
        request = answer(ask(point, mathilde_, now=t0), lea_, now=t0 + timedelta(minutes=1))
        workflow.learner_reply(point, mathilde_, request.pk, REPLY, now=t0 + timedelta(minutes=2))
        assert [d.recipient for d in deliveries(event="learner_replied")] == [lea_.email]

        later = t0 + timedelta(hours=1, minutes=2)  # the follow-up's hour for Léa is over: Karim may answer
        answer(request, karim_, now=later + timedelta(minutes=1))
        workflow.learner_reply(point, mathilde_, request.pk, "And now?", now=later + timedelta(minutes=2))
        assert [d.recipient for d in deliveries(event="learner_replied")] == [lea_.email, karim_.email]
        drain(later + timedelta(minutes=3), timedelta(minutes=1))

    assert [m.message["X-Coach-Event"] for m in smtp.to(lea_.email)] == ["asked", "learner_replied"]
    assert [m.message["X-Coach-Event"] for m in smtp.to(karim_.email)] == ["asked", "learner_replied"]
    assert [m.message["X-Coach-Event"] for m in smtp.to(mathilde_.email)] == ["answered", "answered"]


def test_webhooks_get_every_event_and_emails_go_to_whom_the_readme_says(
    smtp, hook, point, mathilde_, karim_, lea_, t0
):
    hour, day = timedelta(hours=1), timedelta(days=1)
    with configured(hook):
        request = ask(point, mathilde_, now=t0)
        assert workflow.escalate_overdue(t0 + 25 * hour) == 1  # expected within 24 hours
        answer(request, karim_, now=t0 + 26 * hour)
        workflow.learner_reply(point, mathilde_, request.pk, REPLY, now=t0 + 27 * hour)
        answer(request, lea_, now=t0 + 28 * hour)
        assert workflow.nudge_and_close_silent(t0 + 28 * hour + 15 * day) == (1, 0)
        assert workflow.nudge_and_close_silent(t0 + 28 * hour + 29 * day) == (0, 1)
        drain(t0 + 28 * hour + 29 * day, timedelta(minutes=1))

    events = ["asked", "escalated", "answered", "learner_replied", "answered", "nudged", "closed"]
    webhooks = deliveries(channel=Channel.WEBHOOK)
    assert [d.event for d in webhooks] == events
    assert [hook.accepted[str(d.key)].event for d in webhooks] == events
    assert [hook.accepted[str(d.key)].body["event"] for d in webhooks] == events
    assert [m.message["X-Coach-Event"] for m in smtp.to(karim_.email)] == ["asked", "escalated", "learner_replied"]
    assert [m.message["X-Coach-Event"] for m in smtp.to(lea_.email)] == ["asked", "escalated"]
    assert [m.message["X-Coach-Event"] for m in smtp.to(mathilde_.email)] == ["answered", "answered", "nudged"]
    assert len(smtp.messages) == 8
