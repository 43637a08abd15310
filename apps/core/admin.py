from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from apps.core.admin_site import Attention, ReadOnlyTenantModelAdmin, tenant_admin_site
from apps.core.models import Job, JobStatus

# The apps whose records a tenant admin reads about in the audit trail.
FENGKONG_APPS = ["core", "accounts", "tenants", "notifications", "risks", "early_warning"]
UNFINISHED = [JobStatus.QUEUED, JobStatus.RUNNING]


class JobAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "kind",
        "status",
        "progress",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["error"]
    list_select_related = ["created_by"]


class FengkongModelFilter(admin.SimpleListFilter):
    """Fengkong's own models only: not sessions, permissions or Django's own tables."""

    title = "record type"
    parameter_name = "content_type"

    def lookups(self, request, model_admin):
        types = ContentType.objects.filter(app_label__in=FENGKONG_APPS)
        named = [(str(ct.pk), ct.model_class()) for ct in types]
        return sorted(
            ((pk, str(model._meta.verbose_name).capitalize()) for pk, model in named if model),
            key=lambda item: item[1],
        )

    def queryset(self, request, queryset):
        return queryset.filter(content_type_id=self.value()) if self.value() else queryset


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def _name_of(model, value) -> str:
    """A referenced record by its name; the raw value when it is gone (or was None)."""
    if value in (None, "None", ""):
        return "—"
    try:
        found = model._default_manager.filter(pk=value).first()
    except (ValueError, TypeError, ValidationError):
        found = None
    return str(found) if found is not None else str(value)


class AuditEntryAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["timestamp", "action", "record_type", "object_repr", "actor_email"]
    list_filter = ["action", FengkongModelFilter]
    search_fields = ["object_repr", "object_pk", "actor_email"]
    list_select_related = ["content_type"]
    date_hierarchy = "timestamp"

    fields = [
        "timestamp",
        "action",
        "record_type",
        "object_repr",
        "actor_email",
        "what_changed",
        "remote_addr",
    ]

    @admin.display(description="what changed")
    def what_changed(self, entry: LogEntry) -> str:
        """One line per field, "Field: old → new", with related records by name, not by id."""
        model = entry.content_type.model_class()
        lines = []
        for name, values in entry.changes_display_dict.items():
            field = _field(model, name)
            if field is not None and field.is_relation and field.many_to_one:
                values = [_name_of(field.related_model, value) for value in values]
            label = str(field.verbose_name).capitalize() if field is not None else name
            lines.append(f"{label}: " + " → ".join(str(v) for v in values))
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "—"

    @admin.display(description="record type", ordering="content_type__model")
    def record_type(self, entry: LogEntry) -> str:
        model = entry.content_type.model_class()
        return str(model._meta.verbose_name).capitalize() if model else entry.content_type.model


tenant_admin_site.register(Job, JobAdmin)
tenant_admin_site.register(LogEntry, AuditEntryAdmin)
tenant_admin_site.add_attention(
    Attention(
        label="Jobs queued or running",
        count=lambda: Job.objects.filter(status__in=UNFINISHED).count(),
        changelist="core_job_changelist",
        query=lambda: "status__in=" + ",".join(UNFINISHED),
    )
)
