"""Every state change of a check-in request, with its validation and its transaction.

This is the only writer of `coach_xblock.models`. It knows nothing of XBlock: callers pass
plain values (`domain.Person`, `domain.CheckinPoint`) and get a model instance back, or a
`domain.WorkflowError` whose `status` is the HTTP status a handler should answer with and whose
`message` a person understands. A refused action changes nothing.

Each transition is a conditional UPDATE (``WHERE status = ... AND claim ...``) inside one
transaction, so two coaches racing for the same request get one winner and one refusal.
"""
from datetime import timedelta
from urllib.parse import urlparse

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from . import analytics, events, notifications
from .conf import setting
from .domain import (
    ACTIVE_STATUSES,
    CLAIM_DURATION,
    MAX_CLIENT_TOKEN_LENGTH,
    MAX_COACH_REPLY_LENGTH,
    MAX_COMMENT_LENGTH,
    MAX_LINK_LENGTH,
    RATINGS,
    REPLYABLE,
    RESOLVABLE,
    WAITING_FOR_A_COACH,
    WITHDRAWABLE,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RequestStatus,
    answer_due,
    overdue_at,
)
from .i18n import gettext as _
from .i18n import ngettext
from .models import AuthorRole, CheckinMessage, CheckinRequest, Delivery, DeliveryStatus, LearnerPreference


def _text(value, label, *, max_length, min_length=1, required=True):
    """Return `value` stripped, or raise InvalidInput naming the field `label`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("{field}: expected text.").format(field=label))
    value = value.strip()
    if not value:
        if required:
            raise InvalidInput(_("{field}: this field is required.").format(field=label))
        return value
    if len(value) < min_length:
        raise InvalidInput(
            _("{field}: write at least {min} characters (you wrote {count}).").format(
                field=label, min=min_length, count=len(value)
            )
        )
    if len(value) > max_length:
        raise InvalidInput(
            _("{field}: write at most {max} characters (you wrote {count}).").format(
                field=label, max=max_length, count=len(value)
            )
        )
    return value


def _link(value):
    """Return an optional http(s) link, or raise InvalidInput."""
    link = _text(value, _("Link"), max_length=MAX_LINK_LENGTH, required=False)
    if link:
        try:
            parsed = urlparse(link)
            valid = parsed.scheme in ("http", "https") and bool(parsed.hostname)
        except ValueError:
            valid = False
        if not valid:
            raise InvalidInput(_("Link: enter a full web address starting with http:// or https://."))
    return link


def _cut(text, length):
    """`text`, ending in an ellipsis if it had to be cut to `length` characters."""
    return text if len(text) <= length else text[: length - 1] + "…"


def _client_token(value):
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_CLIENT_TOKEN_LENGTH:
        raise InvalidInput(_("The form is out of date: reload the page and try again."))
    return value.strip()


def ask_for_help(point, learner, *, working_on, stuck_on, tried, link="", client_token, now=None,
                 publish=events.to_tracker):
    """Open a new request for `learner` at `point`, and tell the point's coaches.

    The same `client_token` sent twice (a double click, a retried network call) returns the
    request made the first time instead of creating a second one. Each workflow action tells
    `publish(action, request, **numbers)` of the change it made (see `events`), once.
    """
    now = now or timezone.now()
    token = _client_token(client_token)
    fields = {
        "working_on": _text(working_on, _("What are you working on?"), max_length=point.max_length),
        "stuck_on": _text(
            stuck_on, _("Where are you stuck?"), min_length=point.min_length, max_length=point.max_length
        ),
        "tried": _text(tried, _("What have you tried?"), max_length=point.max_length),
        "link": _link(link),
    }
    mine = CheckinRequest.objects.filter(point_id=point.point_id, learner_id=learner.user_id)
    try:
        with transaction.atomic():
            # Asks at one point wait here for each other (the lock on its counters of the day), before
            # reading anything: a learner asking from two tabs at once, or sending one form twice, finds
            # what the other made. SQLite runs one writer at a time anyway; PostgreSQL and MySQL would
            # otherwise both count nothing before either commits, and a REPEATABLE READ transaction sees
            # the rows of its first read only.
            analytics.lock_point_day(point.course_key, point.point_id, point.topic, now)
            existing = mine.filter(client_token=token).first()
            if existing is not None:
                return existing
            open_count = mine.filter(status__in=ACTIVE_STATUSES).count()
            if not point.may_ask(open_count):
                raise Conflict(
                    ngettext(
                        "You already have {count} open request here, the most this check-in allows. "
                        "Resolve or withdraw it before asking again.",
                        "You already have {count} open requests here, the most this check-in allows. "
                        "Resolve or withdraw one before asking again.",
                        open_count,
                    ).format(count=open_count)
                )
            request = CheckinRequest.objects.create(
                course_key=point.course_key,
                point_id=point.point_id,
                point_title=_cut(point.title, CheckinRequest._meta.get_field("point_title").max_length),
                topic=point.topic,
                learner_id=learner.user_id,
                learner_name=learner.display_name,
                learner_username=learner.username,
                learner_email=learner.email,
                language=translation.get_language() or "",
                unit_url=point.unit_url,
                coaches=[{"id": c.user_id, "name": c.display_name, "email": c.email} for c in point.coaches],
                expected_response_hours=point.expected_response_hours,
                client_token=token,
                created_at=now,
                waiting_since=now,
                due_at=answer_due(now, point.expected_response_hours),
                **fields,
            )
            analytics.count_asked(request)
            notifications.record(request, notifications.ASKED, now)
    except IntegrityError:
        # Twin submits either side of midnight (UTC) lock two days' counters: the later insert hits the unique token.
        existing = mine.filter(client_token=token).first()
        if existing is None:
            raise
        return existing
    publish(events.ASKED, request)
    return request


def _coach_request(course_key, request_id):
    """The request `request_id` of the course, or NotFound."""
    request = CheckinRequest.objects.filter(course_key=course_key, pk=request_id).first()
    if request is None:
        raise NotFound(_("There is no request #{id} in this course.").format(id=request_id))
    return request


def _learner_request(point_id, learner, request_id):
    """The learner's own request `request_id` at this point, or NotFound / Forbidden."""
    request = CheckinRequest.objects.filter(point_id=point_id, pk=request_id).first()
    if request is None:
        raise NotFound(_("There is no request #{id} at this check-in.").format(id=request_id))
    if request.learner_id != learner.user_id:
        raise Forbidden(_("This request belongs to another learner."))
    return request


