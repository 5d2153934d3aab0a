"""Reports: a coach asks for a CSV file of the course, a worker makes it in the background into the report
storage, and it is deleted after REPORT_DAYS.

As Open edX makes its instructor reports: a task writes the file into the report store, and the people
who asked download it from a list. Here the task is Celery's `coach_xblock.make_report` where USE_CELERY
is set (queued when the ask commits), else the `coach_notifications` command's rounds make what waits.
The file is streamed from `exports` into a temporary file, then saved: memory stays flat in the number
of rows. A report a worker left half made (the worker stopped) waits again after RUNNING_LEASE.
"""
import hashlib
import logging
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import exports
from ..conf import report_storage, setting
from ..domain import ACTIVE_REPORT_STATUSES, InvalidInput, ReportStatus
from ..i18n import gettext as _
from ..models import Report

log = logging.getLogger(__name__)

MAKE_REPORT_TASK = "coach_xblock.make_report"
RUNNING_LEASE = timedelta(hours=2)  # longer than the largest report takes to make
DIRECTORY = "coach-xblock"  # beside the platform's reports, out of the instructor dashboard's course folders


def _active_key(course_key, file_name):
    return f"{course_key}|{file_name}"


def request_report(course_key, file_name, coach, *, now=None):
    """Have the course's `file_name` ("requests" or "messages") made for `coach`; while one of the same file
    waits or is being made, that one (a double click, or two coaches at once, make one report)."""
    if file_name not in exports.EXPORT_FILES:
        raise InvalidInput(_("file: choose requests or messages."))
    now = now or timezone.now()
    key = _active_key(course_key, file_name)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                course_key=course_key, file=file_name, active_key=key, requested_by=coach.user_id,
                requested_by_name=coach.display_name, created_at=now,
            )
            if setting("USE_CELERY"):
                transaction.on_commit(lambda: _queue(report.pk), robust=True)
    except IntegrityError:
        report = Report.objects.filter(active_key=key).first()
        if report is None:  # made meanwhile: ask again
            return request_report(course_key, file_name, coach, now=now)
    return report


def _queue(report_id):
    """Queue MAKE_REPORT_TASK by its name (see `notifications._queue_delivery`)."""
    from celery import signature  # only where USE_CELERY is set, which Celery comes with

    signature(MAKE_REPORT_TASK, args=(report_id,)).delay()


def _path(report):
    course = hashlib.sha1(report.course_key.encode("utf-8")).hexdigest()
    stamp = report.created_at.strftime("%Y-%m-%dT%H%M%SZ")
    return f"{DIRECTORY}/{course}/{exports.export_filename(report.course_key, report.file)[:-4]}-{stamp}.csv"


def make_report(report_id, *, now=None):
    """Make the waiting report `report_id`: write its CSV into the report storage. None when another worker
    took it, or it is made already; else the report, ready or failed (with the reason, logged)."""
    now = now or timezone.now()
    if not Report.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(
            status=ReportStatus.RUNNING, started_at=now):
        return None
    report = Report.objects.get(pk=report_id)
    try:
        storage = report_storage()
        with tempfile.TemporaryFile() as buffer:
            lines = 0
            for line in exports.EXPORT_FILES[report.file](report.course_key):
                buffer.write(line.encode("utf-8"))
                lines += 1
            buffer.seek(0)
            name = storage.save(_path(report), File(buffer))
        outcome = {"status": ReportStatus.READY, "storage_name": name, "size": storage.size(name), "rows": lines - 1}
    except Exception as error:  # noqa: BLE001  (any failure of the storage or the database is the report's)
        log.exception("report %s of %s failed", report.file, report.course_key)
        outcome = {"status": ReportStatus.FAILED, "error": f"{type(error).__name__}: {error}"[:1000]}
    if not Report.objects.filter(pk=report_id).update(active_key=None, finished_at=timezone.now(), **outcome):
        _delete_files([outcome.get("storage_name", "")])  # deleted meanwhile (a learner's retirement): so is its file
        return None
    report.refresh_from_db()
    return report


def make_waiting_reports(now=None):
    """Make every report that waits (and those a stopped worker left running past RUNNING_LEASE); the number
    made or failed."""
    now = now or timezone.now()
    Report.objects.filter(status=ReportStatus.RUNNING, started_at__lte=now - RUNNING_LEASE).update(
        status=ReportStatus.PENDING, started_at=None)
    waiting = Report.objects.filter(status=ReportStatus.PENDING).order_by("created_at", "id")
    return sum(make_report(report_id, now=now) is not None for report_id in list(waiting.values_list("pk", flat=True)))


def _delete(reports):
    """Delete these reports and, once that commits, their files."""
    names = [name for name in reports.values_list("storage_name", flat=True) if name]
    count, _by_model = reports.delete()
    if names:
        transaction.on_commit(lambda: _delete_files(names), robust=True)
    return count


def _delete_files(names):
    storage = report_storage()
    for name in filter(None, names):
        storage.delete(name)


def expire_reports(now=None):
    """Delete the reports made more than REPORT_DAYS ago, and their files; the number deleted."""
    now = now or timezone.now()
    finished = Report.objects.exclude(status__in=ACTIVE_REPORT_STATUSES)
    return _delete(finished.filter(created_at__lte=now - timedelta(days=setting("REPORT_DAYS"))))


def delete_course_reports(course_keys):
    """Delete every report of these courses and their files (a retired learner's texts may be in them); a
    report being made meanwhile deletes its file when done (`make_report`)."""
    return _delete(Report.objects.filter(course_key__in=list(course_keys)))
