"""Stand-in for edx-platform's openedx/core/lib/course_tabs.py, `CourseTabPluginManager`.

The tab classes are the plugins (edx_django_utils' `PluginManager`: stevedore, by entry point name)
of the namespace "openedx.course_tab"; `get_tab_types()` lists them by priority (None last), then type.
"""
from edx_django_utils.plugins import PluginManager


class CourseTabPluginManager(PluginManager):
    NAMESPACE = "openedx.course_tab"

    @classmethod
    def get_tab_types(cls):
        return sorted(
            cls.get_available_plugins().values(),
            key=lambda tab: (tab.priority is None, tab.priority or 0, tab.type),
        )
