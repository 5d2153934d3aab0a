"""The coach desk's course tab, loaded and shown the way the LMS and its learning MFE do.

A stand-in of openedx/openedx-platform (master; the same in Ulmo and Verawood), at the platform's
dotted paths in tests/plugin_project/:

- openedx/core/lib/course_tabs.py, `CourseTabPluginManager`: the tab classes are the plugins of the
  entry point group "openedx.course_tab" (edx_django_utils' PluginManager, by entry point name);
  `get_tab_types()` sorts them by priority (None last), then type.
- xmodule/tabs.py, `CourseTab`: `type`, `title`, `priority`, `is_dynamic`, `__init__(tab_dict)` (name,
  tab_id), `link_func`, `is_enabled(course, user=None)`.
- lms/djangoapps/courseware/tabs.py, `get_course_tab_list(user, course)` and `_get_dynamic_tabs`: the
  course's saved tabs, then each dynamic tab type built as `tab_type({})` and kept when enabled for the user.
- lms/djangoapps/course_home_api/course_metadata/serializers.py, `CourseTabSerializer` (from views.py's
  `CourseHomeMetadataView`, whose course is the CourseOverview): `tab_id`, `title` (the platform's gettext
  of the tab's title), `url` (`request.build_absolute_uri(tab.link_func(course, reverse))`).

Our entry point is read from the installed package's metadata (`pip install -e .` after setup.py changes).
"""
import pytest
from test_plugin_app import run_in_project

TABS = """
    import json
    from types import SimpleNamespace
    import django
    django.setup()
    from django.contrib.auth.models import AnonymousUser, User
    from django.core.management import call_command
    from django.test import RequestFactory
    from django.test.utils import setup_test_environment
    from django.utils import translation

    setup_test_environment()  # the request factory's host, "testserver", is allowed
    call_command("migrate", run_syncdb=True, verbosity=0)
    from common.djangoapps.student import roles
    from lms.djangoapps.course_home_api.course_metadata.serializers import serialize_tab
    from lms.djangoapps.courseware.tabs import CoursewareTab, get_course_tab_list
    from opaque_keys.edx.keys import CourseKey
    from openedx.core.lib.course_tabs import CourseTabPluginManager

    from coach_xblock.models import CourseCoach

    CAREER = "course-v1:Demo+Career+2026"
    career = CourseKey.from_string(CAREER)
    course = SimpleNamespace(id=career, tabs=[CoursewareTab({})])  # the CourseOverview of the metadata view
    users = {name: User.objects.create_user(name, f"{name}@example.org")
             for name in ("sam", "lina", "karim", "mathilde", "pitch_sam")}
    roles.CourseStaffRole(career).add_users(users["sam"])
    roles.CourseLimitedStaffRole(career).add_users(users["lina"])
    roles.CourseStaffRole(CourseKey.from_string("course-v1:Demo+Pitch+2026")).add_users(users["pitch_sam"])
    CourseCoach.objects.create(course_key=CAREER, username="karim", added_by="sam")
    users["anonymous"] = AnonymousUser()

    def metadata_tabs(user, language):
        request = RequestFactory().get(f"/api/course_home/v1/course_metadata/{CAREER}")
        request.user = user
        with translation.override(language):
            return [serialize_tab(tab, course, request) for tab in get_course_tab_list(request.user, course)]

    plugin = CourseTabPluginManager.get_plugin("coach_desk")
    print(json.dumps({
        "plugin": f"{plugin.__module__}.{plugin.__qualname__}",
        "types": [tab.type for tab in CourseTabPluginManager.get_tab_types()],
        "tabs": {name: metadata_tabs(user, "en") for name, user in users.items()},
        "french": metadata_tabs(users["lina"], "fr"),
    }))
"""

COURSEWARE = {"tab_id": "courseware", "title": "Course",
              "url": "http://testserver/learning/course/course-v1:Demo+Career+2026/home"}
DESK = {"tab_id": "coach_desk", "title": "Coach desk",
        "url": "http://testserver/coach-xblock/courses/course-v1:Demo+Career+2026/desk/"}


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    return run_in_project(tmp_path_factory.mktemp("tabs"), TABS)


def test_the_platform_finds_the_tab_by_its_entry_point(found):
    assert found["plugin"] == "coach_xblock.tab.CoachDeskTab"
    assert found["types"] == ["coach_desk"], "the only tab type installed in the stand-in LMS"


@pytest.mark.parametrize("name", ["sam", "lina", "karim"])
def test_the_courses_coaches_see_the_desks_tab_after_the_courses_own(found, name):
    assert found["tabs"][name] == [COURSEWARE, DESK]


@pytest.mark.parametrize("name", ["mathilde", "pitch_sam", "anonymous"])
def test_learners_other_courses_staff_and_visitors_do_not(found, name):
    assert found["tabs"][name] == [COURSEWARE]


def test_the_tab_speaks_the_viewers_language(found):
    assert [tab["title"] for tab in found["french"]] == ["Course", "Bureau des coachs"]
