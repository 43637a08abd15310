from auditlog.models import LogEntry
from django.db.models import Model, QuerySet

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


def audit_entries_for(targets: dict[type[Model], QuerySet]) -> QuerySet:
    """The trail of several objects at once, newest first: `targets` maps a model to a queryset
    of its objects (read as a subquery, so the trail is one query however many objects)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    wanted = Q(pk__in=[])
    for model, objects in targets.items():
        keys = objects.annotate(key=Cast("pk", CharField())).values("key")
        wanted |= Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=keys)
    return LogEntry.objects.filter(wanted).order_by("-timestamp", "-id")
