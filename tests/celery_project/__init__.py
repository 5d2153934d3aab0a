"""A tiny Django + Celery project for tests/test_celery.py: the LMS side and the worker side.

As in any Django project using Celery, the package loads its Celery app, so that every process
started with `DJANGO_SETTINGS_MODULE=celery_project.settings` queues tasks through the broker.
"""
from .celery_app import app as celery_app

__all__ = ["celery_app"]
