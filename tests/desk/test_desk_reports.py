"""The desk's reports page: a coach asks for a report (a double click asks once), sees it wait, then ready
with its size and rows, and downloads it; what is refused (bad file, another course's report, one not
ready, one whose file is gone, outsiders) changes nothing.

Reports are made here by the worker's round (`workflow.make_waiting_reports`), as `coach_notifications`
does in the workbench; tests/test_celery.py has a real Celery worker make one.
"""
import csv
import io

import pytest
from story import KARIM, LEA, MATHILDE
from story.desk import desk_path, with_student

from coach_xblock import workflow
from coach_xblock.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage_dir(settings, tmp_path):
    folder = tmp_path / "reports"
    settings.COACH_XBLOCK = {**settings.COACH_XBLOCK, "REPORT_STORAGE": {
        "STORAGE_CLASS": "django.core.files.storage.FileSystemStorage", "STORAGE_KWARGS": {"location": str(folder)},
    }}
    return folder


def ask_report(desk, coach=KARIM, file="requests"):
    response = desk.post("desk_reports_ask", coach, {"file": file})
    assert response.status_code == 303, response.content[:300]
    assert response["Location"].startswith(desk_path("desk_reports", desk.course))
    return response


def test_a_report_is_asked_for_made_and_downloaded(desk, asked):
    ask_report(desk)
    ask_report(desk)  # a double click
    waiting = desk.page("desk_reports", query={"done": "asked"})
    assert "Your report is being prepared" in waiting and "Waiting to be prepared" in waiting
    assert Report.objects.count() == 1

    assert workflow.make_waiting_reports() == 1
    ready = desk.page("desk_reports", LEA)
    report = Report.objects.get()
    link = with_student(desk_path("desk_report_download", desk.course, report_id=report.pk), LEA)
    assert f'href="{link}"' in ready and "Ready · " in ready
    assert '<data class="coach-number" value="1">1</data> row<' in ready and f"{report.size}\xa0bytes" in ready

    response = desk.client.get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and ".csv" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    header, row = csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8")))
    assert header[0] == "request_id" and row[0] == str(asked)


def test_the_queue_page_leads_to_the_reports(desk):
    assert desk_path("desk_reports", desk.course) in desk.page("desk_course")


@pytest.mark.parametrize("file", ["", "grades", "requests/../messages"])
def test_a_file_that_is_no_export_is_refused(desk, file):
    text = desk.refused("desk_reports_ask", KARIM, {"file": file}, status=400, says="choose requests or messages")
    assert "Prepare the report" in text


def test_asking_is_a_post(desk):
    desk.refused("desk_reports_ask", KARIM, {"file": "requests"}, status=405, method="get")


def test_a_report_not_ready_another_courses_and_an_unknown_one_are_refused(desk, karim):
    waiting = workflow.request_report(desk.course, "requests", karim)
    elsewhere = workflow.make_report(workflow.request_report("course-v1:Other+Course+2026", "requests", karim).pk)

    desk.refused("desk_report_download", KARIM, status=409, says="not ready", method="get", report_id=waiting.pk)
    desk.refused("desk_report_download", KARIM, status=404, says="no report", method="get", report_id=elsewhere.pk)
    desk.refused("desk_report_download", KARIM, status=404, says="no report", method="get", report_id=2**63)


def test_a_report_whose_file_is_gone_says_so(desk, karim, storage_dir):
    made = workflow.make_report(workflow.request_report(desk.course, "requests", karim).pk)
    (storage_dir / made.storage_name).unlink()

    desk.refused("desk_report_download", KARIM, status=410, says="ask for a new report", method="get",
                 report_id=made.pk)


@pytest.mark.parametrize("student", [MATHILDE, "coach_someone_else", ""])
def test_outsiders_see_no_report(desk, karim, student):
    made = workflow.make_report(workflow.request_report(desk.course, "requests", karim).pk)

    for name, method, kwargs in (("desk_reports", "get", {}), ("desk_reports_ask", "post", {}),
                                 ("desk_report_download", "get", {"report_id": made.pk})):
        desk.refused(name, student, status=403, says="Only the coaches of this course", method=method, **kwargs)
