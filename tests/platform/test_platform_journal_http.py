"""The learner's coaching journal in the LMS, through its URLs, as a signed-in learner's browser reaches it.

A stand-in of openedx/openedx-platform (tests/plugin_project/), as test_platform_desk_http.py for the desk:
`lms/urls.py` mounts the plugin apps' URLs (`get_plugin_url_patterns("lms.djangoapp")`), Django's session,
CSRF and authentication middleware make the page's user `request.user`. The journal finds the learner's
requests under the id the blocks recorded them with: common/djangoapps/xblock_django/user_service.py
(`DjangoXBlockUserService.get_current_user`) gives a block `edx-platform.anonymous_user_id`, which
lms/djangoapps/courseware/block_render.py sets to `anonymous_id_for_user(user, course_id)`
(common/djangoapps/student/models/user.py); who may read it follows lms/djangoapps/courseware/tabs.py,
`EnrolledTab.is_enabled`: enrolled (`CourseEnrollment.is_enrolled`, student/models/course_enrollment.py) or
with staff access to the course. Nothing here carries `?student=`: that is the workbench's.
"""
import pytest
from test_plugin_app import LMS_PAGES, run_in_project

JOURNAL = LMS_PAGES + """
    from coach_xblock.models import LearnerPreference
    for username in ("mathilde", "paul", "lina", "nina", "pitch_paul"):
        people[username] = User.objects.create_user(username, f"{username}@example.org", password="pw")
        UserProfile.objects.create(user=people[username], name=username.title())
    for username in ("mathilde", "paul"):
        CourseEnrollment.objects.create(user=people[username], course_id=CAREER)
    CourseEnrollment.objects.create(user=people["nina"], course_id=CAREER, is_active=False)
    CourseEnrollment.objects.create(user=people["pitch_paul"], course_id=PITCH)
    roles.CourseLimitedStaffRole(career).add_users(people["lina"])

    def learner(name, course=career):
        return Person(anonymous_id_for_user(people[name], course), name.title(), "", name)

    point = CheckinPoint(CAREER, str(career.make_usage_key("coach_checkin", "skills")), "Your skills", "skills",
                         unit_url="http://lms.example/courses/x/jump_to/y")
    hers = ask(point, learner("mathilde"))
    pauls = ask(point, learner("paul"))
    pitch_point = CheckinPoint(PITCH, str(pitch.make_usage_key("coach_checkin", "pitch")), "Your pitch", "skills")
    in_pitch = ask(pitch_point, learner("mathilde", pitch))
    journal = f"/coach-xblock/courses/{CAREER}/coaching/"
    found = {}

    def ids(page):
        return [int(i) for i in re.findall(r'<article class="coach-request" data-request-id="(\\d+)"', page)]

    for name in ("mathilde", "paul", "lina", "nina", "pitch_paul", None):
        response = browser(name).get(journal)
        page = response.content.decode()
        found[str(name)] = [response.status_code, ids(page) if response.status_code == 200 else page]
    found["ids"] = {"hers": hers.pk, "pauls": pauls.pk, "in_pitch": in_pitch.pk}
    found["bad course"] = browser("mathilde").get("/coach-xblock/courses/not-a-course-key/coaching/").status_code

    mathilde = browser("mathilde")
    page = mathilde.get(journal).content.decode()
    found["no student in links"] = "student=" not in page
    found["unit link"] = 'href="http://lms.example/courses/x/jump_to/y"' in page
    found["post without token"] = mathilde.post(f"{journal}preferences/").status_code
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    saved = mathilde.post(f"{journal}preferences/", {"csrfmiddlewaretoken": token, "reminder_emails": "1"})
    found["saved"] = [saved.status_code, saved["Location"]]
    found["preferences"] = [(p.course_key, p.learner_id == learner("mathilde").user_id, p.answer_emails,
                             p.reminder_emails) for p in LearnerPreference.objects.all()]
    data = json.loads(mathilde.get(f"{journal}data.json").content)
    found["data"] = [data["learner_id"] == learner("mathilde").user_id, [r["id"] for r in data["requests"]]]
    print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    return run_in_project(tmp_path_factory.mktemp("journal"), JOURNAL)


def test_each_learner_reads_her_own_requests_of_the_course_under_the_blocks_id(found):
    ids = found["ids"]
    assert found["mathilde"] == [200, [ids["hers"]]], "not Paul's, not her request of another course"
    assert found["paul"] == [200, [ids["pauls"]]]
    assert found["lina"] == [200, []], "a coach reads her own requests as a learner: none"


def test_former_learners_other_courses_learners_and_visitors_are_refused(found):
    assert found["nina"] == [403, "Only the learners of this course can read their coaching in it."]
    assert found["pitch_paul"] == [403, "Only the learners of this course can read their coaching in it."]
    assert found["None"] == [403, "Sign in to read your coaching in this course."]
    assert found["bad course"] == 404


def test_a_signed_in_learner_saves_her_email_choices_with_the_pages_csrf_token(found):
    assert found["no student in links"] and found["unit link"]
    assert found["post without token"] == 403
    assert found["saved"] == [303, "/coach-xblock/courses/course-v1:Demo+Career+2026/coaching/?done=preferences"]
    assert found["preferences"] == [["course-v1:Demo+Career+2026", True, False, True]]


def test_her_download_holds_her_requests_of_the_course(found):
    assert found["data"] == [True, [found["ids"]["hers"]]]
