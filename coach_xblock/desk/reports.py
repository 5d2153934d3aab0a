"""The desk's reports: a coach asks for a CSV file of the course, made in the background (`workflow.reports`),
sees the course's reports with their state, size and time, and downloads the ready ones.

A download streams the file from the report storage through this view, for the course's coaches only:
the storage's own address (a folder of the LMS, or a bucket) is never shown.
"""
from django.http import FileResponse
from django.views.decorators.http import require_GET, require_POST

from .. import exports, queries, workflow
from ..domain import ACTIVE_REPORT_STATUSES, MAX_ID, ReportStatus, WorkflowError
from ..i18n import gettext as _
from ..i18n import gettext_lazy
from .access import coach_desk, refusal, said, see_other

DONE = {
    "asked": gettext_lazy("Your report is being prepared: it shows here when it is ready. You can leave this page."),
}


def _reports_page(desk, *, error="", status=200):
    reports = queries.course_reports(desk.course)
    return desk.render("desk_reports.html", {
        "section": "reports",
        "reports": [
            {"report": report, "ready": report.status == ReportStatus.READY,
             "url": desk.url("desk_report_download", report_id=report.pk)}
            for report in reports
        ],
        "waiting": any(report.status in ACTIVE_REPORT_STATUSES for report in reports),
        "files": (("requests", _("The course's requests")), ("messages", _("The messages of their threads"))),
        "error": error,
        "done": said(desk, DONE),
        "ask_url": desk.url("desk_reports_ask"),
        "export_requests_url": desk.url("desk_export", file="requests"),
        "export_messages_url": desk.url("desk_export", file="messages"),
    }, status=status)


@require_GET
@coach_desk
def reports(desk):
    """The course's reports, newest first, and the form asking for one."""
    return _reports_page(desk)


@require_POST
@coach_desk
def ask(desk):
    """Have a report made (`file`: requests or messages); one of the same file already waiting serves."""
    try:
        workflow.request_report(desk.course, desk.request.POST.get("file", ""), desk.viewer.as_person())
    except WorkflowError as error:
        return _reports_page(desk, error=error.message, status=error.status)
    return see_other(desk.url("desk_reports", {"done": "asked"}))


@require_GET
@coach_desk
def download(desk, report_id):
    """The ready report's CSV file, as an attachment."""
    report = queries.course_report(desk.course, report_id) if 0 < report_id <= MAX_ID else None
    if report is None:
        return refusal(404, _("There is no report #{id} in this course.").format(id=report_id))
    if report.status != ReportStatus.READY:
        return refusal(409, _("Report #{id} is not ready: {status}.").format(
            id=report.pk, status=report.get_status_display()))
    try:
        stream = exports.open_report(report)
    except OSError:
        return refusal(410, _("The file of report #{id} is gone: ask for a new report.").format(id=report.pk))
    response = FileResponse(stream, as_attachment=True, content_type="text/csv; charset=utf-8",
                            filename=exports.export_filename(report.course_key, report.file))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
