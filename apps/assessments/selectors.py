"""Reads of the assessments module: lists as QuerySets, a version's columns as arrays."""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db.models import QuerySet

from apps.assessments import tables
from apps.assessments.models import (
    AssessmentRun,
    Dataset,
    DatasetColumn,
    DatasetVersion,
    RunStatus,
    Scorecard,
)


def datasets(kind: str | None = None, order: str = "name") -> QuerySet[Dataset]:
    queryset = Dataset.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by(*({"name": ["name"], "created": ["-created_at", "-id"]}[order]))


def versions(dataset_id=None, order: str = "number") -> QuerySet[DatasetVersion]:
    queryset = DatasetVersion.objects.select_related("dataset")
    if dataset_id:
        queryset = queryset.filter(dataset_id=dataset_id)
    by = {"number": ["dataset__name", "-number"], "created": ["-created_at", "-id"]}
    return queryset.order_by(*by[order])


def scorecards(order: str = "name") -> QuerySet[Scorecard]:
    by = {"name": ["name", "-version"], "created": ["-created_at", "-id"]}
    return Scorecard.objects.order_by(*by[order])


@dataclass(frozen=True)
class RunFilters:
    kinds: list[str] | None = None
    statuses: list[str] | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None
    risk_id: object = None


RUN_ORDERS = {"created": ["-created_at", "-id"], "created_asc": ["created_at", "id"]}


def runs(filters: RunFilters | None = None, order: str = "created") -> QuerySet[AssessmentRun]:
    queryset = AssessmentRun.objects.all()
    f = filters or RunFilters()
    if f.kinds:
        queryset = queryset.filter(kind__in=f.kinds)
    if f.statuses:
        queryset = queryset.filter(status__in=f.statuses)
    if f.created_from:
        queryset = queryset.filter(created_at__gte=f.created_from)
    if f.created_before:
        queryset = queryset.filter(created_at__lt=f.created_before)
    if f.risk_id:
        queryset = queryset.filter(risk_ids__contains=[f.risk_id])
    return queryset.order_by(*RUN_ORDERS[order])


def latest_runs_for_risk(risk_id) -> list[AssessmentRun]:
    """The latest succeeded run of each kind linked to a risk (what the register shows)."""
    latest = (
        AssessmentRun.objects.filter(risk_ids__contains=[risk_id], status=RunStatus.SUCCEEDED)
        .order_by("kind", "-finished_at", "-id")
        .distinct("kind")
    )
    return sorted(latest, key=lambda run: run.kind)


def version_arrays(version_id, names: list[str] | None = None) -> dict[str, np.ndarray]:
    """A version's columns (all, or `names`), decoded: one query."""
    rows = DatasetColumn.objects.filter(version_id=version_id)
    if names is not None:
        rows = rows.filter(name__in=names)
    return {name: tables.from_bytes(data) for name, data in rows.values_list("name", "data")}


def risk_category_ids(codes: list[str]) -> dict[str, object]:
    """{code: id} of the register's risk categories with these codes (the seeded taxonomy)."""
    from apps.risks.models import RiskCategory

    return dict(RiskCategory.objects.filter(code__in=codes).values_list("code", "id"))


def run_arrays(run_id, names: list[str] | None = None) -> dict[str, np.ndarray]:
    """A run's per-row result columns, decoded: one query."""
    from apps.assessments.models import RunColumn

    rows = RunColumn.objects.filter(run_id=run_id)
    if names is not None:
        rows = rows.filter(name__in=names)
    return {name: tables.from_bytes(data) for name, data in rows.values_list("name", "data")}
