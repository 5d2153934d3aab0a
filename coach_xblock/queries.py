"""Read side: the coach queue, a request's thread, a learner's history, the coaches' saved replies and
notes, as plain dicts.

Every function here costs a fixed number of SQL queries whatever the number of requests:
the queue is paged by keyset (no OFFSET) over indexed columns, threads are prefetched.
"""
import dataclasses
import functools
import hashlib
import operator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from django.db import connections, router
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .domain import (
    ACTIVE_STATUSES,
    MAX_ID,
    WAITING_FOR_A_COACH,
    InvalidInput,
    RequestState,
    RequestStatus,
    claimable_by,
    no_request_in_course,
    overdue_at,
)
from .i18n import gettext as _
from .models import (
    CheckinMessage,
    CheckinRequest,
    CoachNote,
    CourseCoach,
    DailyStats,
    LearnerPreference,
    Report,
    SavedReply,
)

PAGE_SIZE = 25
EXCERPT_WORDS = 20
HISTORY_LIMIT = 20
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)

ALL_STATUSES = "all"  # the queue's filter showing requests of every status
QUEUE_STATUSES = (*(status.value for status in RequestStatus), ALL_STATUSES)
QUEUE_ORDERS = ("oldest", "newest")


@dataclass(frozen=True)
class QueueRow(RequestState):
    """A request as a line of the coach queue, read-only: its fields are ROW_FIELDS, in this order."""

    id: int
    point_id: str
    point_title: str
    topic: str
    learner_name: str
    status: str
    stuck_on: str
    claimed_by: str
    claimed_by_name: str
    claim_expires_at: datetime | None
    created_at: datetime
    due_at: datetime | None
    waiting_since: datetime
    last_answered_at: datetime | None
    last_coach_id: str
    last_coach_name: str
    course_key: str
    not_helped_at: datetime | None
    not_helped_coach_id: str

    @property
    def pk(self):
        """The request's id, named as on the model."""
        return self.id


ROW_FIELDS = tuple(field.name for field in dataclasses.fields(QueueRow))


def excerpt(text, words=EXCERPT_WORDS):
    """The first `words` words of `text`, with an ellipsis when cut."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _iso(moment):
    return moment.isoformat() if moment else None


def message_dict(message):
    """A thread message as JSON-ready data."""
    return {
        "id": message.pk,
        "author_role": message.author_role,
        "author_name": message.author_name,
        "body": message.body,
        "created_at": _iso(message.created_at),
    }


def request_dict(request, now=None, *, with_messages=True):
    """A request as JSON-ready data; `with_messages` needs the thread prefetched or costs a query."""
    data = {
        **queue_row_dict(request, now),
        "course_key": request.course_key,
        "working_on": request.working_on,
        "stuck_on": request.stuck_on,
        "tried": request.tried,
        "link": request.link,
        "first_answered_at": _iso(request.first_answered_at),
        "closed_at": _iso(request.closed_at),
        "rating": request.rating,
        "rating_comment": request.rating_comment,
        "not_helped_count": request.not_helped_count,
        "not_helped_comment": request.not_helped_comment,
    }
    if with_messages:
        data["messages"] = [message_dict(m) for m in request.messages.all()]
    return data


def _with_thread(queryset):
    return queryset.prefetch_related(Prefetch("messages", queryset=CheckinMessage.objects.order_by("created_at", "id")))


def learner_requests(point_id, learner_id):
    """The learner's requests at one check-in point, newest first, with their threads (2 queries)."""
    return list(
        _with_thread(CheckinRequest.objects.filter(point_id=point_id, learner_id=learner_id)).order_by(
            "-created_at", "-id"
        )
    )


def _version(seen):
    """The version of what a learner sees of her requests: (id, status, messages, claimed now, rating, closed)
    of each, newest first."""
    return hashlib.sha256(repr(seen).encode()).hexdigest()[:16]


def requests_version(requests):
    """A short string that changes whenever anything a learner sees of `requests` changes."""
    return _version([
        (r.pk, r.status, len(r.messages.all()), r.claim_is_active(), r.rating, str(r.closed_at)) for r in requests
    ])


def learner_version(point_id, learner_id, now=None):
    """(version, waiting) of the learner's requests at one point, as `requests_version` of `learner_requests` and
    whether one waits for a coach, in one query and without reading a thread: what a poll compares first."""
    now = now or timezone.now()
    rows = (
        CheckinRequest.objects.filter(point_id=point_id, learner_id=learner_id)
        .annotate(message_count=Count("messages"))
        .order_by("-created_at", "-id")
        .values_list("pk", "status", "message_count", "claimed_by", "claim_expires_at", "rating", "closed_at")
    )
    seen = [
        (pk, status, count, bool(claimed_by) and expires is not None and expires > now, rating, str(closed))
        for pk, status, count, claimed_by, expires, rating, closed in rows
    ]
    return _version(seen), any(WAITING_FOR_A_COACH.holds(SimpleNamespace(status=row[1])) for row in seen)


