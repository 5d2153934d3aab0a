"""Stand-in for edx-platform's common/djangoapps/student/models/user.py: what retirement touches.

- `UserProfile`: the user's full name (`user.profile.name`), which the retirement views copy into
  `UserRetirementStatus.original_name` and later blank.
- `AnonymousUserId` and `anonymous_id_for_user(user, course_id)`: the LMS gives a user one anonymous
  id per course (and one with no course), stores each in `AnonymousUserId` the first time it is
  asked, and hands the course's one to XBlocks (`edx-platform.anonymous_user_id`). The platform
  hashes SECRET_KEY, the user id and the course; any stable hash does here.
- `CourseAccessRole`: a user's role in a course (`course_id` set, with its `org`) or in a whole
  organization (`org` set, `course_id` empty), by its role string ("staff", "limited_staff",
  "instructor", ...); `roles.py` beside this module reads and writes it. (The platform's
  `course_id` is a CourseKeyField; a string here.)
- `CourseEnrollment` and `CourseEnrollment.is_enrolled(user, course_key)` (common/djangoapps/student/models/
  course_enrollment.py): a user's enrollment in a course, which counts while `is_active`; a user who is not
  signed in is enrolled nowhere. (The platform caches the state per request and keys it by CourseKeyField.)
- `get_retired_username_by_username`, `get_retired_email_by_email`: the retired value recorded in
  the user's `UserRetirementStatus`, else a hash of the original (the platform salts it with
  RETIRED_USER_SALTS and formats it with RETIRED_USERNAME_FMT / RETIRED_EMAIL_FMT).
"""
import hashlib

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.db import models

RETIRED_PREFIX = "retired__user_"
RETIRED_EMAIL_DOMAIN = "retired.invalid"


class UserProfile(models.Model):
    """The profile of a user: here only the full name."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=255, blank=True)


class AnonymousUserId(models.Model):
    """One anonymous id of a user, for one course ("" for none)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE)
    anonymous_user_id = models.CharField(unique=True, max_length=32)
    course_id = models.CharField(max_length=255, blank=True)


class CourseAccessRole(models.Model):
    """One role of a user, in a course or in an organization."""

    user = models.ForeignKey(User, on_delete=models.CASCADE)
    org = models.CharField(max_length=64, blank=True, db_index=True)
    course_id = models.CharField(max_length=255, blank=True, db_index=True)
    role = models.CharField(max_length=64, db_index=True)

    class Meta:
        unique_together = ("user", "org", "course_id", "role")


class CourseEnrollment(models.Model):
    """A user's enrollment in a course: counts while active (unenrolling keeps the row, inactive)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE)
    course_id = models.CharField(max_length=255, db_index=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        unique_together = ("user", "course_id")

    @classmethod
    def is_enrolled(cls, user, course_key):
        """Whether `user` holds an active enrollment in `course_key`."""
        if not user.is_authenticated:
            return False
        return cls.objects.filter(user=user, course_id=str(course_key), is_active=True).exists()


def anonymous_id_for_user(user, course_id):
    """The user's anonymous id in `course_id`, recorded in AnonymousUserId the first time."""
    course = str(course_id or "")
    known = AnonymousUserId.objects.filter(user=user, course_id=course).order_by("-id").first()
    if known is not None:
        return known.anonymous_user_id
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{user.pk}|{course}".encode()).hexdigest()[:32]
    AnonymousUserId.objects.create(user=user, course_id=course, anonymous_user_id=digest)
    return digest


def _hashed(value):
    return hashlib.sha256(f"{settings.SECRET_KEY}|{value.lower()}".encode()).hexdigest()[:40]


def get_retired_username_by_username(username):
    """The retired username recorded for `username`, or a new hash of it."""
    status = apps.get_model("user_api", "UserRetirementStatus").objects.filter(original_username=username).first()
    return status.retired_username if status else RETIRED_PREFIX + _hashed(username)


def get_retired_email_by_email(email):
    """The retired email recorded for `email`, or a new hashed address."""
    status = apps.get_model("user_api", "UserRetirementStatus").objects.filter(original_email=email).first()
    return status.retired_email if status else f"{RETIRED_PREFIX}{_hashed(email)}@{RETIRED_EMAIL_DOMAIN}"
