"""Stand-in for edx-platform's lms/djangoapps/courseware/block_render.py, `prepare_runtime_for_user`: the
user service the LMS gives a block rendered for `user` in `course_id`.

`user_is_staff` is `has_access(user, "staff", course_id)`, `user_role` is `get_user_role(user, course_id)`,
`anonymous_user_id` is `anonymous_id_for_user(user, course_id)` and the course-less one is the deprecated id.
"""
from common.djangoapps.student.models import anonymous_id_for_user
from common.djangoapps.xblock_django.user_service import DjangoXBlockUserService

from .access import get_user_role, has_access


def user_service_for(user, course_id):
    return DjangoXBlockUserService(
        user,
        user_is_staff=bool(has_access(user, "staff", course_id)),
        user_is_global_staff=bool(user.is_staff),
        user_role=get_user_role(user, course_id),
        anonymous_user_id=anonymous_id_for_user(user, course_id),
        deprecated_anonymous_user_id=anonymous_id_for_user(user, None),
    )
