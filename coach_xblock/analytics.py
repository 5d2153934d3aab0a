"""Read side for authors and course teams: where learners get stuck, how fast coaches answer.

Analytics add up the per-day counters of `DailyStats` (written by `coach_xblock.counters`) in the
database, so their cost follows points and days, not requests, and count what is open or overdue
now through indexes; the course's figures and each point's come from one grouped query of the same counters.
The comments of low ratings and of coaching that did not help are read newest first, a bounded
number of them. The wait learners are told before they ask comes from the same counters.
"""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Sum
from django.utils import timezone

from .domain import (
    ACTIVE_STATUSES,
    HIDDEN_STATUSES,
    LONGER,
    WAIT_BUCKETS,
    InvalidInput,
    overdue_at,
    shows_rating_comment,
)
from .i18n import gettext as _
from .models import CheckinRequest, DailyStats, wait_field

# The periods analytics cover, by the name a request gives them: the last days, or all time (None).
PERIODS = {"7": 7, "30": 30, "90": 90, "all": None}
DEFAULT_PERIOD = "30"
TYPICAL_WAIT_MIN_ANSWERS = 5
TYPICAL_WAIT_DAYS = 90
COMMENTS_SHOWN = 20  # the newest comments of low ratings and of coaching that did not help, per page


@dataclass(frozen=True)
class Analytics:
    """What authors and coaches see of a point or a course over a period."""

    period: str
    asked: int
    open_now: int
    overdue_now: int
    answered: int
    median_wait_minutes: int | None  # None: no answer yet; LONGER (0): beyond two weeks
    p90_wait_minutes: int | None
    resolved: int
    share_resolved: float | None
    mean_rating: float | None
    not_helped: int
    by_topic: list  # [(topic, asked, resolved)]

    def as_dict(self):
        """JSON-ready data."""
        return {**self.__dict__, "by_topic": [list(row) for row in self.by_topic]}


def _since(period, now):
    if period not in PERIODS:
        raise InvalidInput(_("Unknown period: choose 7, 30, 90 or all."))
    days = PERIODS[period]
    return None if days is None else (now - timedelta(days=days)).date()


_WAIT_SUMS = {f"waits_{bound}": Sum(wait_field(bound)) for bound in (*WAIT_BUCKETS, LONGER)}
_COUNTER_SUMS = {
    "asked": Sum("asked"), "answered": Sum("answered"), "resolved": Sum("resolved"), "not_helped": Sum("not_helped"),
    "rating_sum": Sum("rating_sum"), "rating_count": Sum("rating_count"), **_WAIT_SUMS,
}


def percentile_bucket(histogram, share):
    """The bucket (minutes, LONGER, or None without data) under which `share` of the waits fall."""
    total = sum(histogram.values())
    if not total:
        return None
    seen = 0
    for bound in (*WAIT_BUCKETS, LONGER):
        seen += histogram.get(str(bound), 0)
        if seen >= share * total:
            return bound
    return LONGER


def _histogram(totals):
    """The wait histogram {bucket: answers} out of an aggregate of DailyStats rows holding _WAIT_SUMS."""
    return {str(bound): totals[f"waits_{bound}"] or 0 for bound in (*WAIT_BUCKETS, LONGER)}


def _counter_sums(course_key, point_id, since):
    """The sums of the counters of the course (or of one point) from `since`, one row per point and topic, in one
    grouped query: at most points x topics rows, whatever the days and the requests they add up."""
    rows = DailyStats.objects.filter(course_key=course_key)
    if point_id:
        rows = rows.filter(point_id=point_id)
    if since:
        rows = rows.filter(day__gte=since)
    return [
        {key: value or 0 for key, value in row.items()}
        for row in rows.values("point_id", "topic").annotate(**_COUNTER_SUMS).order_by("point_id", "topic")
    ]


def _added(rows):
    """The sums of counter sums `rows`."""
    return {key: sum(row[key] for row in rows) for key in _COUNTER_SUMS}


def _analytics(course_key, point_id, period, now, sums):
    """The Analytics of `sums` (rows of `_counter_sums`), with what is open and overdue now (two indexed counts)."""
    requests = CheckinRequest.objects.filter(course_key=course_key)
    if point_id:
        requests = requests.filter(point_id=point_id)
    totals = _added(sums)
    topics = sorted({row["topic"] for row in sums})
    by_topic = [
        (topic, *(sum(row[key] for row in sums if row["topic"] == topic) for key in ("asked", "resolved")))
        for topic in topics
    ]
    return Analytics(
        period=period,
        open_now=requests.filter(status__in=ACTIVE_STATUSES).count(),
        overdue_now=requests.filter(**overdue_at(now).lookups).count(),
        by_topic=by_topic,
        **_figures(totals, _histogram(totals)),
    )


def point_analytics(course_key, point_id=None, period="30", now=None):
    """Analytics of one point (`point_id`) or of the whole course, for requests asked in `period` (days)."""
    now = now or timezone.now()
    return _analytics(course_key, point_id, period, now, _counter_sums(course_key, point_id, _since(period, now)))


