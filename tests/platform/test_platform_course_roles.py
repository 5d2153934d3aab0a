"""Who coaches a course in Open edX, asked the platform's way, on the desk and in the block alike.

A stand-in of openedx/openedx-platform (master; the Ulmo-era files, without openedx-authz, answer the
same), at the platform's dotted paths in tests/plugin_project/:

- common/djangoapps/student/roles.py: `CourseStaffRole` ("staff"), `CourseInstructorRole`
  ("instructor"), `CourseLimitedStaffRole` ("limited_staff", `BASE_ROLE = "staff"`: `has_user` of the
  staff role is True for limited staff), `OrgStaffRole` / `OrgInstructorRole`, `GlobalStaff`, rows of
  `CourseAccessRole`; `users_with_role` (the exact role string); `UserBasedRole.courses_with_role`.
- lms/djangoapps/courseware/access.py: `administrative_accesses_to_course_for_user`, `has_access(user,
  "staff", course_key)`, `get_user_role`; lms/djangoapps/courseware/block_render.py,
  `prepare_runtime_for_user`: the block's user service gets `user_is_staff=has_access(user, "staff", ...)`,
  `user_role=get_user_role(...)`, `anonymous_user_id=anonymous_id_for_user(user, course_id)`;
  common/djangoapps/xblock_django/user_service.py: the `edx-platform.*` attributes of `opt_attrs`.
- common/djangoapps/student/models.py, `anonymous_id_for_user(user, course_id)`: one id per user and
  course, recorded in AnonymousUserId; the desk asks it with the course's key, as block_render does.
- xmodule/modulestore (split.py `get_items(course_key, qualifiers={"category": ...}, include_orphans=...)`,
  `ItemNotFoundError` for an unknown course): the course's check-in points.

The script runs in a fresh interpreter of the stand-in LMS (`test_plugin_app.run_in_project`).
"""
import pytest
from test_plugin_app import run_in_project

