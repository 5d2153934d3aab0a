"""The coach desk in the LMS, through its URLs, as a signed-in person's browser reaches it.

A stand-in of openedx/openedx-platform (tests/plugin_project/): `lms/urls.py` mounts the plugin apps'
URLs with edx-django-utils' `get_plugin_url_patterns("lms.djangoapp")` (our `apps.URL_PREFIX`,
namespace "coach_xblock"); `lms/envs/common.py` runs Django's session, CSRF and authentication
middleware, so a page's user is `request.user` (a Django user signed in with a session) and every POST
needs the page's CSRF token. Course roles are the stand-in's `common/djangoapps/student/roles.py`
(see test_platform_course_roles.py). Nothing here carries `?student=`: that is the workbench's.
"""
import pytest
from test_plugin_app import LMS_PAGES, run_in_project

DESK = LMS_PAGES + """
    from coach_xblock.models import CheckinRequest, CourseCoach
    for username in ("ines", "lina", "mathilde", "pitch_sam"):
        people[username] = User.objects.create_user(username, f"{username}@example.org", password="pw")
        UserProfile.objects.create(user=people[username], name=username.title())
    roles.CourseInstructorRole(career).add_users(people["ines"])
    roles.CourseLimitedStaffRole(career).add_users(people["lina"])
    roles.CourseStaffRole(pitch).add_users(people["pitch_sam"])
    point = CheckinPoint(CAREER, str(career.make_usage_key("coach_checkin", "skills")), "Your skills", "skills")
    request = ask(point, Person(anonymous_id_for_user(people["mathilde"], career), "Mathilde", "", "mathilde"))
    desk = f"/coach-xblock/courses/{CAREER}/desk/"
    found = {}

    def token(client, path):
        page = client.get(path).content.decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    for name in ("ines", "lina", "mathilde", "pitch_sam", None):
        client = browser(name)
        found[str(name)] = [client.get(path).status_code for path in (
            desk, f"{desk}requests/{request.pk}/", f"{desk}workload/", f"{desk}coaches/", "/coach-xblock/desk/")]
    lina, ines = browser("lina"), browser("ines")
    page = lina.get(desk).content.decode()
    found["no student in links"] = "student=" not in page
    found["lists the request"] = f'data-request-id="{request.pk}"' in page
    path = f"{desk}requests/{request.pk}/"
    found["post without token"] = lina.post(f"{path}claim/").status_code
    claimed = lina.post(f"{path}claim/", {"csrfmiddlewaretoken": token(lina, path)})
    found["claim"] = [claimed.status_code, claimed["Location"]]
    found["claimed by"] = CheckinRequest.objects.get(pk=request.pk).claimed_by == anonymous_id_for_user(
        people["lina"], career)
    # Her page offers no claim while Lina holds it; a form sent from an older page is refused.
    refused = ines.post(f"{path}claim/", {"csrfmiddlewaretoken": token(ines, f"{desk}coaches/")})
    found["ines refused"] = [refused.status_code, "Lina is already working on" in refused.content.decode()]
    answered = lina.post(f"{path}answer/", {"csrfmiddlewaretoken": token(lina, path), "body": "Start from verbs."})
    found["answer"] = [answered.status_code, CheckinRequest.objects.get(pk=request.pk).status]
    def add(username):
        data = {"csrfmiddlewaretoken": token(ines, f"{desk}coaches/"), "username": username}
        return ines.post(f"{desk}coaches/", data)

    added = add("nobody")
    found["unknown username"] = [added.status_code, CourseCoach.objects.count()]
    added = add("mathilde")
    found["mathilde added"] = [added.status_code, browser("mathilde").get(desk).status_code]
    home = browser("pitch_sam").get("/coach-xblock/desk/").content.decode()
    found["pitch_sam's home"] = [PITCH in home, CAREER in home]
    print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    return run_in_project(tmp_path_factory.mktemp("desk"), DESK)


def test_only_the_course_team_opens_the_desk_and_only_staff_and_instructors_its_workload(found):
    # [queue, request, workload, coaches, home]
    assert found["ines"] == [200, 200, 200, 200, 200]
    assert found["lina"] == [200, 200, 403, 200, 200]  # limited staff coach, without managing
    assert found["mathilde"] == [403, 403, 403, 403, 403]
    assert found["pitch_sam"] == [403, 403, 403, 403, 200]  # another course's staff: his own courses only
    assert found["None"] == [403, 403, 403, 403, 403]  # not signed in


def test_a_signed_in_coach_claims_and_answers_with_the_pages_csrf_token(found):
    assert found["no student in links"] and found["lists the request"]
    assert found["post without token"] == 403
    assert found["claim"][0] == 303 and found["claim"][1].endswith("?done=claimed")
    assert found["claimed by"], "the desk acts under the id the blocks give the same person"
    assert found["ines refused"] == [409, True]
    assert found["answer"] == [303, "answered"]


def test_the_course_team_adds_coaches_who_exist_only(found):
    assert found["unknown username"] == [400, 0]
    assert found["mathilde added"] == [303, 200]
    assert found["pitch_sam's home"] == [True, False]