def _refuse_claim(request, coach, now, otherwise):
    """Raise the reason why `coach` could not claim or answer `request`: `otherwise` when no other applies."""
    if not request.waits_for_a_coach():
        raise Conflict(
            _("Request #{id} is no longer waiting for a coach (now: {status}).").format(
                id=request.pk, status=request.get_status_display()
            )
        )
    if request.claim_is_active(now) and request.claimed_by != coach.user_id:
        raise Conflict(
            _("{coach} is already working on request #{id}; their claim runs until {time} UTC.").format(
                coach=request.claimed_by_name, id=request.pk, time=request.claim_expires_at.strftime("%H:%M")
            )
        )
    raise Conflict(otherwise.format(id=request.pk))


def claim_request(course_key, request_id, coach, *, now=None, publish=events.to_tracker):
    """Give `coach` a 30-minute claim on an open request; the holder calling again extends it.

    Refused while another coach holds an unexpired claim, or once the request is not open.
    """
    now = now or timezone.now()
    request = _coach_request(course_key, request_id)
    with transaction.atomic():
        claimable = Q(claimed_by="") | Q(claim_expires_at__lte=now) | Q(claimed_by=coach.user_id)
        won = (
            CheckinRequest.objects.filter(claimable, pk=request.pk, **WAITING_FOR_A_COACH.lookups)
            .update(claimed_by=coach.user_id, claimed_by_name=coach.display_name, claim_expires_at=now + CLAIM_DURATION)
        )
    request.refresh_from_db()
    if not won:
        _refuse_claim(request, coach, now, _("Request #{id} changed while you claimed it: open it again."))
    publish(events.CLAIMED, request, claim_expires_at=request.claim_expires_at.isoformat())
    return request


