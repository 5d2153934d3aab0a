"""Stand-in for edx-platform's common/djangoapps/xblock_django/user_service.py, `DjangoXBlockUserService`.

`get_current_user()` turns the Django user into an `XBlockUser`: for an authenticated user, the
profile's full name, the email, and in `opt_attrs` the anonymous ids, `edx-platform.is_authenticated`,
`edx-platform.user_id`, `edx-platform.username`, `edx-platform.user_is_staff`,
`edx-platform.user_is_global_staff` and `edx-platform.user_role` as the runtime passed them; for an
anonymous one, only `edx-platform.is_authenticated` False. (Left out: preferences, country, beta tester.)
"""
from xblock.reference.user_service import UserService, XBlockUser


class DjangoXBlockUserService(UserService):
    def __init__(self, django_user, **kwargs):
        super().__init__()
        self._django_user = django_user
        self._kwargs = kwargs

    def get_current_user(self):
        user = self._django_user
        xblock_user = XBlockUser(is_current_user=True)
        if user is None or not user.is_authenticated:
            xblock_user.opt_attrs["edx-platform.is_authenticated"] = False
            return xblock_user
        xblock_user.full_name = user.profile.name if hasattr(user, "profile") else None
        xblock_user.emails = [user.email]
        xblock_user.opt_attrs.update({
            "edx-platform.anonymous_user_id": self._kwargs.get("anonymous_user_id"),
            "edx-platform.deprecated_anonymous_user_id": self._kwargs.get("deprecated_anonymous_user_id"),
            "edx-platform.is_authenticated": True,
            "edx-platform.user_id": user.id,
            "edx-platform.username": user.username,
            "edx-platform.user_is_global_staff": self._kwargs.get("user_is_global_staff", False),
            "edx-platform.user_is_staff": self._kwargs.get("user_is_staff", False),
            "edx-platform.user_role": self._kwargs.get("user_role", "student"),
        })
        return xblock_user
