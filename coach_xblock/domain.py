"""The domain of coach check-ins: its values, its errors, its limits and its rules, in one place.

Read by everyone (the workflow, the read side, identity, the block, its Studio validation, the
models and, through the block, the templates) and importing nothing of the package but its
translations: no XBlock, no models, no views. A limit or a rule changed here changes everywhere.

A rule on a request's state (`Rule`) is written once as field lookups: the workflow's conditional
UPDATE filters on them, and the views ask `RequestState` whether they hold for a request they show.
"""
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.utils import timezone

from .i18n import gettext as _
from .i18n import gettext_lazy, pgettext_lazy

# Limits of what people write and send.
CLAIM_DURATION = timedelta(minutes=30)
CLAIM_MINUTES = CLAIM_DURATION // timedelta(minutes=1)
MAX_LINK_LENGTH = 500
MAX_COMMENT_LENGTH = 1000
MAX_COACH_REPLY_LENGTH = 10000
MAX_CLIENT_TOKEN_LENGTH = 64
RATINGS = range(1, 6)  # a learner rates the help from 1 to 5 stars
LOW_RATING = 2  # ratings at or under this are low: their comments are shown to authors and coaches
MAX_ID = 2**63 - 1  # the largest request id any supported database stores
MAX_NOTE_LENGTH = 2000  # a coach's private note on a learner
MAX_SAVED_REPLY_TITLE = 120  # the name coaches pick a saved reply by
MAX_USERNAME_LENGTH = 150  # Django's and Open edX's usernames
MAX_MODERATION_REASON = 1000  # why a coach reports a request, why the course team blocks a learner
# A follow-up (a request waiting again after the learner replied) is offered first to the coach who
# answered last: only they may claim it during this time after the reply; then any coach may.
# A request asked again because the coaching did not help goes to another coach first: the coach whose
# answer did not help may claim it only once this time has passed since the learner asked again.
FOLLOWUP_PRIORITY = timedelta(hours=1)


# Upper bounds of the buckets of waits for a first answer, in minutes: 15 min ... 2 weeks, then "longer".
# Waits are counted per bucket, and read as "answered within <bucket>", as people say it anyway.
WAIT_BUCKETS = (15, 30, 60, 120, 180, 240, 360, 480, 720, 960, 1440, 2160, 2880, 4320, 5760, 7200, 10080, 20160)
LONGER = 0  # the bucket of waits beyond the last bound


def wait_bucket(seconds):
    """The bucket (upper bound in minutes, or LONGER) of a wait of `seconds`."""
    minutes = seconds / 60
    return next((bound for bound in WAIT_BUCKETS if minutes <= bound), LONGER)


@dataclass(frozen=True)
class Bounds:
    """The range of a number setting of a check-in point, and its default."""

    minimum: int
    maximum: int
    default: int

    def usable(self, value):
        """What a point runs with: a whole number brought into the range, else the default."""
        if not is_whole_number(value):
            return self.default
        return min(max(value, self.minimum), self.maximum)


