"""The notification outbox (coach_xblock.models.Delivery): what the story's actions left in it, and how the
delivery tests configure, read and drain it."""
from contextlib import contextmanager

from django.test import override_settings

from coach_xblock import notifications
from coach_xblock.models import Channel, Delivery, DeliveryStatus

SECRET = "s3cret"  # the secret of the webhook receivers (tests/receivers.py)
UNIT_URL = "https://lms.example.org/courses/course-v1:Demo+Career+2026/jump_to/skills?child=2&view=unit"
FROM_NAME = "Équipe coaching"
FROM_ADDRESS = "coaching@school.example"
PREFIX = "[Coach test] "

BASE_SETTINGS = {
    "EMAIL_FROM_NAME": FROM_NAME,
    "EMAIL_FROM_ADDRESS": FROM_ADDRESS,
    "EMAIL_SUBJECT_PREFIX": PREFIX,
    "WEBHOOK_TIMEOUT_SECONDS": 0.5,
}


@contextmanager
def configured(hook=None, **changes):
    """COACH_XBLOCK for a test: our sender and prefix, `hook` as the only webhook, and `changes`."""
    webhooks = [{"url": hook.url, "secret": SECRET}] if hook is not None else []
    with override_settings(COACH_XBLOCK={**BASE_SETTINGS, "WEBHOOKS": webhooks, **changes}):
        yield


def deliveries(**filters):
    """The deliveries matching `filters`, in the order they were written."""
    return list(Delivery.objects.filter(**filters).order_by("id"))


def sent_about(event, request=None):
    """The deliveries an event wrote (about `request`), as a set of (channel, recipient, recipient_name)."""
    rows = Delivery.objects.filter(event=event)
    if request is not None:
        rows = rows.filter(request_id=request.pk)
    return {(d.channel, d.recipient, d.recipient_name) for d in rows}


def count_about(event, request=None):
    """How many deliveries an event wrote (about `request`)."""
    rows = Delivery.objects.filter(event=event)
    return rows.filter(request_id=request.pk).count() if request is not None else rows.count()


def email_to(address, **filters):
    """The only email delivery to `address` matching `filters`."""
    [delivery] = deliveries(channel=Channel.EMAIL, recipient=address, **filters)
    return delivery


def webhook_of(event, **filters):
    """The only webhook delivery of `event` matching `filters`."""
    [delivery] = deliveries(channel=Channel.WEBHOOK, event=event, **filters)
    return delivery


def message_id(delivery):
    """The Message-ID of the email of `delivery`."""
    return f"<{delivery.key}@coach-xblock>"


def received(smtp, delivery):
    """The one message the SMTP server (a receivers.SmtpReceiver) accepted for `delivery`."""
    messages = [m for m in smtp.messages if m.message_id == message_id(delivery)]
    assert len(messages) == 1, f"{len(messages)} messages arrived for {delivery}"
    return messages[0]


def drain(now, step, max_rounds=200, limit=10_000):
    """Delivery rounds, `step` apart, until nothing is pending; the clock after the last round."""
    for _round in range(max_rounds):
        if not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists():
            return now
        notifications.deliver_due(now=now, limit=limit)
        now += step
    raise AssertionError(f"still pending after {max_rounds} rounds: {deliveries(status=DeliveryStatus.PENDING)}")
