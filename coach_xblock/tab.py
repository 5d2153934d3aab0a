"""The course tabs of the LMS: the coach desk, for the course's coaches, and the learner's coaching journal
("My coaching"), for whoever learns in the course.

Loaded only inside Open edX, by the platform itself: it subclasses the platform's `xmodule.tabs.CourseTab`
and is registered under the `openedx.course_tab` entry point (setup.py), which edx-platform's
`CourseTabPluginManager` (openedx/core/lib/course_tabs.py) reads. The tab is dynamic, never saved in the
course: for each page, `lms/djangoapps/courseware/tabs.py` (`get_course_tab_list`, `_get_dynamic_tabs`)
builds it (`CoachDeskTab({})`) and keeps it when `is_enabled(course, user)`; the learning MFE gets it
from the course home metadata API as `tab_id`, `title` and `url` (`link_func(course, reverse)`).

Who sees it is who may open the desk (`identity.openedx_user_coaches`): the course's staff, instructors
and limited staff, its organization's staff and instructors, global staff, and the people of the
desk's coach list; never a learner nor an anonymous visitor. The journal's tab shows to the signed-in users
enrolled in the course or coaching it (`identity.openedx_user_learns`), as the platform's `EnrolledTab`
shows its tabs to the enrolled and the course's staff; never to an anonymous visitor.
"""
from xmodule.tabs import CourseTab

from . import identity
from .apps import URL_PREFIX
from .i18n import gettext, gettext_noop

TAB_TYPE = "coach_desk"  # also the entry point's name: the platform finds a tab class by its type
JOURNAL_TAB_TYPE = "coach_journal"


def desk_path(course_id):
    """The path of the desk of `course_id` (the desk's view `coach_xblock:desk_course`, under URL_PREFIX)."""
    return "/" + URL_PREFIX.lstrip("^") + f"courses/{course_id}/desk/"


def journal_path(course_id):
    """The path of the learner's coaching journal of `course_id` (the view `coach_xblock:journal`, under URL_PREFIX)."""
    return "/" + URL_PREFIX.lstrip("^") + f"courses/{course_id}/coaching/"


class _CoachTab(CourseTab):
    """What both tabs share: dynamic (built for each page, never saved in the course), neither movable nor
    hideable, after the course's own tabs (no priority, like the platform's course-team tab "Instructor"),
    titled in our words in the viewer's language, linking to `path(course_id)`."""

    is_dynamic = True
    is_default = False
    is_movable = False
    is_hideable = False
    priority = None

    def __init__(self, tab_dict):
        tab_dict = {**tab_dict, "link_func": lambda course, _reverse: self.path(course.id)}
        super().__init__(tab_dict)
        # Built for each page in the viewer's language: the title in our words (our catalogue first), which
        # the platform's own gettext of it then leaves as it is.
        self.title = self.name = gettext(type(self).title)


class CoachDeskTab(_CoachTab):
    """The "Coach desk" tab of a course, for its coaches."""

    type = TAB_TYPE
    title = gettext_noop("Coach desk")
    path = staticmethod(desk_path)

    @classmethod
    def is_enabled(cls, course, user=None):
        """Shown to the course's coaches only."""
        return bool(user is not None and identity.openedx_user_coaches(user, str(course.id)))


class CoachJournalTab(_CoachTab):
    """The "My coaching" tab of a course: the learner's requests there, their email choices and their data."""

    type = JOURNAL_TAB_TYPE
    title = gettext_noop("My coaching")
    path = staticmethod(journal_path)

    @classmethod
    def is_enabled(cls, course, user=None):
        """Shown to the signed-in users enrolled in the course, and to its coaches."""
        return bool(user is not None and identity.openedx_user_learns(user, str(course.id)))
