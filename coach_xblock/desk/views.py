"""The pages of the coach desk: only HTTP. What a request may become is the workflow's; what a page
lists, the read side's; who may see it, `access.coach_desk`'s.

Pages are read with GET (their filters in the URL, so a coach can bookmark "overdue, skills"); every
change is a POST form that ends in a redirect (303) to the page showing its result, or, when the
workflow refuses it, the same page again with the reason and what the coach wrote.
"""
from datetime import timedelta

from django.http import HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .. import charts, domain, exports, formatting, identity, queries, workflow
from ..analytics import DEFAULT_PERIOD, course_analytics, low_rating_comments
from ..domain import TOPICS, InvalidInput, WorkflowError
from ..i18n import gettext as _
from ..i18n import gettext_lazy, number, pgettext_lazy
from . import aids, moderation
from .access import Desk, coach_desk, refusal, said, see_other

# The queue's status filter: every status of a request, or all of them.
STATUS_FILTERS = (*domain.STATUS_CHOICES, (queries.ALL_STATUSES, pgettext_lazy("request status", "All")))
# The queue's age filter: requests asked more than this long ago.
AGE_FILTERS = (
    ("", pgettext_lazy("age filter", "Any age")),
    ("1h", pgettext_lazy("age filter", "Asked over an hour ago")),
    ("1d", pgettext_lazy("age filter", "Asked over a day ago")),
    ("2d", pgettext_lazy("age filter", "Asked over two days ago")),
    ("7d", pgettext_lazy("age filter", "Asked over a week ago")),
)
ORDERS = (("oldest", gettext_lazy("Oldest first")), ("newest", gettext_lazy("Newest first")))
AGES = {"1h": timedelta(hours=1), "1d": timedelta(days=1), "2d": timedelta(days=2), "7d": timedelta(days=7)}
FILTER_NAMES = ("point", "topic", "status", "overdue", "age", "order")
# What the page says after a change it redirected to.
DONE = {
    "claimed": gettext_lazy("You hold this request: answer it before your claim ends."),
    "released": gettext_lazy("You let go of this request: another coach may take it."),
    "answered": gettext_lazy("Your answer was sent. The learner is told."),
    "none_waiting": gettext_lazy("No request waits for you now."),
    "coach_added": gettext_lazy("The coach was added: they may open this desk now."),
    "coach_removed": gettext_lazy("The coach was removed from this course's list."),
    "note_added": gettext_lazy("Your note is added: only the course's coaches read it."),
    "note_deleted": gettext_lazy("The note is deleted."),
}


def _filters(desk):
    """The queue's filters read from the URL, checked: {name: value} and the CoachQueue options."""
    get = desk.request.GET
    filters = {name: get.get(name, "").strip() for name in FILTER_NAMES}
    filters["status"] = filters["status"] or "open"
    filters["order"] = filters["order"] or "oldest"
    points = {point.point_id for point in identity.course_points(desk.course)}
    if filters["point"] and filters["point"] not in points:
        raise InvalidInput(_("This course has no such check-in point: choose one from the list."))
    if filters["topic"] and filters["topic"] not in dict(TOPICS):
        raise InvalidInput(_("Unknown topic: choose one from the list."))
    if filters["age"] and filters["age"] not in AGES:
        raise InvalidInput(_("Unknown age: choose one from the list."))
    filters["overdue"] = "1" if filters["overdue"] else ""
    now = timezone.now()
    options = {
        "point_id": filters["point"] or None,
        "topic": filters["topic"] or None,
        "status": filters["status"],
        "order": filters["order"],
        "overdue_at": now if filters["overdue"] else None,
        "asked_before": now - AGES[filters["age"]] if filters["age"] else None,
    }
    return filters, options


def _queue_context(desk, queue, filters, page_name, **url_kwargs):
    """The rows of a page of `queue`, each with its address, and the addresses of the pages around it."""
    get = desk.request.GET
    page = queue.page(after=get.get("after") or None, before=get.get("before") or None)
    kept = {name: value for name, value in filters.items() if value}
    now = timezone.now()
    rows = [
        {"row": row, "url": desk.url("desk_request", course_id=row.course_key, request_id=row.pk),
         "reserved_for": row.reserved_for(now), "kept_from": row.kept_from(now)}
        for row in page.rows
    ]
    return {
        "page": page,
        "rows": rows,
        "next_url": desk.url(page_name, {**kept, "after": page.next_cursor}, **url_kwargs) if page.next_cursor else "",
        "previous_url": (
            desk.url(page_name, {**kept, "before": page.previous_cursor}, **url_kwargs) if page.previous_cursor else ""
        ),
    }