def is_whole_number(value):
    """Whether `value` is an int (and not a bool, which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool)


# The settings of a check-in point that the authors choose within bounds.
EXPECTED_RESPONSE_HOURS = Bounds(minimum=1, maximum=24 * 30, default=48)
OPEN_REQUESTS = Bounds(minimum=1, maximum=20, default=1)
MIN_LENGTH = Bounds(minimum=0, maximum=20000, default=20)
MAX_LENGTH = Bounds(minimum=1, maximum=20000, default=2000)


def usable_min_length(min_length, max_length):
    """The minimum length a point runs with: never more than its maximum length."""
    return min(min_length, max_length)


TOPICS = (
    ("skills", pgettext_lazy("topic", "Skills")),
    ("orientation", pgettext_lazy("topic", "Orientation")),
    ("feasibility", pgettext_lazy("topic", "Feasibility of the project")),
    ("job_search", pgettext_lazy("topic", "Job search")),
    ("other", pgettext_lazy("topic", "Other")),
)
DEFAULT_TOPIC = TOPICS[0][0]


class RequestStatus(StrEnum):
    """Where a request stands. A coach's claim is a timed lock on an open request, not a status."""

    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    NOT_HELPED = "not_helped"
    UNDER_REVIEW = "under_review"
    REMOVED = "removed"

    @property
    def label(self):
        """The status in words, as the learner and the coach read it."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    RequestStatus.OPEN: pgettext_lazy("request status", "Waiting for a coach"),
    RequestStatus.ANSWERED: pgettext_lazy("request status", "Answered"),
    RequestStatus.RESOLVED: pgettext_lazy("request status", "Resolved"),
    RequestStatus.WITHDRAWN: pgettext_lazy("request status", "Withdrawn"),
    RequestStatus.CLOSED: pgettext_lazy("request status", "Closed: no reply"),
    RequestStatus.NOT_HELPED: pgettext_lazy("request status", "Closed: did not help"),
    RequestStatus.UNDER_REVIEW: pgettext_lazy("request status", "Reported: under review"),
    RequestStatus.REMOVED: pgettext_lazy("request status", "Closed after a report"),
}
# (value, label) of each status, in the order of their life.
STATUS_CHOICES = tuple((status.value, label) for status, label in STATUS_LABELS.items())
# Requests still alive: waiting for a coach, or for the learner. A point limits how many a learner has.
ACTIVE_STATUSES = (RequestStatus.OPEN, RequestStatus.ANSWERED)
# Requests a coach reported: under review by the course team, or closed by it. Their texts show only on the
# course team's review page (`RequestState.text_hidden`).
HIDDEN_STATUSES = (RequestStatus.UNDER_REVIEW, RequestStatus.REMOVED)


class ReportStatus(StrEnum):
    """Where a report (a CSV file a coach asked for, made in the background) stands."""

    PENDING = "pending"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


REPORT_STATUS_CHOICES = (
    (ReportStatus.PENDING.value, pgettext_lazy("report status", "Waiting to be prepared")),
    (ReportStatus.RUNNING.value, pgettext_lazy("report status", "Being prepared")),
    (ReportStatus.READY.value, pgettext_lazy("report status", "Ready")),
    (ReportStatus.FAILED.value, pgettext_lazy("report status", "Failed")),
)
ACTIVE_REPORT_STATUSES = (ReportStatus.PENDING, ReportStatus.RUNNING)  # one of a file at a time per course


class Rule:
    """A condition on a request's fields, written as Django field lookups (`status__in=...`).

    The workflow puts `lookups` in the WHERE of its conditional UPDATE; `holds(request)` checks the
    same condition on a request (or a queue row) in hand, for the views. Lookups: equality, `__in`,
    `__isnull` and the comparisons `__lt`, `__lte` and `__gt`, which a missing value (NULL) never meets.
    """

    COMPARISONS = {
        "": lambda value, expected: value == expected,
        "in": lambda value, expected: value in expected,
        "isnull": lambda value, expected: (value is None) is expected,
        "lt": lambda value, expected: value is not None and value < expected,
        "lte": lambda value, expected: value is not None and value <= expected,
        "gt": lambda value, expected: value is not None and value > expected,
    }

    def __init__(self, **lookups):
        self.lookups = lookups

    def holds(self, request):
        """Whether `request` meets every lookup."""
        for lookup, expected in self.lookups.items():
            field, _separator, operator = lookup.partition("__")
            if not self.COMPARISONS[operator](getattr(request, field), expected):
                return False
        return True


# When a learner may reply (a coach answered), withdraw (no coach answered since), resolve (a coach
# answered once, and the request is still alive); when a coach may claim or answer (it waits for one).
REPLYABLE = Rule(status=RequestStatus.ANSWERED)
WITHDRAWABLE = Rule(status=RequestStatus.OPEN)
RESOLVABLE = Rule(status__in=ACTIVE_STATUSES, first_answered_at__isnull=False)
WAITING_FOR_A_COACH = Rule(status=RequestStatus.OPEN)
# When a coach may report a request (it is alive), and the course team review the report.
REPORTABLE = Rule(status__in=ACTIVE_STATUSES)
REVIEWABLE = Rule(status=RequestStatus.UNDER_REVIEW)
# When a learner may say the coaching did not help (then ask again, or close): a coach answered and the
# request waits for the learner.
NOT_HELPABLE = Rule(status=RequestStatus.ANSWERED)
# What a learner whom the coaching did not help does next: the request goes back to the queue, or it closes.
ASK_AGAIN = "ask_again"
CLOSE = "close"
NOT_HELPED_CHOICES = (ASK_AGAIN, CLOSE)


def overdue_at(now):
    """The rule of requests waiting for a coach past their expected response time at `now`."""
    return Rule(status=RequestStatus.OPEN, due_at__lte=now)


def claimable_by(coach_id, now):
    """When `coach_id` may claim a request waiting for a coach at `now`, as groups of lookups (for Q objects): the
    request must meet one lookup set of every group.

    First group: no follow-up is kept for another coach (`RequestState.reserved_for`). Second: it is not a request
    asked again because this coach's answer did not help, within `FOLLOWUP_PRIORITY` (`RequestState.kept_from`;
    asking again empties `last_coach_id`, which the next answer sets again). `RequestState.may_claim` reads the
    same lookups.
    """
    priority_over = now - FOLLOWUP_PRIORITY
    return (
        (
            {"last_answered_at__isnull": True},
            {"last_coach_id": ""},
            {"last_coach_id": coach_id},
            {"waiting_since__lte": priority_over},
        ),
        (
            {"not_helped_at__isnull": True},
            {"not_helped_at__lte": priority_over},
            {"last_coach_id__gt": ""},
            {"not_helped_coach_id__lt": coach_id},
            {"not_helped_coach_id__gt": coach_id},
        ),
    )


def shows_rating_comment(rating, comment):
    """Whether the comment of a rating is one the analytics show: a low rating's (LOW_RATING or less), not empty."""
    return rating is not None and rating <= LOW_RATING and bool(comment)


