"""Stand-in for edx-platform's openedx/core/djangoapps/user_api/models.py: `UserRetirementStatus`, `UserPreference`.

`UserPreference`: one row per user and key (`unique_together`), the value as text, the user's rows as
`user.preferences`; the language a person chooses in their account is the key "pref-lang"
(openedx/core/djangoapps/lang_pref/__init__.py, `LANGUAGE_KEY`).

`create_retirement(user)` records the user's username, email and profile name as they are when the
learner asks to delete their account, with the retired values that will replace them;
`get_retirement_for_retirement_action(username)` finds the row by the original username, as each
step of the retirement pipeline does. (The platform also tracks the pipeline's states, left out.)
"""
from common.djangoapps.student.models import get_retired_email_by_email, get_retired_username_by_username
from django.contrib.auth.models import User
from django.db import models


class UserRetirementStatus(models.Model):
    """A user being retired, and who they were before."""

    user = models.OneToOneField(User, on_delete=models.CASCADE)
    original_username = models.CharField(max_length=150, db_index=True)
    original_email = models.EmailField(db_index=True)
    original_name = models.CharField(max_length=255, blank=True, db_index=True)
    retired_username = models.CharField(max_length=150, db_index=True)
    retired_email = models.EmailField(db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    @classmethod
    def create_retirement(cls, user):
        """Record `user` as they are now, with the values that will replace their username and email."""
        return cls.objects.create(
            user=user,
            original_username=user.username,
            original_email=user.email,
            original_name=user.profile.name,
            retired_username=get_retired_username_by_username(user.username),
            retired_email=get_retired_email_by_email(user.email),
        )

    @classmethod
    def get_retirement_for_retirement_action(cls, username):
        """The retirement of the user whose original username is `username` (DoesNotExist otherwise)."""
        return cls.objects.select_related("user").get(original_username=username)


class UserPreference(models.Model):
    """A preference of one user: a key and its value, as text."""

    user = models.ForeignKey(User, db_index=True, related_name="preferences", on_delete=models.CASCADE)
    key = models.CharField(max_length=255, db_index=True)
    value = models.TextField()

    class Meta:
        unique_together = ("user", "key")

