"""The module's lists, filtered, in their default order (the GraphQL layer applies `orderBy`;
QuerySets: the optimizer shapes them)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from apps.emergency.dates import add_months
from apps.emergency.models import (
    Activation,
    ActivationStatus,
    Drill,
    DrillStatus,
    Plan,
    PlanVersion,
    Scenario,
    SeverityLevel,
)


@dataclass
class PlanFilters:
    scenario_id: Any = None
    status: str | None = None  # a version status the plan has (approved: in force)
    category_id: Any = None
    review_overdue: bool | None = None
    drill_missing: bool | None = None
    search: str = ""


def plans(filters: PlanFilters | None = None, today: date | None = None) -> QuerySet:
    f = filters or PlanFilters()
    today = today or timezone.localdate()
    qs = Plan.objects.all()
    if f.scenario_id is not None:
        qs = qs.filter(scenario_id=f.scenario_id)
    if f.status:
        qs = qs.filter(Exists(PlanVersion.objects.filter(plan=OuterRef("pk"), status=f.status)))
    if f.category_id is not None:
        qs = qs.filter(risk_category_ids__contains=[f.category_id])
    if f.review_overdue is not None:
        overdue = Q(review_due_on__lt=today)
        qs = qs.filter(overdue) if f.review_overdue else qs.exclude(overdue)
    if f.drill_missing is not None:
        ids = _without_recent_drill(today)
        qs = qs.filter(pk__in=ids) if f.drill_missing else qs.exclude(pk__in=ids)
    if term := f.search.strip():
        qs = qs.filter(Q(code__icontains=term) | Q(name__icontains=term))
    return qs.order_by("code")


def plan_by_code(code: str) -> Plan | None:
    """Codes are stored as written by plan_create: lower case, `_` for `-`."""
    return Plan.objects.filter(code=code.strip().lower().replace("-", "_")).first()


def _without_recent_drill(today: date) -> list:
    """Plans with no drill held within their cadence (two queries, whatever the count)."""
    last = dict(
        Drill.objects.filter(status=DrillStatus.DONE)
        .values("plan_id")
        .annotate(last=Max("held_on"))
        .values_list("plan_id", "last")
    )
    return [
        pk
        for pk, months in Plan.objects.values_list("pk", "drill_cadence_months")
        if last.get(pk) is None or last[pk] < add_months(today, -months)
    ]


@dataclass
class ActivationFilters:
    open: bool | None = None
    level_id: Any = None
    plan_id: Any = None
    declared_from: datetime | None = None
    declared_before: datetime | None = None


def activations(filters: ActivationFilters | None = None) -> QuerySet:
    f = filters or ActivationFilters()
    qs = Activation.objects.all()
    if f.open is not None:
        closed = Q(status=ActivationStatus.CLOSED)
        qs = qs.exclude(closed) if f.open else qs.filter(closed)
    if f.level_id is not None:
        qs = qs.filter(level_id=f.level_id)
    if f.plan_id is not None:
        qs = qs.filter(plan_id=f.plan_id)
    if f.declared_from is not None:
        qs = qs.filter(declared_at__gte=f.declared_from)
    if f.declared_before is not None:
        qs = qs.filter(declared_at__lt=f.declared_before)
    return qs.order_by("-declared_at", "-id")


def drills(*, plan_id=None, status: str | None = None) -> QuerySet:
    qs = Drill.objects.all()
    if plan_id is not None:
        qs = qs.filter(plan_id=plan_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-scheduled_on", "-id")


def scenarios() -> QuerySet:
    return Scenario.objects.order_by("code")


def levels() -> QuerySet:
    return SeverityLevel.objects.order_by("rank")