def answer_due(since, expected_response_hours):
    """When a coach's answer becomes overdue for a request waiting since `since`."""
    return since + timedelta(hours=expected_response_hours)


class RequestState:
    """What a request's status, claim and due time mean at a moment, for the model and for queue rows.

    Needs the attributes status, claimed_by, claim_expires_at, due_at, last_answered_at, last_coach_id,
    waiting_since, not_helped_at and not_helped_coach_id (and first_answered_at for `can_be_resolved`).
    """

    def status_label(self, now=None):
        """The status in words at `now`, as the learner and the coach read it."""
        if self.status == RequestStatus.OPEN and self.claim_is_active(now):
            return gettext_lazy("A coach is on it")
        return RequestStatus(self.status).label

    def is_active(self):
        """True while the request waits for a coach or for the learner."""
        return self.status in ACTIVE_STATUSES

    def is_overdue(self, now=None):
        """True when the request waits for a coach past its expected response time."""
        return overdue_at(now or timezone.now()).holds(self)

    def claim_is_active(self, now=None):
        """True when a coach holds an unexpired claim on this request."""
        now = now or timezone.now()
        return bool(self.claimed_by) and self.claim_expires_at is not None and self.claim_expires_at > now

    def waits_for_a_coach(self):
        """True when a coach may claim and answer the request."""
        return WAITING_FOR_A_COACH.holds(self)

    def is_followup(self):
        """True when the request waits for a coach again, after a coach answered and the learner replied."""
        return self.status == RequestStatus.OPEN and self.last_answered_at is not None and not self.is_asked_again()

    def is_asked_again(self):
        """True when the request waits for a coach again because the learner said the coaching did not help (and
        no coach answered since: asking again empties `last_coach_id`, which an answer sets)."""
        return (
            self.status == RequestStatus.OPEN and self.not_helped_at is not None and self.last_answered_at is not None
            and not self.last_coach_id
        )

    def kept_from(self, now=None):
        """The id of the coach whose answer did not help, kept from claiming the request asked again at `now`
        (for `FOLLOWUP_PRIORITY` after the learner asked again), or "" when no coach is kept from it."""
        now = now or timezone.now()
        if self.is_asked_again() and self.not_helped_coach_id and self.not_helped_at + FOLLOWUP_PRIORITY > now:
            return self.not_helped_coach_id
        return ""

    def may_claim(self, coach_id, now=None):
        """Whether the follow-up priority and the preference for another coach let `coach_id` claim the
        request at `now`: the lookups of `claimable_by` (the claim of another coach is not looked at)."""
        groups = claimable_by(coach_id, now or timezone.now())
        return all(any(Rule(**lookups).holds(self) for lookups in group) for group in groups)

    def reserved_for(self, now=None):
        """The id of the coach a follow-up is kept for at `now` (who answered it last, for
        `FOLLOWUP_PRIORITY` after the learner's reply), or "" when any coach may claim it."""
        now = now or timezone.now()
        if self.is_followup() and self.last_coach_id and self.waiting_since + FOLLOWUP_PRIORITY > now:
            return self.last_coach_id
        return ""

    def reserved_until(self):
        """When the priority of the coach who answered last on this follow-up ends."""
        return self.waiting_since + FOLLOWUP_PRIORITY

    def can_reply(self):
        """True when the learner may reply: a coach answered."""
        return REPLYABLE.holds(self)

    def can_withdraw(self):
        """True when the learner may withdraw the request."""
        return WITHDRAWABLE.holds(self)

    def can_be_resolved(self):
        """True when the learner may mark the request resolved."""
        return RESOLVABLE.holds(self)

    def can_be_reported(self):
        """True when a coach may report the request as inappropriate."""
        return REPORTABLE.holds(self)

    def is_under_review(self):
        """True while the course team reviews a coach's report of the request."""
        return REVIEWABLE.holds(self)

    def text_hidden(self):
        """True when a coach reported the request: its texts show only on the course team's review page."""
        return self.status in HIDDEN_STATUSES

    def can_say_not_helped(self):
        """True when the learner may say the coaching did not help, then ask again or close the request."""
        return NOT_HELPABLE.holds(self)


