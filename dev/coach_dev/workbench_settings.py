"""Django settings for running the xblock-sdk workbench with coach-xblock on SQLite (development only).

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
    # Two people clicking at once: wait for the lock rather than fail, and take the write lock at
    # the start of each transaction so that a read-then-write never has to upgrade it.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # Tests: a file, so that a live server's thread and the browser's calls wait for each other's
    # locks (an in-memory database refuses at once).
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(VAR_DIR, "test.db")}
LOGGING["handlers"]["logfile"]["filename"] = os.path.join(VAR_DIR, "workbench.log")

# coach_dev: the development tools' app (its `coach_benchmark` command), which no Open edX has.
# coach_xblock last, as Open edX adds plugin apps (`INSTALLED_APPS.extend(get_plugin_apps(...))`): our
# strings must read in our words from there too, which `coach_xblock.i18n` sees to.
INSTALLED_APPS = [*INSTALLED_APPS, "coach_dev", "coach_xblock"]

# The workbench's URLs and ours (the export download), as Open edX's plugin system mounts them.
ROOT_URLCONF = "coach_dev.workbench_urls"

MIDDLEWARE = [
    *MIDDLEWARE[:2],
    "django.middleware.locale.LocaleMiddleware",
    *MIDDLEWARE[2:],
]

LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = "UTC"

# Notifications: mails are written as files a person can read; `coach_notifications` sends them.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.path.join(VAR_DIR, "mail")
DEFAULT_FROM_EMAIL = "coaching@example.com"
COACH_XBLOCK = {
    "LMS_ROOT_URL": "http://127.0.0.1:8000",
    # Reports made in the background land in var/reports (Open edX: the platform's report store).
    "REPORT_STORAGE": {
        "STORAGE_CLASS": "django.core.files.storage.FileSystemStorage",
        "STORAGE_KWARGS": {"location": os.path.join(VAR_DIR, "reports")},
    },
}
