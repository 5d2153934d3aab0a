"""Django settings for running the xblock-sdk workbench with coach-xblock on SQLite.

The workbench keeps its log and its SQLite database in `var/` under the current folder
(`COACH_VAR_DIR` names another folder); this module creates the folder.
`WORKBENCH_DATABASES` (JSON) replaces the database, as in xblock-sdk.
"""
import os

from workbench.settings import *  # noqa: F403
from workbench.settings import DATABASES, INSTALLED_APPS, LOGGING, MIDDLEWARE

VAR_DIR = os.environ.get("COACH_VAR_DIR", "var")
os.makedirs(VAR_DIR, exist_ok=True)

if "WORKBENCH_DATABASES" not in os.environ:
    DATABASES = {"default": {**DATABASES["default"], "NAME": os.path.join(VAR_DIR, "workbench.db")}}
LOGGING["handlers"]["logfile"]["filename"] = os.path.join(VAR_DIR, "workbench.log")

INSTALLED_APPS = [*INSTALLED_APPS, "coach_xblock"]

MIDDLEWARE = [
    *MIDDLEWARE[:2],
    "django.middleware.locale.LocaleMiddleware",
    *MIDDLEWARE[2:],
]

LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = "UTC"
