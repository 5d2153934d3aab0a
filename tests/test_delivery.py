"""The notification outbox, end to end with real receivers: who is told, what they read, and that
every notification arrives exactly once whatever fails on the way.

Emails go through Django's SMTP backend to a real SMTP server on loopback (aiosmtpd); webhooks
go through `requests` to a real HTTP server on loopback that checks signatures as the README
tells receivers to and processes each Idempotency-Key once (tests/receivers.py). Faults are
real too: a receiver that is down, answers 500, answers slower than the timeout; an SMTP
server that refuses (554 on DATA, 550 on RCPT) or is down. Nothing is mocked; the clock is
driven through the `now=` arguments of the workflow and of `notifications.deliver_due`.
"""
import dataclasses
import html
import json
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from receivers import SmtpReceiver, WebhookReceiver, is_genuine

from coach_xblock import notifications, workflow
from coach_xblock.conf import DEFAULTS
from coach_xblock.domain import Conflict, Person
from coach_xblock.models import Channel, CheckinRequest, Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db

COURSE = "course-v1:Demo+Career+2026"  # the course of the conftest's points
SECRET = "s3cret"
UNIT_URL = "https://lms.example.org/courses/course-v1:Demo+Career+2026/jump_to/skills?child=2&view=unit"
FROM_NAME = "Équipe coaching"
FROM_ADDRESS = "coaching@school.example"
PREFIX = "[Coach test] "

ASK = {
    "working_on": "Moving from network technician to IT trainer.",
    "stuck_on": "I know my job, but I do not know how to name my skills.",
    "tried": "An online skills test and a first draft of my list of skills.",
    "link": "https://tests.example.org/results/mathilde",
}
LEARNER_TEXTS = (ASK["working_on"], ASK["stuck_on"], ASK["tried"], ASK["link"])

#: The coach's answer and the learner's reply used by the stories below.
ANSWER = "Start from verbs: I configured, I trained... <b>then</b> group them & name them."
REPLY = "Thanks! I grouped them in three <families> & named each one."

BASE_SETTINGS = {
    "EMAIL_FROM_NAME": FROM_NAME,
    "EMAIL_FROM_ADDRESS": FROM_ADDRESS,
    "EMAIL_SUBJECT_PREFIX": PREFIX,
    "WEBHOOK_TIMEOUT_SECONDS": 0.5,
}


# ---------------------------------------------------------------- settings, receivers, people


@contextmanager
def configured(hook=None, **changes):
    """COACH_XBLOCK for a test: our sender and prefix, `hook` as the only webhook, and `changes`."""
    webhooks = [{"url": hook.url, "secret": SECRET}] if hook is not None else []
    with override_settings(COACH_XBLOCK={**BASE_SETTINGS, "WEBHOOKS": webhooks, **changes}):
        yield


@pytest.fixture(autouse=True)
def in_english():
    """Emails are matched in English, whatever language another test left active."""
    with translation.override("en"):
        yield


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
def karim_(karim):
    return dataclasses.replace(karim, email="karim@coaches.example")


@pytest.fixture
def lea_(lea):
    return dataclasses.replace(lea, email="lea@coaches.example")


@pytest.fixture
def mathilde_(mathilde):
    return dataclasses.replace(mathilde, email="mathilde@learners.example")


@pytest.fixture
def point(skills_point, karim_, lea_):
    """The skills check-in point, with its unit's address and two coaches who have an email."""
    return dataclasses.replace(skills_point, unit_url=UNIT_URL, coaches=(karim_, lea_), expected_response_hours=24)


@pytest.fixture
def webhook_point(point):
    """The same point without coaches to email: its events reach the webhooks only."""
    return dataclasses.replace(point, coaches=())


@pytest.fixture
def t0():
    """The start of the test's clock."""
    return timezone.now()


# ---------------------------------------------------------------- helpers


def ask(point, learner, token="token-1", now=None, **changes):
    return workflow.ask_for_help(point, learner, client_token=token, now=now, **{**ASK, **changes})


def answer(request, coach, body=ANSWER, now=None):
    """`coach` claims `request` and answers it."""
    workflow.claim_request(request.course_key, request.pk, coach, now=now)
    return workflow.coach_reply(request.course_key, request.pk, coach, body, now=now)


def deliveries(**filters):
    return list(Delivery.objects.filter(**filters).order_by("id"))


