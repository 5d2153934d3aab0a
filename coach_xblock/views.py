"""The plugin app's plain Django view: a coach's CSV export, streamed behind a short-lived signed link.

The `export_csv` handler of the block decides who may export; it answers with a redirect to
`export_link(...)`. The link's token is signed with the site's SECRET_KEY for this purpose only
and carries the course, the file and the coach; it is refused once `EXPORT_LINK_SECONDS` have
passed. The view asks for no login: holding a valid token is the permission.
"""
import logging

from django.core import signing
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import reports
from .conf import setting
from .i18n import gettext as _

log = logging.getLogger(__name__)

EXPORT_SALT = "coach_xblock.export"


def export_token(course_key, file_name, user_id):
    """A signed, timestamped token naming the course and file to export, and the coach asking."""
    return signing.dumps({"course": course_key, "file": file_name, "user": user_id}, salt=EXPORT_SALT)


def export_link(course_key, file_name, user_id):
    """The path of the download of `file_name` of the course; valid `EXPORT_LINK_SECONDS` from now."""
    return reverse("coach_xblock:export_download", kwargs={"token": export_token(course_key, file_name, user_id)})


def export_filename(course_key, file_name):
    """The name the browser saves an export under: the file and the course, letters, digits and dashes only."""
    safe_course = "".join(c if c.isalnum() else "-" for c in course_key)
    return f"coach-{file_name}-{safe_course}.csv"


def _refusal(status, message):
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def export_download(request, token):
    """Stream the export the token names as a UTF-8 CSV attachment.

    Asks for no login: the `export_csv` handler checked that the viewer coaches the course
    before it signed the token (and the workbench has no Django login). Refuses an expired
    token (410), a token this site did not sign for exports (403) and a file that is not an
    export (400), each with a plain-text reason and no data.
    """
    try:
        link = signing.loads(token, salt=EXPORT_SALT, max_age=setting("EXPORT_LINK_SECONDS"))
    except signing.SignatureExpired:
        return _refusal(410, _("This download link has expired. Download the file again from the coach queue."))
    except signing.BadSignature:
        return _refusal(403, _("This download link is not valid. Download the file from the coach queue."))
    export = reports.EXPORT_FILES.get(link["file"])
    if export is None:
        return _refusal(400, _("file: choose requests or messages."))
    log.info("CSV export of %s of %s for coach %s", link["file"], link["course"], link["user"])
    lines = (line.encode("utf-8") for line in export(link["course"]))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(link["course"], link["file"])}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