def release_claim(course_key, request_id, coach, *, now=None, publish=events.to_tracker):
    """Let go of `coach`'s claim so that another coach can take the request."""
    now = now or timezone.now()
    request = _coach_request(course_key, request_id)
    with transaction.atomic():
        released = CheckinRequest.objects.filter(pk=request.pk, claimed_by=coach.user_id).update(
            claimed_by="", claimed_by_name="", claim_expires_at=None
        )
    request.refresh_from_db()
    if not released:
        raise Conflict(_("You do not hold a claim on request #{id}.").format(id=request.pk))
    publish(events.RELEASED, request)
    return request


def coach_reply(course_key, request_id, coach, body, *, now=None, publish=events.to_tracker):
    """Post `coach`'s answer; the request becomes answered and the claim ends.

    Only the holder of an unexpired claim may answer: the claim is checked by the same
    UPDATE that records the answer, so a claim lost a moment ago cannot slip through.
    """
    now = now or timezone.now()
    text = _text(body, _("Your answer"), max_length=MAX_COACH_REPLY_LENGTH)
    request = _coach_request(course_key, request_id)
    first_answer = False
    with transaction.atomic():
        answered = (
            CheckinRequest.objects.filter(
                pk=request.pk, claimed_by=coach.user_id, claim_expires_at__gt=now, **WAITING_FOR_A_COACH.lookups
            ).update(
                status=RequestStatus.ANSWERED,
                claimed_by="",
                claimed_by_name="",
                claim_expires_at=None,
                last_answered_at=now,
                nudged_at=None,
                last_coach_id=coach.user_id,
                last_coach_name=coach.display_name,
                last_coach_email=coach.email,
            )
        )
        if answered:
            first_answer = bool(
                CheckinRequest.objects.filter(pk=request.pk, first_answered_at__isnull=True).update(
                    first_answered_at=now
                )
            )
            if first_answer:
                analytics.count_first_answer(request, now)
            answer = CheckinMessage.objects.create(
                request=request,
                author_role=AuthorRole.COACH,
                author_id=coach.user_id,
                author_name=coach.display_name,
                body=text,
                created_at=now,
            )
            request.refresh_from_db()
            notifications.record(request, notifications.ANSWERED, now, message=answer)
    request.refresh_from_db()
    if not answered:
        _refuse_claim(
            request, coach, now, _("Claim request #{id} before answering: your claim has expired or was released.")
        )
    publish(events.ANSWERED, request, first_answer=first_answer)
    return request


def learner_reply(point, learner, request_id, body, *, now=None, publish=events.to_tracker):
    """Post the learner's reply to a coach's answer; the request waits for a coach again."""
    now = now or timezone.now()
    text = _text(body, _("Your reply"), max_length=point.max_length)
    request = _learner_request(point.point_id, learner, request_id)
    with transaction.atomic():
        reopened = CheckinRequest.objects.filter(pk=request.pk, **REPLYABLE.lookups).update(
            status=RequestStatus.OPEN,
            waiting_since=now,
            due_at=answer_due(now, request.expected_response_hours),
        )
        if reopened:
            reply = CheckinMessage.objects.create(
                request=request,
                author_role=AuthorRole.LEARNER,
                author_id=learner.user_id,
                author_name=learner.display_name,
                body=text,
                created_at=now,
            )
            request.refresh_from_db()
            notifications.record(request, notifications.LEARNER_REPLIED, now, message=reply)
    request.refresh_from_db()
    if not reopened:
        raise Conflict(
            _("You can reply once a coach has answered; request #{id} is: {status}.").format(
                id=request.pk, status=request.get_status_display()
            )
        )
    publish(events.REPLIED, request)
    return request


def withdraw_request(point, learner, request_id, *, now=None, publish=events.to_tracker):
    """Withdraw a request that is still waiting for a coach."""
    now = now or timezone.now()
    request = _learner_request(point.point_id, learner, request_id)
    with transaction.atomic():
        withdrawn = CheckinRequest.objects.filter(pk=request.pk, **WITHDRAWABLE.lookups).update(
            status=RequestStatus.WITHDRAWN, closed_at=now, claimed_by="", claimed_by_name="", claim_expires_at=None
        )
    request.refresh_from_db()
    if not withdrawn:
        raise Conflict(
            _("Only a request waiting for a coach can be withdrawn; request #{id} is: {status}.").format(
                id=request.pk, status=request.get_status_display()
            )
        )
    publish(events.WITHDRAWN, request)
    return request


