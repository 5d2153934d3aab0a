"""Django models: a learner's request for coaching, its thread, its notifications.

Only `coach_xblock.workflow` (with its counters, `coach_xblock.counters`) and
`coach_xblock.notifications` write these models; the read side (`coach_xblock.queries`,
`coach_xblock.analytics`, `coach_xblock.workload`, `coach_xblock.exports`) reads them. What a
request's status means, and the limits of its fields, come from `coach_xblock.domain`.
"""
import uuid

from django.db import models
from django.utils import timezone

from .domain import (
    LONGER,
    MAX_CLIENT_TOKEN_LENGTH,
    MAX_LINK_LENGTH,
    MAX_MODERATION_REASON,
    MAX_SAVED_REPLY_TITLE,
    MAX_USERNAME_LENGTH,
    REPORT_STATUS_CHOICES,
    STATUS_CHOICES,
    ReportStatus,
    RequestState,
    RequestStatus,
)
from .i18n import gettext_lazy as _
from .i18n import pgettext_lazy


class CheckinRequest(RequestState, models.Model):
    """One learner's request for help at one check-in point, and its life until it is closed.

    The learner's name, the point's title and topic are copied in when the request is made,
    so that a page of the coach queue is read in a single query; so are the addresses its
    notifications go to (the learner's, the course's coaches'). When Open edX retires a user
    (`coach_xblock.retirement`), their requests as a learner are deleted, and as a coach their ids,
    names and addresses are removed from the others.

    .. pii: The learner's display name, username and email, their texts; the coaches' names and emails.
    .. pii_types: name, email_address, other
    .. pii_retirement: local_api
    """

    course_key = models.CharField(max_length=255)
    point_id = models.CharField(max_length=255, help_text=_("Usage id of the check-in point."))
    point_title = models.CharField(max_length=255)
    topic = models.CharField(max_length=32)
    learner_id = models.CharField(max_length=255, help_text=_("Anonymous user id of the learner."))
    learner_name = models.CharField(max_length=255)
    learner_username = models.CharField(max_length=255, blank=True)
    client_token = models.CharField(max_length=MAX_CLIENT_TOKEN_LENGTH)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=RequestStatus.OPEN)
    working_on = models.TextField()
    stuck_on = models.TextField()
    tried = models.TextField()
    link = models.URLField(max_length=MAX_LINK_LENGTH, blank=True)
    claimed_by = models.CharField(max_length=255, blank=True)
    claimed_by_name = models.CharField(max_length=255, blank=True)
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    first_coach_id = models.CharField(
        max_length=255, blank=True, help_text=_("Anonymous user id of the coach who answered first.")
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the learner resolved or withdrew the request.")
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    language = models.CharField(max_length=16, blank=True, help_text=_("The learner's language when asking."))
    learner_email = models.EmailField(max_length=254, blank=True)
    unit_url = models.URLField(max_length=1000, blank=True)
    coaches = models.JSONField(
        default=list, blank=True, help_text=_("The course's coaches when asked: [{id, name, email}].")
    )
    expected_response_hours = models.PositiveIntegerField(default=48)
    waiting_since = models.DateTimeField(default=timezone.now, help_text=_("When it last started to wait for a coach."))
    due_at = models.DateTimeField(null=True, blank=True, help_text=_("When a coach's answer becomes overdue."))
    escalated_at = models.DateTimeField(null=True, blank=True)
    last_answered_at = models.DateTimeField(null=True, blank=True)
    last_coach_id = models.CharField(max_length=255, blank=True)
    last_coach_name = models.CharField(max_length=255, blank=True)
    last_coach_email = models.EmailField(max_length=254, blank=True)
    nudged_at = models.DateTimeField(null=True, blank=True)
    not_helped_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the learner last said the coaching did not help.")
    )
    not_helped_count = models.PositiveSmallIntegerField(
        default=0, help_text=_("How many times the learner said the coaching did not help.")
    )
    not_helped_comment = models.TextField(blank=True, help_text=_("What the learner said was missing, last time."))
    not_helped_coach_id = models.CharField(
        max_length=255, blank=True,
        help_text=_("Anonymous user id of the coach whose answer did not help; another coach is preferred."),
    )
    # When the learner left the newest comment the analytics show (a low rating's, or saying the coaching did not
    # help; domain.shows_rating_comment), for the index that reads the newest comments (analytics.low_rating_comments).
    comment_at = models.DateTimeField(null=True, blank=True)
    status_before_review = models.CharField(
        max_length=16, blank=True, help_text=_("Its status when a coach reported it: what a dismissed report restores.")
    )

    class Meta:
        indexes = [
            models.Index(fields=["course_key", "created_at", "id"], name="coach_req_course"),
            models.Index(fields=["course_key", "status", "created_at", "id"], name="coach_req_course_status"),
            models.Index(fields=["course_key", "point_id", "created_at", "id"], name="coach_req_point"),
            models.Index(
                fields=["course_key", "point_id", "status", "created_at", "id"], name="coach_req_point_status"
            ),
            models.Index(fields=["course_key", "learner_id", "created_at"], name="coach_req_learner"),
            models.Index(fields=["status", "due_at"], name="coach_req_due"),
            models.Index(fields=["course_key", "status", "due_at"], name="coach_req_course_due"),
            models.Index(fields=["status", "last_answered_at"], name="coach_req_answered"),
            # The course team's workload (coach_xblock.workload): the requests a coach answered lately.
            models.Index(fields=["course_key", "last_answered_at"], name="coach_req_course_answered"),
            models.Index(fields=["course_key", "comment_at", "id"], name="coach_req_course_comment"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["learner_id", "point_id", "client_token"], name="coach_req_one_per_client_token"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.learner_name} @ {self.point_title} ({self.status})"


class AuthorRole(models.TextChoices):
    """Who wrote a message of a thread."""

    LEARNER = "learner", _("Learner")
    COACH = "coach", _("Coach")


class CheckinMessage(models.Model):
    """A message of a request's thread after the learner's first ask: coach answers and learner replies.

    A retired learner's messages go with their requests; a retired coach's answers stay in the
    learners' threads, signed "Retired coach".

    .. pii: The author's display name and the text.
    .. pii_types: name, other
    .. pii_retirement: local_api
    """

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


class LearnerPreference(models.Model):
    """Which emails a learner wants from the check-ins of one course.

    .. no_pii:
    """

    course_key = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255)
    answer_emails = models.BooleanField(default=True, help_text=_("Email me when a coach answers."))
    reminder_emails = models.BooleanField(default=True, help_text=_("Remind me when an answer waits for my reply."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_key", "learner_id"], name="coach_pref_one_per_learner"),
        ]


class DeliveryStatus(models.TextChoices):
    """Where a notification stands."""

    PENDING = "pending", pgettext_lazy("delivery status", "Pending")
    SENT = "sent", pgettext_lazy("delivery status", "Sent")
    FAILED = "failed", pgettext_lazy("delivery status", "Failed")


class Channel(models.TextChoices):
    """How a notification travels."""

    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook")


class Delivery(models.Model):
    """One notification to send (the outbox): written in the transaction of the change it tells.

    The worker sends it, retries with backoff until it succeeds or runs out of attempts, and
    never sends it again once sent. `key` is its Idempotency-Key and its email's Message-ID.
    The unsent notifications of a retired user are deleted; the sent ones stay, without their address.

    .. pii: The recipient's email and name.
    .. pii_types: name, email_address
    .. pii_retirement: local_api
    """

    request = models.ForeignKey(CheckinRequest, on_delete=models.CASCADE, related_name="deliveries")
    message = models.ForeignKey(
        CheckinMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries",
        help_text=_("The message this notification tells about, if any."),
    )
    event = models.CharField(max_length=32)
    request_status = models.CharField(max_length=16, help_text=_("The request's status when the event happened."))
    channel = models.CharField(max_length=16, choices=Channel.choices)
    recipient = models.CharField(max_length=1000, help_text=_("An email address or a webhook URL."))
    recipient_name = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=16, blank=True)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="coach_delivery_due")]

    def __str__(self):
        return f"{self.event} by {self.channel} to {self.recipient} ({self.status})"


