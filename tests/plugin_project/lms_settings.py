"""The LMS: plugin apps and their settings, added the way edx-platform's lms/envs/common.py adds them.

Its URLs are those of `lms_urls`.
"""
from base_settings import *  # noqa: F403
from base_settings import INSTALLED_APPS
from edx_django_utils.plugins import add_plugins, get_plugin_apps

INSTALLED_APPS = [*INSTALLED_APPS, *get_plugin_apps("lms.djangoapp")]

add_plugins(__name__, "lms.djangoapp", "common")

ROOT_URLCONF = "lms_urls"
