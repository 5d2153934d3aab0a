"""What a learner does at a check-in point: ask, reply to a coach, withdraw, resolve, say the coaching did not
help (then ask again or close), choose emails."""
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from .. import counters, events, notifications
from ..domain import (
    ACTIVE_STATUSES,
    ASK_AGAIN,
    MAX_CLIENT_TOKEN_LENGTH,
    MAX_COMMENT_LENGTH,
    MAX_LINK_LENGTH,
    NOT_HELPABLE,
    NOT_HELPED_CHOICES,
    RATINGS,
    REPLYABLE,
    RESOLVABLE,
    WITHDRAWABLE,
    Conflict,
    InvalidInput,
    RequestStatus,
    answer_due,
    is_whole_number,
    shows_rating_comment,
)
from ..i18n import gettext as _
from ..i18n import ngettext
from ..models import AuthorRole, CheckinRequest, LearnerPreference
from .common import NO_CLAIM, add_message, as_changed, checked_link, checked_text, learner_request
from .moderation import refuse_blocked


def _cut(text, length):
    """`text`, ending in an ellipsis if it had to be cut to `length` characters."""
    return text if len(text) <= length else text[: length - 1] + "…"


def _client_token(value):
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_CLIENT_TOKEN_LENGTH:
        raise InvalidInput(_("The form is out of date: reload the page and try again."))
    return value.strip()


def _refused_at_limit(open_count):
    return Conflict(
        ngettext(
            "You already have {count} open request here, the most this check-in allows. "
            "Resolve or withdraw it before asking again.",
            "You already have {count} open requests here, the most this check-in allows. "
            "Resolve or withdraw one before asking again.",
            open_count,
        ).format(count=open_count)
    )


def ask_for_help(point, learner, *, working_on, stuck_on, tried, link="", client_token, now=None,
                 publish=events.to_tracker):
    """Open a new request for `learner` at `point`, and tell the point's coaches.

    The same `client_token` sent twice (a double click, a retried network call) returns the
    request made the first time instead of creating a second one. Each workflow action tells
    `publish(action, request, **numbers)` of the change it made (see `events`), once. Refused (Forbidden)
    while the course team blocks the learner from asking in the course.
    """
    now = now or timezone.now()
    token = _client_token(client_token)
    fields = {
        "working_on": checked_text(working_on, _("What are you working on?"), max_length=point.max_length),
        "stuck_on": checked_text(
            stuck_on, _("Where are you stuck?"), min_length=point.min_length, max_length=point.max_length
        ),
        "tried": checked_text(tried, _("What have you tried?"), max_length=point.max_length),
        "link": checked_link(link, MAX_LINK_LENGTH),
    }
    mine = CheckinRequest.objects.filter(point_id=point.point_id, learner_id=learner.user_id)
    try:
        with transaction.atomic():
            # Asks at one point wait here for each other (the lock on its counters of the day), before
            # reading anything, the course team's block included: a learner asking from two tabs at once, or
            # sending one form twice, finds what the other made. SQLite runs one writer at a time anyway;
            # PostgreSQL and MySQL would otherwise both count nothing before either commits, and a REPEATABLE
            # READ transaction sees the rows of its first read only (a read before the lock let MariaDB's asks
            # from three tabs make three requests where one is allowed).
            counters.lock_point_day(point.course_key, point.point_id, point.topic, now)
            refuse_blocked(point.course_key, learner.user_id)
            existing = mine.filter(client_token=token).first()
            if existing is not None:
                return existing
            open_count = mine.filter(status__in=ACTIVE_STATUSES).count()
            if not point.may_ask(open_count):
                raise _refused_at_limit(open_count)
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
                coaches=[
                    {"id": c.user_id, "name": c.display_name, "email": c.email, "language": c.language}
                    for c in point.coaches
                ],
                expected_response_hours=point.expected_response_hours,
                client_token=token,
                created_at=now,
                waiting_since=now,
                due_at=answer_due(now, point.expected_response_hours),
                **fields,
            )
            counters.count_asked(request)
            notifications.record(request, notifications.ASKED, now)
    except IntegrityError:
        # Twin submits either side of midnight (UTC) lock two days' counters: the later insert hits the unique token.
        existing = mine.filter(client_token=token).first()
        if existing is None:
            raise
        return existing
    publish(events.ASKED, request)
    return request


def learner_reply(point, learner, request_id, body, *, now=None, publish=events.to_tracker):
    """Post the learner's reply to a coach's answer; the request waits for a coach again."""
    now = now or timezone.now()
    text = checked_text(body, _("Your reply"), max_length=point.max_length)
    request = learner_request(point.point_id, learner, request_id)
    with transaction.atomic():
        reopened = CheckinRequest.objects.filter(pk=request.pk, **REPLYABLE.lookups).update(
            status=RequestStatus.OPEN,
            waiting_since=now,
            due_at=answer_due(now, request.expected_response_hours),
        )
        if reopened:
            add_message(request, AuthorRole.LEARNER, learner, text, now, notifications.LEARNER_REPLIED)
    as_changed(request, reopened, _("You can reply once a coach has answered; request #{id} is: {status}."))
    publish(events.REPLIED, request)
    return request


