"""Stand-in of edx-platform's cms/envs/devstack.py: the production settings, then the devstack plugins.

Like the platform's module it star-imports `.production` (so the plugins' production settings
have run) and calls `add_plugins(__name__, ProjectType.CMS, SettingsType.DEVSTACK)`. Tutor's
cms/envs/tutor/development.py star-imports this module.
"""
from edx_django_utils.plugins import add_plugins

from cms.envs.production import *  # noqa: F403

add_plugins(__name__, "cms.djangoapp", "devstack")
