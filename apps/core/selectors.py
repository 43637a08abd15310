from datetime import datetime

from auditlog.models import LogEntry
from django.db.models import Case, F, IntegerField, Model, QuerySet, Value, When

from apps.core.models import Job, JobStatus

# Statuses sort by the lifecycle (queued → running → succeeded → failed), not alphabetically.
_STATUS_RANK = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(JobStatus.values)),
    output_field=IntegerField(),
)
JOB_ORDER_FIELDS = {"created": "created_at", "updated": "updated_at", "status": "status_rank"}


def jobs(
    *,
    kinds: list[str] | None = None,
    statuses: list[str] | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    order: list[tuple[str, bool]] | None = None,
) -> QuerySet[Job]:
    """This tenant's jobs, filtered; `order` is [(created|updated|status, descending)], newest
    first when empty. The id breaks ties, so pages stay stable."""
    qs = Job.objects.all()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if created_from is not None:
        qs = qs.filter(created_at__gte=created_from)
    if created_to is not None:
        qs = qs.filter(created_at__lt=created_to)
    order = order or [("created", True)]
    if any(field == "status" for field, _ in order):
        qs = qs.alias(status_rank=_STATUS_RANK)
    keys = [
        F(JOB_ORDER_FIELDS[field]).desc() if descending else F(JOB_ORDER_FIELDS[field]).asc()
        for field, descending in order
    ]
    return qs.order_by(*keys, F("id").desc() if order[-1][1] else F("id").asc())


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
