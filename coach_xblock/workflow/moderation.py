"""The moderation of a course: a coach reports a request as inappropriate, the course team reviews the report
(dismisses it: the request is back as it was; upholds it: the request is closed) and blocks or unblocks a
learner from asking in the course. Every step is recorded (`models.ModerationRecord`: who, when, why) in the
transaction of the step, and told to the tracking log (`events.MODERATION_ACTIONS`, ids only).

The caller (the coach desk) has checked who acts: any coach of the course reports; only the course team
reviews, blocks and unblocks. A reported request leaves the queue (its status is `under_review`, which no
coach claims or answers and the learner cannot add to); its texts show only on the course team's review page.
A blocked learner's asks are refused (`refuse_blocked`, in the transaction of the ask); they still read their
requests and reply to a coach's answer.
"""
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import events
from ..domain import (
    MAX_MODERATION_REASON,
    REPORTABLE,
    REVIEWABLE,
    Conflict,
    Forbidden,
    NotFound,
    RequestStatus,
)
from ..i18n import gettext as _
from ..models import CheckinRequest, LearnerBlock, ModerationAction, ModerationRecord
from .common import NO_CLAIM, checked_text, coach_request


def _reason(value, *, required=True):
    return checked_text(value, _("Reason"), max_length=MAX_MODERATION_REASON, required=required)


def _record(action, course_key, learner, actor, reason, now, request=None):
    """Write the record of a step; `learner` is a request or a block (their learner_* fields)."""
    return ModerationRecord.objects.create(
        course_key=course_key, learner_id=learner.learner_id, learner_name=learner.learner_name,
        learner_username=learner.learner_username, request=request, action=action, actor_id=actor.user_id,
        actor_name=actor.display_name, reason=reason, created_at=now,
    )


def report_request(course_key, request_id, coach, reason, *, now=None, publish=events.moderation_to_tracker):
    """`coach` reports the request as inappropriate, saying why: it leaves the queue (any claim on it ends) and
    waits for the course team's review. Refused once reported, and for a request that is no longer alive."""
    now = now or timezone.now()
    text = _reason(reason)
    request = coach_request(course_key, request_id)
    with transaction.atomic():
        # The status it had is written as read, the UPDATE checking it still holds: MySQL would read the
        # status an UPDATE sets earlier in its SET list, not the one the row had.
        reportable = CheckinRequest.objects.filter(pk=request.pk, status=request.status, **REPORTABLE.lookups)
        reported = reportable.update(
            status=RequestStatus.UNDER_REVIEW, status_before_review=request.status, **NO_CLAIM
        )
        if reported:
            _record(ModerationAction.REPORTED, course_key, request, coach, text, now, request)
    request.refresh_from_db()
    if not reported:
        if request.is_under_review():
            raise Conflict(_("Request #{id} is already reported: the course team is reviewing it.").format(
                id=request.pk))
        if request.can_be_reported():
            raise Conflict(_("Request #{id} changed while you reported it: open it again.").format(id=request.pk))
        raise Conflict(_(
            "Only a request waiting for a coach or for the learner can be reported; request #{id} is: {status}."
        ).format(id=request.pk, status=request.get_status_display()))
    publish(events.REPORTED, course_key, request.learner_id, coach.user_id, request)
    return request


def _review(course_key, request_id, reviewer, reason, now, action, changes):
    """Close the review of a reported request with `changes(request)` (an UPDATE's values), recording `action`."""
    text = _reason(reason, required=False)
    request = coach_request(course_key, request_id)
    with transaction.atomic():
        reviewed = CheckinRequest.objects.filter(
            pk=request.pk, status_before_review=request.status_before_review, **REVIEWABLE.lookups
        ).update(status_before_review="", **changes(request))
        if reviewed:
            _record(action, course_key, request, reviewer, text, now, request)
    request.refresh_from_db()
    if not reviewed:
        raise Conflict(_(
            "Request #{id} is not under review (now: {status}): someone of the course team may have reviewed it."
        ).format(id=request.pk, status=request.get_status_display()))
    return request


def dismiss_report(course_key, request_id, reviewer, reason="", *, now=None, publish=events.moderation_to_tracker):
    """The course team dismisses the report of a request: it is back as it was before (in the queue if it
    waited for a coach). `reason` is optional."""
    now = now or timezone.now()
    request = _review(course_key, request_id, reviewer, reason, now, ModerationAction.DISMISSED,
                      lambda reported: {"status": reported.status_before_review or RequestStatus.OPEN})
    publish(events.DISMISSED, course_key, request.learner_id, reviewer.user_id, request)
    return request


def uphold_report(course_key, request_id, reviewer, reason="", *, now=None, publish=events.moderation_to_tracker):
    """The course team upholds the report of a request: it is closed for good (status `removed`), its texts
    still hidden from the coaches. `reason` is optional."""
    now = now or timezone.now()
    request = _review(course_key, request_id, reviewer, reason, now, ModerationAction.UPHELD,
                      lambda reported: {"status": RequestStatus.REMOVED, "closed_at": now})
    publish(events.UPHELD, course_key, request.learner_id, reviewer.user_id, request)
    return request


def block_learner(course_key, learner_id, actor, reason, *, now=None, publish=events.moderation_to_tracker):
    """The course team (`actor`) blocks the learner `learner_id`, who has a request in the course, from asking
    there, saying why. Refused when they are blocked already."""
    now = now or timezone.now()
    text = _reason(reason)
    latest = (
        CheckinRequest.objects.filter(course_key=course_key, learner_id=learner_id)
        .order_by("-created_at", "-id").first()
        if isinstance(learner_id, str) else None
    )
    if latest is None:
        raise NotFound(_("This learner has no request in this course."))
    try:
        with transaction.atomic():
            block = LearnerBlock.objects.create(
                course_key=course_key, learner_id=learner_id, learner_name=latest.learner_name,
                learner_username=latest.learner_username, reason=text, blocked_by_id=actor.user_id,
                blocked_by_name=actor.display_name, blocked_at=now,
            )
            _record(ModerationAction.BLOCKED, course_key, block, actor, text, now)
    except IntegrityError:
        raise Conflict(_("{name} is already blocked from asking in this course.").format(
            name=latest.learner_name)) from None
    publish(events.BLOCKED, course_key, learner_id, actor.user_id)
    return block


def unblock_learner(course_key, learner_id, actor, reason="", *, now=None, publish=events.moderation_to_tracker):
    """The course team (`actor`) lets a blocked learner ask in the course again; `reason` is optional."""
    now = now or timezone.now()
    text = _reason(reason, required=False)
    if not isinstance(learner_id, str):
        learner_id = ""
    with transaction.atomic():
        block = LearnerBlock.objects.select_for_update().filter(course_key=course_key, learner_id=learner_id).first()
        if block is None:
            raise NotFound(_("This learner is not blocked in this course: someone of the course team may have "
                             "unblocked them."))
        block.delete()
        _record(ModerationAction.UNBLOCKED, course_key, block, actor, text, now)
    publish(events.UNBLOCKED, course_key, learner_id, actor.user_id)
    return block


def refuse_blocked(course_key, learner_id):
    """Forbidden when the course team blocked the learner from asking in the course; call it in the
    transaction of the ask."""
    if LearnerBlock.objects.filter(course_key=course_key, learner_id=learner_id).exists():
        raise Forbidden(_("The course team has blocked you from asking the coaches of this course: "
                          "your request was not sent."))
