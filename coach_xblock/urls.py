"""URLs of the plugin app, mounted under `apps.URL_PREFIX` in the namespace "coach_xblock": the coach desk
(`coach_xblock.desk`, with its moderation and reports), the learner's coaching journal of a course
(`coach_xblock.journal`) and the download of a CSV export."""
from django.urls import path

from . import journal, views
from .desk import aids, moderation, reports
from .desk import views as desk

app_name = "coach_xblock"

COURSE = "courses/<str:course_id>/desk/"
JOURNAL = "courses/<str:course_id>/coaching/"

urlpatterns = [
    path("export/<str:token>/", views.export_download, name="export_download"),
    path("desk/", desk.home, name="desk_home"),
    path(COURSE, desk.course_queue, name="desk_course"),
    path(f"{COURSE}next/", desk.next_request, name="desk_next"),
    path(f"{COURSE}requests/<int:request_id>/", desk.request_page, name="desk_request"),
    path(f"{COURSE}requests/<int:request_id>/claim/", desk.claim, name="desk_claim"),
    path(f"{COURSE}requests/<int:request_id>/release/", desk.release, name="desk_release"),
    path(f"{COURSE}requests/<int:request_id>/answer/", desk.answer, name="desk_answer"),
    path(f"{COURSE}requests/<int:request_id>/preview/", desk.preview, name="desk_preview"),
    path(f"{COURSE}requests/<int:request_id>/notes/", aids.note_add, name="desk_note_add"),
    path(f"{COURSE}requests/<int:request_id>/notes/<int:note_id>/delete/", aids.note_delete, name="desk_note_delete"),
    path(f"{COURSE}requests/<int:request_id>/report/", moderation.report, name="desk_report"),
    path(f"{COURSE}moderation/", moderation.moderation_page, name="desk_moderation"),
    path(f"{COURSE}moderation/requests/<int:request_id>/", moderation.review_page, name="desk_review"),
    path(f"{COURSE}moderation/requests/<int:request_id>/dismiss/", moderation.dismiss, name="desk_dismiss"),
    path(f"{COURSE}moderation/requests/<int:request_id>/uphold/", moderation.uphold, name="desk_uphold"),
    path(f"{COURSE}moderation/requests/<int:request_id>/block/", moderation.block, name="desk_block"),
    path(f"{COURSE}moderation/unblock/", moderation.unblock, name="desk_unblock"),
    path(f"{COURSE}replies/", aids.saved_replies, name="desk_replies"),
    path(f"{COURSE}replies/<int:reply_id>/", aids.saved_reply_edit, name="desk_reply_edit"),
    path(f"{COURSE}replies/<int:reply_id>/delete/", aids.saved_reply_delete, name="desk_reply_delete"),
    path(f"{COURSE}analytics/", desk.analytics, name="desk_analytics"),
    path(f"{COURSE}workload/", desk.workload, name="desk_workload"),
    path(f"{COURSE}coaches/", desk.coaches, name="desk_coaches"),
    path(f"{COURSE}coaches/remove/", desk.coach_remove, name="desk_coach_remove"),
    path(f"{COURSE}export/<str:file>/", desk.export, name="desk_export"),
    path(f"{COURSE}reports/", reports.reports, name="desk_reports"),
    path(f"{COURSE}reports/ask/", reports.ask, name="desk_reports_ask"),
    path(f"{COURSE}reports/<int:report_id>/", reports.download, name="desk_report_download"),
    path(JOURNAL, journal.journal, name="journal"),
    path(f"{JOURNAL}preferences/", journal.preferences, name="journal_preferences"),
    path(f"{JOURNAL}data.<str:file>", journal.data, name="journal_data"),
]