def email_preferences(course_key, learner_id):
    """Which emails the learner wants from this course's check-ins (all, until they choose)."""
    preference = LearnerPreference.objects.filter(course_key=course_key, learner_id=learner_id).first()
    return {
        "answer_emails": preference.answer_emails if preference else True,
        "reminder_emails": preference.reminder_emails if preference else True,
    }


def count_open_at_point(course_key, point_id):
    """How many requests at this point wait for a coach or for the learner."""
    return CheckinRequest.objects.filter(
        course_key=course_key, point_id=point_id, status__in=ACTIVE_STATUSES
    ).count()


@dataclass(frozen=True)
class Cursor:
    """A position in the queue: the (created_at, id) of a row."""

    created_at: datetime
    pk: int

    def encode(self):
        """The cursor as an opaque string for the client."""
        return f"{(self.created_at - EPOCH) // MICROSECOND}.{self.pk}"

    @classmethod
    def decode(cls, text):
        """Parse a cursor made by `encode`, or raise InvalidInput."""
        try:
            micros, pk = text.split(".")
            cursor = cls(EPOCH + int(micros) * MICROSECOND, int(pk))
            if not -MAX_ID <= cursor.pk <= MAX_ID:
                raise ValueError(pk)
            return cursor
        except (AttributeError, ValueError, OverflowError, OSError) as exc:
            raise InvalidInput(_("The queue position is not valid: go back to the first page.")) from exc

    @classmethod
    def of(cls, request):
        """The cursor just at `request`."""
        return cls(request.created_at, request.pk)


@dataclass(frozen=True)
class QueuePage:
    """One page of the coach queue (QueueRow, oldest or newest first) and its neighbours' cursors."""

    rows: list
    next_cursor: str | None
    previous_cursor: str | None


class CoachQueue:
    """The requests of a course (or of several) as coaches work them: filtered, sorted, 25 to a page.

    One SQL query a page, whatever the depth: rows are found by keyset on
    (created_at, id) over the indexes of `CheckinRequest.Meta`. Filters: a check-in point, a topic,
    a status, overdue at a moment (`overdue_at`), asked before a moment (`asked_before`).
    """

    def __init__(
        self, course_key, *, point_id=None, topic=None, status="open", order="oldest", overdue_at=None,
        asked_before=None, page_size=PAGE_SIZE,
    ):
        if status not in QUEUE_STATUSES:
            raise InvalidInput(_("Unknown status filter: choose one of {choices}.").format(
                choices=", ".join(QUEUE_STATUSES)))
        if order not in QUEUE_ORDERS:
            raise InvalidInput(_("Unknown order: choose oldest or newest."))
        self.course_keys = [course_key] if isinstance(course_key, str) else list(course_key)
        self.point_id = point_id
        self.topic = topic
        self.status = status
        self.overdue_at = overdue_at
        self.asked_before = asked_before
        self.ascending = order == "oldest"
        self.page_size = page_size

    def page(self, *, after=None, before=None):
        """The page after cursor `after`, before cursor `before`, or the first page."""
        if after and before:
            raise InvalidInput(_("Ask for the next or the previous page, not both."))
        cursor = Cursor.decode(after or before) if (after or before) else None
        if not self.course_keys:
            return QueuePage(rows=[], next_cursor=None, previous_cursor=None)
        backwards = bool(before)
        found = _select_rows(*self._sql(cursor, forward=self.ascending != backwards))
        more = len(found) > self.page_size
        found = found[: self.page_size]
        if backwards and not found:
            return self.page()
        if backwards:
            found.reverse()
        has_next = more if not backwards else True
        has_previous = (cursor is not None) if not backwards else more
        return QueuePage(
            rows=found,
            next_cursor=Cursor.of(found[-1]).encode() if found and has_next else None,
            previous_cursor=Cursor.of(found[0]).encode() if found and has_previous else None,
        )

    def _sql(self, cursor, *, forward):
        """The page's one query: equality filters, then the keyset bound, then the index's order.

        Written out rather than built with the ORM, which costs several times the query itself
        on a page this small (docs/benchmarks.md). The leading `created_at >=` bound lets every
        index of `CheckinRequest.Meta` seek straight to the cursor. Across several courses, one
        such branch per course (each an index seek, each its page's worth of rows) in one UNION ALL,
        merged in the same order: `course_key IN (...)` would sort every matching row of the courses.
        """
        alias = router.db_for_read(CheckinRequest)
        column = _columns(alias)
        direction = "ASC" if forward else "DESC"
        order = f"ORDER BY {column['created_at']} {direction}, {column['id']} {direction}"
        limit = f"LIMIT {int(self.page_size) + 1}"
        branches, params = [], []
        for course in self.course_keys:
            where, values = self._where(alias, course, cursor, forward)
            branches.append(f"SELECT {column['*']} FROM {column['table']} WHERE {' AND '.join(where)} {order} {limit}")
            params += values
        if len(branches) == 1:
            return alias, branches[0], params
        union = " UNION ALL ".join(f"SELECT * FROM ({branch}) AS branch{n}" for n, branch in enumerate(branches))
        return alias, f"{union} {order} {limit}", params

    def _where(self, alias, course, cursor, forward):
        """The conditions of one course's branch, and their parameters."""
        column = _columns(alias)
        adapt = connections[alias].ops.adapt_datetimefield_value
        where, params = [f"{column['course_key']} = %s"], [course]
        for name in ("point_id", "topic"):
            if getattr(self, name):
                where.append(f"{column[name]} = %s")
                params.append(getattr(self, name))
        if self.status != ALL_STATUSES:
            where.append(f"{column['status']} = %s")
            params.append(self.status)
        if self.overdue_at is not None:
            overdue = overdue_at(self.overdue_at).lookups
            where.append(f"{column['status']} = %s AND {column['due_at']} <= %s")
            params += [overdue["status"], adapt(overdue["due_at__lte"])]
        if self.asked_before is not None:
            where.append(f"{column['created_at']} <= %s")
            params.append(adapt(self.asked_before))
        if cursor:
            bound, beyond = (">=", ">") if forward else ("<=", "<")
            created, pk = column["created_at"], column["id"]
            where.append(f"{created} {bound} %s AND ({created} {beyond} %s OR {pk} {beyond} %s)")
            moment = adapt(cursor.created_at)
            params += [moment, moment, cursor.pk]
        return where, params