def _rating(value):
    if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
        raise InvalidInput(_("Rating: choose a whole number from 1 to 5."))
    return value


def resolve_request(point, learner, request_id, rating, comment="", *, now=None, publish=events.to_tracker):
    """Mark a request a coach has answered as resolved, with the learner's rating (1-5)."""
    now = now or timezone.now()
    stars = _rating(rating)
    text = _text(comment, _("Comment"), max_length=MAX_COMMENT_LENGTH, required=False)
    request = _learner_request(point.point_id, learner, request_id)
    with transaction.atomic():
        resolved = CheckinRequest.objects.filter(pk=request.pk, **RESOLVABLE.lookups).update(
            status=RequestStatus.RESOLVED, closed_at=now, rating=stars, rating_comment=text,
            claimed_by="", claimed_by_name="", claim_expires_at=None,
        )
        if resolved:
            analytics.count_resolved(request, stars)
    request.refresh_from_db()
    if not resolved:
        raise Conflict(
            _("Request #{id} can be resolved once a coach has answered it and while it is open; it is: {status}.")
            .format(id=request.pk, status=request.get_status_display())
        )
    publish(events.RESOLVED, request, rating=stars)
    return request


def set_email_preferences(course_key, learner, *, answer_emails, reminder_emails):
    """Record which emails `learner` wants from this course's check-ins."""
    for label, value in ((_("Emails when a coach answers"), answer_emails), (_("Reminders"), reminder_emails)):
        if not isinstance(value, bool):
            raise InvalidInput(_("{field}: choose yes or no.").format(field=label))
    preference, _created = LearnerPreference.objects.update_or_create(
        course_key=course_key,
        learner_id=learner.user_id,
        defaults={"answer_emails": answer_emails, "reminder_emails": reminder_emails},
    )
    return preference


def escalate_overdue(now=None):
    """Tell every coach of the course, once per wait, about requests waiting past their expected time."""
    now = now or timezone.now()
    escalated = 0
    not_escalated_this_wait = Q(escalated_at__isnull=True) | Q(escalated_at__lt=F("waiting_since"))
    overdue = CheckinRequest.objects.filter(not_escalated_this_wait, **overdue_at(now).lookups)
    for request_id in overdue.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            won = overdue.filter(pk=request_id).update(escalated_at=now)
            if won:
                notifications.record(CheckinRequest.objects.get(pk=request_id), notifications.ESCALATED, now)
                escalated += 1
    return escalated


def nudge_and_close_silent(now=None):
    """Nudge learners who left an answer unread for NUDGE_AFTER_DAYS; close after CLOSE_AFTER_DAYS.

    Returns (nudged, closed).
    """
    now = now or timezone.now()
    close_before = now - timedelta(days=setting("CLOSE_AFTER_DAYS"))
    nudge_before = now - timedelta(days=setting("NUDGE_AFTER_DAYS"))
    closed = nudged = 0
    answered = CheckinRequest.objects.filter(status=RequestStatus.ANSWERED)
    for request_id in answered.filter(last_answered_at__lte=close_before).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            won = CheckinRequest.objects.filter(
                pk=request_id, status=RequestStatus.ANSWERED, last_answered_at__lte=close_before
            ).update(status=RequestStatus.CLOSED, closed_at=now)
            if won:
                request = CheckinRequest.objects.get(pk=request_id)
                notifications.record(request, notifications.CLOSED, now)
        if won:
            events.to_tracker(events.CLOSED, request)
            closed += 1
    silent = answered.filter(last_answered_at__lte=nudge_before, nudged_at__isnull=True)
    for request_id in silent.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            if CheckinRequest.objects.filter(
                pk=request_id, status=RequestStatus.ANSWERED, last_answered_at__lte=nudge_before, nudged_at__isnull=True
            ).update(nudged_at=now):
                request = CheckinRequest.objects.get(pk=request_id)
                answer = request.messages.filter(author_role=AuthorRole.COACH).order_by("-created_at", "-id").first()
                notifications.record(request, notifications.NUDGED, now, message=answer)
                nudged += 1
    return nudged, closed


