"""Studio's URLs: those of the plugin apps, added the way edx-platform's cms/urls.py adds them."""
from edx_django_utils.plugins import get_plugin_url_patterns

urlpatterns = get_plugin_url_patterns("cms.djangoapp")
