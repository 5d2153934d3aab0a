"""Who must know what, and getting it to them: the outbox and its worker.

`record` writes the deliveries an event causes, inside the caller's transaction (the same
one that changes the request), so a change and its notifications commit or vanish together.
`deliver_due` sends what is due: emails through Django's email framework, webhooks as a JSON
POST signed with HMAC-SHA256. A failure is retried with exponential backoff up to
DELIVERY_MAX_ATTEMPTS, then the delivery is marked failed (visible and re-sendable in the
Django admin). A delivery is leased before it is sent, so two workers never send it twice,
and once marked sent it is never sent again.

In Open edX (USE_CELERY) each commit that wrote deliveries queues the Celery task
`coach_xblock.deliver_notifications` by its name (`coach_xblock.tasks` defines it over this module,
which never imports it); the `coach_notifications` management command does the same work on a loop,
and runs the timers (escalation, nudge, closing) too.
"""
import hashlib
import hmac
import json
import logging
import re
from datetime import timedelta
from email.utils import formataddr

import requests as http
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .conf import DEFAULTS, setting
from .i18n import pgettext
from .models import Channel, Delivery, DeliveryStatus, LearnerPreference

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Coach-Signature"
EVENT_HEADER = "X-Coach-Event"

ASKED = "asked"
LEARNER_REPLIED = "learner_replied"
ANSWERED = "answered"
ESCALATED = "escalated"
NUDGED = "nudged"
CLOSED = "closed"
ASKED_AGAIN = "asked_again"  # the coaching did not help: the learner asks again, for another coach
NOT_HELPED = "not_helped"  # the coaching did not help: the learner closed the request
EVENTS = (ASKED, LEARNER_REPLIED, ANSWERED, ESCALATED, NUDGED, CLOSED, ASKED_AGAIN, NOT_HELPED)

# The Celery task sending what is due, as `coach_xblock.tasks` registers it and a commit queues it.
DELIVER_TASK = "coach_xblock.deliver_notifications"


def _coach_recipients(request):
    """(address, name, language) of the request's coaches: each in the language recorded for them when the
    learner asked (their own choice, else the course's), "" (the site's) when none was."""
    return [
        (coach["email"], coach.get("name", ""), coach.get("language", ""))
        for coach in request.coaches if coach.get("email")
    ]


def _coach_language(request, address):
    """The language recorded for the coach of `address` among the request's coaches; "" (the site's) if none."""
    return next((coach.get("language", "") for coach in request.coaches if coach.get("email") == address), "")


def _learner_wants(request, preference):
    prefs = LearnerPreference.objects.filter(course_key=request.course_key, learner_id=request.learner_id).first()
    return prefs is None or getattr(prefs, preference)


def _email_recipients(request, event):
    """(address, name, language) of the people `event` must reach."""
    learner = [(request.learner_email, request.learner_name, request.language)] if request.learner_email else []
    if event in (ASKED, ESCALATED, ASKED_AGAIN):
        return _coach_recipients(request)
    if event in (LEARNER_REPLIED, NOT_HELPED):
        if request.last_coach_email:
            return [(request.last_coach_email, request.last_coach_name,
                     _coach_language(request, request.last_coach_email))]
        return _coach_recipients(request)
    if event == ANSWERED:
        return learner if _learner_wants(request, "answer_emails") else []
    if event == NUDGED:
        return learner if _learner_wants(request, "reminder_emails") else []
    return []


def record(request, event, now, message=None):
    """Write the deliveries `event` on `request` causes; call inside the transaction of the change.

    `message` is the thread message the event is about (an answer, a reply): emails quote it,
    even when they are sent after later messages.
    """
    common = {"request": request, "message": message, "event": event, "request_status": request.status,
              "created_at": now, "next_attempt_at": now}
    rows = [
        Delivery(channel=Channel.EMAIL, recipient=address, recipient_name=name, language=language, **common)
        for address, name, language in _email_recipients(request, event)
    ]
    rows += [Delivery(channel=Channel.WEBHOOK, recipient=hook["url"], **common) for hook in setting("WEBHOOKS")]
    _save(rows)


def reroute_to_coaches(deliveries, now):
    """Address these unsent emails, meant for a coach who left, to the coaches of their requests instead.

    Call inside the transaction that removes the coach from the requests' coach lists.
    """
    rows = [
        Delivery(request=delivery.request, message_id=delivery.message_id, event=delivery.event,
                 request_status=delivery.request_status, channel=Channel.EMAIL, recipient=address,
                 recipient_name=name, language=language, created_at=now, next_attempt_at=now)
        for delivery in deliveries.filter(channel=Channel.EMAIL).select_related("request")
        for address, name, language in _coach_recipients(delivery.request)
    ]
    _save(rows)


def _save(rows):
    """Write these deliveries; with Celery, have a worker send them once the transaction commits."""
    Delivery.objects.bulk_create(rows)
    if rows and setting("USE_CELERY"):
        # robust: a broker outage must not turn a saved change into an error; the deliveries stay
        # pending for the next task or the `coach_notifications` command.
        transaction.on_commit(_queue_delivery, robust=True)


