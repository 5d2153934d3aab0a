"""What a coach does with a request of their course: claim it, let it go, answer it."""
import functools
import operator

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import counters, events, notifications
from ..domain import (
    CLAIM_DURATION,
    MAX_COACH_REPLY_LENGTH,
    WAITING_FOR_A_COACH,
    Conflict,
    RequestStatus,
    claimable_by,
)
from ..i18n import gettext as _
from ..models import AuthorRole, CheckinRequest
from .common import NO_CLAIM, add_message, checked_text, coach_request


def _claimable(groups):
    """The Q of `domain.claimable_by`'s groups: one lookup set of every group."""
    return functools.reduce(
        operator.and_, (functools.reduce(operator.or_, (Q(**lookups) for lookups in group)) for group in groups)
    )


def _refuse_claim(request, coach, now, otherwise):
    """Raise the reason why `coach` could not claim or answer `request`: `otherwise` when no other applies."""
    if request.is_under_review():
        raise Conflict(
            _("Request #{id} was reported: the course team is reviewing it, and nobody may claim or answer it "
              "meanwhile.").format(id=request.pk)
        )
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
    if request.reserved_for(now) not in ("", coach.user_id):
        raise Conflict(
            _(
                "Request #{id} is a follow-up: {coach}, who answered it last, has it first until {time} UTC; "
                "then any coach may claim it."
            ).format(id=request.pk, coach=request.last_coach_name, time=request.reserved_until().strftime("%H:%M"))
        )
    if request.kept_from(now) == coach.user_id:
        raise Conflict(
            _(
                "Request #{id} was asked again because your answer did not help: another coach has it first "
                "until {time} UTC; then you may claim it."
            ).format(id=request.pk, time=request.reserved_until().strftime("%H:%M"))
        )
    raise Conflict(otherwise.format(id=request.pk))


def claim_request(course_key, request_id, coach, *, now=None, publish=events.to_tracker):
    """Give `coach` a claim of `domain.CLAIM_DURATION` on an open request; the holder calling again extends it.

    Refused while another coach holds an unexpired claim, once the request is not open, on a
    follow-up kept for the coach who answered it last (`domain.FOLLOWUP_PRIORITY`), and to the coach
    whose answer did not help on a request asked again, for the same time.
    """
    now = now or timezone.now()
    request = coach_request(course_key, request_id)
    with transaction.atomic():
        unclaimed = Q(claimed_by="") | Q(claim_expires_at__lte=now) | Q(claimed_by=coach.user_id)
        won = (
            CheckinRequest.objects.filter(
                unclaimed, _claimable(claimable_by(coach.user_id, now)), pk=request.pk, **WAITING_FOR_A_COACH.lookups
            )
            .update(claimed_by=coach.user_id, claimed_by_name=coach.display_name, claim_expires_at=now + CLAIM_DURATION)
        )
    request.refresh_from_db()
    if not won:
        _refuse_claim(request, coach, now, _("Request #{id} changed while you claimed it: open it again."))
    publish(events.CLAIMED, request, claim_expires_at=request.claim_expires_at.isoformat())
    return request


def release_claim(course_key, request_id, coach, *, now=None, publish=events.to_tracker):
    """Let go of `coach`'s claim so that another coach can take the request (at any time: `now`, taken
    as every action takes it, changes nothing)."""
    request = coach_request(course_key, request_id)
    with transaction.atomic():
        released = CheckinRequest.objects.filter(pk=request.pk, claimed_by=coach.user_id).update(**NO_CLAIM)
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
    text = checked_text(body, _("Your answer"), max_length=MAX_COACH_REPLY_LENGTH)
    request = coach_request(course_key, request_id)
    first_answer = False
    with transaction.atomic():
        answered = CheckinRequest.objects.filter(
            pk=request.pk, claimed_by=coach.user_id, claim_expires_at__gt=now, **WAITING_FOR_A_COACH.lookups
        ).update(
            status=RequestStatus.ANSWERED,
            last_answered_at=now,
            nudged_at=None,
            last_coach_id=coach.user_id,
            last_coach_name=coach.display_name,
            last_coach_email=coach.email,
            **NO_CLAIM,
        )
        if answered:
            first_answer = bool(
                CheckinRequest.objects.filter(pk=request.pk, first_answered_at__isnull=True).update(
                    first_answered_at=now, first_coach_id=coach.user_id
                )
            )
            if first_answer:
                counters.count_first_answer(request, now)
            add_message(request, AuthorRole.COACH, coach, text, now, notifications.ANSWERED)
    request.refresh_from_db()
    if not answered:
        _refuse_claim(
            request, coach, now, _("Claim request #{id} before answering: your claim has expired or was released.")
        )
    publish(events.ANSWERED, request, first_answer=first_answer)
    return request
