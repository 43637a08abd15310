"""What a scan reads of the configuration, as plain values: one statement for the indicators
with their active rules, no model instances (building 1,000 Indicator and 2,000 Rule objects,
and Django expanding 1,000 keys into `IN (%s, …)` per query, were the largest costs of a scan:
bench/warning_scan.py). Keys travel as one array parameter (`= ANY(%s::uuid[])`)."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from django.db import connection

from apps.early_warning.models import Indicator, Rule, ThresholdMode
from apps.early_warning.selectors import due_indicators


@dataclass(slots=True)
class ScanIndicator:
    """The fields of an indicator a scan reads (and `calibrated_*`, which it may write)."""

    pk: Any
    code: str
    name: str
    unit: str
    direction: str
    frequency_minutes: int
    stale_after_minutes: int | None
    responsible_ids: list
    threshold_mode: str
    amber: float | None
    red: float | None
    dynamic_window: int
    dynamic_amber: float
    dynamic_red: float
    calibrated_amber: float | None
    calibrated_red: float | None
    resolve_after_green: int
    rules: list["ScanRule"] = field(default_factory=list)

    def thresholds(self) -> tuple[float | None, float | None]:
        if self.threshold_mode == ThresholdMode.STATIC:
            return self.amber, self.red
        return self.calibrated_amber, self.calibrated_red


@dataclass(slots=True)
class ScanRule:
    pk: Any
    indicator_id: Any
    kind: str
    params: dict


INDICATOR_FIELDS = [f for f in ScanIndicator.__slots__ if f not in ("pk", "rules")]
IND, RULE = Indicator._meta.db_table, Rule._meta.db_table
LOAD_SQL = f"""
    SELECT i.id, {", ".join(f"i.{name}" for name in INDICATOR_FIELDS)},
           (SELECT coalesce(json_agg(json_build_array(r.id, r.kind, r.params) ORDER BY r.id),
                            '[]')::text
            FROM {RULE} r WHERE r.indicator_id = i.id AND r.is_active) AS rules
    FROM {IND} i WHERE {{where}} ORDER BY i.id
"""


def load(
    *, ids: list | None, every: bool, now: datetime, after: str | None = None
) -> list[ScanIndicator]:
    """The active indicators to scan, in key order (the order a scan walks and resumes by):
    these `ids`; without ids every one (`every`) or those due at `now`; keys above `after`
    only. Each with its active rules in key order."""
    params: list
    if ids is not None:
        where, params = "i.is_active AND i.id = ANY(%s::uuid[])", [[str(i) for i in ids]]
    elif every:
        where, params = "i.is_active", []
    else:
        due, due_params = due_indicators(now).values("pk").query.sql_with_params()
        where, params = f"i.id IN ({due})", list(due_params)
    if after:
        where += " AND i.id > %s::uuid"
        params.append(after)
    with connection.cursor() as cursor:
        cursor.execute(LOAD_SQL.format(where=where), params)
        rows = cursor.fetchall()
    indicators = []
    for *values, rules in rows:
        indicator = ScanIndicator(*values)
        indicator.rules = [
            ScanRule(uuid.UUID(pk), indicator.pk, kind, params)
            for pk, kind, params in orjson.loads(rules)
        ]
        indicators.append(indicator)
    return indicators