def wait_field(bound):
    """The DailyStats column counting first answers in the bucket `bound` (minutes, or LONGER)."""
    return "waited_longer" if bound == LONGER else f"waited_{bound}"


class DailyStats(models.Model):
    """The counters of one check-in point for the requests asked on one day (UTC).

    Author analytics add these rows up in the database, so their cost follows the number of
    points and days, never the number of requests. A request counts on the day it was asked,
    whatever the day it was answered or resolved: each row describes one cohort of requests.
    The waits for a first coach answer are counted in one column per bucket (`wait_field`).

    .. no_pii:
    """

    course_key = models.CharField(max_length=255)
    point_id = models.CharField(max_length=255)
    topic = models.CharField(max_length=32)
    day = models.DateField()
    asked = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0, help_text=_("Requests that got a first coach answer."))
    resolved = models.PositiveIntegerField(default=0)
    not_helped = models.PositiveIntegerField(
        default=0, help_text=_("Times a learner said the coaching of a request did not help.")
    )
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    waited_15 = models.PositiveIntegerField(default=0)
    waited_30 = models.PositiveIntegerField(default=0)
    waited_60 = models.PositiveIntegerField(default=0)
    waited_120 = models.PositiveIntegerField(default=0)
    waited_180 = models.PositiveIntegerField(default=0)
    waited_240 = models.PositiveIntegerField(default=0)
    waited_360 = models.PositiveIntegerField(default=0)
    waited_480 = models.PositiveIntegerField(default=0)
    waited_720 = models.PositiveIntegerField(default=0)
    waited_960 = models.PositiveIntegerField(default=0)
    waited_1440 = models.PositiveIntegerField(default=0)
    waited_2160 = models.PositiveIntegerField(default=0)
    waited_2880 = models.PositiveIntegerField(default=0)
    waited_4320 = models.PositiveIntegerField(default=0)
    waited_5760 = models.PositiveIntegerField(default=0)
    waited_7200 = models.PositiveIntegerField(default=0)
    waited_10080 = models.PositiveIntegerField(default=0)
    waited_20160 = models.PositiveIntegerField(default=0)
    waited_longer = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = _("daily statistics")
        constraints = [
            models.UniqueConstraint(fields=["course_key", "point_id", "day"], name="coach_stats_one_per_point_day"),
        ]
        indexes = [models.Index(fields=["course_key", "day"], name="coach_stats_course_day")]