def course_analytics(course_key, period="30", now=None):
    """(Analytics of the course, {point id: PointFigures} of every point with requests asked in `period`), from
    one grouped query of the per-day counters (its cost follows points and days, never requests) and the two
    counts of what is open and overdue now."""
    now = now or timezone.now()
    sums = _counter_sums(course_key, None, _since(period, now))
    by_point = {}
    for row in sums:
        by_point.setdefault(row["point_id"], []).append(row)
    figures = {}
    for point_id, rows in by_point.items():
        totals = _added(rows)
        figures[point_id] = PointFigures(point_id=point_id, **_figures(totals, _histogram(totals)))
    return _analytics(course_key, None, period, now, sums), figures


def _figures(sums, histogram):
    """The figures of requests asked in a period, from the sums of their counters and their waits' histogram."""
    return {
        "asked": sums["asked"],
        "answered": sums["answered"],
        "median_wait_minutes": percentile_bucket(histogram, 0.5),
        "p90_wait_minutes": percentile_bucket(histogram, 0.9),
        "resolved": sums["resolved"],
        "share_resolved": sums["resolved"] / sums["asked"] if sums["asked"] else None,
        "mean_rating": sums["rating_sum"] / sums["rating_count"] if sums["rating_count"] else None,
        "not_helped": sums["not_helped"],
    }


@dataclass(frozen=True)
class PointFigures:
    """What authors and coaches see of one check-in point over a period (requests asked in it)."""

    point_id: str
    asked: int
    answered: int
    median_wait_minutes: int | None  # as in Analytics
    p90_wait_minutes: int | None
    resolved: int
    share_resolved: float | None
    mean_rating: float | None
    not_helped: int

    @classmethod
    def none_asked(cls, point_id):
        """The figures of a point where no request was asked in the period."""
        return cls(point_id, 0, 0, None, None, 0, None, None, 0)

    def as_dict(self):
        """JSON-ready data."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class LearnerComment:
    """A learner's comment on a low rating (`rating` 1 or 2) or on coaching that did not help (`rating`
    None): the point, when, and the text as written (untrusted: escape it). It names no learner."""

    point_id: str
    point_title: str
    at: datetime
    rating: int | None
    text: str

    def as_dict(self):
        """JSON-ready data (the time in ISO 8601, UTC)."""
        return {**self.__dict__, "at": self.at.astimezone(UTC).isoformat()}


def low_rating_comments(course_key, point_id=None, period="30", now=None, limit=COMMENTS_SHOWN):
    """The newest `limit` comments of requests of the course (or of one point) asked in `period` that were
    rated LOW_RATING or less, or that learners said did not help, newest first. A request a coach reported shows
    none: its texts are for the course team's review only.

    One query, of the requests with such a comment only (`comment_at`, the newest one's time, read from the index
    `coach_req_course_comment` newest first): its cost follows the comments shown, not the course's requests.
    A request holds at most two comments, each no newer than its `comment_at`: the newest `limit` requests hold
    the newest `limit` comments."""
    now = now or timezone.now()
    since = _since(period, now)
    requests = CheckinRequest.objects.filter(course_key=course_key).exclude(status__in=HIDDEN_STATUSES)
    if point_id:
        requests = requests.filter(point_id=point_id)
    if since:
        requests = requests.filter(created_at__gte=datetime.combine(since, datetime.min.time(), tzinfo=UTC))
    rows = requests.filter(comment_at__isnull=False).order_by("-comment_at", "-id").values(
        "point_id", "point_title", "closed_at", "rating", "rating_comment", "not_helped_at", "not_helped_comment",
    )[:limit]
    comments = []
    for row in rows:
        if shows_rating_comment(row["rating"], row["rating_comment"]) and row["closed_at"]:
            comments.append(LearnerComment(row["point_id"], row["point_title"], row["closed_at"], row["rating"],
                                           row["rating_comment"]))
        if row["not_helped_comment"] and row["not_helped_at"]:
            comments.append(LearnerComment(row["point_id"], row["point_title"], row["not_helped_at"], None,
                                           row["not_helped_comment"]))
    return sorted(comments, key=lambda comment: comment.at, reverse=True)[:limit]


def typical_wait_hours(course_key, point_id, expected_hours, now=None):
    """The wait learners are told: the median of the last 90 days, in whole hours, once there is
    enough data; the author's expected response time before that. Returns (hours, measured)."""
    now = now or timezone.now()
    rows = DailyStats.objects.filter(
        course_key=course_key, point_id=point_id, day__gte=(now - timedelta(days=TYPICAL_WAIT_DAYS)).date()
    )
    histogram = _histogram(rows.aggregate(**_WAIT_SUMS))
    if sum(histogram.values()) < TYPICAL_WAIT_MIN_ANSWERS:
        return expected_hours, False
    median = percentile_bucket(histogram, 0.5)
    if median == LONGER:
        return expected_hours, False
    return max(1, -(-median // 60)), True
