"""The desk's pages of what coaches keep beside their answers: the course's saved replies (a page of their
own: every check-in point with its saved replies, to create, edit and delete) and the private notes on a
learner (a part of the request page: the notes, a form to add one, a button to delete one's own).

Like every page of the desk: only HTTP, a POST form ending in a redirect (303), or the same page again
with the workflow's reason and what the coach wrote. The request page (`views`) asks `request_aids` for its
part; a refused note shows that page again: the two modules import each other, as modules, used at call time.
"""
from django.views.decorators.http import require_POST

from .. import identity, queries, workflow
from ..domain import InvalidInput, WorkflowError, no_request_in_course
from ..i18n import gettext as _
from ..i18n import gettext_lazy
from . import views
from .access import coach_desk, refusal, said, see_other

# What the saved replies page says after a change it redirected to (the request page's are in `views.DONE`).
DONE = {
    "reply_saved": gettext_lazy("The saved reply is saved: every coach of the course may use it."),
    "reply_deleted": gettext_lazy("The saved reply is deleted."),
}


# ---------------------------------------------------------------- saved replies


def _form(reply, draft):
    """What the form of `reply` (None: of a new one) shows: the coach's `draft` when it was refused."""
    if draft is not None:
        return {"title": draft["title"], "body": draft["body"], "refused": True}
    return {"title": reply["title"] if reply else "", "body": reply["body"] if reply else "", "refused": False}


def _replies_page(desk, *, error="", draft=None, status=200):
    """Every check-in point of the course with its saved replies and their forms (and the points gone from the
    course that still have some); `draft` (point_id, reply_id, title, body) is what the coach sent when `error`
    refused it, shown again in its form."""
    by_point = queries.saved_replies_by_point(desk.course)
    points = identity.course_points(desk.course)
    known = {point.point_id for point in points}
    gone = [identity.CheckinPointRef(point_id, "") for point_id in by_point if point_id not in known]

    kept = {reply["id"] for replies in by_point.values() for reply in replies}

    def drafted(point_id, reply_id):
        """The draft, for the form of `reply_id` (None: the new one at `point_id`, which also shows the draft
        of a reply deleted meanwhile)."""
        if draft is None:
            return None
        if reply_id is not None:
            return draft if draft["reply_id"] == reply_id else None
        return draft if draft["point_id"] == point_id and draft["reply_id"] not in kept else None

    sections = [
        {
            "point": point,
            "in_course": point.point_id in known,
            "replies": [
                {
                    "reply": reply,
                    "form": _form(reply, drafted(point.point_id, reply["id"])),
                    "edit_url": desk.url("desk_reply_edit", reply_id=reply["id"]),
                    "delete_url": desk.url("desk_reply_delete", reply_id=reply["id"]),
                }
                for reply in by_point.get(point.point_id, [])
            ],
            "new": _form(None, drafted(point.point_id, None)),
        }
        for point in [*points, *gone]
    ]
    return desk.render("desk_replies.html", {
        "section": "replies",
        "sections": sections,
        "error": error,
        "done": said(desk, DONE),
        "create_url": desk.url("desk_replies"),
    }, status=status)


def _save(desk, reply_id=None):
    """Create (or edit, `reply_id`) a saved reply from the form; at a point the page lists."""
    post = desk.request.POST
    draft = {"point_id": post.get("point_id", ""), "reply_id": reply_id, "title": post.get("title", ""),
             "body": post.get("body", "")}
    try:
        listed = {point.point_id for point in identity.course_points(desk.course)}
        if reply_id is not None:
            listed.update(queries.saved_replies_by_point(desk.course))
        if draft["point_id"] not in listed:
            raise InvalidInput(_("Choose a check-in point of this course."))
        workflow.save_reply(desk.course, draft["point_id"], desk.viewer.as_person(), draft["title"], draft["body"],
                            reply_id=reply_id)
    except WorkflowError as error:
        return _replies_page(desk, error=error.message, draft=draft, status=error.status)
    return see_other(desk.url("desk_replies", {"done": "reply_saved"}))


@coach_desk
def saved_replies(desk):
    """The course's saved replies, by check-in point (GET), and a new one (POST)."""
    if desk.request.method == "GET":
        return _replies_page(desk)
    if desk.request.method != "POST":
        return refusal(405, _("Send this request with GET or POST."))
    return _save(desk)


@require_POST
@coach_desk
def saved_reply_edit(desk, reply_id):
    """Edit a saved reply of the course (its title and text): any of its coaches may."""
    return _save(desk, reply_id)


@require_POST
@coach_desk
def saved_reply_delete(desk, reply_id):
    """Delete a saved reply of the course: any of its coaches may."""
    try:
        workflow.delete_reply(desk.course, reply_id, desk.viewer.as_person())
    except WorkflowError as error:
        return _replies_page(desk, error=error.message, status=error.status)
    return see_other(desk.url("desk_replies", {"done": "reply_deleted"}))


# ---------------------------------------------------------------- the request page's saved replies and notes


def request_aids(desk, request, *, note_error="", note_draft=""):
    """What the request page shows beside the answer: the saved replies of the request's point, the notes on
    its learner (each with the address deleting it, for its author or the course team), the note form."""
    notes = [
        {
            "note": note,
            "delete_url": desk.url("desk_note_delete", request_id=request.pk, note_id=note["id"])
            if desk.viewer.manages_coaches or (note["author_id"] and note["author_id"] == desk.viewer.user_id)
            else "",
        }
        for note in queries.notes_on(desk.course, request.learner_id)
    ]
    return {
        "saved_replies": queries.saved_replies(desk.course, request.point_id),
        "replies_url": desk.url("desk_replies"),
        "notes": notes,
        "note_add_url": desk.url("desk_note_add", request_id=request.pk),
        "note_error": note_error,
        "note_draft": note_draft,
    }


def _learner_of(desk, request_id):
    """The learner who asked the request `request_id` of the course, or NotFound."""
    found = queries.request_learner(desk.course, request_id)
    if found is None:
        raise no_request_in_course(request_id)
    return found


@require_POST
@coach_desk
def note_add(desk, request_id):
    """Add the coach's private note on the learner of the request, shown beside their requests."""
    body = desk.request.POST.get("body", "")
    try:
        workflow.add_note(desk.course, _learner_of(desk, request_id), desk.viewer.as_person(), body)
    except WorkflowError as error:
        if error.status == 404:
            raise
        return views._request_page(desk, request_id, note_error=error.message, note_draft=body, status=error.status)
    return see_other(desk.url("desk_request", {"done": "note_added"}, request_id=request_id))


@require_POST
@coach_desk
def note_delete(desk, request_id, note_id):
    """Delete a note on the learner of the request: its author or the course team (staff, instructors) may."""
    try:
        _learner_of(desk, request_id)
        workflow.delete_note(desk.course, note_id, desk.viewer.as_person(), as_course_team=desk.viewer.manages_coaches)
    except WorkflowError as error:
        if error.status == 404:
            raise
        return views._request_page(desk, request_id, note_error=error.message, status=error.status)
    return see_other(desk.url("desk_request", {"done": "note_deleted"}, request_id=request_id))