class CourseCoach(models.Model):
    """Someone the course team made a coach of one course, by username, on the coach desk.

    Effective at once, beside the course's staff, instructors and limited staff; deleted when Open
    edX retires the coach; the rows a retired user added stay, with `added_by` blanked.

    .. pii: The coach's username and the username of who added them.
    .. pii_types: username
    .. pii_retirement: local_api
    """

    course_key = models.CharField(max_length=255)
    username = models.CharField(max_length=MAX_USERNAME_LENGTH)
    added_by = models.CharField(max_length=MAX_USERNAME_LENGTH, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_key", "username"], name="coach_course_coach_once"),
        ]
        indexes = [models.Index(fields=["username"], name="coach_course_coach_user")]

    def __str__(self):
        return f"{self.username} coaches {self.course_key}"


class SavedReply(models.Model):
    """An answer kept by a course's coaches for one check-in point, to insert into their answers.

    Shared by the course's coaches: any of them may edit or delete it. A retired author's name goes.

    .. pii: The author's display name.
    .. pii_types: name
    .. pii_retirement: local_api
    """

    course_key = models.CharField(max_length=255)
    point_id = models.CharField(max_length=255)
    title = models.CharField(max_length=MAX_SAVED_REPLY_TITLE)
    body = models.TextField()
    author_id = models.CharField(max_length=255, blank=True)
    author_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("saved replies")
        indexes = [models.Index(fields=["course_key", "point_id", "title"], name="coach_saved_reply_point")]

    def __str__(self):
        return f"{self.title} ({self.point_id})"


class CoachNote(models.Model):
    """A coach's private note on a learner of a course, read by the course's coaches only.

    Shown beside the learner's requests on the coach desk, never to the learner; deleted with the
    learner at retirement; a retired author's name goes.

    .. pii: The note's text, about the learner, and its author's display name.
    .. pii_types: name, other
    .. pii_retirement: local_api
    """

    course_key = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255, help_text=_("Anonymous user id of the learner."))
    author_id = models.CharField(max_length=255, blank=True)
    author_name = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["course_key", "learner_id", "created_at"], name="coach_note_learner")]

    def __str__(self):
        return f"note on {self.learner_id} in {self.course_key}"


