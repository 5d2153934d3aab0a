"""Who may open a course's desk: its coaches only. Learners, coaches of another course and people no
course knows get 403 on every page and form of the desk, see nothing of it and change nothing."""
import pytest
from story import KARIM, LEA, MATHILDE, PAUL
from story.desk import COURSE_PAGES, REQUEST_ACTIONS, desk_path, with_student

from coach_xblock.models import CheckinRequest, CourseCoach

pytestmark = pytest.mark.django_db

OUTSIDERS = [MATHILDE, PAUL, "coach_someone_else", "student_1", ""]


@pytest.mark.parametrize("student", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(COURSE_PAGES))
def test_outsiders_get_403_on_every_page_of_the_course(desk, asked, name, student):
    method, kwargs, _data = COURSE_PAGES[name]
    text = desk.refused(name, student, status=403, says="Only the coaches of this course", method=method, **kwargs)
    assert "Mathilde" not in text and "mathilde" not in text


@pytest.mark.parametrize("student", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(REQUEST_ACTIONS))
def test_outsiders_get_403_on_every_request_page_and_form(desk, asked, name, student):
    method, data = REQUEST_ACTIONS[name]
    desk.refused(name, student, data, status=403, says="Only the coaches", method=method, request_id=asked)
    assert CheckinRequest.objects.get(pk=asked).claimed_by == ""


def test_coaches_of_another_course_get_403(desk, fr, asked):
    """The French course's coach list names a coach of its own only: she is nobody on the English desk."""
    CourseCoach.objects.create(course_key=fr.skills.course_key, username="coach_ines")
    desk.refused("desk_request", "coach_ines", status=403, method="get", request_id=asked)
    french_desk = with_student(desk_path("desk_course", fr.skills.course_key), "coach_ines")
    assert desk.client.get(french_desk).status_code == 200


@pytest.mark.parametrize("student", OUTSIDERS)
def test_the_home_page_shows_nothing_to_who_coaches_nothing(client, fresh_workbench, student):
    response = client.get(with_student(desk_path("desk_home"), student))
    assert response.status_code == 403
    assert "You coach no course" in response.content.decode()


@pytest.mark.parametrize("name", ["desk_claim", "desk_release", "desk_answer"])
def test_forms_refuse_get_and_pages_refuse_post(desk, asked, name):
    assert desk.get(name, KARIM, request_id=asked).status_code == 405
    assert desk.post("desk_request", KARIM, request_id=asked).status_code == 405


def test_forms_need_the_csrf_token(en, asked):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post(with_student(desk_path("desk_claim", en.skills.course_key, request_id=asked), KARIM))
    assert response.status_code == 403
    assert CheckinRequest.objects.get(pk=asked).claimed_by == ""


def test_a_coach_added_on_the_desk_coaches_at_once_and_stops_when_removed(desk, asked):
    desk.refused("desk_course", "coach_ines", status=403, method="get")
    response = desk.post("desk_coaches", KARIM, {"username": "coach_ines"})
    assert response.status_code == 303
    assert asked in desk.queue_ids("coach_ines")
    assert "coach_ines" in desk.page("desk_coaches", KARIM)
    desk.claim("coach_ines", asked)
    assert desk.post("desk_coach_remove", KARIM, {"username": "coach_ines"}).status_code == 303
    desk.refused("desk_course", "coach_ines", status=403, method="get")


def test_only_the_course_team_changes_the_coach_list(desk):
    CourseCoach.objects.create(course_key=desk.course, username="coach_ines")
    page = desk.page("desk_coaches", "coach_ines")
    assert "Add a coach by username" not in page
    desk.refused("desk_coaches", "coach_ines", {"username": "coach_tom"}, status=403, says="Only the course's staff")
    desk.refused("desk_coach_remove", "coach_ines", {"username": "coach_ines"}, status=403)


@pytest.mark.parametrize(
    ("username", "status", "says"),
    [
        pytest.param("", 400, "required", id="empty"),
        pytest.param("x" * 151, 400, "at most 150", id="too-long"),
        pytest.param(LEA, 409, "already a coach", id="twice"),
    ],
)
def test_bad_usernames_are_refused_and_kept_in_the_field(desk, username, status, says):
    CourseCoach.objects.create(course_key=desk.course, username=LEA)
    html = desk.refused("desk_coaches", KARIM, {"username": username}, status=status, says=says)
    if username:
        assert f'value="{username}"' in html


def test_removing_someone_not_on_the_list_is_refused(desk):
    desk.refused("desk_coach_remove", KARIM, {"username": "nobody"}, status=404, says="nobody is not on this course")


def test_learner_text_is_escaped_on_every_desk_page(desk, en):
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    request_id = en.skills.ask(MATHILDE, stuck_on=f"I am stuck here: {payload} and more words.")
    for html in (desk.page("desk_course"), desk.page("desk_request", request_id=request_id)):
        assert "<script>alert(2)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(2)" in html
