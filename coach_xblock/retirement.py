"""Open edX user retirement: a retired learner's requests go, a retired coach's name goes."""
from . import identity, workflow


def retire_user(sender, user, **kwargs):
    """Receiver of `USER_RETIRE_LMS_CRITICAL`: delete the user's requests, scrub them as a coach."""
    ids = identity.anonymous_ids_of(user)
    workflow.delete_learner_requests(ids)
    workflow.scrub_coach(ids, emails=[user.email])
