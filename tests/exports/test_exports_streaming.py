"""Exports read in chunks and streamed: no query before the first row, a few queries for 5,000 rows,
every row once and in order across chunks, and a peak of memory that stays flat when the rows double."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from story import COURSE, T0
from story.exports import EXPORTS, messages_csv, peak_while_reading, requests_csv, seed_requests

from coach_xblock import exports
from coach_xblock.models import CheckinMessage, CheckinRequest

pytestmark = pytest.mark.django_db


def _export_peak(export):
    """The lines of the whole export and the peak of Python memory allocated while reading them."""
    return peak_while_reading(lambda: export(COURSE))


@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_export_reads_nothing_before_its_first_row_is_asked_for(name):
    export, seed = EXPORTS[name]
    seed(50)

    with CaptureQueriesContext(connection) as captured:
        lines = export(COURSE)
        header = next(lines)
    assert captured.captured_queries == []
    assert header.startswith(("request_id,", "request_id,message_id"))

    assert len(list(lines)) == 50


@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_export_of_5000_rows_reads_them_in_a_few_queries(name):
    export, seed = EXPORTS[name]
    seed(5000)
    assert exports.EXPORT_CHUNK < 5000  # so that these rows need several chunks

    with CaptureQueriesContext(connection) as captured:
        lines = sum(1 for _line in export(COURSE))

    assert lines == 1 + 5000
    assert len(captured.captured_queries) <= 3, [query["sql"] for query in captured.captured_queries]


def test_chunks_give_every_row_once_and_in_order_where_requests_and_times_tie_across_chunks(monkeypatch):
    """Each chunk starts after the last row of the one before: messages of one request at one time, cut by a
    chunk's end, are neither lost nor repeated, and every file keeps its order."""
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 4)
    seed_requests(5)
    request_ids = sorted(CheckinRequest.objects.values_list("id", flat=True))
    CheckinMessage.objects.bulk_create([
        CheckinMessage(request_id=request_id, author_role="coach", author_id="x", author_name="X",
                       body=f"Answer {number}", created_at=T0 + timedelta(minutes=number // 3))
        for request_id in reversed(request_ids) for number in range(7)
    ])

    assert [row["request_id"] for row in requests_csv()] == [str(pk) for pk in request_ids]
    assert [(row["request_id"], row["message_id"]) for row in messages_csv()] == [
        (str(request_id), str(pk))
        for request_id, pk in CheckinMessage.objects.order_by("request_id", "created_at", "id").values_list(
            "request_id", "id")
    ]


@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_exports_peak_memory_stays_flat_when_the_rows_double(name):
    """Chunked reading: 6000 rows take about the memory of 3000 (measured about 1.3x: the last
    chunk of 3000 is half full), where reading all rows at once takes about 2x."""
    export, seed = EXPORTS[name]
    seed(200)
    _export_peak(export)  # warm up: compiled queries, caches
    seed(3000)
    small_lines, small = _export_peak(export)
    seed(6000)
    large_lines, large = _export_peak(export)

    assert (small_lines, large_lines) == (3001, 6001)
    assert large / small <= 1.5, (small, large)
