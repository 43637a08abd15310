from apps.core.admin_site import ReadOnlyTenantModelAdmin, tenant_admin_site
from apps.notifications.models import Notification


class NotificationAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "created_at",
        "event",
        "recipient_id",
        "subject",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["event", "status"]
    search_fields = ["subject", "dedup_key"]


tenant_admin_site.register(Notification, NotificationAdmin)