ROLES = """
    import json
    import django
    django.setup()
    from django.contrib.auth.models import AnonymousUser, User
    from django.core.management import call_command
    from django.test import RequestFactory

    call_command("migrate", run_syncdb=True, verbosity=0)
    from common.djangoapps.student import roles
    from common.djangoapps.student.models import UserProfile
    from lms.djangoapps.courseware.block_render import user_service_for
    from opaque_keys.edx.keys import CourseKey
    from xblock.field_data import DictFieldData
    from xblock.fields import ScopeIds
    from xblock.test.tools import TestRuntime
    from xmodule.modulestore.django import StoredBlock, modulestore

    from coach_xblock import identity
    from coach_xblock.block import CoachCheckinBlock
    from coach_xblock.domain import CheckinPoint, Person
    from coach_xblock.models import CourseCoach
    from story import ask

    CAREER, PITCH = "course-v1:Demo+Career+2026", "course-v1:Demo+Pitch+2026"
    career, pitch = CourseKey.from_string(CAREER), CourseKey.from_string(PITCH)
    people = {}
    for username in ("ines", "sam", "lina", "both", "olga", "gina", "karim", "gone", "mathilde", "pitch_sam"):
        people[username] = User.objects.create_user(username, f"{username}@example.org")
        UserProfile.objects.create(user=people[username], name=username.title())
    roles.CourseInstructorRole(career).add_users(people["ines"])
    roles.CourseStaffRole(career).add_users(people["sam"], people["both"])
    roles.CourseLimitedStaffRole(career).add_users(people["lina"], people["both"])
    roles.OrgStaffRole("Demo").add_users(people["olga"])
    roles.CourseStaffRole(pitch).add_users(people["pitch_sam"])
    people["gina"].is_staff = True
    people["gina"].save()
    CourseCoach.objects.create(course_key=CAREER, username="karim", added_by="ines")
    CourseCoach.objects.create(course_key=CAREER, username="gone", added_by="ines")
    CourseCoach.objects.create(course_key=PITCH, username="lina", added_by="pitch_sam")
    people["gone"].is_active = False  # retired (the platform deactivates retired users)
    people["gone"].save()

    def block_for(user, course):
        runtime = TestRuntime(services={"user": user_service_for(user, course), "field-data": DictFieldData({})})
        usage = course.make_usage_key("coach_checkin", "skills")
        return runtime.construct_xblock_from_class(CoachCheckinBlock, ScopeIds(user.id, "coach_checkin", usage, usage))

    def request_of(user):
        request = RequestFactory().get("/")
        request.user = user
        return request

    found = {"desk": {}, "block": {}, "same_id": {}, "courses": {}}
    for name, user in people.items():
        user = User.objects.get(pk=user.pk)
        desk = identity.desk_viewer(request_of(user), CAREER)
        block = identity.current_viewer(block_for(user, career))
        found["desk"][name] = [desk.is_coach, desk.manages_coaches]
        found["block"][name] = [block.is_coach, block.is_course_team]
        found["same_id"][name] = desk.user_id == block.user_id if desk.is_coach else None
        found["courses"][name] = identity.coached_courses(request_of(user))
    found["desk"]["anonymous"] = identity.desk_viewer(request_of(AnonymousUser()), CAREER).is_coach
    found["desk"]["bad key"] = identity.desk_viewer(request_of(people["ines"]), "not a course").is_coach
    found["courses"]["anonymous"] = identity.coached_courses(request_of(AnonymousUser()))
    found["opt_attrs"] = {
        name: {key: value for key, value in block_for(people[name], career).runtime.service(
            block_for(people[name], career), "user").get_current_user().opt_attrs.items()
            if key in ("edx-platform.user_is_staff", "edx-platform.user_role")}
        for name in ("lina", "sam", "ines", "karim")
    }
    notified = identity.course_coaches(block_for(people["mathilde"], career))
    found["notified"] = [[p.username, p.display_name, p.email,
                          p.user_id == identity.desk_viewer(request_of(people[p.username]), CAREER).user_id]
                         for p in notified]

    # The course's points: the published ones the store lists, an orphan left out, and a deleted point
    # that requests still name, with the title of its newest request.
    modulestore().publish(career, [
        StoredBlock(career.make_usage_key("coach_checkin", "skills"), "coach_checkin", "Your skills"),
        StoredBlock(career.make_usage_key("html", "intro"), "html", "Introduction"),
        StoredBlock(career.make_usage_key("coach_checkin", "orphan"), "coach_checkin", "Removed", orphan=True),
        StoredBlock(career.make_usage_key("coach_checkin", "pitch"), "coach_checkin", "Your pitch"),
    ])
    gone_point = str(career.make_usage_key("coach_checkin", "gone"))
    for learner, title in (("paul", "Old title"), ("zoe", "Feasibility")):  # renamed, then deleted
        ask(CheckinPoint(CAREER, gone_point, title, "skills"), Person(learner, learner.title(), "", learner))
    ask(CheckinPoint(PITCH, str(pitch.make_usage_key("coach_checkin", "p")), "Pitch point", "other"),
        Person("paul", "Paul", "", "paul"))
    found["points"] = [[p.point_id.rsplit("@", 1)[1], p.title] for p in identity.course_points(CAREER)]
    found["points_unknown_course"] = [[p.point_id.rsplit("@", 1)[1], p.title] for p in identity.course_points(PITCH)]
    print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    return run_in_project(tmp_path_factory.mktemp("roles"), ROLES)


def test_the_course_team_limited_staff_org_staff_global_staff_and_the_desks_list_coach_on_the_desk(found):
    assert found["desk"] == {
        "ines": [True, True], "sam": [True, True], "olga": [True, True], "gina": [True, True],
        "lina": [True, False], "both": [True, False],  # limited staff coach without managing the list
        "karim": [True, False],  # on the desk's list
        "gone": [False, False],  # on the list, but retired (inactive)
        "mathilde": [False, False], "pitch_sam": [False, False],  # a learner, a coach of another course
        "anonymous": False, "bad key": False,
    }


def test_whoever_coaches_on_the_desk_coaches_in_the_block_under_the_same_anonymous_id(found):
    for name, block in found["block"].items():
        if name != "gone":  # an inactive user cannot sign in to see a block
            coaches = found["desk"][name][0]
            assert block == [coaches, coaches], name
            assert found["same_id"][name] in ((True,) if coaches else (None,)), name


def test_the_lms_tells_the_block_limited_staff_are_staff(found):
    assert found["opt_attrs"] == {
        "lina": {"edx-platform.user_is_staff": True, "edx-platform.user_role": "staff"},
        "sam": {"edx-platform.user_is_staff": True, "edx-platform.user_role": "staff"},
        "ines": {"edx-platform.user_is_staff": True, "edx-platform.user_role": "instructor"},
        "karim": {"edx-platform.user_is_staff": False, "edx-platform.user_role": "student"},
    }


def test_notifications_reach_the_course_team_limited_staff_and_the_desks_list(found):
    assert found["notified"] == [
        [name, name.title(), f"{name}@example.org", True] for name in ("ines", "sam", "lina", "both", "karim")
    ], "by user id; neither global nor org-wide staff, nor a retired coach, nor another course's staff"


def test_the_courses_a_user_coaches(found):
    career, pitch = "course-v1:Demo+Career+2026", "course-v1:Demo+Pitch+2026"
    assert found["courses"]["ines"] == [career]
    assert found["courses"]["lina"] == [career, pitch], "limited staff of one, on the list of the other"
    assert found["courses"]["karim"] == [career]
    assert found["courses"]["pitch_sam"] == [pitch]
    assert found["courses"]["olga"] == [], "an organization-wide role names no course"
    assert found["courses"]["gone"] == found["courses"]["mathilde"] == found["courses"]["anonymous"] == []


def test_the_points_of_a_course_are_the_stores_then_those_only_requests_still_name(found):
    assert found["points"] == [["skills", "Your skills"], ["pitch", "Your pitch"], ["gone", "Feasibility"]]
    assert found["points_unknown_course"] == [["p", "Pitch point"]]