def run_timers(now=None):
    """Escalate overdue requests, nudge silent learners, close abandoned requests."""
    now = now or timezone.now()
    escalated = escalate_overdue(now)
    nudged, closed = nudge_and_close_silent(now)
    return {"escalated": escalated, "nudged": nudged, "closed": closed}


def delete_learner_requests(learner_ids, point_id=None):
    """Delete the requests (threads, deliveries) of these learner ids, at one point or everywhere."""
    requests = CheckinRequest.objects.filter(learner_id__in=list(learner_ids))
    if point_id is not None:
        requests = requests.filter(point_id=point_id)
    with transaction.atomic():
        deleted, _by_model = requests.delete()
    return deleted


def forget_learner(learner_ids):
    """Delete everything kept about these learner ids: requests, threads, deliveries, email choices."""
    learner_ids = [i for i in learner_ids if i]
    with transaction.atomic():
        delete_learner_requests(learner_ids)
        LearnerPreference.objects.filter(learner_id__in=learner_ids).delete()


def _any_iexact(field, values):
    """A filter matching rows whose `field` equals one of `values`, ignoring case; none when `values` is empty."""
    query = Q(pk__in=[])
    for value in values:
        query |= Q(**{f"{field}__iexact": value})
    return query


def _lists_coach(entry, coach_ids, addresses):
    return entry.get("id") in coach_ids or (entry.get("email") or "").lower() in addresses


def _requests_listing(needles):
    """The requests whose coach list may name one of `needles` (ids or addresses): to be checked entry by entry."""
    query = Q(pk__in=[])
    for needle in needles:
        query |= Q(coaches__icontains=needle)
    return CheckinRequest.objects.filter(query).only("pk", "coaches")


def _addresses_of(coach_ids, emails):
    """Every address of a coach, in lower case: `emails`, and those our requests recorded beside their ids."""
    addresses = {email.strip().lower() for email in emails if email and email.strip()}
    recorded = CheckinRequest.objects.filter(last_coach_id__in=coach_ids).values_list("last_coach_email", flat=True)
    addresses.update(email.lower() for email in recorded if email)
    for request in _requests_listing(coach_ids):
        addresses.update(c["email"].lower() for c in request.coaches if c.get("id") in coach_ids and c.get("email"))
    return addresses


def scrub_coach(coach_ids, emails=()):
    """Remove a retired coach from every thread, claim, coach list and notification, found by their ids
    and by every address they had (`emails`, and those our requests recorded beside their ids).

    A learner's reply still waiting to be emailed to them goes to the request's other coaches; what
    was sent to them stays counted, without their address.
    """
    coach_ids = [i for i in coach_ids if i]
    retired = _("Retired coach")
    with transaction.atomic():
        addresses = _addresses_of(coach_ids, emails)
        CheckinMessage.objects.filter(author_role=AuthorRole.COACH, author_id__in=coach_ids).update(
            author_name=retired, author_id=""
        )
        CheckinRequest.objects.filter(claimed_by__in=coach_ids).update(
            claimed_by="", claimed_by_name="", claim_expires_at=None
        )
        answered_last = Q(last_coach_id__in=coach_ids) | _any_iexact("last_coach_email", addresses)
        CheckinRequest.objects.filter(answered_last).update(
            last_coach_id="", last_coach_name=retired, last_coach_email=""
        )
        for request in _requests_listing([*coach_ids, *addresses]):
            kept = [c for c in request.coaches if not _lists_coach(c, coach_ids, addresses)]
            if kept != request.coaches:
                CheckinRequest.objects.filter(pk=request.pk).update(coaches=kept)
        to_them = Delivery.objects.filter(_any_iexact("recipient", addresses))
        unsent = to_them.exclude(status=DeliveryStatus.SENT)
        # A learner's reply was told to the coach who answered last: the other coaches hear it instead.
        notifications.reroute_to_coaches(unsent.filter(event=notifications.LEARNER_REPLIED), timezone.now())
        unsent.delete()
        to_them.update(recipient="", recipient_name="")
