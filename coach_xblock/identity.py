"""Who is looking, in which course, and who coaches it: the one place that asks the platform.

In the LMS the user service gives the anonymous user id, the username, the email and the
course-staff flag (`opt_attrs['edx-platform.*']`). The LMS sets that flag from its own staff access
(lms/djangoapps/courseware/access.py): global staff, the course's staff, instructors and limited
staff (a role inheriting from staff), and the staff and instructors of the course's organization.
They are the course's coaches, with the people the course team lists on the desk (`CourseCoach`); each
coach's emails are in the language of their account (the user preference "pref-lang"), else the
course's ("Course Language", the course block's `language`), else the site's.
The anonymous id is `anonymous_id_for_user(user, course)`, the one the desk gives the same user, so
claims and follow-ups find the same coach on both. Studio's preview runtime
(`runtime.is_author_mode`) tells no one apart: every user gets the same anonymous id ("student")
and no staff flag, only their role in the course team; so in Studio nobody acts as a learner or a
coach, and the course team reads settings, counts and
analytics. In the xblock-sdk workbench the user service gives only the `?student=` id (also
shown as the name, with `<id>@example.com` as the address): there, coaches are the ids named in
the block's coach list, and the course is the scenario the block belongs to.

The coach desk (`coach_xblock.desk`) asks the same questions of a Django request: `desk_viewer`.
In Open edX the request's user is a Django user, whose course roles say who coaches; the people the
course team adds on the desk (`CourseCoach`) coach too. In the workbench `?student=<id>` names the
user, as on its handler URLs, and the coaches are the ids of the course's blocks' coach lists and
of the desk's list.

The learner's coaching journal (`coach_xblock.journal`) asks who reads it: `journal_viewer`. It must find the
requests under the id the course's blocks recorded them with (`learner_id`): in Open edX, the anonymous id
of the user in the course (`anonymous_id_for_user(user, course)`, which the LMS's user service gives the
blocks as `edx-platform.anonymous_user_id`), for a signed-in user enrolled in the course or coaching it;
in the workbench, the `?student=` id.
"""
import functools
import re
from dataclasses import dataclass

from django.conf import settings

from . import queries
from .conf import setting
from .domain import Forbidden, NotFound, Person
from .i18n import gettext as _

EDX_ANONYMOUS_ID = "edx-platform.anonymous_user_id"
EDX_IS_AUTHENTICATED = "edx-platform.is_authenticated"
EDX_USERNAME = "edx-platform.username"
EDX_IS_STAFF = "edx-platform.user_is_staff"
EDX_ROLE = "edx-platform.user_role"
WORKBENCH_USER_ID = "xblock-workbench.user_id"
COURSE_TEAM_ROLES = ("staff", "instructor")
WORKBENCH_DEFAULT_STUDENT = "student_1"  # whom the workbench's pages and handlers serve without ?student=


@dataclass(frozen=True)
class Viewer:
    """The person the block is rendered for or whose handler call it serves.

    `is_coach`: works the coach queue (claims, answers, exports); never in Studio.
    `is_course_team`: reads the point's counts and analytics (coaches, and Studio's authors).
    `in_studio`: Studio's preview, where no one is told apart (`user_id` is then empty).
    `manages_coaches`: may add and remove the course's coaches on the desk (staff and instructors).
    """

    user_id: str
    display_name: str
    is_coach: bool
    email: str = ""
    username: str = ""
    is_course_team: bool = False
    in_studio: bool = False
    manages_coaches: bool = False

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
        team = team or (bool(username) and username in queries.course_coach_usernames(course_key(block)))
        return Viewer(
            user_id=str(attrs.get(EDX_ANONYMOUS_ID) or ""),
            display_name=display_name,
            is_coach=team,
            email=(user.emails or [""])[0] or "",
            username=username,
            is_course_team=team,
        )
    user_id = str(attrs.get(WORKBENCH_USER_ID) or block.scope_ids.user_id or "")
    coach = bool(user_id) and (
        user_id in parse_coach_ids(block.coach_ids) or user_id in queries.course_coach_usernames(course_key(block))
    )
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
    """The coaches of an Open edX course whom notifications reach, or None outside Open edX: the active users
    holding the course's staff, limited staff or instructor role, and those of the desk's coach list.

    Global staff and an organization's staff and instructors may coach every course (of the
    organization): they work from the desk, but are not emailed about each course's requests.
    """
    if not in_openedx():
        return None
    from common.djangoapps.student.models import anonymous_id_for_user
    from common.djangoapps.student.roles import CourseInstructorRole, CourseLimitedStaffRole, CourseStaffRole
    from django.contrib.auth import get_user_model
    from opaque_keys.edx.keys import CourseKey

    key = CourseKey.from_string(course)
    users = {
        *CourseStaffRole(key).users_with_role(),  # the exact role string: limited staff are listed apart
        *CourseLimitedStaffRole(key).users_with_role(),
        *CourseInstructorRole(key).users_with_role(),
        *get_user_model().objects.filter(username__in=queries.course_coach_usernames(course)),
    }
    users = sorted((user for user in users if user.is_active), key=lambda u: u.pk)
    chosen, course_language = _openedx_languages(users), _openedx_course_language(key)
    return [
        Person(
            user_id=anonymous_id_for_user(user, key),
            display_name=_openedx_name(user),
            email=user.email,
            username=user.username,
            language=chosen.get(user.pk) or course_language,
        )
        for user in users
    ]


