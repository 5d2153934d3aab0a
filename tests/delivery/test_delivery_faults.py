"""Each fault alone, then retries: a webhook receiver down, answering 500 or too slow, an SMTP server
refusing or down; the backoff between attempts, and a delivery failed after its last one."""
from datetime import timedelta

import pytest
from django.test import override_settings
from story import ask, reload
from story.outbox import configured, deliveries, email_to, message_id, webhook_of

from coach_xblock import notifications
from coach_xblock.conf import DEFAULTS
from coach_xblock.models import DeliveryStatus

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- each fault, alone


def test_a_webhook_receiver_that_is_down_gets_the_delivery_once_it_is_up(hook_down, webhook_point, mathilde_, t0):
    with configured(hook_down):
        ask(webhook_point, mathilde_, now=t0)
        assert notifications.deliver_due(now=t0) == 0
        delivery = reload(webhook_of("asked"))
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert delivery.last_error.startswith("ConnectionError")

        hook_down.start()
        assert notifications.deliver_due(now=t0 + notifications.backoff(1)) == 1
    delivery = reload(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert list(hook_down.accepted) == [str(delivery.key)]


def test_a_webhook_answered_500_is_retried_then_sent_once(hook, webhook_point, mathilde_, t0):
    hook.fail_status = 500
    with configured(hook):
        ask(webhook_point, mathilde_, now=t0)
        now = t0
        for attempt in (1, 2):
            assert notifications.deliver_due(now=now) == 0
            delivery = reload(webhook_of("asked"))
            assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, attempt)
            assert delivery.last_error.startswith("HTTPError: 500 Server Error")
            now += notifications.backoff(attempt)
        hook.fail_status = None
        assert notifications.deliver_due(now=now) == 1
    assert reload(delivery).status == DeliveryStatus.SENT
    assert len(hook.hits_of(str(delivery.key))) == 3
    assert list(hook.accepted) == [str(delivery.key)] and not hook.duplicates


def test_a_webhook_receiver_slower_than_the_timeout_is_retried_and_accepts_the_key_once(
    hook, webhook_point, mathilde_, t0
):
    hook.slow_next, hook.slow_seconds = 1, 1.5
    with configured(hook, WEBHOOK_TIMEOUT_SECONDS=0.5):
        ask(webhook_point, mathilde_, now=t0)
        assert notifications.deliver_due(now=t0) == 0
        delivery = reload(webhook_of("asked"))
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert "ReadTimeout" in delivery.last_error
        assert list(hook.accepted) == [str(delivery.key)]  # it did arrive: the sender could not know

        assert notifications.deliver_due(now=t0 + notifications.backoff(1)) == 1
    assert reload(delivery).status == DeliveryStatus.SENT
    assert len(hook.hits_of(str(delivery.key))) == 2
    assert list(hook.accepted) == [str(delivery.key)]
    assert hook.duplicates == {str(delivery.key): 1}


@pytest.mark.parametrize(
    ("refuse", "error"),
    [("data", "SMTPDataError: (554, b'Transaction failed')"), ("rcpt", "SMTPRecipientsRefused")],
    ids=["554-on-data", "550-on-rcpt"],
)
def test_an_smtp_server_that_refuses_gets_the_email_once_it_accepts(smtp, point, mathilde_, karim_, t0, refuse,
                                                                    error):
    smtp.refuse = refuse
    with configured():
        ask(point, mathilde_, now=t0)
        assert notifications.deliver_due(now=t0) == 0
        delivery = reload(email_to(karim_.email))
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert delivery.last_error.startswith(error)
        assert ("554" if refuse == "data" else "550") in delivery.last_error
        assert smtp.messages == [] and smtp.refused == 2

        smtp.refuse = None
        assert notifications.deliver_due(now=t0 + notifications.backoff(1)) == 2
    assert reload(delivery).status == DeliveryStatus.SENT
    assert smtp.message_ids()[message_id(delivery)] == 1 and len(smtp.messages) == 2


def test_an_smtp_server_that_is_down_gets_the_email_once_it_is_up(smtp, point, mathilde_, karim_, t0):
    smtp.stop()
    with configured():
        ask(point, mathilde_, now=t0)
        assert notifications.deliver_due(now=t0) == 0
        delivery = reload(email_to(karim_.email))
        assert delivery.last_error.startswith("ConnectionRefusedError")
        smtp.start()
        assert notifications.deliver_due(now=t0 + notifications.backoff(1)) == 2
    assert reload(delivery).status == DeliveryStatus.SENT
    assert smtp.message_ids() == {message_id(d): 1 for d in deliveries()}


# ---------------------------------------------------------------- retries, failure, resending


def test_backoff_doubles_from_the_base_up_to_the_maximum():
    with override_settings(COACH_XBLOCK={}):
        assert DEFAULTS["DELIVERY_RETRY_BASE_SECONDS"] == 30 and DEFAULTS["DELIVERY_RETRY_MAX_SECONDS"] == 3600
        assert [notifications.backoff(n).total_seconds() for n in range(1, 10)] == [
            30, 60, 120, 240, 480, 960, 1920, 3600, 3600,
        ]
    with configured(DELIVERY_RETRY_BASE_SECONDS=2, DELIVERY_RETRY_MAX_SECONDS=10):
        assert [notifications.backoff(n).total_seconds() for n in range(1, 6)] == [2, 4, 8, 10, 10]


def test_each_failure_waits_its_backoff_and_a_delivery_not_yet_due_is_not_attempted(
    hook, webhook_point, mathilde_, t0
):
    hook.fail_status = 500
    second = timedelta(seconds=1)
    with configured(hook, DELIVERY_RETRY_BASE_SECONDS=30, DELIVERY_RETRY_MAX_SECONDS=100, DELIVERY_MAX_ATTEMPTS=10):
        ask(webhook_point, mathilde_, now=t0)
        delivery = webhook_of("asked")
        now = t0
        for attempts, wait in ((1, 30), (2, 60), (3, 100), (4, 100)):
            notifications.deliver_due(now=now)
            delivery = reload(delivery)
            assert (delivery.attempts, delivery.next_attempt_at) == (attempts, now + timedelta(seconds=wait))
            hits = len(hook.hits)
            notifications.deliver_due(now=delivery.next_attempt_at - second)  # not yet due
            assert len(hook.hits) == hits and reload(delivery).attempts == attempts
            now = delivery.next_attempt_at
        assert len(hook.hits) == 4 and reload(delivery).status == DeliveryStatus.PENDING


def test_after_its_last_attempt_a_delivery_is_failed_with_its_cause(smtp, hook, point, mathilde_, karim_, t0):
    hook.fail_status, smtp.refuse = 500, "data"
    with configured(hook, DELIVERY_MAX_ATTEMPTS=3):
        ask(point, mathilde_, now=t0)
        now = t0
        for _attempt in range(3):
            notifications.deliver_due(now=now)
            now += timedelta(hours=2)
        for delivery in deliveries():
            assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
        assert reload(webhook_of("asked")).last_error.startswith("HTTPError: 500 Server Error")
        assert "554" in reload(email_to(karim_.email)).last_error
        hits, refused = len(hook.hits), smtp.refused
        notifications.deliver_due(now=now + timedelta(days=30))  # a failed delivery is not retried by itself
    assert (len(hook.hits), smtp.refused) == (hits, refused) == (3, 6)
