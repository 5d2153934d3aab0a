"""What coaches see of a check-in point: the course's queue, a request, claim, answer, exports.

A part of the block (`CoachCheckinBlock` mixes it in): its handlers answer coaches of the course
only, and call `workflow` to change a request, `queries` to show it.
"""
from webob import Response
from xblock.core import XBlock

from . import domain, events, exports, identity, queries, workflow
from .analytics import DEFAULT_PERIOD
from .i18n import gettext as _
from .i18n import pgettext_lazy
from .jsonhandler import STUDIO_PREVIEW, json_action, optional_text, request_id_of, scope_of

# The coach queue's status filter: every status of a request, or all of them.
QUEUE_STATUS_CHOICES = (*domain.STATUS_CHOICES, (queries.ALL_STATUSES, pgettext_lazy("request status", "All")))


class CoachView:
    """The coach's view of the block and its handlers (`student_view` shows it to coaches)."""

    def _queue(self, data):
        scope = scope_of(data)
        status = optional_text(data, "status") or "open"
        order = optional_text(data, "order") or "oldest"
        queue = queries.CoachQueue(
            identity.course_key(self),
            point_id=identity.point_id(self) if scope == "point" else None,
            status=status,
            order=order,
        )
        page = queue.page(after=optional_text(data, "after"), before=optional_text(data, "before"))
        filters = {"scope": scope, "status": status, "order": order}
        return page, filters

    def _queue_html(self, page, filters):
        return self._render("coach_queue.html", {"page": page, "filters": filters})


    @XBlock.handler
    def export_csv(self, request, suffix=""):
        """Send a coach to the download of the course's requests (?file=requests) or their messages
        (?file=messages): a redirect to a short-lived signed link, whose view streams the CSV."""
        viewer = identity.current_viewer(self)
        if viewer.in_studio:
            return Response(str(STUDIO_PREVIEW), status=403, content_type="text/plain")
        if not viewer.is_coach:
            return Response(_("Only the coaches of this course can do this."), status=403, content_type="text/plain")
        name = request.GET.get("file", "requests")
        if name not in exports.EXPORT_FILES:
            return Response(_("file: choose requests or messages."), status=400, content_type="text/plain")
        response = Response(status=302, location=exports.export_link(identity.course_key(self), name, viewer.user_id))
        response.cache_control.no_store = True
        return response

    def _coach_fragment(self, viewer, view):
        page, filters = self._queue({})
        html = self._render(
            "coach.html",
            {
                "block": self,
                **self._texts(),
                "viewer": viewer,
                "view": view,
                "queue": self._queue_html(page, filters),
                "analytics": self._analytics_html("course", DEFAULT_PERIOD)[1],
                "export_requests_url": self.runtime.handler_url(self, "export_csv", query="file=requests"),
                "export_messages_url": self.runtime.handler_url(self, "export_csv", query="file=messages"),
                "filters": filters,
                "statuses": QUEUE_STATUS_CHOICES,
            },
        )
        return self._fragment(
            html, "coach.js", "CoachCheckinCoach", {"poll_seconds": self.poll_seconds}
        )

    @json_action(coach_only=True)
    def queue(self, data, viewer):
        """A page of the course's coach queue: filters scope, status, order; cursors after / before."""
        page, filters = self._queue(data)
        return {
            "rows": [queries.queue_row_dict(r) for r in page.rows],
            "next": page.next_cursor,
            "previous": page.previous_cursor,
            "filters": filters,
            "html": self._queue_html(page, filters),
        }

    def _detail(self, request_id, viewer):
        request, others = queries.coach_request_detail(identity.course_key(self), request_id)
        html = self._render(
            "coach_request.html",
            {
                "request": request,
                "others": others,
                "holds_claim": request.claim_is_active() and request.claimed_by == viewer.user_id,
            },
        )
        return {
            "request": queries.request_dict(request),
            "other_requests": [queries.queue_row_dict(o) for o in others],
            "html": html,
        }

    @json_action(coach_only=True)
    def request_detail(self, data, viewer):
        """One request of the course: its thread, its claim and the learner's other requests."""
        return self._detail(request_id_of(data), viewer)

    @json_action(coach_only=True)
    def claim(self, data, viewer):
        """Claim a request for `domain.CLAIM_DURATION`, or extend one's own claim."""
        request = workflow.claim_request(
            identity.course_key(self), request_id_of(data), viewer.as_person(), publish=events.from_block(self)
        )
        return self._detail(request.pk, viewer)

    @json_action(coach_only=True)
    def release(self, data, viewer):
        """Let go of one's claim on a request."""
        request = workflow.release_claim(
            identity.course_key(self), request_id_of(data), viewer.as_person(), publish=events.from_block(self)
        )
        return self._detail(request.pk, viewer)

    @json_action(coach_only=True)
    def coach_reply(self, data, viewer):
        """Answer a request one holds the claim on."""
        request = workflow.coach_reply(
            identity.course_key(self), request_id_of(data), viewer.as_person(), data.get("body"),
            publish=events.from_block(self),
        )
        return self._detail(request.pk, viewer)
