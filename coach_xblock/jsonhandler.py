"""JSON handlers that answer every malformed request with a message a person can read.

`XBlock.json_handler` answers a GET with 405 and a body `json.loads` rejects with 400 ("Invalid
JSON", untranslated), but a body nested deeper than Python's recursion limit (5,000 `[`) makes
`json.loads` raise RecursionError, which the runtime turns into a 500. `json_handler` here keeps
the first two answers, in the viewer's language, and gives the third one a 400 too.
"""
import functools
import json

from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from .i18n import gettext as _


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
