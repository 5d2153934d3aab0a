"""The workbench's URLs, and the plugin app's under the prefix and namespace Open edX gives them."""
from django.urls import include, re_path
from workbench.urls import urlpatterns as workbench_urlpatterns

from coach_xblock.apps import URL_PREFIX

urlpatterns = [
    re_path(URL_PREFIX, include("coach_xblock.urls", namespace="coach_xblock")),
    *workbench_urlpatterns,
]
