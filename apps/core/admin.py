from auditlog.models import LogEntry

from apps.core.admin_site import ReadOnlyTenantModelAdmin, tenant_admin_site
from apps.core.models import Job


class JobAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["kind", "status", "progress", "created_at", "started_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["error"]


class AuditEntryAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["timestamp", "action", "content_type", "object_repr", "actor_email"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "object_pk", "actor_email"]
    date_hierarchy = "timestamp"


tenant_admin_site.register(Job, JobAdmin)
tenant_admin_site.register(LogEntry, AuditEntryAdmin)
