"""Read side for the course team: how the course's coaches share the work, and where requests wait.

`course_workload` answers, for one course at a moment: per coach, the requests they answered and
the median time of their first answers over the last 7 and 30 days, and the requests they hold now;
per check-in point, the requests waiting and overdue now; and the course's totals. Nothing in it is
about a learner: no name, no id, no count per learner.

The coaches are those who answered in the last 30 days or hold a claim now, each under their
anonymous id with the latest name they signed with; retired coaches, whose ids were removed from
every row (`workflow.scrub_coach`), are gathered in one row labelled "Retired coach", with their
counts. A median of an even number of waits is the mean of the two middle ones.

It costs nine queries whatever the number of requests, each aggregated in the database and reading
through an index only the requests answered in the last 30 days (`coach_req_course_answered`: a
coach's answer in the window moves the request's `last_answered_at` into it) or those waiting now
(`coach_req_course_status`). The medians take, in each group, the one or two middle waits that window
functions find (ROW_NUMBER and COUNT over a partition, which SQLite, PostgreSQL and MariaDB all run):
the database returns at most two rows per group, never all the waits.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .domain import WAITING_FOR_A_COACH
from .i18n import gettext as _
from .models import AuthorRole, CheckinMessage, CheckinRequest

SHORT_DAYS = 7
LONG_DAYS = 30


@dataclass(frozen=True)
class CoachWorkload:
    """One coach's share of the work, by their anonymous id ("" gathers every retired coach)."""

    coach_id: str
    name: str  # their latest display name, or "Retired coach"
    answered_7: int  # distinct requests with an answer of theirs in the last 7 days
    answered_30: int
    median_first_answer_7: timedelta | None  # None: no first answer of theirs in the period
    median_first_answer_30: timedelta | None
    held_now: int  # open requests they hold an unexpired claim on

    @property
    def retired(self):
        """Whether this row gathers the retired coaches (whose ids were removed)."""
        return not self.coach_id


@dataclass(frozen=True)
class PointWorkload:
    """One check-in point's requests waiting for a coach now."""

    point_id: str
    title: str  # the title the point's latest request recorded
    waiting: int
    overdue: int


@dataclass(frozen=True)
class CourseWorkload:
    """The workload of a course's coaches at `now`: per coach, per point, and the course's totals."""

    course_key: str
    now: datetime
    coaches: tuple  # CoachWorkload, by name, the retired coaches last
    points: tuple  # PointWorkload of the points where a request waits, by title
    answered_7: int  # distinct requests answered by any coach in the last 7 days
    answered_30: int
    median_first_answer_7: timedelta | None
    median_first_answer_30: timedelta | None
    held_now: int
    waiting: int
    overdue: int


def _median(middle):
    """The median of a group from its one (odd count) or two (even count) middle values: their mean."""
    return sum(middle, timedelta()) / len(middle) if middle else None


def _middle_waits(answered, by_coach):
    """{coach id (None for the course): the one or two middle waits} of the requests `answered`, by the
    coach who answered them first (`by_coach`) or all together: one query, at most two rows a group.

    Each query ranks the waits of one partition only: MariaDB 10.11 numbers the rows of a window
    without PARTITION BY in the order another window of the same query sorted them by.
    """
    partition = [F("first_coach_id")] if by_coach else None
    rows = answered.annotate(wait=F("first_answered_at") - F("created_at")).annotate(
        rank=Window(RowNumber(), partition_by=partition, order_by=[F("wait").asc(), F("pk").asc()]),
        size=Window(Count("*"), partition_by=partition),
    )
    # The middle ranks of a group of n: (n + 1) / 2 when n is odd, n / 2 and n / 2 + 1 when it is even,
    # that is the ranks r with n <= 2r <= n + 2.
    middle = rows.filter(rank__gte=F("size") / 2.0, rank__lte=F("size") / 2.0 + 1)
    found = {}
    for coach, wait, rank, size in middle.values_list("first_coach_id", "wait", "rank", "size"):
        if size <= 2 * rank <= size + 2:
            found.setdefault(coach if by_coach else None, []).append(wait)
    return found


