"""The plugin app's plain Django view: a coach's CSV export, streamed behind a short-lived signed link.

Only HTTP: what a link names and what the files hold is `coach_xblock.exports`'. The view asks for
no login: holding a valid token is the permission, which the block's `export_csv` handler gives
coaches only.
"""
import logging

from django.core import signing
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from . import exports
from .i18n import gettext as _

log = logging.getLogger(__name__)


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
        link = exports.read_link(token)
    except signing.SignatureExpired:
        return _refusal(410, _("This download link has expired. Download the file again from the coach queue."))
    except signing.BadSignature:
        return _refusal(403, _("This download link is not valid. Download the file from the coach queue."))
    export = exports.EXPORT_FILES.get(link["file"])
    if export is None:
        return _refusal(400, _("file: choose requests or messages."))
    log.info("CSV export of %s of %s for coach %s", link["file"], link["course"], link["user"])
    lines = (line.encode("utf-8") for line in export(link["course"]))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(link["course"], link["file"])}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
