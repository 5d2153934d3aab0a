"""Read side for coaches: the course's requests and messages as CSV files, behind short-lived signed links.

Exports stream rows from the database in chunks, one query each: memory stays flat whatever the
number of rows, on every database. The `export_csv` handler of the block decides who may export and
answers with a redirect to `export_link(...)`, whose token is signed with the site's SECRET_KEY for
this purpose only and carries the course, the file and the coach; `read_link` refuses it once
`EXPORT_LINK_SECONDS` have passed. The download view (`coach_xblock.views`) only speaks HTTP.
"""
import csv
from datetime import UTC, datetime

from django.core import signing
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse

from .conf import report_storage, setting
from .domain import HIDDEN_STATUSES
from .models import AuthorRole, CheckinMessage, CheckinRequest

EXPORT_CHUNK = 2000
EXPORT_SALT = "coach_xblock.export"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell value a spreadsheet will not run: text starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def cell_text(value):
    """What a CSV cell holds of `value`: an instant in ISO 8601 in UTC to the second (2026-03-10T10:00:00Z), which
    spreadsheets read as a date and time; anything else as spreadsheet_safe makes it."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return spreadsheet_safe(value)


class _Line:
    """A file-like object holding the last line csv.writer wrote."""

    def write(self, text):
        return text


def _csv_lines(header, rows):
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([cell_text(cell) for cell in row])


def _learner_column():
    return "learner_username" if setting("EXPORT_USERNAMES") else "learner_id"


# Each instant has a column of its own: asked (created_at), first and last answered, closed, due, last said it
# did not help.
REQUEST_COLUMNS = (
    "id", "point_id", "point_title", "topic", "status", "created_at", "first_answered_at", "last_answered_at",
    "closed_at", "expected_response_hours", "due_at", "rating", "rating_comment", "not_helped_at",
    "not_helped_count", "not_helped_comment", "working_on", "stuck_on", "tried", "link",
)
# What a learner wrote in a request: left empty in the export of a request a coach reported (the desk shows it
# only on the course team's review page).
REQUEST_TEXTS = ("rating_comment", "working_on", "stuck_on", "tried", "link")


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
    return _csv_lines(header, _without_reported_texts(rows, columns))


def _without_reported_texts(rows, columns):
    """`rows`, the texts (REQUEST_TEXTS) of the reported requests among them emptied."""
    status = columns.index("status")
    texts = [columns.index(name) for name in REQUEST_TEXTS]
    for row in rows:
        if row[status] in HIDDEN_STATUSES:
            row = tuple("" if index in texts else value for index, value in enumerate(row))
        yield row


def export_messages(course_key):
    """The messages of the course's requests as CSV lines (streamed), but those of the requests a coach reported;
    where usernames are allowed, with the display name of the coach who wrote each coach's message (none for the
    learner's)."""
    messages = CheckinMessage.objects.filter(request__course_key=course_key).exclude(
        request__status__in=HIDDEN_STATUSES)
    columns = ("request_id", "id", "author_role", "created_at", "body")
    header = ("request_id", "message_id", "author_role", "created_at", "body")
    if setting("EXPORT_USERNAMES"):
        messages = messages.annotate(coach_name=Case(
            When(author_role=AuthorRole.COACH, then=F("author_name")), default=Value("")))
        columns, header = (*columns, "coach_name"), (*header, "coach_name")
    rows = _in_chunks(messages, columns, order=("request_id", "created_at", "id"))
    return _csv_lines(header, rows)


# The exports, by the name a coach asks for (`?file=`) and a download link carries.
EXPORT_FILES = {"requests": export_requests, "messages": export_messages}


# Signed links


def export_token(course_key, file_name, user_id):
    """A signed, timestamped token naming the course and file to export, and the coach asking."""
    return signing.dumps({"course": course_key, "file": file_name, "user": user_id}, salt=EXPORT_SALT)


def export_link(course_key, file_name, user_id):
    """The path of the download of `file_name` of the course; valid `EXPORT_LINK_SECONDS` from now."""
    return reverse("coach_xblock:export_download", kwargs={"token": export_token(course_key, file_name, user_id)})


def read_link(token):
    """What a download token names: {"course", "file", "user"}.

    Raises `signing.SignatureExpired` once `EXPORT_LINK_SECONDS` have passed since it was signed, and
    `signing.BadSignature` for a token this site did not sign for exports.
    """
    return signing.loads(token, salt=EXPORT_SALT, max_age=setting("EXPORT_LINK_SECONDS"))


def export_filename(course_key, file_name):
    """The name the browser saves an export under: the file and the course, letters, digits and dashes only."""
    safe_course = "".join(c if c.isalnum() else "-" for c in course_key)
    return f"coach-{file_name}-{safe_course}.csv"


def open_report(report):
    """The file of a ready report (`models.Report`), opened for reading from the report storage; OSError when
    it is gone."""
    return report_storage().open(report.storage_name, "rb")
