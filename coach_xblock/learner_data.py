"""Read side for a learner: their own requests of a course, for their coaching journal and their download.

Only one learner's rows are ever read (`course_key` and `learner_id` together, over the index
`coach_req_learner`): never another learner's, never the coaches' private notes, nor the coaches' addresses.
A journal page is found by keyset on (created_at, id), newest first, and costs two queries (the page, its
threads) whatever its depth. The download holds every request of the learner in the course with its thread,
instants in ISO 8601, in UTC; its CSV cells are made safe for spreadsheets as the coaches' exports are.
"""
import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC

from django.db.models import Prefetch, Q
from django.utils import timezone

from .domain import InvalidInput
from .exports import spreadsheet_safe
from .i18n import gettext as _
from .models import CheckinMessage, CheckinRequest
from .queries import Cursor

JOURNAL_PAGE_SIZE = 20

#: The request's fields in the download, in this order (never its coaches, their addresses, nor the learner's).
REQUEST_FIELDS = (
    "id", "point_id", "point_title", "topic", "status", "created_at", "first_answered_at", "closed_at",
    "working_on", "stuck_on", "tried", "link", "unit_url", "rating", "rating_comment", "not_helped_count",
    "not_helped_comment",
)
MESSAGE_FIELDS = ("id", "author_role", "author_name", "created_at", "body")
CSV_HEADER = (
    "request_id", *REQUEST_FIELDS[1:], "message_id", "message_author_role", "message_author_name",
    "message_created_at", "message_body",
)


@dataclass(frozen=True)
class JournalPage:
    """One page of a learner's journal: requests (CheckinRequest, threads prefetched), newest first, and the
    cursor of the next (older) page, or None."""

    requests: list
    next_cursor: str | None


def _mine(course_key, learner_id):
    threads = Prefetch("messages", queryset=CheckinMessage.objects.order_by("created_at", "id"))
    return CheckinRequest.objects.filter(course_key=course_key, learner_id=learner_id).prefetch_related(threads)


def journal_page(course_key, learner_id, *, after=None, page_size=JOURNAL_PAGE_SIZE):
    """The learner's requests in the course, newest first: the first page, or the one after cursor `after`.

    Raises InvalidInput for a cursor this function did not make.
    """
    requests = _mine(course_key, learner_id)
    if after:
        try:
            cursor = Cursor.decode(after)
        except InvalidInput:
            message = _("This page of your journal does not exist: go back to your latest requests.")
            raise InvalidInput(message) from None
        requests = requests.filter(
            Q(created_at__lt=cursor.created_at) | Q(created_at=cursor.created_at, id__lt=cursor.pk)
        )
    found = list(requests.order_by("-created_at", "-id")[: page_size + 1])
    more = len(found) > page_size
    found = found[:page_size]
    return JournalPage(requests=found, next_cursor=Cursor.of(found[-1]).encode() if more else None)


def utc_iso(moment):
    """An instant as ISO 8601 in UTC, to the second ('2026-03-10T09:00:00Z'), or None."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _value(row, field):
    value = getattr(row, field)
    return utc_iso(value) if field.endswith("_at") else value


def learner_data(course_key, learner_id, now=None):
    """Everything of the learner's coaching in the course: their requests, oldest first, each with its thread."""
    requests = _mine(course_key, learner_id).order_by("created_at", "id")
    return {
        "course": course_key,
        "learner_id": learner_id,
        "exported_at": utc_iso(now or timezone.now()),
        "requests": [
            {
                **{field: _value(request, field) for field in REQUEST_FIELDS},
                "messages": [{field: _value(m, field) for field in MESSAGE_FIELDS} for m in request.messages.all()],
            }
            for request in requests
        ],
    }


def learner_data_json(course_key, learner_id, now=None):
    """The learner's data as a JSON document (UTF-8 text)."""
    return json.dumps(learner_data(course_key, learner_id, now), ensure_ascii=False, indent=2)


def learner_data_csv(course_key, learner_id, now=None):
    """The learner's data as CSV text: one line per message of each request (one line for a request without
    any), the request's fields repeated on each; cells starting like a formula are made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for request in learner_data(course_key, learner_id, now)["requests"]:
        fields = [request[field] for field in REQUEST_FIELDS]
        messages = request["messages"] or [dict.fromkeys(MESSAGE_FIELDS)]
        for message in messages:
            row = [*fields, *(message[field] for field in MESSAGE_FIELDS)]
            writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()
