"""Reports (coach_xblock.workflow.reports): asked for once however often, made into the report storage
with what the streamed export holds, failed with a reason when the storage fails, deleted after
REPORT_DAYS and when a learner who asked in the course is retired.

The storage is a real folder (FileSystemStorage in a temporary directory), as the workbench configures it.
"""
import csv
import io
from datetime import timedelta

import pytest
from story import COURSE, ask, meanwhile, refused

from coach_xblock import exports, workflow
from coach_xblock.domain import InvalidInput, ReportStatus
from coach_xblock.models import Report

pytestmark = pytest.mark.django_db

OTHER_COURSE = "course-v1:Demo+Pitch+2026"


@pytest.fixture
def storage_dir(settings, tmp_path):
    """Reports go to a folder of their own."""
    folder = tmp_path / "reports"
    settings.COACH_XBLOCK = {**settings.COACH_XBLOCK, "REPORT_STORAGE": {
        "STORAGE_CLASS": "django.core.files.storage.FileSystemStorage", "STORAGE_KWARGS": {"location": str(folder)},
    }}
    return folder


def test_asking_twice_while_one_waits_makes_one_report(karim, lea):
    first = workflow.request_report(COURSE, "requests", karim)
    again = workflow.request_report(COURSE, "requests", lea)
    messages = workflow.request_report(COURSE, "messages", karim)

    assert again.pk == first.pk and messages.pk != first.pk
    assert Report.objects.count() == 2
    assert (first.status, first.requested_by, first.requested_by_name) == (ReportStatus.PENDING, karim.user_id, "Karim")


@pytest.mark.parametrize("file_name", ["", "grades", "../requests", None, 3])
def test_a_file_that_is_no_export_is_refused(karim, file_name):
    with refused(InvalidInput, match="choose requests or messages"):
        workflow.request_report(COURSE, file_name, karim)


def test_a_report_holds_what_the_export_streams_and_is_made_once(storage_dir, skills_point, mathilde, paul, karim):
    ask(skills_point, mathilde)
    ask(skills_point, paul, stuck_on="=HYPERLINK(\"http://evil.example\") is how I feel about my skills")
    asked = workflow.request_report(COURSE, "requests", karim)

    made = workflow.make_report(asked.pk)

    assert made.status == ReportStatus.READY and made.active_key is None and made.error == ""
    written = (storage_dir / made.storage_name).read_bytes()
    assert written.decode("utf-8") == "".join(exports.export_requests(COURSE))
    assert made.size == len(written) and made.rows == 2
    header, *rows = csv.reader(io.StringIO(written.decode("utf-8")))
    assert header[0] == "request_id" and all(row[header.index("stuck_on")][0] != "=" for row in rows)
    assert made.storage_name.startswith("coach-xblock/") and made.storage_name.endswith(".csv")
    assert workflow.make_report(asked.pk) is None, "made already: nothing is written twice"
    assert len(list(storage_dir.rglob("*.csv"))) == 1
    assert workflow.request_report(COURSE, "requests", karim).pk != asked.pk, "once made, a new ask makes a new one"


def test_the_rounds_make_what_waits_and_what_a_stopped_worker_left(storage_dir, karim, t0):
    waiting = workflow.request_report(COURSE, "requests", karim, now=t0)
    left = workflow.request_report(COURSE, "messages", karim, now=t0)
    Report.objects.filter(pk=left.pk).update(status=ReportStatus.RUNNING, started_at=t0)

    assert workflow.make_waiting_reports(now=t0 + timedelta(minutes=5)) == 1
    assert workflow.make_waiting_reports(now=t0 + workflow.reports.RUNNING_LEASE + timedelta(minutes=1)) == 1
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.READY}
    assert Report.objects.get(pk=waiting.pk).rows == 0


def test_a_storage_that_fails_leaves_a_failed_report_with_its_reason(settings, tmp_path, karim):
    not_a_folder = tmp_path / "taken"
    not_a_folder.write_text("a file where the reports' folder should be")
    settings.COACH_XBLOCK = {**settings.COACH_XBLOCK, "REPORT_STORAGE": {
        "STORAGE_CLASS": "django.core.files.storage.FileSystemStorage",
        "STORAGE_KWARGS": {"location": str(not_a_folder)},
    }}
    asked = workflow.request_report(COURSE, "requests", karim)

    failed = workflow.make_report(asked.pk)

    assert failed.status == ReportStatus.FAILED and failed.active_key is None
    assert "Error" in failed.error and failed.storage_name == ""
    assert workflow.request_report(COURSE, "requests", karim).pk != asked.pk, "a failed report can be asked again"


def test_reports_older_than_report_days_go_with_their_files(
        storage_dir, karim, t0, django_capture_on_commit_callbacks):
    old = workflow.make_report(workflow.request_report(COURSE, "requests", karim, now=t0).pk)
    recent = workflow.make_report(workflow.request_report(COURSE, "messages", karim, now=t0 + timedelta(days=6)).pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.expire_reports(now=t0 + timedelta(days=7, minutes=1)) == 1

    assert list(Report.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not (storage_dir / old.storage_name).exists() and (storage_dir / recent.storage_name).exists()


def test_retiring_a_learner_deletes_the_reports_of_the_courses_she_asked_in(
        storage_dir, skills_point, mathilde, karim, django_capture_on_commit_callbacks):
    ask(skills_point, mathilde)
    hers = workflow.make_report(workflow.request_report(COURSE, "requests", karim).pk)
    waiting = workflow.request_report(COURSE, "messages", karim)
    elsewhere = workflow.make_report(workflow.request_report(OTHER_COURSE, "requests", karim).pk)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.forget_learner([mathilde.user_id])

    assert list(Report.objects.values_list("pk", flat=True)) == [elsewhere.pk]
    assert not (storage_dir / hers.storage_name).exists()
    assert workflow.make_report(waiting.pk) is None


def test_a_report_deleted_while_it_is_made_leaves_no_file(storage_dir, skills_point, mathilde, karim):
    ask(skills_point, mathilde)
    asked = workflow.request_report(COURSE, "requests", karim)

    def retired_meanwhile(sql, _earlier):
        return sql.lstrip().upper().startswith("UPDATE") and "finished_at" in sql

    with meanwhile(lambda: Report.objects.filter(pk=asked.pk).delete(), retired_meanwhile):
        assert workflow.make_report(asked.pk) is None

    assert list(storage_dir.rglob("*.csv")) == []
