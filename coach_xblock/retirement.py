"""Open edX user retirement: a retired learner's requests go; a retired coach's ids, name and address go.

Open edX retires a user in steps (openedx/core/djangoapps/user_api/accounts/views.py): when they
delete their account, their email becomes a retired address at once (the original is kept in
their UserRetirementStatus); days later the retirement driver runs "retire_misc", which sends
USER_RETIRE_LMS_MISC, then "retire", which sends USER_RETIRE_LMS_CRITICAL and replaces their
username. Like the platform's own course apps and its plugin apps, we forget the user on
USER_RETIRE_LMS_MISC, by their anonymous ids and by their original address; and again on
USER_RETIRE_LMS_CRITICAL, for a pipeline without the "retire_misc" step (after it, nothing is left).
A retired user also leaves every course's desk coach list, by their current and original usernames
(the coaches they added stay, without who added them).
"""
import logging

from . import identity, workflow

log = logging.getLogger(__name__)


def retire_user(sender, user, **kwargs):
    """Receiver of `USER_RETIRE_LMS_MISC` and `USER_RETIRE_LMS_CRITICAL`: forget the user as a learner,
    scrub them as a coach."""
    ids = identity.anonymous_ids_of(user)
    original = identity.address_before_retirement(user)
    if original is None:
        log.warning(
            "Retiring user %s, who has no UserRetirementStatus: their original email is unknown; scrubbing them "
            "by their anonymous ids, their current email and the addresses recorded beside their ids.", user.pk,
        )
    workflow.forget_learner(ids)
    workflow.scrub_coach(ids, emails=[original or "", user.email])
    workflow.forget_coach_listing([user.username, identity.username_before_retirement(user) or ""])
