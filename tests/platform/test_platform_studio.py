"""The block in Studio and in the LMS, with the user services and view choice the platform gives it.

Stand-ins written from openedx-platform (the Ulmo and Verawood code of these functions agree):
- cms/djangoapps/contentstore/views/preview.py, `_prepare_runtime_for_preview`: Studio's preview
  runtime sets `runtime.is_author_mode = True` and gives a `DjangoXBlockUserService` built with
  `user_role=get_user_role(user, course)` ("instructor" or "staff": every Studio user is in the course
  team), `anonymous_user_id="student"` for everyone unless the course flag
  `individualize_anonymous_user_id` is on, and no `user_is_staff` (so False);
- cms/djangoapps/contentstore/views/preview.py `_load_preview_block` and xmodule/studio_editable.py
  `has_author_view` / `StudioEditableBlock.get_preview_view_name`: Studio renders `author_view` only for
  a block whose `has_author_view` is true, else `student_view`;
- lms/djangoapps/courseware/block_render.py, `prepare_runtime_for_user`: the LMS gives each user their
  own course-specific anonymous id, `user_is_staff=has_access(user, "staff", course)` and their role;
- common/djangoapps/xblock_django/user_service.py, `DjangoXBlockUserService._convert_django_user_to_xblock_user`
  (and constants.py): the `edx-platform.*` attributes a signed-in user carries.

The block is the real one, built by the workbench runtime on the real database; only its runtime's
user service and `is_author_mode` are those of the platform.
"""
import json

import pytest
from story import PEOPLE, ask, unchanged
from story.workbench import ask_payload, skills_block
from webob import Request
from workbench.runtime import WorkbenchRuntime
from xblock.reference.user_service import UserService, XBlockUser

from coach_xblock import identity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_workbench")]

AUTHOR_VIEW, STUDENT_VIEW = "author_view", "student_view"


class PlatformUserService(UserService):
    """The user service the platform builds (DjangoXBlockUserService), for one signed-in Django user."""

    def __init__(self, *, user_id, username, full_name, email, anonymous_user_id, user_role, user_is_staff=False):
        super().__init__()
        self.user = XBlockUser(is_current_user=True, emails=[email], full_name=full_name)
        self.user.opt_attrs.update({
            "edx-platform.anonymous_user_id": anonymous_user_id,
            "edx-platform.deprecated_anonymous_user_id": anonymous_user_id,
            "edx-platform.is_authenticated": True,
            "edx-platform.request_country_code": None,
            "edx-platform.user_id": user_id,
            "edx-platform.username": username,
            "edx-platform.user_is_beta_tester": False,
            "edx-platform.user_is_global_staff": False,
            "edx-platform.user_is_staff": user_is_staff,
            "edx-platform.user_role": user_role,
            "edx-platform.user_preferences": {},
        })

    def get_current_user(self):
        return self.user


KARIM = {"user_id": 7, "username": "karim", "full_name": "Karim B.", "email": "karim@example.org"}
LEA = {"user_id": 8, "username": "lea", "full_name": "Léa M.", "email": "lea@example.org"}


def studio(person, anonymous_user_id="student", role="staff"):
    """Studio's preview runtime for `person` (preview.py, `_prepare_runtime_for_preview`)."""
    runtime = WorkbenchRuntime("ignored")
    runtime._services["user"] = PlatformUserService(**person, anonymous_user_id=anonymous_user_id, user_role=role)
    runtime.is_author_mode = True
    return runtime


def lms(person, anonymous_user_id, *, staff):
    """The LMS runtime for `person` (block_render.py, `prepare_runtime_for_user`)."""
    runtime = WorkbenchRuntime("ignored")
    runtime._services["user"] = PlatformUserService(
        **person, anonymous_user_id=anonymous_user_id, user_role="staff" if staff else "student", user_is_staff=staff
    )
    return runtime


def call(block, handler, payload):
    """POST `payload` to a handler of `block`, as the platform's handler views do; (status, JSON)."""
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode())
    response = block.handle(handler, request)
    return response.status_code, json.loads(response.body)


def preview_view_name(block):
    """xmodule/studio_editable.py: `AUTHOR_VIEW if has_author_view(block) else STUDENT_VIEW`."""
    return AUTHOR_VIEW if getattr(block, "has_author_view", False) else STUDENT_VIEW


@pytest.fixture
def waiting_request():
    """Mathilde's request at the skills point, waiting for a coach."""
    block = skills_block(lms({**KARIM, "user_id": 1, "username": "mathilde"}, "anon-mathilde", staff=False))
    return ask(block.checkin_point(), PEOPLE["mathilde"])


def test_studio_shows_the_author_view_of_the_block():
    block = skills_block(studio(KARIM))
    assert preview_view_name(block) == AUTHOR_VIEW


@pytest.mark.parametrize("anonymous_user_id", ["student", "9b1e3c"], ids=["shared id", "individualized id"])
def test_in_studio_nobody_acts_as_a_coach_or_a_learner(waiting_request, anonymous_user_id):
    karim, lea = skills_block(studio(KARIM, anonymous_user_id)), skills_block(studio(LEA, anonymous_user_id))
    for block in (karim, lea):
        viewer = identity.current_viewer(block)
        assert viewer.in_studio and viewer.is_course_team and not viewer.is_coach and viewer.user_id == ""
        for handler, payload in [
            ("learner_state", {}),
            ("ask", ask_payload()),
        ]:
            with unchanged():
                status, body = call(block, handler, payload)
            assert status == 403, (handler, body)
            assert "learners ask, and coaches answer, in the course (LMS)" in body["error"]


def test_the_studio_unit_page_shows_settings_counts_analytics_and_where_coaches_answer(waiting_request):
    block = skills_block(studio(KARIM))
    html = block.runtime.render(block, AUTHOR_VIEW).content
    assert "Expected response time" in html
    assert '<dd class="coach-open-count"><data class="coach-number" value="1">1</data></dd>' in html
    assert "Where learners get stuck here" in html and 'data-action="analytics"' in html
    assert 'href="http://127.0.0.1:8000/scenario/coach_checkin.1/"' in html
    assert "/desk/" in html and "open the coach desk" in html
    assert "Coach queue" not in html and "Claim" not in html
    status, body = call(block, "analytics", {"scope": "point", "period": "all"})
    assert status == 200 and body["analytics"]["asked"] == 1


def test_studio_previews_the_learner_view_without_the_form():
    block = skills_block(studio(KARIM))
    html = block.runtime.render(block, STUDENT_VIEW).content
    assert "Naming my skills" in html
    assert "learners ask, and coaches answer, in the course (LMS)" in html
    assert "coach-ask-form" not in html and "Coach queue" not in html


def test_in_the_lms_each_coach_is_told_apart_and_sent_to_the_desk(waiting_request):
    karim = identity.current_viewer(skills_block(lms(KARIM, "anon-karim", staff=True)))
    lea = identity.current_viewer(skills_block(lms(LEA, "anon-lea", staff=True)))
    assert (karim.is_coach, lea.is_coach) == (True, True)
    assert (karim.user_id, lea.user_id) == ("anon-karim", "anon-lea")
    block = skills_block(lms(KARIM, "anon-karim", staff=True))
    html = block.runtime.render(block, STUDENT_VIEW).content
    assert '<data class="coach-number" value="1">1</data> request waits here' in html and "open the coach desk" in html


def test_in_the_lms_a_learner_is_no_coach():
    viewer = identity.current_viewer(skills_block(lms(LEA, "anon-lea", staff=False)))
    assert not viewer.is_coach and not viewer.is_course_team and not viewer.in_studio
