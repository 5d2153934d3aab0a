"""Stand-in for edx-platform's lms/djangoapps/courseware/tabs.py: a course's tabs for one user.

- `CoursewareTab` ("courseware", "Course", priority 11): shown to everyone.
- `get_course_tab_list(user, course)`: the course's saved tabs that are enabled for the user
  (`CourseTabList.iterate_displayable`), then the dynamic ones (`_get_dynamic_tabs`), sorted by
  priority (None last).
- `_get_dynamic_tabs(course, user)`: every tab type of `CourseTabPluginManager.get_tab_types()` with
  `is_dynamic`, built as `tab_type({})`, kept when `tab.is_enabled(course, user=user)`, sorted by name.

Left out: entrance exams, staff-only static tabs, the other tab types.
"""
from django.utils.translation import gettext_noop
from openedx.core.lib.course_tabs import CourseTabPluginManager
from xmodule.tabs import CourseTab


class CoursewareTab(CourseTab):
    type = "courseware"
    title = gettext_noop("Course")
    priority = 11
    is_default = False

    def __init__(self, tab_dict):
        tab_dict["link_func"] = lambda course, _reverse: f"/learning/course/{course.id}/home"
        super().__init__(tab_dict)

    @classmethod
    def is_enabled(cls, course, user=None):
        return True


def get_course_tab_list(user, course):
    tabs = [tab for tab in course.tabs if tab.is_enabled(course, user=user) and not (user and tab.is_hidden)]
    tabs += _get_dynamic_tabs(course, user)
    tabs.sort(key=lambda tab: tab.priority or float("inf"))
    return tabs


def _get_dynamic_tabs(course, user):
    dynamic_tabs = []
    for tab_type in CourseTabPluginManager.get_tab_types():
        if getattr(tab_type, "is_dynamic", False):
            tab = tab_type({})
            if tab.is_enabled(course, user=user):
                dynamic_tabs.append(tab)
    dynamic_tabs.sort(key=lambda tab: tab.name)
    return dynamic_tabs
