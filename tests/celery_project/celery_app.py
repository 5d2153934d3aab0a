"""The Celery app of the test project, configured from the Django settings (`CELERY_*`).

Start a worker with `python -m celery -A celery_project.celery_app worker` and `tests/` on
PYTHONPATH; the test gives the broker, the database, SMTP and webhook through the environment.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "celery_project.settings")

app = Celery("celery_project")
app.config_from_object("django.conf:settings", namespace="CELERY")
# coach_xblock.tasks: "coach_xblock.deliver_notifications" and "coach_xblock.run_timers".
app.autodiscover_tasks(["coach_xblock"])
