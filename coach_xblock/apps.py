"""Django app configuration of coach-xblock."""
from django.apps import AppConfig

from .i18n import gettext_lazy as _

# The platform's own course apps and plugin apps forget a user on USER_RETIRE_LMS_MISC; a pipeline
# without that step still sends USER_RETIRE_LMS_CRITICAL, so we listen to both (the second finds nothing left).
RETIREMENT_SIGNALS = [
    "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC",
    "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_CRITICAL",
]
# Where the app's own URLs (`urls.py`: the export download) are mounted, in the LMS, Studio and the workbench.
URL_PREFIX = r"^coach-xblock/"


def _project(settings_path):
    return {"common": {"relative_path": settings_path}, "production": {"relative_path": settings_path}}


def _urls():
    return {"namespace": "coach_xblock", "regex": URL_PREFIX, "relative_path": "urls"}


class CoachXBlockConfig(AppConfig):
    """The Django app holding check-in requests, their messages and their notifications.

    `plugin_app` makes it an Open edX plugin app (entry points `lms.djangoapp` and
    `cms.djangoapp`): installed with pip, it joins INSTALLED_APPS, receives its settings, its
    URLs and its retirement receiver without any edit of edx-platform.
    """

    name = "coach_xblock"
    label = "coach_xblock"
    verbose_name = _("Coach check-ins")
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            "lms.djangoapp": _urls(),
            "cms.djangoapp": _urls(),
        },
        "settings_config": {
            "lms.djangoapp": _project("settings.common"),
            "cms.djangoapp": _project("settings.common"),
        },
        "signals_config": {
            "lms.djangoapp": {
                "relative_path": "retirement",
                "receivers": [
                    {"receiver_func_name": "retire_user", "signal_path": signal} for signal in RETIREMENT_SIGNALS
                ],
            },
        },
    }
