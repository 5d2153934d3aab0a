"""Read side for authors and course teams: analytics and CSV exports.

Analytics add up the per-day counters of `DailyStats` in the database (their cost follows
points and days, not requests) and count what is open or overdue now through indexes.
Exports stream rows from the database in chunks, one query each: memory stays flat whatever the number of
rows, on every database.
"""
import csv
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from .analytics import LONGER, WAIT_BUCKETS, percentile_bucket
from .conf import setting
from .domain import ACTIVE_STATUSES, InvalidInput, overdue_at
from .i18n import gettext as _
from .models import CheckinMessage, CheckinRequest, DailyStats, wait_field

PERIODS = {"7": 7, "30": 30, "90": 90, "all": None}
TYPICAL_WAIT_MIN_ANSWERS = 5
TYPICAL_WAIT_DAYS = 90
EXPORT_CHUNK = 2000


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


# Exports

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell value a spreadsheet will not run: text starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Line:
    """A file-like object holding the last line csv.writer wrote."""

    def write(self, text):
        return text


def _csv_lines(header, rows):
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def _learner_column():
    return "learner_username" if setting("EXPORT_USERNAMES") else "learner_id"


REQUEST_COLUMNS = (
    "id", "point_id", "point_title", "topic", "status", "created_at", "first_answered_at", "closed_at",
    "expected_response_hours", "due_at", "rating", "rating_comment", "working_on", "stuck_on", "tried", "link",
)


def _in_chunks(queryset, columns, order):
    """The rows of `queryset` as tuples of `columns`, sorted by `order` (fields among `columns`, unique together),
    read EXPORT_CHUNK at a time, each chunk by one query starting after the last row of the one before (keyset).

    Only a chunk is ever held, on every database: MySQL's driver reads the whole result of a query before
    handing out its first row, even through `.iterator()`.
    """
    positions = [columns.index(field) for field in order]
    rows = queryset.order_by(*order).values_list(*columns)
    after = Q()
    while True:
        chunk = list(rows.filter(after)[:EXPORT_CHUNK])
        yield from chunk
        if len(chunk) < EXPORT_CHUNK:
            return
        last = [chunk[-1][position] for position in positions]
        # (a, b, c) > (x, y, z): a > x, or a = x and b > y, or ...; the leading a >= x lets an index seek to it.
        beyond = Q()
        for index, field in enumerate(order):
            beyond |= Q(**dict(zip(order[:index], last[:index], strict=True)), **{f"{field}__gt": last[index]})
        after = Q(**{f"{order[0]}__gte": last[0]}) & beyond


def export_requests(course_key):
    """The course's requests as CSV lines (streamed), learners by anonymous id unless usernames are allowed."""
    learner = _learner_column()
    columns = (REQUEST_COLUMNS[0], learner, *REQUEST_COLUMNS[1:])
    rows = _in_chunks(CheckinRequest.objects.filter(course_key=course_key), columns, order=("id",))
    header = ("request_id", "learner", *REQUEST_COLUMNS[1:])
    return _csv_lines(header, rows)


def export_messages(course_key):
    """The messages of the course's requests as CSV lines (streamed)."""
    rows = _in_chunks(
        CheckinMessage.objects.filter(request__course_key=course_key),
        ("request_id", "id", "author_role", "created_at", "body"),
        order=("request_id", "created_at", "id"),
    )
    return _csv_lines(("request_id", "message_id", "author_role", "created_at", "body"), rows)


# The exports, by the name a coach asks for (`?file=`) and a download link carries.
EXPORT_FILES = {"requests": export_requests, "messages": export_messages}