def email_to(address, **filters):
    """The only email delivery to `address` matching `filters`."""
    [delivery] = deliveries(channel=Channel.EMAIL, recipient=address, **filters)
    return delivery


def webhook_of(event, **filters):
    [delivery] = deliveries(channel=Channel.WEBHOOK, event=event, **filters)
    return delivery


def message_id(delivery):
    return f"<{delivery.key}@coach-xblock>"


def received(smtp, delivery):
    """The one message the SMTP server accepted for `delivery`."""
    messages = [m for m in smtp.messages if m.message_id == message_id(delivery)]
    assert len(messages) == 1, f"{len(messages)} messages arrived for {delivery}"
    return messages[0]


def reload(delivery):
    return Delivery.objects.get(pk=delivery.pk)


def snapshot():
    return list(Delivery.objects.order_by("pk").values())


def drain(now, step, max_rounds=200, limit=10_000):
    """Delivery rounds, `step` apart, until nothing is pending; the clock after the last round."""
    for _round in range(max_rounds):
        if not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists():
            return now
        notifications.deliver_due(now=now, limit=limit)
        now += step
    raise AssertionError(f"still pending after {max_rounds} rounds: {deliveries(status=DeliveryStatus.PENDING)}")


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

        answer(request, karim_, now=t0 + timedelta(minutes=3))
        workflow.learner_reply(point, mathilde_, request.pk, "And now?", now=t0 + timedelta(minutes=4))
        assert [d.recipient for d in deliveries(event="learner_replied")] == [lea_.email, karim_.email]
        drain(t0 + timedelta(minutes=5), timedelta(minutes=1))

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


# ---------------------------------------------------------------- what the emails say


def test_an_email_has_the_prefix_the_sender_and_the_link_back_to_the_unit(smtp, point, mathilde_, karim_, t0):
    with configured():
        ask(point, mathilde_, now=t0)
        notifications.deliver_due(now=t0)
        delivery = email_to(karim_.email)
        subject, _text, _html = notifications.render_email(delivery)
    message = received(smtp, delivery)

    assert message.subject == subject
    assert subject.startswith(PREFIX) and "Mathilde" in subject and "“Naming my skills”" in subject
    [sender] = message.message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (FROM_NAME, FROM_ADDRESS)
    assert message.mail_from == FROM_ADDRESS
    [to] = message.message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Karim", karim_.email)
    assert message.message_id == f"<{delivery.key}@coach-xblock>"
    assert message.message["X-Coach-Event"] == "asked"
    assert "Hello Karim," in message.text
    assert f"Claim it in the coach queue: {UNIT_URL}" in message.text
    assert f'<a href="{html.escape(UNIT_URL)}"' in message.html
    assert "Hello Karim," in message.html


def test_the_learner_sees_the_link_back_to_the_unit_in_both_parts(smtp, point, mathilde_, karim_, t0):
    with configured():
        answer(ask(point, mathilde_, now=t0), karim_, now=t0)
        notifications.deliver_due(now=t0)
    [message] = smtp.to(mathilde_.email)
    assert message.subject.startswith(PREFIX) and "“Naming my skills”" in message.subject
    assert f"Read it, reply or mark it resolved: {UNIT_URL}" in message.text
    assert f'<a href="{html.escape(UNIT_URL)}"' in message.html


SCRIPT = "My CV says <script>alert('x')</script> & \"IT trainer\": how do I name <b>skills</b>?"


def test_texts_people_wrote_are_escaped_in_html_and_verbatim_in_text(smtp, point, mathilde_, karim_, lea_, t0):
    with configured():
        request = ask(point, mathilde_, now=t0, stuck_on=SCRIPT)
        answer(request, lea_, body=f"Answer: {SCRIPT}", now=t0)
        workflow.learner_reply(point, mathilde_, request.pk, f"Reply: {SCRIPT}", now=t0)
        notifications.deliver_due(now=t0)

    [asked] = smtp.to(karim_.email)
    [answered] = smtp.to(mathilde_.email)
    replied = smtp.to(lea_.email)[-1]
    for message, text in ((asked, SCRIPT), (answered, f"Answer: {SCRIPT}"), (replied, f"Reply: {SCRIPT}")):
        assert text in message.text
        assert "<script>" not in message.html and "<b>skills" not in message.html
        assert html.escape(text) in message.html  # &lt;script&gt;alert(&#x27;x&#x27;)... &amp; &quot;IT trainer&quot;
        assert "&lt;script&gt;" in message.html


