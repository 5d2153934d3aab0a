"""Stand-in for the retirement views of edx-platform's openedx/core/djangoapps/user_api/accounts/views.py.

Each function is the part of one view that a plugin app meets, in the platform's order:

1. `deactivate_logout(user)`: `DeactivateLogoutView.post`, when the learner deletes their account,
   through utils.py's `create_retirement_request_and_deactivate_account`: a `UserRetirementStatus`
   row keeps the original username, email and name, then `user.email` becomes the retired address
   and the password unusable. The retirement driver runs the next steps days later (cool-off).
2. `retire_misc(username)`: `LMSAccountRetirementView.post` (POST /api/user/v1/accounts/retire_misc/,
   pipeline state RETIRING_LMS_MISC): sends USER_RETIRE_LMS_MISC (`user=`), then
   USER_RETIRE_MAILINGS (`email=` the original address, `new_email=`, `user=`).
3. `retire(username)`: `AccountRetirementView.post` (POST /api/user/v1/accounts/retire/, state
   RETIRING_LMS, after RETIRING_LMS_MISC): blanks the profile's name, sends
   USER_RETIRE_LMS_CRITICAL (`user=`, `retired_username=`, `retired_email=`), then replaces the
   username and email, blanks first and last name and deactivates the user.

Like the platform's views, each step answers (status, text): 204, 404 without a retirement, or 500
with the error a receiver raised.
"""
from django.contrib.auth.hashers import make_password

from ..models import UserRetirementStatus
from .signals import USER_RETIRE_LMS_CRITICAL, USER_RETIRE_LMS_MISC, USER_RETIRE_MAILINGS


def deactivate_logout(user):
    """The learner deletes their account: record who they are, retire their email at once."""
    retirement = UserRetirementStatus.create_retirement(user)
    user.email = retirement.retired_email
    user.password = make_password(None)
    user.save()
    return 204, ""


def _step(username, action):
    try:
        retirement = UserRetirementStatus.get_retirement_for_retirement_action(username)
    except UserRetirementStatus.DoesNotExist:
        return 404, ""
    try:
        action(retirement)
    except Exception as error:  # the platform answers 500 with the error's text
        return 500, str(error)
    return 204, ""


def retire_misc(username):
    """RETIRING_LMS_MISC: the LMS's apps and plugin apps forget the user."""
    def action(retirement):
        USER_RETIRE_LMS_MISC.send(sender=retire_misc, user=retirement.user)
        USER_RETIRE_MAILINGS.send(
            sender=retire_misc, email=retirement.original_email, new_email=retirement.retired_email,
            user=retirement.user,
        )

    return _step(username, action)


def retire(username):
    """RETIRING_LMS: the user's core PII goes, then their username and email are replaced."""
    def action(retirement):
        user = retirement.user
        user.profile.name = ""
        user.profile.save()
        USER_RETIRE_LMS_CRITICAL.send(
            sender=retire, user=user, retired_username=retirement.retired_username,
            retired_email=retirement.retired_email,
        )
        user.first_name = user.last_name = ""
        user.is_active = False
        user.username = retirement.retired_username
        user.email = retirement.retired_email
        user.save()

    return _step(username, action)