def _queue_delivery():
    """Queue the task DELIVER_TASK by its name: run as its registered task where this process has
    imported it (so Celery's eager mode still runs it here), sent to the broker otherwise."""
    from celery import signature  # only where USE_CELERY is set, which Celery comes with

    signature(DELIVER_TASK).delay()


# Sending


def webhook_body(delivery):
    """The JSON a webhook receives: what happened to which request, without the learner's texts."""
    request = delivery.request
    return {
        "event": delivery.event,
        "delivery_id": str(delivery.key),
        "occurred_at": delivery.created_at.isoformat(),
        "course_key": request.course_key,
        "point_id": request.point_id,
        "point_title": request.point_title,
        "topic": request.topic,
        "request_id": request.pk,
        "status": delivery.request_status,
        "learner_id": request.learner_id,
        "unit_url": request.unit_url,
    }


def sign(body, secret):
    """The signature header value of `body` (bytes): "sha256=" and the hex HMAC-SHA256 with `secret`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _send_webhook(delivery):
    hook = next((h for h in setting("WEBHOOKS") if h["url"] == delivery.recipient), None)
    if hook is None:
        raise RuntimeError("this webhook URL is no longer configured")
    body = json.dumps(webhook_body(delivery), sort_keys=True).encode()
    response = http.post(
        delivery.recipient,
        data=body,
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": str(delivery.key),
            EVENT_HEADER: delivery.event,
            SIGNATURE_HEADER: sign(body, hook["secret"]),
        },
        timeout=setting("WEBHOOK_TIMEOUT_SECONDS"),
    )
    response.raise_for_status()


def _email_context(delivery):
    request = delivery.request
    return {
        "request": request,
        "recipient_name": delivery.recipient_name,
        "message": delivery.message,
        "close_after_days": setting("CLOSE_AFTER_DAYS"),
        "unit_url": request.unit_url,
        "language": delivery.language or settings.LANGUAGE_CODE,
    }


# A subject is one line: the template's line breaks and runs of spaces become one space, but its no-break
# spaces stay (French puts them before a colon and inside « »).
LINE_BREAKS = re.compile(r"[ \t\r\n]+")


def render_email(delivery):
    """(subject, text, html) of an email delivery, in its recipient's language."""
    with translation.override(delivery.language or settings.LANGUAGE_CODE):
        context = _email_context(delivery)
        base = f"coach_xblock/emails/{delivery.event}"
        subject = render_to_string(f"{base}_subject.txt", context).strip()
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
        prefix = subject_prefix()
    return prefix + LINE_BREAKS.sub(" ", subject), text, html


def subject_prefix():
    """What every subject starts with: the operator's EMAIL_SUBJECT_PREFIX as written, or, while it is the
    package's ("[Coaching] ", which the Tutor plugin writes too), its translation in the active language."""
    prefix = setting("EMAIL_SUBJECT_PREFIX")
    if prefix == DEFAULTS["EMAIL_SUBJECT_PREFIX"]:
        return pgettext("email subject prefix", "[Coaching]") + " "
    return prefix


def _send_email(delivery):
    subject, text, html = render_email(delivery)
    address = setting("EMAIL_FROM_ADDRESS") or settings.DEFAULT_FROM_EMAIL
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=formataddr((setting("EMAIL_FROM_NAME"), address)),
        to=[formataddr((delivery.recipient_name, delivery.recipient))],
        headers={"Message-ID": f"<{delivery.key}@coach-xblock>", "X-Coach-Event": delivery.event},
        connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or setting("EMAIL_TIMEOUT_SECONDS")),
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


SENDERS = {Channel.EMAIL: _send_email, Channel.WEBHOOK: _send_webhook}


def backoff(attempts):
    """The wait after the `attempts`-th failed attempt: doubling from the base, up to the maximum."""
    seconds = setting("DELIVERY_RETRY_BASE_SECONDS") * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, setting("DELIVERY_RETRY_MAX_SECONDS")))


def _lease(delivery_id, now):
    """Take the delivery for one attempt, unless another worker has it or it is no longer due."""
    lease_until = now + timedelta(seconds=setting("DELIVERY_LEASE_SECONDS"))
    with transaction.atomic():
        taken = Delivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).update(next_attempt_at=lease_until)
    return taken == 1


def _attempt(delivery, now):
    attempts = delivery.attempts + 1
    try:
        SENDERS[delivery.channel](delivery)
    except Exception as error:  # any failure of the channel is recorded and retried
        failed = attempts >= setting("DELIVERY_MAX_ATTEMPTS")
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts,
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING,
            next_attempt_at=now + backoff(attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        log.warning("Delivery %s (%s) attempt %s failed: %s", delivery.pk, delivery.event, attempts, error)
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts, status=DeliveryStatus.SENT, sent_at=now, last_error=""
    )
    return True


def deliver_due(now=None, limit=200):
    """Attempt every delivery due at `now` (at most `limit`); the number sent."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for delivery_id in due:
        if not _lease(delivery_id, now):
            continue
        delivery = Delivery.objects.select_related("request", "message").get(pk=delivery_id)
        sent += _attempt(delivery, now)
    return sent


def resend(deliveries, now=None):
    """Give failed deliveries a fresh set of attempts, due now; sent ones are never sent again."""
    now = now or timezone.now()
    return deliveries.filter(status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now
    )
