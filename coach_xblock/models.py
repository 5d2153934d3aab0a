"""Django models: a learner's request for coaching and the messages of its thread.

Only `coach_xblock.workflow` writes these models; `coach_xblock.queries` reads them.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    """Where a request stands. A coach's claim is a timed lock on an open request, not a status."""

    OPEN = "open", _("Waiting for a coach")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_STATUSES = (RequestStatus.OPEN, RequestStatus.ANSWERED)


class CheckinRequest(models.Model):
    """One learner's request for help at one check-in point, and its life until it is closed.

    The learner's name, the point's title and topic are copied in when the request is made,
    so that a page of the coach queue is read in a single query.
    """

    course_key = models.CharField(max_length=255)
    point_id = models.CharField(max_length=255, help_text=_("Usage id of the check-in point."))
    point_title = models.CharField(max_length=255)
    topic = models.CharField(max_length=32)
    learner_id = models.CharField(max_length=255, help_text=_("Anonymous user id of the learner."))
    learner_name = models.CharField(max_length=255)
    client_token = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    working_on = models.TextField()
    stuck_on = models.TextField()
    tried = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    claimed_by = models.CharField(max_length=255, blank=True)
    claimed_by_name = models.CharField(max_length=255, blank=True)
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the learner resolved or withdrew the request.")
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["course_key", "created_at", "id"], name="coach_req_course"),
            models.Index(fields=["course_key", "status", "created_at", "id"], name="coach_req_course_status"),
            models.Index(fields=["course_key", "point_id", "created_at", "id"], name="coach_req_point"),
            models.Index(
                fields=["course_key", "point_id", "status", "created_at", "id"], name="coach_req_point_status"
            ),
            models.Index(fields=["course_key", "learner_id", "created_at"], name="coach_req_learner"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["learner_id", "point_id", "client_token"], name="coach_req_one_per_client_token"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.learner_name} @ {self.point_title} ({self.status})"

    def status_label(self, now=None):
        """The status in words at `now`, as the learner and the coach read it."""
        if self.status == RequestStatus.OPEN and self.claim_is_active(now):
            return _("A coach is on it")
        return self.get_status_display()

    def claim_is_active(self, now=None):
        """True when a coach holds an unexpired claim on this request."""
        now = now or timezone.now()
        return bool(self.claimed_by) and self.claim_expires_at is not None and self.claim_expires_at > now


class AuthorRole(models.TextChoices):
    """Who wrote a message of a thread."""

    LEARNER = "learner", _("Learner")
    COACH = "coach", _("Coach")


class CheckinMessage(models.Model):
    """A message of a request's thread after the learner's first ask: coach answers and learner replies."""

    request = models.ForeignKey(CheckinRequest, on_delete=models.CASCADE, related_name="messages")
    author_role = models.CharField(max_length=16, choices=AuthorRole.choices)
    author_id = models.CharField(max_length=255)
    author_name = models.CharField(max_length=255)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at", "id"], name="coach_msg_thread")]

    def __str__(self):
        return f"{self.author_role} on #{self.request_id}"