MULTILINE = "First, my job: network technician.\nSecond, my goal: IT trainer.\n\nWhere do I start?"


def test_the_learner_line_breaks_survive_in_the_coach_email(smtp, point, mathilde_, karim_, t0):
    with configured():
        ask(point, mathilde_, now=t0, stuck_on=MULTILINE)
        notifications.deliver_due(now=t0)
    [message] = smtp.to(karim_.email)
    assert "network technician.\nSecond" in message.text
    assert "network technician.<br>Second" in message.html


def test_a_learner_who_asked_in_french_reads_the_answer_email_in_french(smtp, point, mathilde_, karim_, t0):
    with configured():
        with translation.override("fr"):
            request = ask(point, mathilde_, now=t0)
        answer(request, karim_, now=t0)  # the coach works in English
        notifications.deliver_due(now=t0)
    assert request.language == "fr"
    assert email_to(mathilde_.email).language == "fr"
    assert email_to(karim_.email).language == ""  # the coaches' emails: the site's language
    [message] = smtp.to(mathilde_.email)
    assert '<html lang="fr">' in message.html
    assert "Bonjour Mathilde," in message.text and "Bonjour Mathilde," in message.html
    for english in ("A coach answered you", "answered your request", "Read it, reply or mark it resolved", "Hello"):
        assert english not in message.subject + message.text + message.html
    [to_coach] = smtp.to(karim_.email)
    assert "Hello Karim," in to_coach.text


def test_an_answer_email_delayed_by_retries_still_tells_its_own_answer(smtp, point, mathilde_, karim_, lea_, t0):
    smtp.stop()  # the first answer's email cannot leave yet
    with configured(DELIVERY_RETRY_BASE_SECONDS=60):
        request = answer(ask(point, mathilde_, now=t0), karim_, body="First answer, by Karim.", now=t0)
        notifications.deliver_due(now=t0)
        workflow.learner_reply(point, mathilde_, request.pk, REPLY, now=t0 + timedelta(seconds=10))
        answer(request, lea_, body="Second answer, by Léa.", now=t0 + timedelta(seconds=20))
        smtp.start()
        drain(t0 + timedelta(minutes=5), timedelta(minutes=1))
    first, second = deliveries(channel=Channel.EMAIL, recipient=mathilde_.email)
    assert "Second answer, by Léa." in received(smtp, second).text
    assert "First answer, by Karim." in received(smtp, first).text
    assert "Karim answered your request" in received(smtp, first).text


# ---------------------------------------------------------------- what the webhooks say


def test_the_webhook_body_carries_the_event_and_no_learner_text(smtp, hook, point, mathilde_, karim_, t0):
    statuses = []
    with configured(hook):
        request = ask(point, mathilde_, now=t0, stuck_on=SCRIPT)
        statuses.append(request.status)
        notifications.deliver_due(now=t0)
        request = answer(request, karim_, now=t0)
        statuses.append(request.status)
        notifications.deliver_due(now=t0)
        request = workflow.learner_reply(point, mathilde_, request.pk, REPLY, now=t0)
        statuses.append(request.status)
        notifications.deliver_due(now=t0)

    private = (*LEARNER_TEXTS[:1], *LEARNER_TEXTS[2:], SCRIPT, "alert", ANSWER, "Start from verbs", REPLY,
               "families", mathilde_.display_name, mathilde_.email, karim_.email)
    webhooks = deliveries(channel=Channel.WEBHOOK)
    assert [d.event for d in webhooks] == ["asked", "answered", "learner_replied"]
    assert statuses == ["open", "answered", "open"]
    for delivery, status in zip(webhooks, statuses, strict=True):
        accepted = hook.accepted[str(delivery.key)]
        body = json.loads(accepted.raw_body)
        assert {key: body[key] for key in ("event", "delivery_id", "request_id", "course_key", "status")} == {
            "event": delivery.event, "delivery_id": str(delivery.key), "request_id": request.pk,
            "course_key": COURSE, "status": status,
        }
        assert body["point_id"] == point.point_id and body["unit_url"] == UNIT_URL
        assert accepted.key == body["delivery_id"] and accepted.event == delivery.event
        raw = accepted.raw_body.decode()
        for text in private:
            assert text not in raw and json.dumps(text)[1:-1] not in raw
        for field in ("working_on", "stuck_on", "tried", "link", "learner_name", "learner_email", "messages"):
            assert field not in body
        assert not set(notifications.webhook_body(delivery)) & {"working_on", "stuck_on", "tried", "link"}
    assert hook.bad_signatures == []


