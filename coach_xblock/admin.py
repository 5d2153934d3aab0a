"""Django admin: the notification outbox, to see failed deliveries and send them again."""
from django.contrib import admin, messages

from . import notifications
from .i18n import gettext_lazy as _
from .i18n import ngettext
from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Deliveries are written by the workflow and the worker; here they are read, and re-sent."""

    list_display = ("id", "event", "channel", "recipient", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "channel", "event")
    search_fields = ("recipient", "key", "request__id")
    ordering = ("-created_at",)
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["send_again"]

    @admin.action(description=_("Send the selected failed deliveries again"), permissions=["view"])
    def send_again(self, request, queryset):
        count = notifications.resend(queryset)
        self.message_user(
            request,
            ngettext("%(count)d delivery will be sent again.", "%(count)d deliveries will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