class WorkflowError(Exception):
    """An action was refused; nothing was changed."""

    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvalidInput(WorkflowError):
    """The input is missing, of the wrong type or out of bounds."""

    status = 400


class Forbidden(WorkflowError):
    """The person may not do this."""

    status = 403


class NotFound(WorkflowError):
    """No such request where the person looks."""

    status = 404


class Conflict(WorkflowError):
    """The request's state forbids the action (already claimed, already answered, ...)."""

    status = 409


def no_request_in_course(request_id):
    """The error of a coach looking for a request `request_id` that their course does not hold."""
    return NotFound(_("There is no request #{id} in this course.").format(id=request_id))


@dataclass(frozen=True)
class Person:
    """Someone acting on requests: a learner or a coach, with the address notifications reach and, for a
    coach, the language their emails are written in ("" for the site's)."""

    user_id: str
    display_name: str
    email: str = ""
    username: str = ""
    language: str = ""


@dataclass(frozen=True)
class CheckinPoint:
    """The settings of one check-in point that the workflow enforces."""

    course_key: str
    point_id: str
    title: str
    topic: str
    max_open_requests: int = OPEN_REQUESTS.default
    min_length: int = MIN_LENGTH.default
    max_length: int = MAX_LENGTH.default
    expected_response_hours: int = EXPECTED_RESPONSE_HOURS.default
    unit_url: str = ""
    coaches: tuple = ()

    def may_ask(self, open_count):
        """Whether a learner with `open_count` active requests here may ask again."""
        return open_count < self.max_open_requests