def test_the_signature_is_the_hmac_the_readme_tells_receivers_to_check(smtp, hook, point, mathilde_, t0):
    with configured(hook):
        ask(point, mathilde_, now=t0)
        notifications.deliver_due(now=t0)
    [hit] = hook.hits
    assert hit.headers["Content-Type"] == "application/json"
    assert hit.headers["X-Coach-Signature"] == notifications.sign(hit.raw_body, SECRET)
    assert is_genuine(hit.raw_body, hit.headers["X-Coach-Signature"], SECRET)
    assert not is_genuine(hit.raw_body, hit.headers["X-Coach-Signature"], "another secret")
    assert not is_genuine(hit.raw_body + b" ", hit.headers["X-Coach-Signature"], SECRET)


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


@pytest.fixture
def superuser_client(client, django_user_model):
    """The Django test client, logged in as a superuser."""
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.com", "pw"))
    return client


CHANGELIST = "/admin/coach_xblock/delivery/"


def test_a_failed_delivery_shows_in_the_admin_and_is_sent_again_from_it(
    smtp, hook, superuser_client, point, mathilde_, karim_, lea_, paul, t0
):
    hook.fail_status, smtp.refuse = 500, "data"
    with configured(hook, DELIVERY_MAX_ATTEMPTS=1):
        ask(point, mathilde_, now=t0)
        notifications.deliver_due(now=t0)
        assert {d.status for d in deliveries()} == {DeliveryStatus.FAILED}
        hook.fail_status, smtp.refuse = None, None
        ask(point, dataclasses.replace(paul, email="paul@learners.example"), now=t0)
        notifications.deliver_due(now=t0)
        sent = deliveries(status=DeliveryStatus.SENT)
        assert len(sent) == 3

        page = superuser_client.get(CHANGELIST, {"status__exact": "failed"})
        assert page.status_code == 200
        content = page.content.decode()
        assert "SMTPDataError: (554" in content
        assert "HTTPError: 500 Server Error" in content
        assert karim_.email in content and lea_.email in content
        failed = deliveries(status=DeliveryStatus.FAILED)
        for delivery in failed:
            assert f'name="_selected_action" value="{delivery.pk}"' in content
        for delivery in sent:
            assert f'name="_selected_action" value="{delivery.pk}"' not in content

        sent_rows = Delivery.objects.filter(pk__in=[d.pk for d in sent]).order_by("pk").values
        sent_before = list(sent_rows())
        response = superuser_client.post(
            CHANGELIST, {"action": "send_again", "_selected_action": [d.pk for d in failed + sent]}
        )
        assert response.status_code == 302
        assert "3 deliveries will be sent again." in superuser_client.get(response.url).content.decode()
        assert [(d.status, d.attempts) for d in deliveries(pk__in=[d.pk for d in failed])] == [
            (DeliveryStatus.PENDING, 0)
        ] * 3
        assert list(sent_rows()) == sent_before  # sent ones: untouched
        assert notifications.deliver_due() == 3  # the admin resends for "now", the real clock

    assert {d.status for d in deliveries()} == {DeliveryStatus.SENT}
    assert smtp.message_ids() == {message_id(d): 1 for d in deliveries(channel=Channel.EMAIL)}
    assert sorted(hook.accepted) == sorted(str(d.key) for d in deliveries(channel=Channel.WEBHOOK))
    assert not hook.duplicates
    assert not superuser_client.get(CHANGELIST, {"status__exact": "failed"}).context["cl"].result_count


def test_a_sent_delivery_is_never_sent_again(smtp, hook, point, mathilde_, t0):
    with configured(hook):
        ask(point, mathilde_, now=t0)
        assert notifications.deliver_due(now=t0) == 3
        before = snapshot()
        assert notifications.resend(Delivery.objects.all(), now=t0) == 0
        assert snapshot() == before
        for later in (timedelta(0), timedelta(hours=1), timedelta(days=30)):
            assert notifications.deliver_due(now=t0 + later) == 0
        assert snapshot() == before
    assert len(smtp.messages) == 2 and len(hook.hits) == 1


