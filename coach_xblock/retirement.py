"""Open edX user retirement: a retired learner's requests go, a retired coach's name goes."""
from . import identity, workflow


def retire_user(sender, user, **kwargs):
    """Receiver of `USER_RETIRE_LMS_CRITICAL`: forget the user as a learner, scrub them as a coach."""
    ids = identity.anonymous_ids_of(user)
    workflow.forget_learner(ids)
    workflow.scrub_coach(ids, emails=[user.email])
