"""Stand-in for edx-platform's lms/djangoapps/courseware/access.py: staff access to a course, the user's role.

- `administrative_accesses_to_course_for_user(user, course_key)`: (global staff, staff access,
  instructor access), where staff access is `CourseStaffRole(key).has_user(user)` (limited staff
  included, their role inheriting from staff) or `OrgStaffRole(key.org).has_user(user)`, and
  instructor access the same with the instructor roles.
- `has_access(user, "staff" | "instructor", course or key)` (`_has_access_to_course`): denied to an
  anonymous user; granted to global staff; "staff" to staff or instructors, "instructor" to instructors.
- `get_user_role(user, course_key)`: "instructor", else "staff", else "student".

Left out: masquerading (a staff member viewing as a learner gets the learner's answers), the other
objects and actions of `has_access`.
"""
from common.djangoapps.student.roles import (
    CourseInstructorRole,
    CourseStaffRole,
    GlobalStaff,
    OrgInstructorRole,
    OrgStaffRole,
)


def administrative_accesses_to_course_for_user(user, course_key):
    global_staff = GlobalStaff().has_user(user)
    staff_access = CourseStaffRole(course_key).has_user(user) or OrgStaffRole(course_key.org).has_user(user)
    instructor_access = (
        CourseInstructorRole(course_key).has_user(user) or OrgInstructorRole(course_key.org).has_user(user)
    )
    return global_staff, staff_access, instructor_access


def has_access(user, action, obj, course_key=None):
    course_key = course_key or getattr(obj, "id", obj)
    if user is None or not user.is_authenticated:
        return False
    global_staff, staff_access, instructor_access = administrative_accesses_to_course_for_user(user, course_key)
    if global_staff:
        return True
    return (action == "staff" and staff_access) or (action in ("staff", "instructor") and instructor_access)


def get_user_role(user, course_key):
    if has_access(user, "instructor", course_key):
        return "instructor"
    if has_access(user, "staff", course_key):
        return "staff"
    return "student"
