"""What happens with time alone: overdue requests escalated, silent learners nudged, abandoned requests closed."""
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import events, notifications
from ..conf import setting
from ..domain import RequestStatus, overdue_at
from ..models import AuthorRole, CheckinRequest


def escalate_overdue(now=None):
    """Tell every coach of the course, once per wait, about requests waiting past their expected time."""
    now = now or timezone.now()
    escalated = 0
    not_escalated_this_wait = Q(escalated_at__isnull=True) | Q(escalated_at__lt=F("waiting_since"))
    overdue = CheckinRequest.objects.filter(not_escalated_this_wait, **overdue_at(now).lookups)
    for request_id in overdue.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            if overdue.filter(pk=request_id).update(escalated_at=now):
                notifications.record(CheckinRequest.objects.get(pk=request_id), notifications.ESCALATED, now)
                escalated += 1
    return escalated


def nudge_and_close_silent(now=None):
    """Nudge learners who left an answer unread for NUDGE_AFTER_DAYS; close after CLOSE_AFTER_DAYS.

    Returns (nudged, closed).
    """
    now = now or timezone.now()
    answered = CheckinRequest.objects.filter(status=RequestStatus.ANSWERED)
    abandoned = answered.filter(last_answered_at__lte=now - timedelta(days=setting("CLOSE_AFTER_DAYS")))
    closed = nudged = 0
    for request_id in abandoned.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            won = abandoned.filter(pk=request_id).update(status=RequestStatus.CLOSED, closed_at=now)
            if won:
                request = CheckinRequest.objects.get(pk=request_id)
                notifications.record(request, notifications.CLOSED, now)
        if won:
            events.to_tracker(events.CLOSED, request)
            closed += 1
    silent = answered.filter(
        last_answered_at__lte=now - timedelta(days=setting("NUDGE_AFTER_DAYS")), nudged_at__isnull=True
    )
    for request_id in silent.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            if silent.filter(pk=request_id).update(nudged_at=now):
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
