"""Plugin settings for the LMS and Studio: Celery sends the notifications there.

Only defaults: what the operator set (in Tutor, `COACH_XBLOCK` in the settings patch) wins.
Every other key of `COACH_XBLOCK` is read at call time with `coach_xblock.conf.setting`.
"""


def plugin_settings(settings):
    """Let the platform's Celery workers deliver notifications, and route the task names."""
    coach = dict(getattr(settings, "COACH_XBLOCK", {}))
    coach.setdefault("USE_CELERY", True)
    settings.COACH_XBLOCK = coach