# The user preference holding the language a person chose in their account (lang_pref's LANGUAGE_KEY).
LANGUAGE_PREFERENCE = "pref-lang"


def _openedx_languages(users):
    """{user pk: language} of those of `users` who chose a language in their account (one query)."""
    from openedx.core.djangoapps.user_api.models import UserPreference

    rows = UserPreference.objects.filter(user__in=users, key=LANGUAGE_PREFERENCE).values_list("user_id", "value")
    return {user_id: value for user_id, value in rows if value}


def _openedx_course_language(key):
    """The language the course team gave the course (its Advanced Settings' "Course Language"), or ""."""
    from xmodule.modulestore.django import modulestore

    course = modulestore().get_course(key)
    return (getattr(course, "language", None) or "") if course is not None else ""


def course_coaches(block):
    """The people notifications for this block's course go to."""
    team = _open_edx_course_team(course_key(block))
    if team is not None:
        return tuple(team)
    return tuple(Person(user_id=i, display_name=i, email=_workbench_email(i)) for i in parse_coach_ids(block.coach_ids))


def lms_root():
    """The LMS's address, without its last slash (the platform's LMS_ROOT_URL, else ours)."""
    return (getattr(settings, "LMS_ROOT_URL", None) or setting("LMS_ROOT_URL")).rstrip("/")


def unit_url(block):
    """The address of the unit holding `block`, for links in emails."""
    root = lms_root()
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


def username_before_retirement(user):
    """The username `user` had before Open edX retired them, or None when the platform kept no record of it.

    The LMS's "retire" step replaces the username with a retired one right after USER_RETIRE_LMS_CRITICAL;
    the original stays in their UserRetirementStatus.
    """
    from openedx.core.djangoapps.user_api.models import UserRetirementStatus

    status = UserRetirementStatus.objects.filter(user=user).first()
    return status.original_username if status is not None else None


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


# ---------------------------------------------------------------- the coach desk: who is looking at a Django request


@dataclass(frozen=True)
class CheckinPointRef:
    """A check-in point of a course, as the desk lists it: its id and its title."""

    point_id: str
    title: str


@functools.cache
def in_openedx():
    """True inside Open edX (its student app is importable), False in the workbench (asked once a process)."""
    try:
        import common.djangoapps.student.roles  # noqa: F401
    except ImportError:
        return False
    return True


def workbench_student(request):
    """The workbench user a request is made as: its `?student=` id, as the workbench's own pages read it."""
    return (request.GET.get("student") or WORKBENCH_DEFAULT_STUDENT).strip()[:255]


def desk_viewer(request, course):
    """Who looks at the coach desk of `course` through `request`, and what they may do there.

    `is_coach` is False for anyone who does not coach the course (the desk then shows them nothing).
    """
    if in_openedx():
        return _openedx_desk_viewer(request.user, course)
    student = workbench_student(request)
    manages = student in _workbench_block_coaches(course)
    listed = manages or student in queries.course_coach_usernames(course)
    return Viewer(
        user_id=student,
        display_name=student,
        is_coach=bool(student) and listed,
        email=_workbench_email(student),
        username=student,
        is_course_team=bool(student) and listed,
        manages_coaches=bool(student) and manages,
    )


