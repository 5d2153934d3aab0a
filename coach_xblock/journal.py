"""The learner's coaching journal of a course: plain Django pages of the plugin app, in the LMS and the workbench.

`courses/<course_id>/coaching/` lists every request of the viewer at every check-in point of the course,
newest first (paged by keyset): its point, topic, status, dates, what they asked, the thread and a link to
its unit. The page holds the learner's email choices for the course (a POST form ending in a redirect, 303)
and the links to download their data (`data.json`, `data.csv`). Who reads it is `identity.journal_viewer`'s:
only ever the viewer's own requests, found under the id the course's blocks give them. The pages work
without JavaScript; `static/js/journal.js` only shows the times in the viewer's zone and language.
"""
import functools
from urllib.parse import urlencode, urlsplit

from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from . import i18n, identity, learner_data, queries, rendering, workflow
from .domain import TOPICS, InvalidInput, WorkflowError
from .i18n import gettext as _
from .i18n import gettext_lazy

# What the journal says after a change it redirected to.
DONE = {"preferences": gettext_lazy("Your email choices were saved.")}
# The email choices: the form's checkbox names, each sent (as "1") when ticked and absent when not.
CHOICES = ("answer_emails", "reminder_emails")
TICKED = ("1", "on")


def refusal(status, message):
    """A plain-text answer saying why the journal shows nothing (403, 404 ...)."""
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def web_link(url):
    """`url` when it is an http(s) address, else "" (a link that would run or open something else)."""
    return url if url and urlsplit(url).scheme.lower() in ("http", "https") else ""


class Journal:
    """One request to a journal page: who reads it (`viewer`), for which course (`course`)."""

    def __init__(self, request, course, viewer):
        self.request = request
        self.course = course
        self.viewer = viewer

    def _keep_student(self, params):
        if not identity.in_openedx():
            params["student"] = self.viewer.user_id
        return params

    def url(self, name, query=None, **kwargs):
        """The address of the journal's page `name` (its URL name), with `query`, keeping the workbench's user."""
        params = self._keep_student(dict(query or {}))
        path = reverse(f"coach_xblock:{name}", kwargs={"course_id": self.course, **kwargs})
        return f"{path}?{urlencode(params)}" if params else path

    def unit_url(self, request):
        """The address of the unit of `request` (in the workbench, as the viewer)."""
        url = web_link(request.unit_url)
        if url and not identity.in_openedx():
            url = f"{url}?{urlencode(self._keep_student({}))}"
        return url

    def render(self, context, *, status=200):
        """The journal page with `context` (journal.html)."""
        page = {
            "journal": self,
            "viewer": self.viewer,
            "course_key": self.course,
            "csrf_token": get_token(self.request),
            "styles": rendering.static_text("css/coach_checkin.css"),
            "scripts": [
                i18n.js_catalog(translation.get_language() or "en"),
                rendering.static_text("js/l10n.js"),
                rendering.static_text("js/journal.js"),
            ],
            **context,
        }
        response = HttpResponse(rendering.render("journal.html", page), status=status)
        response["Cache-Control"] = "no-store"
        return response


def learner_journal(view):
    """Make `view(journal, ...)` a page of the journal of the course `course_id`, for whoever learns in it."""

    @functools.wraps(view)
    def wrapper(request, course_id, *args, **kwargs):
        try:
            viewer = identity.journal_viewer(request, course_id)
            return view(Journal(request, course_id, viewer), *args, **kwargs)
        except WorkflowError as error:
            return refusal(error.status, error.message)

    return wrapper


def _page(journal, *, error="", status=200):
    """The journal page: the page of requests the URL asks for, the email choices as saved (with `error` when
    the learner's new choices were refused), the downloads."""
    after = journal.request.GET.get("after", "").strip()
    page = learner_data.journal_page(journal.course, journal.viewer.user_id, after=after or None)
    topics = dict(TOPICS)
    return journal.render({
        "entries": [
            {
                "request": request,
                "topic": topics.get(request.topic, request.topic),
                "unit_url": journal.unit_url(request),
            }
            for request in page.requests
        ],
        "older_url": journal.url("journal", {"after": page.next_cursor}) if page.next_cursor else "",
        "latest_url": journal.url("journal") if after else "",
        "preferences": queries.email_preferences(journal.course, journal.viewer.user_id),
        "preferences_url": journal.url("journal_preferences"),
        "json_url": journal.url("journal_data", file="json"),
        "csv_url": journal.url("journal_data", file="csv"),
        "done": DONE.get(journal.request.GET.get("done", ""), ""),
        "error": error,
    }, status=status)


@require_GET
@learner_journal
def journal(journal):
    """The learner's journal of the course: their requests, newest first, their email choices, their data."""
    return _page(journal)


def _choice(data, name):
    """A checkbox of the email form: True when sent ticked, False when absent; anything else is refused."""
    values = data.getlist(name)
    if not values:
        return False
    if len(values) == 1 and values[0] in TICKED:
        return True
    labels = {"answer_emails": _("Emails when a coach answers"), "reminder_emails": _("Reminders")}
    raise InvalidInput(_("{field}: choose yes or no.").format(field=labels[name]))


@require_POST
@learner_journal
def preferences(journal):
    """Save the learner's email choices for the course's check-ins, then show the journal (303); refused, the
    journal again with the reason (400) and nothing saved."""
    try:
        choices = {name: _choice(journal.request.POST, name) for name in CHOICES}
        workflow.set_email_preferences(journal.course, journal.viewer.as_person(), **choices)
    except InvalidInput as error:
        return _page(journal, error=error.message, status=error.status)
    return HttpResponseRedirect(journal.url("journal", {"done": "preferences"}), status=303)


DOWNLOADS = {
    "json": ("application/json; charset=utf-8", learner_data.learner_data_json),
    "csv": ("text/csv; charset=utf-8", learner_data.learner_data_csv),
}


@require_GET
@learner_journal
def data(journal, file):
    """The learner's requests and messages of the course, as a UTF-8 JSON or CSV attachment."""
    if file not in DOWNLOADS:
        return refusal(404, _("Your data downloads as data.json or data.csv."))
    content_type, build = DOWNLOADS[file]
    response = HttpResponse(build(journal.course, journal.viewer.user_id).encode("utf-8"), content_type=content_type)
    safe_course = "".join(c if c.isalnum() else "-" for c in journal.course)
    response["Content-Disposition"] = f'attachment; filename="my-coaching-{safe_course}.{file}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
