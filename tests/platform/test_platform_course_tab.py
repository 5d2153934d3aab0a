"""The course tabs of coach-xblock (the coach desk, and the learner's "My coaching"), loaded and shown the way
the LMS and its learning MFE do.

A stand-in of openedx/openedx-platform (master; the same in Ulmo and Verawood), at the platform's
dotted paths in tests/plugin_project/:

- openedx/core/lib/course_tabs.py, `CourseTabPluginManager`: the tab classes are the plugins of the
  entry point group "openedx.course_tab" (edx_django_utils' PluginManager, by entry point name);
  `get_tab_types()` sorts them by priority (None last), then type.
- xmodule/tabs.py, `CourseTab`: `type`, `title`, `priority`, `is_dynamic`, `__init__(tab_dict)` (name,
  tab_id), `link_func`, `is_enabled(course, user=None)`.
- lms/djangoapps/courseware/tabs.py, `get_course_tab_list(user, course)` and `_get_dynamic_tabs`: the
  course's saved tabs, then each dynamic tab type built as `tab_type({})` and kept when enabled for the user;
  `EnrolledTab.is_enabled`: a signed-in user enrolled in the course (`CourseEnrollment.is_enrolled`,
  common/djangoapps/student/models/course_enrollment.py) or with staff access to it, which "My coaching" follows.
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
    from common.djangoapps.student.models import CourseEnrollment
    from lms.djangoapps.course_home_api.course_metadata.serializers import serialize_tab
    from lms.djangoapps.courseware.tabs import CoursewareTab, get_course_tab_list
    from opaque_keys.edx.keys import CourseKey
    from openedx.core.lib.course_tabs import CourseTabPluginManager

    from coach_xblock.models import CourseCoach

    CAREER = "course-v1:Demo+Career+2026"
    career = CourseKey.from_string(CAREER)
    course = SimpleNamespace(id=career, tabs=[CoursewareTab({})])  # the CourseOverview of the metadata view
    users = {name: User.objects.create_user(name, f"{name}@example.org")
             for name in ("sam", "lina", "karim", "mathilde", "pitch_sam", "paul", "nina")}
    roles.CourseStaffRole(career).add_users(users["sam"])
    roles.CourseLimitedStaffRole(career).add_users(users["lina"])
    roles.CourseStaffRole(CourseKey.from_string("course-v1:Demo+Pitch+2026")).add_users(users["pitch_sam"])
    CourseCoach.objects.create(course_key=CAREER, username="karim", added_by="sam")
    CourseEnrollment.objects.create(user=users["mathilde"], course_id=CAREER)
    CourseEnrollment.objects.create(user=users["nina"], course_id=CAREER, is_active=False)  # she left the course
    CourseEnrollment.objects.create(user=users["paul"], course_id="course-v1:Demo+Pitch+2026")
    users["anonymous"] = AnonymousUser()

    def metadata_tabs(user, language):
        request = RequestFactory().get(f"/api/course_home/v1/course_metadata/{CAREER}")
        request.user = user
        with translation.override(language):
            return [serialize_tab(tab, course, request) for tab in get_course_tab_list(request.user, course)]

    plugins = [CourseTabPluginManager.get_plugin(name) for name in ("coach_desk", "coach_journal")]
    print(json.dumps({
        "plugins": [f"{plugin.__module__}.{plugin.__qualname__}" for plugin in plugins],
        "types": [tab.type for tab in CourseTabPluginManager.get_tab_types()],
        "tabs": {name: metadata_tabs(user, "en") for name, user in users.items()},
        "french": metadata_tabs(users["lina"], "fr"),
        "french learner": metadata_tabs(users["mathilde"], "fr"),
    }))
"""

COURSEWARE = {"tab_id": "courseware", "title": "Course",
              "url": "http://testserver/learning/course/course-v1:Demo+Career+2026/home"}
DESK = {"tab_id": "coach_desk", "title": "Coach desk",
        "url": "http://testserver/coach-xblock/courses/course-v1:Demo+Career+2026/desk/"}
JOURNAL = {"tab_id": "coach_journal", "title": "My coaching",
           "url": "http://testserver/coach-xblock/courses/course-v1:Demo+Career+2026/coaching/"}


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    return run_in_project(tmp_path_factory.mktemp("tabs"), TABS)


def test_the_platform_finds_the_tabs_by_their_entry_points(found):
    assert found["plugins"] == ["coach_xblock.tab.CoachDeskTab", "coach_xblock.tab.CoachJournalTab"]
    assert found["types"] == ["coach_desk", "coach_journal"], "the only tab types installed in the stand-in LMS"


@pytest.mark.parametrize("name", ["sam", "lina", "karim"])
def test_the_courses_coaches_see_the_desks_tab_and_their_own_coaching_after_the_courses_own(found, name):
    assert found["tabs"][name] == [COURSEWARE, DESK, JOURNAL]


def test_an_enrolled_learner_sees_her_coaching_and_not_the_desk(found):
    assert found["tabs"]["mathilde"] == [COURSEWARE, JOURNAL]


@pytest.mark.parametrize("name", ["pitch_sam", "paul", "nina", "anonymous"])
def test_other_courses_people_former_learners_and_visitors_see_neither(found, name):
    assert found["tabs"][name] == [COURSEWARE]


def test_the_tabs_speak_the_viewers_language(found):
    assert [tab["title"] for tab in found["french"]] == ["Course", "Bureau des coachs", "Mon coaching"]
    assert [tab["title"] for tab in found["french learner"]] == ["Course", "Mon coaching"]
