"""Reads of the assessments module: lists as QuerySets, a version's columns as arrays."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import psycopg
from django.db import connection
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

# The lists' default orders (the GraphQL layer sorts by `orderBy` instead when one is given).
DATASET_ORDER = ("name",)
VERSION_ORDER = ("dataset__name", "-number")
SCORECARD_ORDER = ("name", "-version")
RUN_ORDER = ("-created_at",)


def datasets(kind: str | None = None) -> QuerySet[Dataset]:
    queryset = Dataset.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by(*DATASET_ORDER, "pk")


def versions(dataset_id=None) -> QuerySet[DatasetVersion]:
    queryset = DatasetVersion.objects.select_related("dataset")
    if dataset_id:
        queryset = queryset.filter(dataset_id=dataset_id)
    return queryset.order_by(*VERSION_ORDER, "pk")


def scorecards() -> QuerySet[Scorecard]:
    return Scorecard.objects.order_by(*SCORECARD_ORDER, "pk")


@dataclass(frozen=True)
class RunFilters:
    kinds: list[str] | None = None
    statuses: list[str] | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None
    risk_id: object = None


def runs(filters: RunFilters | None = None) -> QuerySet[AssessmentRun]:
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
    return queryset.order_by(*RUN_ORDER, "pk")


def latest_runs_for_risk(risk_id) -> list[AssessmentRun]:
    """The latest succeeded run of each kind linked to a risk (what the register shows)."""
    latest = (
        AssessmentRun.objects.filter(risk_ids__contains=[risk_id], status=RunStatus.SUCCEEDED)
        .order_by("kind", "-finished_at", "-id")
        .distinct("kind")
    )
    return sorted(latest, key=lambda run: run.kind)


def _blobs(table: str, owner: str, owner_id, names: list[str] | None) -> dict[str, np.ndarray]:
    """Decoded `.npy` blobs of one version or run, fetched in binary.

    Django's psycopg cursors are client-side and fetch bytea as hex text (twice the bytes,
    then parsed): 1.3 s for the 18 MB of a 500,000-row history, 0.28 s in binary. The Django
    cursor opened first sets this tenant's search_path on the connection; the binary cursor
    then reads on the same connection (and in the caller's transaction)."""
    sql = f"SELECT name, data FROM {table} WHERE {owner} = %s"
    params: list = [owner_id]
    if names is not None:
        sql += " AND name = ANY(%s)"
        params.append(list(names))
    with connection.cursor(), psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        rows = cursor.fetchall()
    return {name: tables.from_bytes(data) for name, data in rows}


def version_arrays(version_id, names: list[str] | None = None) -> dict[str, np.ndarray]:
    """A version's columns (all, or `names`), decoded: one query."""
    return _blobs(DatasetColumn._meta.db_table, "version_id", version_id, names)


def risk_category_ids(codes: list[str]) -> dict[str, object]:
    """{code: id} of the register's risk categories with these codes (the seeded taxonomy)."""
    from apps.risks.models import RiskCategory

    return dict(RiskCategory.objects.filter(code__in=codes).values_list("code", "id"))


def active_matrix_definition() -> dict:
    """The register's active risk matrix (levels with their bounds, and the grid)."""
    from apps.risks.selectors import active_matrix

    return active_matrix().definition


def limits_by_ids(ids: list[str]) -> dict[str, Any]:
    """{id: RiskLimit} of the register's limits among `ids` (text that is no id finds none)."""
    import uuid

    from apps.risks.models import RiskLimit

    keys = []
    for text in ids:
        try:
            keys.append(uuid.UUID(str(text)))
        except ValueError:
            continue
    return {str(limit.pk): limit for limit in RiskLimit.objects.filter(pk__in=keys)}


def run_arrays(run_id, names: list[str] | None = None) -> dict[str, np.ndarray]:
    """A run's per-row result columns, decoded: one query."""
    from apps.assessments.models import RunColumn

    return _blobs(RunColumn._meta.db_table, "run_id", run_id, names)