def journal_viewer(request, course):
    """Who reads their coaching journal of `course` through `request`: a Viewer whose `user_id` is the id the
    course's blocks record their requests under.

    Raises NotFound for a course that does not exist (a key Open edX cannot read; a course no workbench
    scenario is), Forbidden for a visitor who is not signed in, or who neither learns in the course
    (enrolled) nor coaches it.
    """
    if in_openedx():
        return _openedx_journal_viewer(request.user, course)
    if course not in _workbench_courses():
        raise NotFound(_("There is no such course."))
    student = workbench_student(request)
    if not student:
        raise Forbidden(_("Sign in to read your coaching in this course."))
    return Viewer(user_id=student, display_name=student, is_coach=False, email=_workbench_email(student),
                  username=student)


def coached_courses(request):
    """The ids of the courses the request's user coaches, sorted."""
    if in_openedx():
        return _openedx_coached_courses(request.user)
    student = workbench_student(request)
    listed = set(queries.courses_coached_by(student))
    for course, points in _workbench_courses().items():
        if any(student in parse_coach_ids(block.coach_ids) for block in points):
            listed.add(course)
    return sorted(listed)


def course_points(course):
    """The check-in points of `course`, in course order."""
    if in_openedx():
        return _openedx_course_points(course)
    return [CheckinPointRef(point_id(block), block.display_name) for block in _workbench_courses().get(course, [])]


def user_exists(username):
    """Whether someone may be made a coach under `username`: a user of the LMS (any id in the workbench)."""
    if in_openedx():
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(username=username).exists()
    return bool(username)


def _workbench_courses():
    """{course: [check-in blocks]} of the workbench's scenarios, read through its runtime (their settings
    as saved, including edits made in the workbench's Studio view).

    Walking the scenarios reads the workbench's field store one query a field; a desk page asks several
    times. So the blocks are read again only when what they were read from changed: the scenarios, or a
    row of the field store holding our blocks' settings or content (one query tells).
    """
    saved = _workbench_saved_blocks()
    last = _workbench_read.get("last")
    if last is None or last[0] != saved:
        courses = _read_workbench_courses()
        last = _workbench_read["last"] = (_workbench_saved_blocks(), courses)  # reading may add rows
    return last[1]


_workbench_read = {}  # "last": (what the blocks were read from, the courses they gave)


def _workbench_saved_blocks():
    from workbench.models import XBlockState
    from workbench.scenarios import get_scenarios

    rows = XBlockState.objects.filter(tag="coach_checkin", scope__in=("usage", "definition"), user_id=None)
    return (
        tuple((name, scenario.usage_id, scenario.xml) for name, scenario in get_scenarios().items()),
        tuple(rows.order_by("id").values_list("id", "state")),
    )


def _read_workbench_courses():
    from workbench.runtime import WorkbenchRuntime
    from workbench.scenarios import get_scenarios

    found = {}
    for scenario in get_scenarios().values():
        runtime = WorkbenchRuntime(WORKBENCH_DEFAULT_STUDENT)
        pending = [runtime.get_block(scenario.usage_id)]
        while pending:
            block = pending.pop(0)
            if block.scope_ids.block_type == "coach_checkin":
                found.setdefault(course_key(block), []).append(block)
            if block.has_children:
                pending[:0] = block.get_children()
    return found


def _workbench_block_coaches(course):
    return {coach for block in _workbench_courses().get(course, []) for coach in parse_coach_ids(block.coach_ids)}


# Open edX: the course's roles (common/djangoapps/student/roles.py) and the desk's coach list.


def _openedx_name(user):
    return getattr(getattr(user, "profile", None), "name", "") or user.username


def _openedx_roles(user, course):
    """(coaches, manages coaches) for a Django user of the LMS in `course`.

    Coaches: those the LMS gives staff access to the course (courseware/access.py,
    `administrative_accesses_to_course_for_user`): global staff, the course's or its organization's
    staff and instructors; `CourseStaffRole.has_user` is also True for limited staff, whose role
    inherits from staff; and the active users of the desk's coach list. Managing the coach list is
    for global staff, instructors and staff, not for limited staff (who, like in the platform's
    `has_cms_access`, stay limited even when they also hold the staff role).
    """
    from common.djangoapps.student import roles
    from opaque_keys import InvalidKeyError
    from opaque_keys.edx.keys import CourseKey

    if user is None or not user.is_authenticated:
        return False, False
    try:
        key = CourseKey.from_string(course)
    except InvalidKeyError:
        return False, False
    if roles.GlobalStaff().has_user(user):
        return True, True
    instructs = roles.CourseInstructorRole(key).has_user(user) or roles.OrgInstructorRole(key.org).has_user(user)
    staff = roles.CourseStaffRole(key).has_user(user) or roles.OrgStaffRole(key.org).has_user(user)
    manages = instructs or (staff and not roles.CourseLimitedStaffRole(key).has_user(user))
    coaches = instructs or staff or (user.is_active and user.username in queries.course_coach_usernames(course))
    return coaches, manages


