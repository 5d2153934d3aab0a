"""The desk's pages of moderation: a coach reports a request (a form of the request page); the course team
reviews reports (dismisses or upholds them) and blocks or unblocks a learner, on a page of its own listing the
reports to review, the blocked learners and the latest steps, and on each request's review page.

The texts of a reported request show only on its review page, to the course team: the queue, the request
page and the learner's history show every coach a notice instead (`RequestState.text_hidden`).

Like every page of the desk: only HTTP, a POST form ending in a redirect (303), or the same page again with the
workflow's reason and what was written. Anyone but the course team (staff, instructors) gets a 403 on the
course team's pages and forms, and nothing changes. The request page (`views`) asks `request_part` for its
part; a refused report shows that page again: the two modules import each other, as modules, used at call time.
"""
import functools

from django.views.decorators.http import require_GET, require_POST

from .. import moderation, queries, workflow
from ..domain import WorkflowError
from ..i18n import gettext as _
from ..i18n import gettext_lazy
from . import views
from .access import coach_desk, refusal, said, see_other

# What the moderation page and the request page say after a change they redirected to.
DONE = {
    "reported": gettext_lazy("You reported this request: it left the queue until the course team reviews it."),
    "dismissed": gettext_lazy("The report is dismissed: the request is back as it was."),
    "upheld": gettext_lazy("The report is upheld: the request is closed."),
    "blocked": gettext_lazy("The learner is blocked: they can no longer ask in this course."),
    "unblocked": gettext_lazy("The learner is unblocked: they may ask again."),
}


def course_team(view):
    """Make `view(desk, ...)` a page or form of the course team only (403 for its other coaches)."""

    @functools.wraps(view)
    def wrapper(desk, *args, **kwargs):
        if not desk.viewer.manages_coaches:
            return refusal(403, _("Only the course's staff and instructors review reports and block learners."))
        return view(desk, *args, **kwargs)

    return wrapper


# ---------------------------------------------------------------- the request page's part


def request_part(desk, request, *, report_error="", report_draft=""):
    """What the request page shows of moderation: who reported it (when its texts are hidden), the report
    form (for a request alive), the link to its review page (for the course team)."""
    return {
        "report": moderation.latest_report(desk.course, request.pk) if request.text_hidden() else None,
        "report_url": desk.url("desk_report", request_id=request.pk),
        "review_url": desk.url("desk_review", request_id=request.pk) if desk.viewer.manages_coaches else "",
        "report_error": report_error,
        "report_draft": report_draft,
        "done": said(desk, DONE) or said(desk, views.DONE),
    }


@require_POST
@coach_desk
def report(desk, request_id):
    """Report the request as inappropriate, with a reason: it leaves the queue until the course team reviews it."""
    reason = desk.request.POST.get("reason", "")
    try:
        workflow.report_request(desk.course, request_id, desk.viewer.as_person(), reason)
    except WorkflowError as error:
        if error.status == 404:
            raise
        return views._request_page(desk, request_id, report_error=error.message, report_draft=reason,
                                   status=error.status)
    return see_other(desk.url("desk_request", {"done": "reported"}, request_id=request_id))


# ---------------------------------------------------------------- the course team's pages


def _moderation_page(desk, *, error="", status=200):
    return desk.render("desk_moderation.html", {
        "section": "moderation",
        "reports": [
            {**pending, "url": desk.url("desk_review", request_id=pending["request"].pk)}
            for pending in moderation.pending_reports(desk.course)
        ],
        "blocks": moderation.blocked_learners(desk.course),
        "records": moderation.course_records(desk.course),
        "unblock_url": desk.url("desk_unblock"),
        "error": error,
        "done": said(desk, DONE),
    }, status=status)


@require_GET
@coach_desk
@course_team
def moderation_page(desk):
    """The reports waiting for the course team, the learners it blocked, the latest steps."""
    return _moderation_page(desk)


def _review_page(desk, request_id, *, error="", draft="", block_draft="", status=200):
    request, _others = queries.coach_request_detail(desk.course, request_id)
    return desk.render("desk_review.html", {
        "section": "moderation",
        "request": request,
        "records": moderation.request_records(desk.course, request.pk),
        "learner_block": moderation.block_of(desk.course, request.learner_id),
        "request_url": desk.url("desk_request", request_id=request.pk),
        "moderation_url": desk.url("desk_moderation"),
        "dismiss_url": desk.url("desk_dismiss", request_id=request.pk),
        "uphold_url": desk.url("desk_uphold", request_id=request.pk),
        "block_url": desk.url("desk_block", request_id=request.pk),
        "unblock_url": desk.url("desk_unblock"),
        "error": error,
        "draft": draft,
        "block_draft": block_draft,
    }, status=status)


@require_GET
@coach_desk
@course_team
def review_page(desk, request_id):
    """A request as the course team reviews it: its texts and thread, its reports, the decision and block forms."""
    return _review_page(desk, request_id)


def _decide(desk, request_id, action, done, *, kept_as="draft"):
    """Run `action(course, request_id, actor, reason)`; then the moderation page with `done` said, or the review
    page again with the workflow's reason and the reason written, in its form (`kept_as`)."""
    reason = desk.request.POST.get("reason", "")
    try:
        action(desk.course, request_id, desk.viewer.as_person(), reason)
    except WorkflowError as error:
        if error.status == 404:
            raise
        return _review_page(desk, request_id, error=error.message, status=error.status, **{kept_as: reason})
    return see_other(desk.url("desk_moderation", {"done": done}))


@require_POST
@coach_desk
@course_team
def dismiss(desk, request_id):
    """Dismiss the report of the request: it is back as it was (in the queue if it waited for a coach)."""
    return _decide(desk, request_id, workflow.dismiss_report, "dismissed")


@require_POST
@coach_desk
@course_team
def uphold(desk, request_id):
    """Uphold the report of the request: it is closed, its texts hidden from the coaches."""
    return _decide(desk, request_id, workflow.uphold_report, "upheld")


@require_POST
@coach_desk
@course_team
def block(desk, request_id):
    """Block the learner of the request from asking in the course, with a reason."""
    learner_id = queries.request_learner(desk.course, request_id)
    if learner_id is None:
        return refusal(404, _("There is no request #{id} in this course.").format(id=request_id))
    return _decide(desk, request_id, lambda course, _id, actor, reason: workflow.block_learner(
        course, learner_id, actor, reason), "blocked", kept_as="block_draft")


@require_POST
@coach_desk
@course_team
def unblock(desk):
    """Let a blocked learner of the course ask again (the learner's id is the form's `learner_id`)."""
    try:
        workflow.unblock_learner(desk.course, desk.request.POST.get("learner_id", ""), desk.viewer.as_person(),
                                 desk.request.POST.get("reason", ""))
    except WorkflowError as error:
        return _moderation_page(desk, error=error.message, status=error.status)
    return see_other(desk.url("desk_moderation", {"done": "unblocked"}))