@require_GET
@coach_desk
def course_queue(desk):
    """The course's queue: filtered, paged, oldest first by default, with the course's backlog."""
    filters, options = _filters(desk)
    queue = queries.CoachQueue(desk.course, **options)
    backlog = queries.backlogs([desk.course]).get(desk.course, queries.Backlog(0, 0))
    return desk.render("desk_course.html", {
        **_queue_context(desk, queue, filters, "desk_course"),
        "section": "queue",
        "filters": filters,
        "point_choices": (
            ("", gettext_lazy("All of the course")),
            *((point.point_id, point.title) for point in identity.course_points(desk.course)),
        ),
        "topic_choices": (("", gettext_lazy("Every topic")), *TOPICS),
        "statuses": STATUS_FILTERS,
        "orders": ORDERS,
        "ages": AGE_FILTERS,
        "backlog": backlog,
        "done": said(desk, DONE),
        "next_request_url": desk.url("desk_next"),
        "export_requests_url": desk.url("desk_export", file="requests"),
        "export_messages_url": desk.url("desk_export", file="messages"),
    })


def _request_page(desk, request_id, *, error="", draft="", preview="", status=200, note_error="", note_draft="",
                  report_error="", report_draft=""):
    """The request page; `error` and `draft` refused an answer, `note_error` and `note_draft` a note,
    `report_error` and `report_draft` a report."""
    request, others = queries.coach_request_detail(desk.course, request_id)
    now = timezone.now()
    reserved_for = request.reserved_for(now)
    return desk.render("desk_request.html", {
        "section": "queue",
        "request": request,
        "others": [
            {"row": other, "url": desk.url("desk_request", request_id=other.pk)} for other in others
        ],
        "holds_claim": request.claim_is_active(now) and request.claimed_by == desk.viewer.user_id,
        "reserved_for_other": reserved_for not in ("", desk.viewer.user_id),
        "reserved_for_viewer": reserved_for == desk.viewer.user_id,
        "kept_from_viewer": request.kept_from(now) == desk.viewer.user_id,
        "error": error,
        "draft": draft,
        "preview": preview,
        "done": said(desk, DONE),
        "queue_url": desk.url("desk_course"),
        "next_request_url": desk.url("desk_next"),
        "claim_url": desk.url("desk_claim", request_id=request.pk),
        "release_url": desk.url("desk_release", request_id=request.pk),
        "answer_url": desk.url("desk_answer", request_id=request.pk),
        "preview_url": desk.url("desk_preview", request_id=request.pk),
        **aids.request_aids(desk, request, note_error=note_error, note_draft=note_draft),
        **moderation.request_part(desk, request, report_error=report_error, report_draft=report_draft),
    }, status=status)


@require_GET
@coach_desk
def request_page(desk, request_id):
    """A request of the course: the learner's ask and thread, its claim, the answer form, their earlier check-ins."""
    return _request_page(desk, request_id)


def _act(desk, request_id, action, done, *, draft=""):
    """Run `action()`; then show the request with `done` said, or again with the workflow's reason."""
    try:
        action()
    except WorkflowError as error:
        if error.status == 404:
            raise
        return _request_page(desk, request_id, error=error.message, draft=draft, status=error.status)
    return see_other(desk.url("desk_request", {"done": done}, request_id=request_id))


@require_POST
@coach_desk
def claim(desk, request_id):
    """Claim the request for `domain.CLAIM_DURATION`, or extend one's own claim."""
    return _act(desk, request_id, lambda: workflow.claim_request(
        desk.course, request_id, desk.viewer.as_person()
    ), "claimed")


@require_POST
@coach_desk
def release(desk, request_id):
    """Let go of one's claim on the request."""
    return _act(desk, request_id, lambda: workflow.release_claim(
        desk.course, request_id, desk.viewer.as_person()
    ), "released")


@require_POST
@coach_desk
def answer(desk, request_id):
    """Answer the request one holds the claim on."""
    body = desk.request.POST.get("body", "")
    return _act(desk, request_id, lambda: workflow.coach_reply(
        desk.course, request_id, desk.viewer.as_person(), body
    ), "answered", draft=body)


@require_POST
@coach_desk
def preview(desk, request_id):
    """The request page again, with the answer being written shown as it will read once sent (in Markdown);
    nothing is saved."""
    body = desk.request.POST.get("body", "")
    if len(body.strip()) > domain.MAX_COACH_REPLY_LENGTH:
        message = _("{field}: write at most {max} characters (you wrote {count}).").format(
            field=_("Your answer"), max=number(domain.MAX_COACH_REPLY_LENGTH), count=number(len(body.strip())))
        return _request_page(desk, request_id, error=message, draft=body, status=400)
    return _request_page(desk, request_id, draft=body, preview=formatting.to_html(body.strip()))


