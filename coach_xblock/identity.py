"""Who is looking, in which course, and who coaches it: the one place that asks the platform.

In the LMS the user service gives the anonymous user id, the username, the email and the
course-staff flag (`opt_attrs['edx-platform.*']`), and the course's staff and instructors are
its coaches. Studio's preview runtime (`runtime.is_author_mode`) tells no one apart: every user
gets the same anonymous id ("student") and no staff flag, only their role in the course team; so
in Studio nobody acts as a learner or a coach, and the course team reads settings, counts and
analytics. In the xblock-sdk workbench the user service gives only the `?student=` id (also
shown as the name, with `<id>@example.com` as the address): there, coaches are the ids named in
the block's coach list, and the course is the scenario the block belongs to.
"""
import re
from dataclasses import dataclass

from django.conf import settings

from .conf import setting
from .domain import Person

EDX_ANONYMOUS_ID = "edx-platform.anonymous_user_id"
EDX_IS_AUTHENTICATED = "edx-platform.is_authenticated"
EDX_USERNAME = "edx-platform.username"
EDX_IS_STAFF = "edx-platform.user_is_staff"
EDX_ROLE = "edx-platform.user_role"
WORKBENCH_USER_ID = "xblock-workbench.user_id"
COURSE_TEAM_ROLES = ("staff", "instructor")


@dataclass(frozen=True)
class Viewer:
    """The person the block is rendered for or whose handler call it serves.

    `is_coach`: works the coach queue (claims, answers, exports); never in Studio.
    `is_course_team`: reads the point's counts and analytics (coaches, and Studio's authors).
    `in_studio`: Studio's preview, where no one is told apart (`user_id` is then empty).
    """

    user_id: str
    display_name: str
    is_coach: bool
    email: str = ""
    username: str = ""
    is_course_team: bool = False
    in_studio: bool = False

    def as_person(self):
        """The viewer as the workflow knows people."""
        return Person(user_id=self.user_id, display_name=self.display_name, email=self.email, username=self.username)


def _workbench_email(user_id):
    return f"{user_id}@example.com"


def parse_coach_ids(text):
    """The coach ids of a comma- or space-separated list, in order, without repeats."""
    seen = []
    for item in re.split(r"[\s,;]+", text or ""):
        if item and item not in seen:
            seen.append(item)
    return seen


def in_studio(block):
    """True in Studio's preview runtime, which marks itself `is_author_mode`."""
    return bool(getattr(block.runtime, "is_author_mode", False))


def current_viewer(block):
    """The viewer of `block`, read from the runtime's user service."""
    user = block.runtime.service(block, "user").get_current_user()
    attrs = user.opt_attrs
    if EDX_ANONYMOUS_ID in attrs or EDX_IS_AUTHENTICATED in attrs:
        username = attrs.get(EDX_USERNAME) or ""
        team = bool(attrs.get(EDX_IS_STAFF)) or attrs.get(EDX_ROLE) in COURSE_TEAM_ROLES
        display_name = user.full_name or username
        if in_studio(block):
            return Viewer(user_id="", display_name=display_name, is_coach=False, is_course_team=team, in_studio=True)
        return Viewer(
            user_id=str(attrs.get(EDX_ANONYMOUS_ID) or ""),
            display_name=display_name,
            is_coach=team,
            email=(user.emails or [""])[0] or "",
            username=username,
            is_course_team=team,
        )
    user_id = str(attrs.get(WORKBENCH_USER_ID) or block.scope_ids.user_id or "")
    coach = user_id in parse_coach_ids(block.coach_ids)
    return Viewer(
        user_id=user_id,
        display_name=user_id,
        is_coach=coach,
        email=_workbench_email(user_id) if user_id else "",
        username=user_id,
        is_course_team=coach,
    )


def may_edit_settings(block):
    """Whether the viewer may change `block`'s settings (its Studio editor's save).

    Studio gives the runtime of the editor and of the unit page's preview a
    `studio_user_permissions` service (edx-platform's StudioPermissionsService), whose
    `can_write(course_key)` is the platform's own `has_studio_write_access`: that decides. The LMS
    gives no such service: any enrolled learner may call any handler of a block there, and the
    settings are read-only, so nobody edits them there. In the workbench, which has no course team,
    the block's coach list stands for it.
    """
    permissions = block.runtime.service(block, "studio_user_permissions")
    if permissions is not None:
        usage_id = block.scope_ids.usage_id
        course = getattr(usage_id, "context_key", None) or getattr(usage_id, "course_key", None)
        return course is not None and bool(permissions.can_write(course))
    attrs = block.runtime.service(block, "user").get_current_user().opt_attrs
    if WORKBENCH_USER_ID in attrs:
        return current_viewer(block).is_coach
    return False


def _open_edx_course_team(course):
    """The staff and instructors of an Open edX course, or None outside Open edX."""
    try:
        from common.djangoapps.student.models import anonymous_id_for_user
        from common.djangoapps.student.roles import CourseInstructorRole, CourseStaffRole
        from opaque_keys.edx.keys import CourseKey
    except ImportError:
        return None
    key = CourseKey.from_string(course)
    users = {*CourseStaffRole(key).users_with_role(), *CourseInstructorRole(key).users_with_role()}
    return [
        Person(
            user_id=anonymous_id_for_user(user, key),
            display_name=getattr(getattr(user, "profile", None), "name", "") or user.username,
            email=user.email,
        )
        for user in sorted(users, key=lambda u: u.pk)
    ]


def course_coaches(block):
    """The people notifications for this block's course go to."""
    team = _open_edx_course_team(course_key(block))
    if team is not None:
        return tuple(team)
    return tuple(Person(user_id=i, display_name=i, email=_workbench_email(i)) for i in parse_coach_ids(block.coach_ids))


def unit_url(block):
    """The address of the unit holding `block`, for links in emails."""
    root = (getattr(settings, "LMS_ROOT_URL", None) or setting("LMS_ROOT_URL")).rstrip("/")
    usage_id = block.scope_ids.usage_id
    course = getattr(usage_id, "course_key", None)
    if course is not None:
        return f"{root}/courses/{course}/jump_to/{usage_id}"
    from workbench.scenarios import get_scenarios

    course = course_key(block)
    scenario = next((sid for sid, s in get_scenarios().items() if str(s.usage_id).split(".", 1)[0] == course), "")
    return f"{root}/scenario/{scenario}/" if scenario else f"{root}/"


def anonymous_ids_of(user):
    """Every id under which Open edX shows a Django user to blocks: their anonymous id in each course (and
    the course-less one), as the LMS recorded them in AnonymousUserId."""
    from common.djangoapps.student.models import AnonymousUserId

    return list(AnonymousUserId.objects.filter(user=user).values_list("anonymous_user_id", flat=True))


def address_before_retirement(user):
    """The email `user` had before Open edX began retiring them, or None when the platform kept no record of it.

    The LMS replaces `user.email` with a retired address as soon as the learner deletes their
    account (days before the retirement signals); the original stays in their UserRetirementStatus.
    """
    from openedx.core.djangoapps.user_api.models import UserRetirementStatus

    status = UserRetirementStatus.objects.filter(user=user).first()
    return status.original_email if status is not None else None


def course_key(block):
    """The course `block` belongs to: its usage key's course in Open edX, its scenario in the workbench."""
    usage_id = block.scope_ids.usage_id
    course = getattr(usage_id, "course_key", None)
    if course is not None:
        return str(course)
    return str(usage_id).split(".", 1)[0]


def point_id(block):
    """The id of the check-in point `block` is."""
    return str(block.scope_ids.usage_id)