def test_a_leased_delivery_is_skipped_until_its_lease_runs_out(smtp, point, mathilde_, karim_, t0):
    with configured(DELIVERY_LEASE_SECONDS=300):
        ask(point, mathilde_, now=t0)
        delivery = email_to(karim_.email)
        assert notifications._lease(delivery.pk, t0)  # another worker took it and is sending it
        assert not notifications._lease(delivery.pk, t0)  # ... so a second one cannot
        assert notifications.deliver_due(now=t0) == 1  # the other coach's email only
        assert notifications.deliver_due(now=t0 + timedelta(seconds=299)) == 0
        assert reload(delivery).attempts == 0
        assert [m.rcpt_tos for m in smtp.messages] == [["lea@coaches.example"]]
        # The other worker died without a word: once its lease ran out, the delivery is due again.
        assert notifications.deliver_due(now=t0 + timedelta(seconds=300)) == 1
    assert reload(delivery).status == DeliveryStatus.SENT
    assert smtp.message_ids()[message_id(delivery)] == 1


# ---------------------------------------------------------------- the outbox and the transaction


def test_a_rolled_back_ask_leaves_neither_the_request_nor_its_deliveries(point, mathilde_, t0):
    class Abort(Exception):
        pass

    with configured(WEBHOOKS=[{"url": "http://127.0.0.1:9/hook", "secret": SECRET}]):
        with pytest.raises(Abort), transaction.atomic():
            request = ask(point, mathilde_, now=t0)
            assert Delivery.objects.filter(request=request).count() == 3  # written with the request...
            raise Abort
    assert not CheckinRequest.objects.exists()  # ... and gone with it
    assert not Delivery.objects.exists()


def test_a_refused_action_writes_no_delivery(smtp, point, mathilde_, karim_, lea_, t0):
    with configured():
        request = ask(point, mathilde_, token="first", now=t0)
        before = snapshot()
        assert len(before) == 2
        assert ask(point, mathilde_, token="first", now=t0).pk == request.pk  # a double click: no second ask
        with pytest.raises(Conflict):
            ask(point, mathilde_, token="second", now=t0)  # beyond max_open_requests
        with pytest.raises(Conflict):
            workflow.coach_reply(COURSE, request.pk, karim_, ANSWER, now=t0)  # not claimed
        workflow.claim_request(COURSE, request.pk, karim_, now=t0)
        with pytest.raises(Conflict):
            workflow.coach_reply(COURSE, request.pk, lea_, ANSWER, now=t0)  # Karim's claim
        with pytest.raises(Conflict):
            workflow.learner_reply(point, mathilde_, request.pk, REPLY, now=t0)  # not answered yet
        assert snapshot() == before


# ---------------------------------------------------------------- everything at once, under faults


