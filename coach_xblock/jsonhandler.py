"""The block's JSON handlers: who may call them, what they read, and a readable answer to anything malformed.

`XBlock.json_handler` answers a GET with 405 and a body `json.loads` rejects with 400 ("Invalid
JSON", untranslated), but a body nested deeper than Python's recursion limit (5,000 `[`) makes
`json.loads` raise RecursionError, which the runtime turns into a 500. `json_handler` here keeps
the first two answers, in the viewer's language, and gives the third one a 400 too. `json_action`
adds who may call (learners, coaches, the course team; nobody in Studio's preview but for
analytics) and turns a refused workflow action into its status and message; `request_id_of`,
`scope_of` and `optional_text` read the fields handlers share.
"""
import functools
import json

from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from . import identity
from .domain import MAX_ID, WorkflowError, is_whole_number
from .i18n import gettext as _
from .i18n import gettext_lazy

STUDIO_PREVIEW = gettext_lazy(
    "Studio shows a preview of this check-in point: learners ask, and coaches answer, in the course (LMS)."
)
SCOPES = ("course", "point")  # the requests of the whole course, or of this check-in point


def read_json_body(request):
    """The JSON value of a POST body; JsonHandlerError 405 for another method, 400 for a body it cannot read."""
    if request.method != "POST":
        raise JsonHandlerError(405, _("Send this request with POST."))
    try:
        return json.loads(request.body.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise JsonHandlerError(400, _("Send the fields as a JSON object.")) from None


def error_response(error):
    """The JSON answer `{"error": message}` of a JsonHandlerError (405 names the method allowed)."""
    if error.status_code == 405:
        return error.get_response(allow=["POST"])
    return error.get_response()


def json_handler(method):
    """Make `method(self, data, suffix)` a handler taking a JSON body and answering JSON, as
    XBlock.json_handler does, with `read_json_body`'s answers to what it cannot read."""

    @XBlock.handler
    @functools.wraps(method)
    def handler(self, request, suffix=""):
        try:
            result = method(self, read_json_body(request), suffix)
        except JsonHandlerError as error:
            return error_response(error)
        if isinstance(result, Response):
            return result
        return Response(json.dumps(result), content_type="application/json", charset="utf8")

    return handler


def json_action(team_only=False, in_studio=False):
    """Make a method a JSON handler called as `method(self, data, viewer)`.

    Refuses a body that is not a JSON object; in Studio's preview, every action but those marked
    `in_studio` (no one is told apart there); an anonymous viewer; and anyone outside the course team
    for `team_only` (coaches work on the coach desk, `coach_xblock.desk`). Turns a refused workflow
    action into a JSON error with the workflow's status and message.
    """

    def decorate(method):
        @functools.wraps(method)
        def handler(self, data, suffix=""):
            if not isinstance(data, dict):
                raise JsonHandlerError(400, _("Send the fields as a JSON object."))
            viewer = identity.current_viewer(self)
            if viewer.in_studio and not in_studio:
                raise JsonHandlerError(403, str(STUDIO_PREVIEW))
            if not (viewer.user_id or viewer.in_studio):
                raise JsonHandlerError(403, _("Sign in to use coach check-ins."))
            if team_only and not viewer.is_course_team:
                raise JsonHandlerError(403, _("Only the course team can do this."))
            try:
                return method(self, data, viewer)
            except WorkflowError as error:
                raise JsonHandlerError(error.status, str(error.message)) from error

        return json_handler(handler)

    return decorate


def request_id_of(data):
    """The request a handler's `data` names (`request_id`), or JsonHandlerError 400."""
    value = data.get("request_id")
    if not is_whole_number(value) or not 1 <= value <= MAX_ID:
        raise JsonHandlerError(400, _("request_id: expected the number of a request."))
    return value


def optional_text(data, key):
    """The text of `data[key]`, None when missing or empty; JsonHandlerError 400 when not text."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise JsonHandlerError(400, _("{field}: expected text.").format(field=key))
    return value


def scope_of(data):
    """Which requests a handler's `data` asks about (`scope`): those of the course (the default) or of
    this point; JsonHandlerError 400 for anything else."""
    scope = optional_text(data, "scope") or SCOPES[0]
    if scope not in SCOPES:
        raise JsonHandlerError(400, _("scope: choose course or point."))
    return scope
