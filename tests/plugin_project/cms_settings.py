"""Studio: plugin apps and their settings, added the way edx-platform's cms/envs/common.py adds them.

Its URLs are those of `cms_urls`.
"""
from base_settings import *  # noqa: F403
from base_settings import INSTALLED_APPS
from edx_django_utils.plugins import add_plugins, get_plugin_apps

INSTALLED_APPS = [*INSTALLED_APPS, *get_plugin_apps("cms.djangoapp")]

add_plugins(__name__, "cms.djangoapp", "common")

ROOT_URLCONF = "cms_urls"