@pytest.mark.slow
def test_over_500_events_through_every_fault_each_notification_arrives_exactly_once(
    smtp, hook_down, point, karim_, lea_, t0
):
    started = time.monotonic()
    hook = hook_down
    step = timedelta(seconds=8)
    clock = [t0]
    coaches = (karim_, lea_)
    learners = [Person(f"anon-{i:03d}", f"Learner {i}", f"learner{i:03d}@learners.example") for i in range(300)]
    requests, events, errors_seen = {}, [], {}

    def tick():
        clock[0] += step
        return clock[0]

    def asks(numbers):
        for i in numbers:
            requests[i] = ask(point, learners[i], token=f"t-{i}", now=tick(),
                              stuck_on=f"Learner {i} is stuck: <script>secret-{i}</script> naming skills.")
            events.append(("asked", i))

    def answers(numbers):
        for i in numbers:
            requests[i] = answer(requests[i], coaches[i % 2], body=f"Coach answer {i}: private-{i}", now=tick())
            events.append(("answered", i))

    def replies(numbers):
        for i in numbers:
            requests[i] = workflow.learner_reply(point, learners[i], requests[i].pk, f"Reply {i}: private-{i}",
                                                 now=tick())
            events.append(("learner_replied", i))

    def rounds(count, fault, expected_error):
        """Delivery rounds under `fault`; check the fault was met: some delivery waits with that error."""
        for _round in range(count):
            notifications.deliver_due(now=tick(), limit=10_000)
        waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING, last_error__contains=expected_error)
        errors_seen[fault] = waiting.count()
        assert errors_seen[fault], f"the fault '{fault}' was never met"

    for i in range(0, 300, 10):  # one learner in ten turned the answer emails off
        workflow.set_email_preferences(COURSE, learners[i], answer_emails=False, reminder_emails=True)

    with configured(hook, DELIVERY_MAX_ATTEMPTS=1000, DELIVERY_RETRY_BASE_SECONDS=1,
                    DELIVERY_RETRY_MAX_SECONDS=step.seconds, WEBHOOK_TIMEOUT_SECONDS=0.5):
        # 1. The webhook receiver is down.
        asks(range(0, 60))
        answers(range(0, 20))
        rounds(2, "webhook receiver down", "ConnectionError: ")
        # 2. It is up, but answers 500.
        hook.start()
        hook.fail_status = 500
        asks(range(60, 120))
        answers(range(20, 50))
        replies(range(0, 10))
        rounds(2, "webhook answers 500", "HTTPError: 500 Server Error")
        # 3. It answers, but the first few answers come after the timeout (though it processed them).
        hook.fail_status = None
        hook.slow_next, hook.slow_seconds = 4, 1.5
        asks(range(120, 180))
        answers(range(50, 80))
        rounds(1, "webhook slower than the timeout", "ReadTimeout: ")
        # 4. The SMTP server refuses: 554 on DATA, then 550 on RCPT.
        smtp.refuse = "data"
        asks(range(180, 240))
        answers(range(80, 110))
        replies(range(10, 30))
        rounds(2, "SMTP 554 on DATA", "SMTPDataError: (554")
        smtp.refuse = "rcpt"
        rounds(1, "SMTP 550 on RCPT", "(550, b'5.1.1")
        # 5. The SMTP server is down.
        smtp.stop()
        asks(range(240, 300))
        answers(range(110, 150))
        replies(range(30, 50))
        rounds(2, "SMTP down", "ConnectionRefusedError: ")
        # Every fault cleared: rounds until nothing is pending.
        smtp.refuse = None
        smtp.start()
        drain(tick(), step)

    everything = deliveries()
    emails = [d for d in everything if d.channel == Channel.EMAIL]
    webhooks = [d for d in everything if d.channel == Channel.WEBHOOK]
    print(f"\n{len(events)} events, {len(everything)} deliveries ({len(emails)} emails, {len(webhooks)} webhooks), "
          f"{len(hook.hits)} HTTP requests, {sum(hook.duplicates.values())} duplicates deduped, "
          f"faults met: {errors_seen}, {time.monotonic() - started:.1f} s")

    assert len(events) >= 500 and len(everything) >= 500
    # Who: 2 coaches + 1 webhook per ask; the learner (unless opted out) + 1 webhook per answer;
    # the coach who answered + 1 webhook per reply.
    opted_out = sum(1 for _event, i in events if _event == "answered" and i % 10 == 0)
    assert len(everything) == 3 * 300 + 2 * 150 - opted_out + 2 * 50
    assert len(webhooks) == len(events)

    # Every delivery sent, after retries.
    assert {d.status for d in everything} == {DeliveryStatus.SENT}
    assert max(d.attempts for d in everything) > 1

    # Every email arrived exactly once, to its recipient, and nothing else arrived.
    assert smtp.message_ids() == {message_id(d): 1 for d in emails}
    by_id = {m.message_id: m for m in smtp.messages}
    for delivery in emails:
        message = by_id[message_id(delivery)]
        assert message.rcpt_tos == [delivery.recipient]
        assert message.message["X-Coach-Event"] == delivery.event

    # Every webhook key arrived and was processed exactly once, signed, carrying its event.
    assert hook.bad_signatures == []
    assert all(is_genuine(hit.raw_body, hit.headers.get("X-Coach-Signature"), SECRET) for hit in hook.hits)
    assert sorted(hook.accepted) == sorted(str(d.key) for d in webhooks)
    for delivery in webhooks:
        accepted = hook.accepted[str(delivery.key)]
        assert accepted.event == accepted.body["event"] == delivery.event
        assert accepted.body["delivery_id"] == str(delivery.key)
        assert accepted.body["request_id"] == delivery.request_id
    # Duplicates at the HTTP level: only the slow answers' retries, each deduped by its key.
    assert len(hook.slow_keys) == 4
    assert hook.duplicates == {key: 1 for key in hook.slow_keys}
    # No learner or coach text in any webhook that left.
    assert not [hit for hit in hook.hits if b"secret-" in hit.raw_body or b"private-" in hit.raw_body]
