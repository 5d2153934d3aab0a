"""Forgetting people: a learner's requests at a reset or a retirement, a retired coach's traces."""
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import notifications
from ..i18n import gettext as _
from ..models import (
    AuthorRole,
    CheckinMessage,
    CheckinRequest,
    CoachNote,
    CourseCoach,
    Delivery,
    DeliveryStatus,
    LearnerBlock,
    LearnerPreference,
    ModerationRecord,
    SavedReply,
)
from .common import NO_CLAIM
from .reports import delete_course_reports


def delete_learner_requests(learner_ids, point_id=None):
    """Delete the requests (threads, deliveries) of these learner ids, at one point or everywhere."""
    requests = CheckinRequest.objects.filter(learner_id__in=list(learner_ids))
    if point_id is not None:
        requests = requests.filter(point_id=point_id)
    with transaction.atomic():
        deleted, _by_model = requests.delete()
    return deleted


def forget_learner(learner_ids):
    """Delete everything kept about these learner ids: requests, threads, deliveries, email choices, the
    coaches' notes on them, the moderation records about them and their blocks, and the reports of the courses
    they asked in (the files hold their texts)."""
    learner_ids = [i for i in learner_ids if i]
    with transaction.atomic():
        asked_in = set(CheckinRequest.objects.filter(learner_id__in=learner_ids).values_list("course_key", flat=True))
        delete_course_reports(asked_in)
        delete_learner_requests(learner_ids)
        LearnerPreference.objects.filter(learner_id__in=learner_ids).delete()
        CoachNote.objects.filter(learner_id__in=learner_ids).delete()
        ModerationRecord.objects.filter(learner_id__in=learner_ids).delete()
        LearnerBlock.objects.filter(learner_id__in=learner_ids).delete()


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
    and by every address they had (`emails`, and those our requests recorded beside their ids); the notes
    and saved replies they wrote, the moderation records they made and the blocks they set stay, signed
    "Retired coach".

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
        CoachNote.objects.filter(author_id__in=coach_ids).update(author_name=retired, author_id="")
        SavedReply.objects.filter(author_id__in=coach_ids).update(author_name=retired, author_id="")
        ModerationRecord.objects.filter(actor_id__in=coach_ids).update(actor_name=retired, actor_id="")
        LearnerBlock.objects.filter(blocked_by_id__in=coach_ids).update(blocked_by_name=retired, blocked_by_id="")
        CheckinRequest.objects.filter(claimed_by__in=coach_ids).update(**NO_CLAIM)
        CheckinRequest.objects.filter(first_coach_id__in=coach_ids).update(first_coach_id="")
        CheckinRequest.objects.filter(not_helped_coach_id__in=coach_ids).update(not_helped_coach_id="")
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


def forget_coach_listing(usernames):
    """Take a retired user off every course's desk coach list, by each of their usernames whatever its case;
    the coaches they added stay listed, without who added them."""
    usernames = [name for name in usernames if name]
    with transaction.atomic():
        CourseCoach.objects.filter(_any_iexact("username", usernames)).delete()
        CourseCoach.objects.filter(_any_iexact("added_by", usernames)).update(added_by="")
