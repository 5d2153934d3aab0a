"""The course team's list of a course's coaches, by username: adding someone, taking them off."""
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..domain import MAX_USERNAME_LENGTH, Conflict, NotFound
from ..i18n import gettext as _
from ..i18n import pgettext
from ..models import CourseCoach
from .common import checked_text


def add_course_coach(course_key, username, *, added_by="", now=None):
    """Make `username` a coach of the course, at once. The caller checked that the user exists."""
    username = checked_text(username, pgettext("coach desk", "Username"), max_length=MAX_USERNAME_LENGTH)
    try:
        with transaction.atomic():
            return CourseCoach.objects.create(
                course_key=course_key, username=username, added_by=added_by, added_at=now or timezone.now()
            )
    except IntegrityError:
        raise Conflict(_("{username} is already a coach of this course.").format(username=username)) from None


def remove_course_coach(course_key, username):
    """Take `username` off the course's list (the course's roles, if they have one, still make them a coach)."""
    username = checked_text(username, pgettext("coach desk", "Username"), max_length=MAX_USERNAME_LENGTH)
    with transaction.atomic():
        deleted, _by_model = CourseCoach.objects.filter(course_key=course_key, username=username).delete()
    if not deleted:
        raise NotFound(_("{username} is not on this course's list of coaches.").format(username=username))