def openedx_user_coaches(user, course):
    """Whether the Django user `user` coaches `course` (its id as a string): the course tab asks this."""
    return _openedx_roles(user, course)[0]


def _openedx_desk_viewer(user, course):
    coaches, manages = _openedx_roles(user, course)
    if not coaches:
        return Viewer(user_id="", display_name="", is_coach=False)
    from common.djangoapps.student.models import anonymous_id_for_user
    from opaque_keys.edx.keys import CourseKey

    return Viewer(
        user_id=anonymous_id_for_user(user, CourseKey.from_string(course)),
        display_name=_openedx_name(user),
        is_coach=True,
        email=user.email,
        username=user.username,
        is_course_team=True,
        manages_coaches=manages,
    )


def openedx_user_learns(user, course):
    """Whether the Django user `user` may read their coaching in `course` (its id as a string): signed in, and
    enrolled in it (an active enrollment, the platform's `CourseEnrollment.is_enrolled`) or coaching it. The
    learner's course tab asks this, as the platform's own tabs for enrolled users do."""
    from common.djangoapps.student.models import CourseEnrollment
    from opaque_keys import InvalidKeyError
    from opaque_keys.edx.keys import CourseKey

    if user is None or not user.is_authenticated:
        return False
    try:
        key = CourseKey.from_string(course)
    except InvalidKeyError:
        return False
    return bool(CourseEnrollment.is_enrolled(user, key)) or openedx_user_coaches(user, course)


def _openedx_journal_viewer(user, course):
    from common.djangoapps.student.models import anonymous_id_for_user
    from opaque_keys import InvalidKeyError
    from opaque_keys.edx.keys import CourseKey

    try:
        key = CourseKey.from_string(course)
    except InvalidKeyError:
        raise NotFound(_("There is no such course.")) from None
    if user is None or not user.is_authenticated:
        raise Forbidden(_("Sign in to read your coaching in this course."))
    if not openedx_user_learns(user, course):
        raise Forbidden(_("Only the learners of this course can read their coaching in it."))
    return Viewer(
        user_id=anonymous_id_for_user(user, key),
        display_name=_openedx_name(user),
        is_coach=False,
        email=user.email,
        username=user.username,
    )


def _openedx_coached_courses(user):
    """The courses where `user` holds a staff (or limited staff) or instructor role, or is on the desk's list.

    Organization-wide roles name no course: their holders reach each course's desk through its tab.
    """
    from common.djangoapps.student.roles import UserBasedRole

    if not (user.is_authenticated and user.is_active):
        return []
    found = set(queries.courses_coached_by(user.username))
    for role in ("staff", "instructor"):  # "staff" includes "limited_staff", which inherits from it
        found.update(str(row.course_id) for row in UserBasedRole(user, role).courses_with_role() if row.course_id)
    return sorted(found)


def _openedx_course_points(course):
    """The check-in points of the course's published version (the LMS reads the published branch), as the
    modulestore lists them, then any point our requests still name that the course no longer has (with the
    title recorded with them), so that coaches can still filter by it. A course the store does not know has
    only the latter."""
    from opaque_keys.edx.keys import CourseKey
    from xmodule.modulestore.django import modulestore
    from xmodule.modulestore.exceptions import ItemNotFoundError

    try:
        blocks = modulestore().get_items(
            CourseKey.from_string(course), qualifiers={"category": "coach_checkin"}, include_orphans=False
        )
    except ItemNotFoundError:
        blocks = []
    points = [CheckinPointRef(str(block.location), block.display_name) for block in blocks]
    known = {point.point_id for point in points}
    return points + [CheckinPointRef(point, title) for point, title in queries.recorded_points(course, known)]
