"""Who may save a check-in's settings in Studio and in the LMS: stand-ins of the platform's runtimes.

Written from openedx/openedx-platform (master after Ulmo; the services below are the same in Ulmo):

- cms/djangoapps/contentstore/views/component.py `component_handler`: the editor's (studio_view's)
  handlers. Any logged-in user reaches them; `load_services_for_studio` (cms/djangoapps/contentstore/
  xblock_storage_handlers/view_handlers.py) gives the runtime `user` (DjangoXBlockUserService of the
  request's user, with no staff flag nor role) and `studio_user_permissions` (StudioPermissionsService).
  The handler runs, then the block is written to the modulestore only if `has_course_author_access`;
  otherwise it "fails quietly": the author's editor is told the save succeeded.
- cms/djangoapps/contentstore/views/preview.py `preview_handler`: the unit page's preview, behind
  `login_required` only; `_prepare_runtime_for_preview` gives `studio_user_permissions` too, and a
  block with an author_view gets CmsFieldData, whose settings are writable.
- StudioPermissionsService.can_write(course_key) is `has_studio_write_access(user, course_key)`
  (common/djangoapps/student/auth.py `get_user_permissions`: global staff, the course's or the org's
  instructors and staff may edit content; it reads `course_key.org`, so it takes a course key, not a
  string). openedx's own pdf XBlock asks it the same way (`can_write(self.context_key)`).
- lms/djangoapps/courseware/block_render.py `handle_xblock_callback`: any enrolled learner may call any
  handler of a block; no `studio_user_permissions` there, and LmsFieldData
  (lms/djangoapps/lms_xblock/field_data.py) wraps the authored data, settings included, in XBlock's
  ReadOnlyFieldData: a save there raises when the runtime saves the block (a 500).

The stand-ins below rewrite just that: opaque keys (a course key with its org, a usage key with its
course), the import's id manager (xmodule/modulestore/xml.py `CourseLocationManager`), the user service
and the permissions service. The runtime is XBlock's own test runtime, the field data XBlock's own
classes; the block is parsed from OLX and its handler called through `block.handle` with a webob request,
as both Studio views and the LMS view do after `django_to_webob_request`.
"""
import json
from dataclasses import dataclass

import pytest
from webob import Request
from xblock.field_data import ReadOnlyFieldData, SplitFieldData
from xblock.fields import Scope
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import DictKeyValueStore, IdGenerator, IdReader, KvsFieldData, NullI18nService
from xblock.test.tools import TestRuntime

OLX = '<coach_checkin display_name="Naming my skills" topic="skills" max_open_requests="1" coach_ids="karim"/>'
SAVE = {"values": {"prompt": "Name one skill first.", "max_open_requests": 3}, "defaults": []}
REFUSED = "Only the course team can change these settings."


@dataclass(frozen=True)
class CourseKey:
    """opaque_keys' CourseLocator, as far as the permission check reads it."""

    org: str
    course: str
    run: str

    def make_usage_key(self, block_type, block_id):
        return UsageKey(self, block_type, block_id)

    def __str__(self):
        return f"course-v1:{self.org}+{self.course}+{self.run}"


@dataclass(frozen=True)
class UsageKey:
    """opaque_keys' BlockUsageLocator: a block of a course, with its course as `course_key` and `context_key`."""

    course_key: CourseKey
    block_type: str
    block_id: str

    @property
    def context_key(self):
        return self.course_key

    def __str__(self):
        course = str(self.course_key).removeprefix("course-v1:")
        return f"block-v1:{course}+type@{self.block_type}+block@{self.block_id}"


class CourseIdManager(IdReader, IdGenerator):
    """xmodule/modulestore/xml.py CourseLocationManager: a block's definition and usage are one usage key."""

    def __init__(self, course):
        self.course = course
        self.count = 0

    def create_definition(self, block_type, slug=None):
        self.count += 1
        return self.course.make_usage_key(block_type, slug or f"{block_type}_{self.count}")

    def create_usage(self, def_id):
        return def_id

    def get_definition_id(self, usage_id):
        return usage_id

    def get_block_type(self, def_id):
        return def_id.block_type

    def create_aside(self, definition_id, usage_id, aside_type):
        raise NotImplementedError

    def get_aside_type_from_definition(self, aside_id):
        raise NotImplementedError

    def get_aside_type_from_usage(self, aside_id):
        raise NotImplementedError

    def get_usage_id_from_aside(self, aside_id):
        raise NotImplementedError

    def get_definition_id_from_aside(self, aside_id):
        raise NotImplementedError


@dataclass
class User:
    """A platform user: its id, global staff flag and roles per course key ("instructor", "staff", ...)."""

    id: int
    username: str
    is_global_staff: bool = False
    roles: dict = None


class StudioPermissionsService:
    """openedx/core/djangoapps/content/services.py StudioPermissionsService, over auth.py's rules."""

    def __init__(self, user):
        self.user = user

    def can_write(self, course_key):
        assert isinstance(course_key, CourseKey), f"has_studio_write_access reads course_key.org, not {course_key!r}"
        role = (self.user.roles or {}).get(course_key)
        return self.user.is_global_staff or role in ("instructor", "staff")


