"""Who may open a course's coach desk, and how its pages are addressed and drawn.

Every view of the desk takes a `Desk`: the request, the course and its viewer (`identity.desk_viewer`),
made by `coach_desk` once it checked that the viewer coaches the course (else a 403 that shows
nothing). In the workbench the viewer is named by `?student=`, which every address of the desk keeps.
"""
import functools
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import translation

from .. import i18n, identity, rendering
from ..domain import MAX_ID, WorkflowError, no_request_in_course
from ..i18n import gettext as _


def refusal(status, message):
    """A plain-text answer saying why the desk shows nothing (403, 404 ...)."""
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def see_other(url):
    """The answer to a form that did what it asked: a redirect (303) to the page showing the result."""
    return HttpResponseRedirect(url, status=303)


def said(desk, messages):
    """What a page says after the change that redirected to it (its `?done=` key in `messages`), or ""."""
    return messages.get(desk.request.GET.get("done", ""), "")


class Desk:
    """One request to a desk page: who asks (`viewer`), for which course (`course`, "" on the home page)."""

    def __init__(self, request, course, viewer):
        self.request = request
        self.course = course
        self.viewer = viewer

    @property
    def in_openedx(self):
        """True inside Open edX, where the session names the user (the workbench's addresses carry ?student=)."""
        return identity.in_openedx()

    @property
    def url_queue(self):
        """The course's queue."""
        return self.url("desk_course")

    @property
    def url_analytics(self):
        """The course's analytics."""
        return self.url("desk_analytics")

    @property
    def url_replies(self):
        """The course's saved replies."""
        return self.url("desk_replies")

    @property
    def url_workload(self):
        """The coaches' workload (for the course team)."""
        return self.url("desk_workload")

    @property
    def url_reports(self):
        """The course's reports."""
        return self.url("desk_reports")

    @property
    def url_coaches(self):
        """The course's coach list."""
        return self.url("desk_coaches")

    @property
    def url_moderation(self):
        """The course's reports to review and blocked learners (for the course team)."""
        return self.url("desk_moderation")

    def url(self, name, query=None, **kwargs):
        """The address of the desk's page `name` (its URL name), with `query`, keeping the workbench's user."""
        if self.course and "course_id" not in kwargs and name != "desk_home":
            kwargs["course_id"] = self.course
        params = dict(query or {})
        if not self.in_openedx:
            params["student"] = self.viewer.username
        path = reverse(f"coach_xblock:{name}", kwargs=kwargs)
        return f"{path}?{urlencode(params)}" if params else path

    def render(self, template, context, *, status=200):
        """A desk page: `template` (one of static/html/) inside the desk's layout."""
        page = {
            "desk": self,
            "viewer": self.viewer,
            "course_key": self.course,
            "csrf_token": get_token(self.request),
            "home_url": self.url("desk_home"),
            "styles": rendering.static_text("css/coach_checkin.css"),
            "scripts": [
                i18n.js_catalog(translation.get_language() or "en"),
                rendering.static_text("js/l10n.js"),
                rendering.static_text("js/desk.js"),
            ],
            **context,
        }
        response = HttpResponse(rendering.render(template, page), status=status)
        response["Cache-Control"] = "no-store"
        return response


def coach_desk(view):
    """Make `view(desk, ...)` a view of the desk of the course `course_id`, for its coaches only."""

    @functools.wraps(view)
    def wrapper(request, course_id, *args, **kwargs):
        viewer = identity.desk_viewer(request, course_id)
        if not viewer.is_coach:
            return refusal(403, _("Only the coaches of this course can open its coach desk."))
        try:
            if not 0 < kwargs.get("request_id", 1) <= MAX_ID:
                raise no_request_in_course(kwargs["request_id"])
            return view(Desk(request, course_id, viewer), *args, **kwargs)
        except WorkflowError as error:
            return refusal(error.status, error.message)

    return wrapper