def _answers(answers, since_short):
    """({coach id: (answered in the short period, in the long one)}, the course's (short, long) totals,
    {coach id: their name on their latest answer}) of the coach messages `answers`: three queries."""
    counts = {
        "short": Count("request", distinct=True, filter=Q(created_at__gte=since_short)),
        "long": Count("request", distinct=True),
    }
    by_coach = {
        row["author_id"]: (row["short"], row["long"])
        for row in answers.values("author_id").annotate(**counts).order_by()
    }
    totals = answers.aggregate(**counts)
    latest = Window(RowNumber(), partition_by=[F("author_id")], order_by=[F("created_at").desc(), F("pk").desc()])
    names = dict(answers.annotate(latest=latest).filter(latest=1).values_list("author_id", "author_name"))
    return by_coach, (totals["short"], totals["long"]), names


def _medians(first_answered, since_short):
    """{(coach id, or None for the course; over the long period?): median first-answer time} of the
    requests `first_answered` (first answered in the long period): four queries."""
    medians = {}
    periods = {True: first_answered, False: first_answered.filter(first_answered_at__gte=since_short)}
    for is_long, requests in periods.items():
        for by_coach in (True, False):
            for coach, middle in _middle_waits(requests, by_coach).items():
                medians[coach, is_long] = _median(middle)
    return medians


def course_workload(course_key, *, now=None):
    """The workload of `course_key`'s coaches at `now` (default: now), in nine queries whatever the
    number of requests. The coaches are those who answered in the last 30 days or hold a claim now."""
    now = now or timezone.now()
    since_long, since_short = now - timedelta(days=LONG_DAYS), now - timedelta(days=SHORT_DAYS)
    recent = CheckinRequest.objects.filter(course_key=course_key, last_answered_at__gte=since_long)
    answered, totals, names = _answers(
        CheckinMessage.objects.filter(
            request__in=recent, author_role=AuthorRole.COACH, created_at__gte=since_long, created_at__lte=now
        ),
        since_short,
    )
    medians = _medians(recent.filter(first_answered_at__gte=since_long, first_answered_at__lte=now), since_short)
    waiting = CheckinRequest.objects.filter(course_key=course_key, **WAITING_FOR_A_COACH.lookups)
    held = {
        row["claimed_by"]: row for row in waiting.filter(claim_expires_at__gt=now).exclude(claimed_by="")
        .values("claimed_by").annotate(count=Count("*"), name=Max("claimed_by_name")).order_by()
    }
    latest_title = CheckinRequest.objects.filter(course_key=course_key, point_id=OuterRef("point_id")).order_by(
        "-created_at", "-id").values("point_title")[:1]
    points = sorted(
        (
            PointWorkload(row["point_id"], row["title"], row["waiting"], row["overdue"])
            for row in waiting.values("point_id").annotate(
                waiting=Count("*"), overdue=Count("pk", filter=Q(due_at__lte=now)), title=Subquery(latest_title)
            ).order_by()
        ),
        key=lambda point: (point.title.casefold(), point.point_id),
    )
    coaches = []
    for coach_id in {*answered, *held}:
        claims = held.get(coach_id, {})
        answered_7, answered_30 = answered.get(coach_id, (0, 0))
        coaches.append(CoachWorkload(
            coach_id=coach_id,
            name=(claims.get("name") or names.get(coach_id) or coach_id) if coach_id else _("Retired coach"),
            answered_7=answered_7, answered_30=answered_30,
            median_first_answer_7=medians.get((coach_id, False)),
            median_first_answer_30=medians.get((coach_id, True)),
            held_now=claims.get("count", 0),
        ))
    return CourseWorkload(
        course_key=course_key, now=now,
        coaches=tuple(sorted(coaches, key=lambda coach: (coach.retired, coach.name.casefold(), coach.coach_id))),
        points=tuple(points),
        answered_7=totals[0], answered_30=totals[1],
        median_first_answer_7=medians.get((None, False)),
        median_first_answer_30=medians.get((None, True)),
        held_now=sum(row["count"] for row in held.values()),
        waiting=sum(point.waiting for point in points), overdue=sum(point.overdue for point in points),
    )
