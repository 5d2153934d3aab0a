"""Stand-in of edx-platform's cms/envs/production.py (Ulmo, Verawood): the YAML, then the plugins' production settings.

Like the platform's module it star-imports the common settings (`cms_settings`, the stand-in of
cms/envs/common.py, which already gave the plugins their "common" settings), puts every key of
the YAML file named by the CMS_CFG variable (Tutor's cms.env.yml) into the module, and at its
bottom calls `add_plugins(__name__, ProjectType.CMS, SettingsType.PRODUCTION)`. Tutor's
cms/envs/tutor/production.py star-imports this module, and only then applies its patches.
"""
import os

import yaml
from cms_settings import *  # noqa: F403
from edx_django_utils.plugins import add_plugins

with open(os.environ["CMS_CFG"], encoding="utf-8") as config_file:
    globals().update(yaml.safe_load(config_file) or {})

add_plugins(__name__, "cms.djangoapp", "production")
