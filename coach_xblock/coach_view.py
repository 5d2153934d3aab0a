"""What a coach sees of a check-in point in its unit: a summary of the point and the way to the coach desk.

Coaches work on the coach desk (`coach_xblock.desk`): one page per course, with its queue, its
requests and its analytics. In a unit the block shows a coach only its own point: how many requests
wait there, how many are overdue, and a link to the desk.
"""
from urllib.parse import urlencode

from django.urls import reverse

from . import identity, queries


class CoachView:
    """The coach's view of the block (`student_view` shows it to coaches)."""

    def desk_url(self, viewer=None):
        """The address of the coach desk of this block's course: in the LMS (from Studio too), or in the
        workbench for `viewer` (whose ?student= id it keeps)."""
        path = reverse("coach_xblock:desk_course", kwargs={"course_id": identity.course_key(self)})
        if identity.in_openedx():
            if identity.in_studio(self):
                return identity.lms_root() + path
            return path
        return f"{path}?{urlencode({'student': viewer.user_id if viewer else ''})}"

    def _coach_fragment(self, viewer):
        course, point = identity.course_key(self), identity.point_id(self)
        backlog = queries.backlogs([course], by="point_id", point_id=point).get(point, queries.Backlog(0, 0))
        context = {**self._texts(), "viewer": viewer, "backlog": backlog, "desk_url": self.desk_url(viewer)}
        return self._fragment(self._render("coach_summary.html", context))
