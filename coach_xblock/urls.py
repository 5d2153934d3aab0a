"""URLs of the plugin app, mounted under `apps.URL_PREFIX` in the namespace "coach_xblock"."""
from django.urls import path

from . import views

app_name = "coach_xblock"

urlpatterns = [
    path("export/<str:token>/", views.export_download, name="export_download"),
]
