"""Who is looking: Open edX's user service and the workbench's, read by identity.py alone."""
import pytest
from django.test import RequestFactory
from story.workbench import checkin_blocks, skills_block
from workbench.runtime import WorkbenchRuntime, WorkBenchUserService

from coach_xblock import identity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_workbench")]


def open_edx_runtime(**opt_attrs):
    """A runtime whose user service gives what edx-platform's gives, and nothing of the workbench."""
    runtime = WorkbenchRuntime("ignored")
    service = WorkBenchUserService("ignored")
    user = service.get_current_user()
    user.full_name = "Mathilde Martin"
    user.emails = ["mathilde@example.org"]
    user.opt_attrs.clear()
    user.opt_attrs.update(opt_attrs)
    runtime._services["user"] = service
    return runtime


def test_in_open_edx_a_learner_is_her_anonymous_id_and_full_name():
    runtime = open_edx_runtime(**{
        "edx-platform.anonymous_user_id": "5f3c9a",
        "edx-platform.username": "mathilde",
        "edx-platform.user_is_staff": False,
        "edx-platform.user_role": "student",
    })
    viewer = identity.current_viewer(skills_block(runtime))
    assert viewer == identity.Viewer(
        user_id="5f3c9a", display_name="Mathilde Martin", is_coach=False, email="mathilde@example.org",
        username="mathilde",
    )


@pytest.mark.parametrize("attrs", [
    {"edx-platform.user_is_staff": True, "edx-platform.user_role": "staff"},
    {"edx-platform.user_is_staff": False, "edx-platform.user_role": "instructor"},
])
def test_in_open_edx_the_course_team_coaches(attrs):
    runtime = open_edx_runtime(**{"edx-platform.anonymous_user_id": "k4r1m", **attrs})
    assert identity.current_viewer(skills_block(runtime)).is_coach


def test_in_open_edx_the_coach_list_does_not_make_a_learner_a_coach():
    runtime = open_edx_runtime(**{
        "edx-platform.anonymous_user_id": "coach_karim",
        "edx-platform.username": "coach_karim",
        "edx-platform.user_is_staff": False,
        "edx-platform.user_role": "student",
    })
    assert not identity.current_viewer(skills_block(runtime)).is_coach


def test_in_open_edx_a_user_without_a_name_is_shown_by_username():
    runtime = open_edx_runtime(**{"edx-platform.anonymous_user_id": "5f3c9a", "edx-platform.username": "mathilde"})
    runtime._services["user"].get_current_user().full_name = None
    assert identity.current_viewer(skills_block(runtime)).display_name == "mathilde"


def test_in_the_workbench_coaches_are_the_ids_of_the_coach_list():
    assert identity.current_viewer(skills_block(WorkbenchRuntime("coach_karim"))) == identity.Viewer(
        user_id="coach_karim", display_name="coach_karim", is_coach=True, email="coach_karim@example.com",
        username="coach_karim", is_course_team=True,
    )
    assert not identity.current_viewer(skills_block(WorkbenchRuntime("mathilde"))).is_coach


def test_in_the_workbench_the_coaches_of_the_course_are_the_coach_list_with_example_addresses():
    coaches = identity.course_coaches(skills_block(WorkbenchRuntime("mathilde")))
    assert [(c.user_id, c.email) for c in coaches] == [
        ("coach_karim", "coach_karim@example.com"), ("coach_lea", "coach_lea@example.com")
    ]


def test_in_the_workbench_emails_link_to_the_scenario_of_the_unit():
    block = skills_block(WorkbenchRuntime("mathilde"))
    assert identity.unit_url(block) == "http://127.0.0.1:8000/scenario/coach_checkin.1/"


def test_in_the_workbench_the_course_is_the_scenario():
    english = skills_block(WorkbenchRuntime("mathilde"))
    assert identity.course_key(english) == "define-your-skills-coach-check-ins"
    assert identity.point_id(english).startswith("define-your-skills-coach-check-ins.coach_checkin.")


def test_in_the_workbench_the_desk_reads_the_blocks_again_only_after_an_edit(django_assert_num_queries):
    course = "define-your-skills-coach-check-ins"
    karim = RequestFactory().get("/", {"student": "coach_karim"})
    assert identity.desk_viewer(karim, course).manages_coaches
    identity.course_points(course)
    with django_assert_num_queries(1):  # what the blocks were read from is unchanged: they are not read again
        titles = [point.title for point in identity.course_points(course)]
    assert titles[0] == "Naming my skills"

    for block in checkin_blocks(WorkbenchRuntime("author")):  # saved as the workbench's Studio view saves
        block.coach_ids = "coach_lea"
        block.display_name = f"{block.display_name} (edited)"
        block.save()

    assert identity.course_points(course)[0].title == "Naming my skills (edited)"
    assert not identity.desk_viewer(karim, course).manages_coaches
    assert identity.desk_viewer(RequestFactory().get("/", {"student": "coach_lea"}), course).manages_coaches


@pytest.mark.parametrize("text, ids", [
    ("coach_karim coach_lea", ["coach_karim", "coach_lea"]),
    ("coach_karim, coach_lea;coach_karim\n", ["coach_karim", "coach_lea"]),
    ("", []),
    (None, []),
])
def test_the_coach_list_reads_commas_spaces_and_repeats(text, ids):
    assert identity.parse_coach_ids(text) == ids
