"""Django settings shared by the "LMS" process and the Celery worker of tests/test_celery.py.

The workbench settings of coach-xblock, with what the test passes in the environment:
- COACH_TEST_DB: the SQLite file both processes use (a file: the test database in memory
  cannot be shared between processes);
- COACH_TEST_BROKER_URL: the Redis broker the test started;
- COACH_TEST_SMTP_PORT: the loopback SMTP server that receives the emails;
- COACH_TEST_WEBHOOK_URL and COACH_TEST_WEBHOOK_SECRET: the webhook receiver.
"""
import os

from coach_dev.workbench_settings import *  # noqa: F403
from coach_dev.workbench_settings import COACH_XBLOCK, DATABASES

DEBUG = False  # as in production; DEBUG would also log every SQL query of the worker

DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["COACH_TEST_DB"]}}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["COACH_TEST_SMTP_PORT"])
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 10

COACH_XBLOCK = {
    **COACH_XBLOCK,
    "USE_CELERY": True,
    "WEBHOOKS": [{"url": os.environ["COACH_TEST_WEBHOOK_URL"], "secret": os.environ["COACH_TEST_WEBHOOK_SECRET"]}],
}

CELERY_BROKER_URL = os.environ["COACH_TEST_BROKER_URL"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False  # the point of the test: never run a task in the process that queues it
