"""Django app configuration of coach-xblock."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachXBlockConfig(AppConfig):
    """The Django app holding check-in requests and their messages."""

    name = "coach_xblock"
    label = "coach_xblock"
    verbose_name = _("Coach check-ins")
    default_auto_field = "django.db.models.BigAutoField"