class Report(models.Model):
    """A CSV file of a course's requests or messages that a coach asked for, made in the background.

    A Celery task (Open edX) or the `coach_notifications` command (elsewhere) writes the file into the
    report storage (`conf.report_storage`); the desk lists the course's reports and serves them to its
    coaches. `active_key` ("course|file") is set while a report waits or is being made, and unique: a
    second ask for the same file meanwhile finds the first. Reports are deleted after REPORT_DAYS, and
    every report of a course is deleted when Open edX retires a learner who asked there (the files hold
    learners' texts).

    .. pii: The coach's display name; the file holds learners' names and texts.
    .. pii_types: name, other
    .. pii_retirement: local_api
    """

    course_key = models.CharField(max_length=255)
    file = models.CharField(max_length=16, help_text=_("What the report holds: requests or messages."))
    status = models.CharField(max_length=16, choices=REPORT_STATUS_CHOICES, default=ReportStatus.PENDING)
    active_key = models.CharField(max_length=300, null=True, blank=True, unique=True)
    requested_by = models.CharField(max_length=255, help_text=_("Anonymous user id of the coach who asked."))
    requested_by_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    storage_name = models.CharField(max_length=1000, blank=True, help_text=_("The file's name in the report storage."))
    size = models.BigIntegerField(null=True, blank=True, help_text=_("The file's size in bytes."))
    rows = models.BigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["course_key", "created_at"], name="coach_report_course")]

    def __str__(self):
        return f"{self.file} of {self.course_key} ({self.status})"

class ModerationAction(models.TextChoices):
    """What a moderation record tells: a coach reported a request, the course team decided, blocked, unblocked."""

    REPORTED = "reported", pgettext_lazy("moderation action", "Reported")
    DISMISSED = "dismissed", pgettext_lazy("moderation action", "Report dismissed")
    UPHELD = "upheld", pgettext_lazy("moderation action", "Report upheld")
    BLOCKED = "blocked", pgettext_lazy("moderation action", "Blocked")
    UNBLOCKED = "unblocked", pgettext_lazy("moderation action", "Unblocked")


class ModerationRecord(models.Model):
    """One step of a course's moderation, kept for the course team: who did what, to whom, when and why.

    Written by `coach_xblock.workflow.moderation` in the transaction of the step. A retired learner's records
    go; a retired coach's id and name are blanked in the records they made ("Retired coach"). A request
    deleted by a reset of the learner's state leaves its records, without the request.

    .. pii: The learner's display name and username, the actor's display name, the reason written.
    .. pii_types: name, username, other
    .. pii_retirement: local_api
    """

    course_key = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255, help_text=_("Anonymous user id of the learner concerned."))
    learner_name = models.CharField(max_length=255, blank=True)
    learner_username = models.CharField(max_length=255, blank=True)
    request = models.ForeignKey(
        CheckinRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_records",
        help_text=_("The request reported or reviewed, if any."),
    )
    action = models.CharField(max_length=16, choices=ModerationAction.choices)
    actor_id = models.CharField(max_length=255, blank=True, help_text=_("Anonymous user id of who acted."))
    actor_name = models.CharField(max_length=255, blank=True)
    reason = models.TextField(blank=True, max_length=MAX_MODERATION_REASON)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["course_key", "created_at", "id"], name="coach_moderation_course"),
            models.Index(fields=["request", "created_at"], name="coach_moderation_request"),
            models.Index(fields=["learner_id"], name="coach_moderation_learner"),
            models.Index(fields=["actor_id"], name="coach_moderation_actor"),
        ]

    def __str__(self):
        return f"{self.action} {self.learner_id} in {self.course_key}"


class LearnerBlock(models.Model):
    """A learner the course team blocked from asking in one course: at most one row per learner and course.

    Deleted when the course team unblocks them, and when Open edX retires them; a retired author's id and name
    are blanked.

    .. pii: The learner's display name and username, the author's display name, the reason written.
    .. pii_types: name, username, other
    .. pii_retirement: local_api
    """

    course_key = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255, help_text=_("Anonymous user id of the learner."))
    learner_name = models.CharField(max_length=255, blank=True)
    learner_username = models.CharField(max_length=255, blank=True)
    reason = models.TextField(max_length=MAX_MODERATION_REASON)
    blocked_by_id = models.CharField(max_length=255, blank=True)
    blocked_by_name = models.CharField(max_length=255, blank=True)
    blocked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_key", "learner_id"], name="coach_block_one_per_learner"),
        ]
        indexes = [
            models.Index(fields=["learner_id"], name="coach_block_learner"),
            models.Index(fields=["blocked_by_id"], name="coach_block_author"),
        ]

    def __str__(self):
        return f"{self.learner_id} blocked in {self.course_key}"
