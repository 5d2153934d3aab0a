"""Stand-in for edx-platform's common/djangoapps/student/roles.py: the course roles a coach may hold.

Read in openedx/openedx-platform (master, and the Ulmo-era file without openedx-authz, which behaves
the same for what is here):

- A role is a `CourseAccessRole` row (user, org, course_id, role string). `CourseStaffRole` is
  "staff", `CourseInstructorRole` "instructor", `CourseLimitedStaffRole` "limited_staff"; the org-wide
  `OrgStaffRole` / `OrgInstructorRole` are "staff" / "instructor" rows with the org and no course.
- `CourseLimitedStaffRole` subclasses `CourseStaffRole` with `BASE_ROLE = "staff"`:
  `register_access_role` records it in `ACCESS_ROLES_INHERITANCE`, and `RoleCache.has_role` accepts
  a role or any role inheriting from it. So `CourseStaffRole(key).has_user(limited)` is True, while
  `CourseLimitedStaffRole(key).has_user(staff)` is False.
- `RoleBase.has_user` is False for an anonymous or inactive user; `GlobalStaff().has_user` is
  `user.is_staff`.
- `users_with_role()` (the legacy path) lists the users of that exact role string: the course's
  staff without its limited staff.
- `UserBasedRole(user, role).courses_with_role()`: the user's rows of that role or of a role
  inheriting from it (each with `course_id`, empty for an org-wide role).

Left out: the openedx-authz path (behind a waffle flag, same answers), caches, adding and removing.
"""
from django.contrib.auth.models import User

from .models import CourseAccessRole

ACCESS_ROLES_INHERITANCE = {}


def register_access_role(cls):
    """Record the role a class inherits from, as the platform's decorator does."""
    base = getattr(cls, "BASE_ROLE", None)
    if base:
        ACCESS_ROLES_INHERITANCE.setdefault(base, set()).add(cls.ROLE)
    return cls


def roles_like(role):
    """`role` and the roles inheriting from it (RoleCache.get_roles)."""
    return ACCESS_ROLES_INHERITANCE.get(role, set()) | {role}


class GlobalStaff:
    """The platform's staff (`user.is_staff`)."""

    def has_user(self, user):
        return bool(user and user.is_staff)


class RoleBase:
    """A role string, in an org and optionally a course."""

    def __init__(self, role_name, org="", course_key=None):
        self._role_name = role_name
        self.org = org
        self.course_key = course_key

    def has_user(self, user, check_user_activation=True):
        if check_user_activation and not (user.is_authenticated and user.is_active):
            return False
        return CourseAccessRole.objects.filter(
            user=user, role__in=roles_like(self._role_name), org=self.org,
            course_id=str(self.course_key) if self.course_key else "",
        ).exists()

    def users_with_role(self):
        return User.objects.filter(
            courseaccessrole__role=self._role_name, courseaccessrole__org=self.org,
            courseaccessrole__course_id=str(self.course_key) if self.course_key else "",
        )

    def add_users(self, *users):
        for user in users:
            if user.is_authenticated and user.is_active:
                CourseAccessRole.objects.get_or_create(
                    user=user, role=self._role_name, org=self.org,
                    course_id=str(self.course_key) if self.course_key else "",
                )


class CourseRole(RoleBase):
    def __init__(self, role, course_key):
        super().__init__(role, course_key.org, course_key)


class OrgRole(RoleBase):
    pass


@register_access_role
class CourseStaffRole(CourseRole):
    ROLE = "staff"

    def __init__(self, *args, **kwargs):
        super().__init__(self.ROLE, *args, **kwargs)


@register_access_role
class CourseLimitedStaffRole(CourseStaffRole):
    ROLE = "limited_staff"
    BASE_ROLE = CourseStaffRole.ROLE


@register_access_role
class CourseInstructorRole(CourseRole):
    ROLE = "instructor"

    def __init__(self, *args, **kwargs):
        super().__init__(self.ROLE, *args, **kwargs)


@register_access_role
class CourseBetaTesterRole(CourseRole):
    ROLE = "beta_testers"

    def __init__(self, *args, **kwargs):
        super().__init__(self.ROLE, *args, **kwargs)


class OrgStaffRole(OrgRole):
    def __init__(self, *args, **kwargs):
        super().__init__("staff", *args, **kwargs)


class OrgInstructorRole(OrgRole):
    def __init__(self, *args, **kwargs):
        super().__init__("instructor", *args, **kwargs)


class UserBasedRole:
    """A user's courses in one role."""

    def __init__(self, user, role):
        self.user = user
        self.role = role

    def courses_with_role(self):
        return CourseAccessRole.objects.filter(role__in=roles_like(self.role), user=self.user)