def withdraw_request(point, learner, request_id, *, now=None, publish=events.to_tracker):
    """Withdraw a request that is still waiting for a coach."""
    now = now or timezone.now()
    request = learner_request(point.point_id, learner, request_id)
    with transaction.atomic():
        withdrawn = CheckinRequest.objects.filter(pk=request.pk, **WITHDRAWABLE.lookups).update(
            status=RequestStatus.WITHDRAWN, closed_at=now, **NO_CLAIM
        )
    as_changed(
        request, withdrawn, _("Only a request waiting for a coach can be withdrawn; request #{id} is: {status}.")
    )
    publish(events.WITHDRAWN, request)
    return request


def _rating(value):
    if not is_whole_number(value) or value not in RATINGS:
        raise InvalidInput(_("Rating: choose a whole number from {min} to {max}.").format(
            min=RATINGS[0], max=RATINGS[-1]))
    return value


def resolve_request(point, learner, request_id, rating, comment="", *, now=None, publish=events.to_tracker):
    """Mark a request a coach has answered as resolved, with the learner's rating (`domain.RATINGS`)."""
    now = now or timezone.now()
    stars = _rating(rating)
    text = checked_text(comment, _("Comment"), max_length=MAX_COMMENT_LENGTH, required=False)
    request = learner_request(point.point_id, learner, request_id)
    with transaction.atomic():
        resolved = CheckinRequest.objects.filter(pk=request.pk, **RESOLVABLE.lookups).update(
            status=RequestStatus.RESOLVED, closed_at=now, rating=stars, rating_comment=text, **NO_CLAIM,
            **({"comment_at": now} if shows_rating_comment(stars, text) else {}),
        )
        if resolved:
            counters.count_resolved(request, stars)
    as_changed(request, resolved, _(
        "Request #{id} can be resolved once a coach has answered it and while it is open; it is: {status}."
    ))
    publish(events.RESOLVED, request, rating=stars)
    return request


def _then(value):
    if value not in NOT_HELPED_CHOICES:
        raise InvalidInput(_("Next step: choose to ask again or to close the request."))
    return value


def not_helped(point, learner, request_id, comment, then, rating=None, *, now=None, publish=events.to_tracker):
    """The learner says the coaching of a request a coach answered did not help, with a comment (what was
    missing), then asks again (`then` "ask_again") or closes it (`then` "close", with an optional rating).

    Asking again puts the request back in the queue, marked: it waits for a coach anew, the comment is a
    message of the thread, the course's coaches are told, and the coach whose answer did not help is kept
    from claiming it for `domain.FOLLOWUP_PRIORITY` (`domain.claimable_by`). Closing leaves the status
    "not_helped", with the rating among the point's ratings, and tells the coach who answered. Either way
    the point's counter of requests that did not help counts one more.
    """
    now = now or timezone.now()
    choice = _then(then)
    asking_again = choice == ASK_AGAIN
    stars = None
    if rating is not None:
        if asking_again:
            raise InvalidInput(_("Rating: rate the coaching when you close the request, not when you ask again."))
        stars = _rating(rating)
    text = checked_text(
        comment, _("What was missing?"), max_length=MAX_COMMENT_LENGTH, required=asking_again
    )
    request = learner_request(point.point_id, learner, request_id)
    said = {
        "not_helped_at": now, "not_helped_count": F("not_helped_count") + 1, "not_helped_comment": text,
        "not_helped_coach_id": request.last_coach_id, **NO_CLAIM, **({"comment_at": now} if text else {}),
    }
    if asking_again:
        # An empty last_coach_id marks the wait as asked again (domain.claimable_by): no follow-up is kept for
        # that coach, who is kept from it instead; the next answer sets it again.
        change = {
            "status": RequestStatus.OPEN, "waiting_since": now, "last_coach_id": "",
            "due_at": answer_due(now, request.expected_response_hours),
        }
    else:
        change = {"status": RequestStatus.NOT_HELPED, "closed_at": now, "rating": stars}
    with transaction.atomic():
        changed = CheckinRequest.objects.filter(
            pk=request.pk, last_coach_id=request.last_coach_id, **NOT_HELPABLE.lookups
        ).update(**said, **change)
        if changed:
            counters.count_not_helped(request, stars)
            if asking_again:
                add_message(request, AuthorRole.LEARNER, learner, text, now, notifications.ASKED_AGAIN)
            else:
                request.refresh_from_db()
                notifications.record(request, notifications.NOT_HELPED, now)
    as_changed(request, changed, _(
        "You can say the coaching did not help once a coach has answered, while the request waits for you; "
        "request #{id} is: {status}."
    ))
    numbers = {"asked_again": asking_again, "not_helped_count": request.not_helped_count}
    if stars is not None:
        numbers["rating"] = stars
    publish(events.NOT_HELPED, request, **numbers)
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