@require_GET
@coach_desk
def next_request(desk):
    """Open the request waiting longest that the coach may claim (a follow-up kept for them comes in turn; a
    request asked again after their answer did not help waits for another coach first)."""
    found = queries.next_claimable(desk.course, desk.viewer.user_id)
    if found is None:
        return see_other(desk.url("desk_course", {"done": "none_waiting"}))
    return see_other(desk.url("desk_request", request_id=found))


@require_GET
@coach_desk
def analytics(desk):
    """Where learners get stuck in the course, per topic and per check-in point, and the newest comments of low
    ratings and of coaching that did not help, for a period (?period=7, 30, 90 or all)."""
    period = desk.request.GET.get("period") or DEFAULT_PERIOD
    stats, by_point = course_analytics(desk.course, period)
    points = [(point.point_id, point.title) for point in identity.course_points(desk.course)]
    comments = low_rating_comments(desk.course, None, period)
    return desk.render("desk_analytics.html", {
        **charts.analytics_context(stats, dict(TOPICS), points, by_point, comments),
        "section": "analytics",
        "scope": "course",
        "periods": charts.period_choices(),
        "uid": "desk",
        "with_comments": True,
        "period_url": desk.url("desk_analytics"),
    })


@require_GET
@coach_desk
def workload(desk):
    """The course team's view of the coaches' workload: per coach and per point, never per learner."""
    if not desk.viewer.manages_coaches:
        return refusal(403, _("Only the course's staff and instructors see the coaches' workload."))
    return desk.render("desk_workload_page.html", {**charts.workload_context(desk.course), "section": "workload"})


@require_GET
@coach_desk
def export(desk, file):
    """Send the coach to the download of the course's requests or messages (a short-lived signed link)."""
    if file not in exports.EXPORT_FILES:
        return refusal(400, _("file: choose requests or messages."))
    response = HttpResponseRedirect(exports.export_link(desk.course, file, desk.viewer.user_id))
    response["Cache-Control"] = "no-store"
    return response


def _coaches_page(desk, *, error="", draft="", status=200):
    return desk.render("desk_coaches.html", {
        "section": "coaches",
        "listed": queries.course_coach_list(desk.course),
        "error": error,
        "draft": draft,
        "done": said(desk, DONE),
        "add_url": desk.url("desk_coaches"),
        "remove_url": desk.url("desk_coach_remove"),
    }, status=status)


@coach_desk
def coaches(desk):
    """The course's coach list (GET), and adding someone by username (POST, staff and instructors only)."""
    if desk.request.method == "GET":
        return _coaches_page(desk)
    if desk.request.method != "POST":
        return refusal(405, _("Send this request with GET or POST."))
    username = desk.request.POST.get("username", "").strip()
    try:
        _may_manage(desk)
        if username and len(username) <= domain.MAX_USERNAME_LENGTH and not identity.user_exists(username):
            raise InvalidInput(_("Nobody has the username “{username}” here.").format(username=username))
        workflow.add_course_coach(desk.course, username, added_by=desk.viewer.username)
    except WorkflowError as error:
        return _coaches_page(desk, error=error.message, draft=username, status=error.status)
    return see_other(desk.url("desk_coaches", {"done": "coach_added"}))


@require_POST
@coach_desk
def coach_remove(desk):
    """Take someone off the course's coach list (staff and instructors only)."""
    try:
        _may_manage(desk)
        workflow.remove_course_coach(desk.course, desk.request.POST.get("username", ""))
    except WorkflowError as error:
        return _coaches_page(desk, error=error.message, status=error.status)
    return see_other(desk.url("desk_coaches", {"done": "coach_removed"}))


def _may_manage(desk):
    if not desk.viewer.manages_coaches:
        raise domain.Forbidden(_("Only the course's staff and instructors can change its coach list."))


@require_GET
def home(request):
    """Every course the viewer coaches, with its backlog, and one queue across them."""
    courses = identity.coached_courses(request)
    viewer = identity.desk_viewer(request, courses[0]) if courses else None
    if viewer is None or not viewer.is_coach:
        return refusal(403, _("You coach no course here: the coach desk shows nothing."))
    desk = Desk(request, "", viewer)
    try:
        filters, options = _home_filters(desk)
        queue = queries.CoachQueue(courses, **options)
        listed = _queue_context(desk, queue, filters, "desk_home")
    except WorkflowError as error:
        return refusal(error.status, error.message)
    backlogs = queries.backlogs(courses)
    return desk.render("desk_home.html", {
        **listed,
        "section": "home",
        "filters": filters,
        "statuses": STATUS_FILTERS,
        "orders": ORDERS,
        "courses": [
            {"key": course, "backlog": backlogs.get(course, queries.Backlog(0, 0)),
             "url": desk.url("desk_course", course_id=course)}
            for course in courses
        ],
    })


def _home_filters(desk):
    get = desk.request.GET
    filters = {"status": get.get("status", "").strip() or "open", "order": get.get("order", "").strip() or "oldest"}
    return filters, dict(filters)
