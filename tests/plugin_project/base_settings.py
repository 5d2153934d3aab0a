"""What the LMS and Studio settings share here: a plain Django project on a SQLite file.

`coach_xblock` is deliberately absent from INSTALLED_APPS: only the plugin system adds it.
The operator's `COACH_XBLOCK` comes from the environment (JSON), as Tutor would patch it in.
"""
import json
import os

SECRET_KEY = "plugin-project-tests"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PLUGIN_PROJECT_DB"]},
}
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Stand-ins of the platform's apps whose models the plugin reads (see README.md).
    "common.djangoapps.student",
    "openedx.core.djangoapps.user_api",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    # lms/envs/common.py and cms/envs/common.py check Django's CSRF token on every POST.
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "coaching@example.org"
COACH_XBLOCK = json.loads(os.environ.get("OPERATOR_COACH_XBLOCK", "{}"))
