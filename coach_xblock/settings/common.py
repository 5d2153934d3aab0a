"""Plugin settings for the LMS and Studio: Celery sends the notifications there.

The platform's defaults go in a setting of their own, `COACH_XBLOCK_PLATFORM_DEFAULTS`, never in
the operator's `COACH_XBLOCK`: Tutor applies its settings patches after the plugins' settings, and
an operator's `COACH_XBLOCK = {...}` there replaces the whole dict. `coach_xblock.conf.setting`
reads the operator's value first, then these, then coach-xblock's own defaults.
"""
from coach_xblock.conf import PLATFORM_DEFAULTS_SETTING

PLATFORM_DEFAULTS = {"USE_CELERY": True}


def plugin_settings(settings):
    """Let the platform's Celery workers deliver notifications, unless the operator says otherwise."""
    setattr(settings, PLATFORM_DEFAULTS_SETTING, dict(PLATFORM_DEFAULTS))
