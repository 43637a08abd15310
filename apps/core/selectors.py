from auditlog.models import LogEntry
from django.db.models import QuerySet

from apps.core.models import Job


def jobs() -> QuerySet[Job]:
    return Job.objects.order_by("-created_at", "-id")


def audit_entries(*, object_type: str | None = None, object_id: str | None = None) -> QuerySet:
    """This schema's audit trail, newest first; `object_type` is `app_label.model`."""
    entries = LogEntry.objects.order_by("-timestamp", "-id")
    if object_type:
        app_label, _, model = object_type.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    if object_id:
        entries = entries.filter(object_pk=object_id)
    return entries