class DjangoXBlockUserService(UserService):
    """common/djangoapps/xblock_django/user_service.py, as `load_services_for_studio` and the LMS build it."""

    def __init__(self, user, **kwargs):
        super().__init__()
        self.user, self.kwargs = user, kwargs

    def get_current_user(self):
        xblock_user = XBlockUser(is_current_user=True, emails=[f"{self.user.username}@example.org"])
        xblock_user.opt_attrs.update({
            "edx-platform.is_authenticated": True,
            "edx-platform.user_id": self.user.id,
            "edx-platform.username": self.user.username,
            "edx-platform.anonymous_user_id": self.kwargs.get("anonymous_user_id"),
            "edx-platform.user_is_staff": self.kwargs.get("user_is_staff", False),
            "edx-platform.user_role": self.kwargs.get("user_role", "student"),
        })
        return xblock_user


COURSE = CourseKey("Demo", "Career", "2026")
KARIM = User(1, "karim", roles={COURSE: "staff"})
ADMIN = User(2, "admin", is_global_staff=True)
BETA = User(3, "beta", roles={COURSE: "beta_testers"})
OTHER_COURSE_STAFF = User(4, "lea", roles={CourseKey("Demo", "Other", "2026"): "staff"})
MATHILDE = User(5, "mathilde")


@pytest.fixture
def authored():
    """The course's authored data (the modulestore), with one check-in point imported from OLX."""
    store = DictKeyValueStore()
    runtime = TestRuntime(
        id_reader=CourseIdManager(COURSE), id_generator=CourseIdManager(COURSE),
        services={"field-data": KvsFieldData(store), "i18n": NullI18nService()},
    )
    return store, runtime.parse_xml_string(OLX)


def studio_block(authored, user):
    """The block as `component_handler` (or `preview_handler`) gives it to its handler, for `user`."""
    store, usage_id = authored
    runtime = TestRuntime(
        id_reader=CourseIdManager(COURSE), id_generator=CourseIdManager(COURSE),
        services={
            "field-data": KvsFieldData(store),
            "i18n": NullI18nService(),
            "user": DjangoXBlockUserService(user),
            "studio_user_permissions": StudioPermissionsService(user),
        },
    )
    return runtime.get_block(usage_id)


def lms_block(authored, user, **user_service_options):
    """The block as `handle_xblock_callback` gives it to its handler: settings read-only, no Studio services."""
    store, usage_id = authored
    authored_data = ReadOnlyFieldData(KvsFieldData(store))
    student_data = KvsFieldData(DictKeyValueStore())
    field_data = SplitFieldData({
        Scope.content: authored_data, Scope.settings: authored_data, Scope.parent: authored_data,
        Scope.children: authored_data, Scope.user_state_summary: student_data, Scope.user_state: student_data,
        Scope.user_info: student_data, Scope.preferences: student_data,
    })
    runtime = TestRuntime(
        id_reader=CourseIdManager(COURSE), id_generator=CourseIdManager(COURSE),
        services={
            "field-data": field_data,
            "i18n": NullI18nService(),
            "user": DjangoXBlockUserService(user, anonymous_user_id=f"anon-{user.username}", **user_service_options),
        },
    )
    return runtime.get_block(usage_id)


def save(block, body):
    """POST the editor's JSON to the block's submit_studio_edits, as the platform's views call it."""
    request = Request.blank("/", method="POST", body=json.dumps(body).encode(), content_type="application/json")
    return block.handle("submit_studio_edits", request)


def prompt_and_limit(authored):
    """The saved prompt and limit of open requests, as an author reads them back."""
    block = studio_block(authored, ADMIN)
    return block.prompt, block.max_open_requests


@pytest.mark.parametrize("author", [KARIM, ADMIN], ids=["course-staff", "global-staff"])
def test_a_course_author_saves_settings_from_the_studio_editor(authored, author):
    response = save(studio_block(authored, author), SAVE)
    assert (response.status_code, response.json) == (200, {"result": "success"})
    assert prompt_and_limit(authored) == ("Name one skill first.", 3)


@pytest.mark.parametrize("user", [MATHILDE, BETA, OTHER_COURSE_STAFF], ids=["learner", "beta-tester", "other-course"])
def test_a_studio_user_without_write_access_is_refused_and_nothing_changes(authored, user):
    before = prompt_and_limit(authored)
    block = studio_block(authored, user)
    response = save(block, SAVE)
    assert (response.status_code, response.json) == (403, {"error": REFUSED})
    assert (block.prompt, block.max_open_requests) == before  # not even in the block the view holds
    assert prompt_and_limit(authored) == before


@pytest.mark.parametrize(
    ("user", "options"),
    [(MATHILDE, {}), (KARIM, {"user_is_staff": True, "user_role": "staff"})],
    ids=["learner", "course-staff"],
)
def test_nobody_saves_settings_from_the_lms(authored, user, options):
    before = prompt_and_limit(authored)
    response = save(lms_block(authored, user, **options), SAVE)
    assert (response.status_code, response.json) == (403, {"error": REFUSED})
    assert prompt_and_limit(authored) == before


def test_the_lms_answers_a_body_it_cannot_read_with_400_before_anything_else(authored):
    request = Request.blank("/", method="POST", body=b"[" * 5000, content_type="application/json")
    response = lms_block(authored, MATHILDE).handle("submit_studio_edits", request)
    assert (response.status_code, response.json) == (400, {"error": "Send the fields as a JSON object."})
