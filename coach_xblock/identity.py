"""Who is looking, and in which course: the one place that asks the runtime.

In Open edX the user service gives the anonymous user id, the username and the course-staff
flag (`opt_attrs['edx-platform.*']`). In the xblock-sdk workbench it gives only the
`?student=` id (also shown as the name): there, coaches are the ids named in the block's coach
list, and the course is the scenario the block belongs to.
"""
import re
from dataclasses import dataclass

EDX_ANONYMOUS_ID = "edx-platform.anonymous_user_id"
EDX_USERNAME = "edx-platform.username"
EDX_IS_STAFF = "edx-platform.user_is_staff"
EDX_ROLE = "edx-platform.user_role"
WORKBENCH_USER_ID = "xblock-workbench.user_id"
COURSE_TEAM_ROLES = ("staff", "instructor")


@dataclass(frozen=True)
class Viewer:
    """The person the block is rendered for or whose handler call it serves."""

    user_id: str
    display_name: str
    is_coach: bool


def parse_coach_ids(text):
    """The coach ids of a comma- or space-separated list, in order, without repeats."""
    seen = []
    for item in re.split(r"[\s,;]+", text or ""):
        if item and item not in seen:
            seen.append(item)
    return seen


def current_viewer(block):
    """The viewer of `block`, read from the runtime's user service."""
    user = block.runtime.service(block, "user").get_current_user()
    attrs = user.opt_attrs
    if EDX_ANONYMOUS_ID in attrs:
        username = attrs.get(EDX_USERNAME) or ""
        is_coach = bool(attrs.get(EDX_IS_STAFF)) or attrs.get(EDX_ROLE) in COURSE_TEAM_ROLES
        return Viewer(
            user_id=str(attrs[EDX_ANONYMOUS_ID] or ""),
            display_name=user.full_name or username,
            is_coach=is_coach,
        )
    user_id = str(attrs.get(WORKBENCH_USER_ID) or block.scope_ids.user_id or "")
    return Viewer(
        user_id=user_id,
        display_name=user_id,
        is_coach=user_id in parse_coach_ids(block.coach_ids),
    )


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
