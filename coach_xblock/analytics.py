"""Read side for authors and course teams: where learners get stuck, how fast coaches answer.

Analytics add up the per-day counters of `DailyStats` (written by `coach_xblock.counters`) in the
database, so their cost follows points and days, not requests, and count what is open or overdue
now through indexes. The wait learners are told before they ask comes from the same counters.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from .domain import ACTIVE_STATUSES, LONGER, WAIT_BUCKETS, InvalidInput, overdue_at
from .i18n import gettext as _
from .models import CheckinRequest, DailyStats, wait_field

# The periods analytics cover, by the name a request gives them: the last days, or all time (None).
PERIODS = {"7": 7, "30": 30, "90": 90, "all": None}
DEFAULT_PERIOD = "30"
TYPICAL_WAIT_MIN_ANSWERS = 5
TYPICAL_WAIT_DAYS = 90


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


def point_analytics(course_key, point_id=None, period="30", now=None):
    """Analytics of one point (`point_id`) or of the whole course, for requests asked in `period` (days)."""
    now = now or timezone.now()
    since = _since(period, now)
    rows = DailyStats.objects.filter(course_key=course_key)
    requests = CheckinRequest.objects.filter(course_key=course_key)
    if point_id:
        rows = rows.filter(point_id=point_id)
        requests = requests.filter(point_id=point_id)
    if since:
        rows = rows.filter(day__gte=since)
    totals = rows.aggregate(
        asked=Sum("asked"), answered=Sum("answered"), resolved=Sum("resolved"),
        rating_sum=Sum("rating_sum"), rating_count=Sum("rating_count"), **_WAIT_SUMS,
    )
    histogram = _histogram(totals)
    totals = {key: value or 0 for key, value in totals.items()}
    by_topic = [
        (row["topic"], row["asked"] or 0, row["resolved"] or 0)
        for row in rows.values("topic").annotate(asked=Sum("asked"), resolved=Sum("resolved")).order_by("topic")
    ]
    return Analytics(
        period=period,
        asked=totals["asked"],
        open_now=requests.filter(status__in=ACTIVE_STATUSES).count(),
        overdue_now=requests.filter(**overdue_at(now).lookups).count(),
        answered=totals["answered"],
        median_wait_minutes=percentile_bucket(histogram, 0.5),
        p90_wait_minutes=percentile_bucket(histogram, 0.9),
        resolved=totals["resolved"],
        share_resolved=totals["resolved"] / totals["asked"] if totals["asked"] else None,
        mean_rating=totals["rating_sum"] / totals["rating_count"] if totals["rating_count"] else None,
        by_topic=by_topic,
    )


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
