"""Real receivers for the notifications (tests/receivers.py), and the people and point they are about.

Emails go through Django's SMTP backend to a real SMTP server on loopback (aiosmtpd); webhooks go
through `requests` to a real HTTP server on loopback that checks signatures as the README tells
receivers to and processes each Idempotency-Key once.
"""
import dataclasses

import pytest
from django.core import mail
from django.test import override_settings
from receivers import SmtpReceiver, WebhookReceiver
from story import reachable
from story.outbox import SECRET, UNIT_URL


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    receiver = SmtpReceiver()
    receiver.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=receiver.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
        ):
            yield receiver
    finally:
        receiver.stop()
    assert mail.outbox == [], "an email went to Django's locmem outbox instead of the SMTP server"


@pytest.fixture
def hook_down():
    """A webhook receiver that is not started yet: its port refuses connections."""
    receiver = WebhookReceiver(SECRET)
    yield receiver
    receiver.stop()


@pytest.fixture
def hook(hook_down):
    """A running webhook receiver."""
    hook_down.start()
    return hook_down


@pytest.fixture
def karim_():
    return reachable("karim")


@pytest.fixture
def lea_():
    return reachable("lea")


@pytest.fixture
def mathilde_():
    return reachable("mathilde")


@pytest.fixture
def point(skills_point, karim_, lea_):
    """The skills check-in point, with its unit's address and two coaches who have an email."""
    return dataclasses.replace(skills_point, unit_url=UNIT_URL, coaches=(karim_, lea_), expected_response_hours=24)


@pytest.fixture
def webhook_point(point):
    """The same point without coaches to email: its events reach the webhooks only."""
    return dataclasses.replace(point, coaches=())
