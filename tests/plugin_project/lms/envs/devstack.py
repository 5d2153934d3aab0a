"""Stand-in of edx-platform's lms/envs/devstack.py: the production settings, tasks run eagerly, devstack plugins.

Like the platform's module it star-imports `.production` (so the plugins' production settings
have run), sets CELERY_ALWAYS_EAGER and calls `add_plugins(__name__, ProjectType.LMS,
SettingsType.DEVSTACK)`. Tutor's lms/envs/tutor/development.py star-imports this module.
"""
from edx_django_utils.plugins import add_plugins

from lms.envs.production import *  # noqa: F403

CELERY_ALWAYS_EAGER = True

add_plugins(__name__, "lms.djangoapp", "devstack")
