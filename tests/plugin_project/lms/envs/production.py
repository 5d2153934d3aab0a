"""Stand-in of edx-platform's lms/envs/production.py (Ulmo, Verawood): the YAML, then the plugins' production settings.

Like the platform's module it star-imports the common settings (`lms_settings`, the stand-in of
lms/envs/common.py, which already gave the plugins their "common" settings), puts every key of
the YAML file named by the LMS_CFG variable (Tutor's lms.env.yml) into the module, and at its
bottom calls `add_plugins(__name__, ProjectType.LMS, SettingsType.PRODUCTION)`. Tutor's
lms/envs/tutor/production.py star-imports this module, and only then applies its patches.
"""
import os

import yaml
from edx_django_utils.plugins import add_plugins
from lms_settings import *  # noqa: F403

with open(os.environ["LMS_CFG"], encoding="utf-8") as config_file:
    globals().update(yaml.safe_load(config_file) or {})

add_plugins(__name__, "lms.djangoapp", "production")