@functools.cache
def _columns(alias):
    """The quoted table and column names of CheckinRequest on database `alias`; "*" lists ROW_FIELDS."""
    quote = connections[alias].ops.quote_name
    names = {field.name: quote(field.column) for field in CheckinRequest._meta.concrete_fields}
    selected = ", ".join(names[name] for name in ROW_FIELDS)
    return {**names, "*": selected, "table": quote(CheckinRequest._meta.db_table)}


@functools.cache
def _converters(alias):
    """Per ROW_FIELDS column, what turns the database's value into the model's (e.g. aware datetimes)."""
    connection = connections[alias]
    found = []
    for name in ROW_FIELDS:
        column = CheckinRequest._meta.get_field(name).get_col(CheckinRequest._meta.db_table)
        found.append((column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)))
    return found


def _select_rows(alias, sql, params):
    """The QueueRow of each row of one query selecting ROW_FIELDS."""
    connection = connections[alias]
    converters = _converters(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = list(row)
        for index, (column, functions) in enumerate(converters):
            for convert in functions:
                values[index] = convert(values[index], column, connection)
        found.append(QueueRow(*values))
    return found


def queue_row_dict(request, now=None):
    """A queue row as JSON-ready data."""
    now = now or timezone.now()
    claimed = request.claim_is_active(now)
    return {
        "id": request.pk,
        "learner_name": request.learner_name,
        "point_id": request.point_id,
        "point_title": request.point_title,
        "topic": request.topic,
        "status": request.status,
        "status_label": str(request.status_label(now)),
        "created_at": _iso(request.created_at),
        "age_seconds": int((now - request.created_at).total_seconds()),
        "excerpt": excerpt(request.stuck_on),
        "claimed_by_name": request.claimed_by_name if claimed else "",
        "claim_expires_at": _iso(request.claim_expires_at) if claimed else None,
        "overdue": request.is_overdue(now),
        "followup": request.is_followup(),
        "reserved_for": request.reserved_for(now),
        "asked_again": request.is_asked_again(),
    }


def coach_request_detail(course_key, request_id):
    """A request of the course with its whole thread, and the learner's other requests (3 queries)."""
    request = _with_thread(CheckinRequest.objects.filter(course_key=course_key, pk=request_id)).first()
    if request is None:
        raise no_request_in_course(request_id)
    others = (
        CheckinRequest.objects.filter(course_key=course_key, learner_id=request.learner_id)
        .exclude(pk=request.pk)
        .order_by("-created_at", "-id")
        .only(*ROW_FIELDS)[:HISTORY_LIMIT]
    )
    return request, list(others)


def course_coach_usernames(course_key):
    """The usernames the course team added as coaches of `course_key` on the desk (one query)."""
    return set(CourseCoach.objects.filter(course_key=course_key).values_list("username", flat=True))


def courses_coached_by(username):
    """The courses whose desk lists `username` as a coach (one query)."""
    return list(CourseCoach.objects.filter(username=username).values_list("course_key", flat=True))


def course_coach_list(course_key):
    """The desk's coach list of a course, by username: dicts of username, added_by, added_at (one query)."""
    coaches = CourseCoach.objects.filter(course_key=course_key).order_by("username")
    return list(coaches.values("username", "added_by", "added_at"))


def _claimable(groups):
    """The Q of `domain.claimable_by`'s groups: one lookup set of every group."""
    return functools.reduce(
        operator.and_, (functools.reduce(operator.or_, (Q(**lookups) for lookups in group)) for group in groups)
    )


def next_claimable(course_key, coach_id, now=None):
    """The id of the request of the course waiting longest that `coach_id` may claim now (unclaimed or
    claimed by them, no follow-up kept for another coach, not asked again after their answer did not help,
    as `domain.claimable_by` says), or None (one query)."""
    now = now or timezone.now()
    unclaimed = Q(claimed_by="") | Q(claim_expires_at__lte=now) | Q(claimed_by=coach_id)
    return (
        CheckinRequest.objects.filter(
            unclaimed, _claimable(claimable_by(coach_id, now)), course_key=course_key, **WAITING_FOR_A_COACH.lookups
        )
        .order_by("waiting_since", "id")
        .values_list("pk", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Backlog:
    """How many requests wait for a coach (and how many of them are overdue) in a course or at a point."""

    waiting: int
    overdue: int


def backlogs(course_keys, now=None, *, by="course_key", point_id=None):
    """{course key (or point id, `by="point_id"`): Backlog} of the requests waiting for a coach (one query)."""
    now = now or timezone.now()
    overdue = overdue_at(now).lookups
    rows = CheckinRequest.objects.filter(course_key__in=list(course_keys), **WAITING_FOR_A_COACH.lookups)
    if point_id is not None:
        rows = rows.filter(point_id=point_id)
    counted = rows.values(by).annotate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(due_at__lte=overdue["due_at__lte"]))
    )
    return {row[by]: Backlog(row["waiting"], row["overdue"]) for row in counted.order_by()}


def recorded_points(course_key, known=()):
    """(point id, title) of every check-in point the course's requests name but `known`, by point id, with the
    title of its newest request.

    Every ask counts in its point's counter of the day, so the points come from the counters (one query, whose
    cost follows the course's point-days, never its requests), then each point not `known` (one the course no
    longer has) gets its title from one index seek; a point whose requests are all gone is left out."""
    counted = DailyStats.objects.filter(course_key=course_key).values_list("point_id", flat=True)
    found = []
    for point_id in counted.distinct().order_by("point_id"):
        if point_id in known:
            continue
        newest = CheckinRequest.objects.filter(course_key=course_key, point_id=point_id).order_by("-created_at", "-id")
        title = newest.values_list("point_title", flat=True).first()
        if title is not None:
            found.append((point_id, title))
    return found


SAVED_REPLY_FIELDS = ("id", "point_id", "title", "body", "author_name", "created_at", "updated_at")


def _by_title(replies):
    return sorted(replies, key=lambda reply: (reply["title"].casefold(), reply["id"]))


def saved_replies(course_key, point_id):
    """The saved replies of a check-in point of the course, by title (ignoring case), as plain data (1 query)."""
    return _by_title(SavedReply.objects.filter(course_key=course_key, point_id=point_id).values(*SAVED_REPLY_FIELDS))


def saved_replies_by_point(course_key):
    """The saved replies of every check-in point of the course: {point_id: replies by title} (1 query)."""
    found = {}
    for reply in _by_title(SavedReply.objects.filter(course_key=course_key).values(*SAVED_REPLY_FIELDS)):
        found.setdefault(reply["point_id"], []).append(reply)
    return found


def request_learner(course_key, request_id):
    """The id of the learner who asked the request `request_id` of the course, or None (1 query)."""
    found = CheckinRequest.objects.filter(course_key=course_key, pk=request_id)
    return found.values_list("learner_id", flat=True).first()


def notes_on(course_key, learner_id):
    """The coaches' notes on a learner of the course, newest first, as plain data (1 query): for the course's
    coaches only."""
    return list(
        CoachNote.objects.filter(course_key=course_key, learner_id=learner_id)
        .order_by("-created_at", "-id")
        .values("id", "learner_id", "author_id", "author_name", "body", "created_at")
    )


REPORTS_SHOWN = 20


def course_reports(course_key):
    """The course's latest reports, newest first (1 query): what the desk lists for download."""
    return list(Report.objects.filter(course_key=course_key).order_by("-created_at", "-id")[:REPORTS_SHOWN])


def course_report(course_key, report_id):
    """The report `report_id` of the course, or None (1 query)."""
    return Report.objects.filter(course_key=course_key, pk=report_id).first()
