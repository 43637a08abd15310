from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from apps.accounts.models import User
from apps.core.graphql.errors import UserError
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.core.graphql.resolvers import run_service
from apps.core.graphql.types import JobType
from apps.early_warning import models as m
from apps.early_warning.graphql.errors import WarningError, WarningErrorCode
from apps.early_warning.graphql.signals import SignalMutations
from apps.early_warning.graphql.types import (
    DataSourceEnum,
    DirectionEnum,
    IndicatorType,
    RuleKindEnum,
    RuleType,
    ThresholdModeEnum,
    WarningSettingsType,
)
from apps.early_warning.services import indicators, ingestion, scans
from apps.early_warning.services import jobs as scan_jobs
from apps.early_warning.services.ingestion import IngestRejected, PointIn
from apps.risks.models import Risk, RiskCategory

UNSET = strawberry.UNSET
Errors = list[WarningError]  # type: ignore[valid-type]


def _run(payload, call, *, input=None, fields=None):
    return run_service(payload, WarningError, WarningErrorCode, call, input=input, fields=fields)


@strawberry.input
class IndicatorSaveInput:
    id: relay.GlobalID | None = strawberry.field(default=None, description="Omit to create.")
    code: str | None = UNSET
    name: str | None = UNSET
    description: str | None = UNSET
    category: relay.GlobalID | None = UNSET
    data_source: DataSourceEnum | None = UNSET
    unit: str | None = UNSET
    direction: DirectionEnum | None = UNSET
    frequency_minutes: int | None = UNSET
    stale_after_minutes: int | None = UNSET
    responsible: list[relay.GlobalID] | None = strawberry.field(
        default=UNSET, description="User ids."
    )
    threshold_mode: ThresholdModeEnum | None = UNSET
    amber: float | None = UNSET
    red: float | None = UNSET
    dynamic_window: int | None = UNSET
    dynamic_amber: float | None = UNSET
    dynamic_red: float | None = UNSET
    resolve_after_green: int | None = UNSET
    is_active: bool | None = UNSET
    risks: list[relay.GlobalID] | None = strawberry.field(
        default=UNSET, description="Linked risks."
    )


@strawberry.type
class IndicatorPayload:
    errors: Errors
    indicator: IndicatorType | None = None


@strawberry.input
class RuleSaveInput:
    id: relay.GlobalID | None = strawberry.field(default=None, description="Omit to create.")
    indicator: relay.GlobalID | None = None
    kind: RuleKindEnum | None = None
    params: JSON | None = strawberry.field(default=None, description="Kind-specific; see RuleKind.")
    is_active: bool | None = None


@strawberry.type
class RulePayload:
    errors: Errors
    rule: RuleType | None = None


@strawberry.input
class ObservationInput:
    indicator: str = strawberry.field(description="The indicator's code.")
    observed_at: datetime
    value: float
    dimensions: JSON | None = strawberry.field(default=None, description='e.g. {"channel": "app"}')


@strawberry.input
class ObservationsIngestInput:
    points: list[ObservationInput] = strawberry.field(description="At most 10,000.")
    scan: bool = strawberry.field(default=True, description="Scan the touched indicators after.")


@strawberry.input
class ObservationsIngestRowsInput:
    rows: JSON = strawberry.field(
        description='Compact and fast: [["npl_ratio", "2026-11-01T00:00:00Z", 2.5, {"channel": '
        '"app"}], …] (dimensions optional). At most 10,000.'
    )
    scan: bool = True


@strawberry.input
class ObservationsIngestCsvInput:
    csv: str = strawberry.field(description="Header: indicator,observed_at,value[,dimension...]")
    scan: bool = True


@strawberry.type(name="ObservationError")
class ObservationErrorType(UserError):
    index: int = strawberry.field(description="Position of the point (CSV: the row, header = 1).")
    code: WarningErrorCode


@strawberry.type
class ObservationsIngestPayload:
    errors: list[ObservationErrorType]
    count: int = 0
    scan: JobType | None = None


@strawberry.input
class ScanRunInput:
    indicators: list[relay.GlobalID] | None = strawberry.field(
        default=None,
        description="Omit to scan every active indicator, due or not; unknown ids are refused.",
    )


@strawberry.type
class ScanRunPayload:
    errors: Errors
    job: JobType | None = None


@strawberry.input
class WarningSettingsInput:
    escalate_red_after_minutes: int


@strawberry.type
class WarningSettingsPayload:
    errors: Errors
    settings: WarningSettingsType | None = None


def _indicator_fields(input: IndicatorSaveInput) -> dict:
    plain = [
        "code",
        "name",
        "description",
        "unit",
        "frequency_minutes",
        "stale_after_minutes",
        "amber",
        "red",
        "dynamic_window",
        "dynamic_amber",
        "dynamic_red",
        "resolve_after_green",
        "is_active",
    ]
    fields = {name: getattr(input, name) for name in plain if getattr(input, name) is not UNSET}
    for name in ("data_source", "direction", "threshold_mode"):
        value = getattr(input, name)
        if value is not UNSET:
            fields[name] = value.value if value is not None else ""
    if input.category is not UNSET:
        fields["category_id"] = pk_or_nothing(input.category, "RiskCategory", RiskCategory)
    if input.responsible is not UNSET:
        fields["responsible_ids"] = [
            pk_or_nothing(g, "User", User) for g in input.responsible or []
        ]
    return fields


def _rejected(rejected: IngestRejected) -> ObservationsIngestPayload:
    known = {c.value: c for c in WarningErrorCode}
    return ObservationsIngestPayload(
        errors=[
            ObservationErrorType(
                index=e.index,
                field=e.field,
                message=e.message,
                code=known.get(e.code, WarningErrorCode.INVALID),
            )
            for e in rejected.errors
        ]
    )


def _ingested(
    points: list[PointIn], rows: list[int] | None, scan: bool, actor
) -> ObservationsIngestPayload:
    try:
        done, job = scan_jobs.ingest_then_scan(points, positions=rows, scan=scan, actor=actor)
    except IngestRejected as rejected:
        return _rejected(rejected)
    return ObservationsIngestPayload(errors=[], count=done.count, scan=job)  # type: ignore[arg-type]


@strawberry.type
class EarlyWarningMutation(SignalMutations):
    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Create an indicator, or change the fields sent.",
    )
    def indicator_save(self, input: IndicatorSaveInput) -> IndicatorPayload:
        fields = _indicator_fields(input)
        risk_ids = (
            None
            if input.risks is UNSET
            else [pk_or_nothing(g, "Risk", Risk) for g in input.risks or []]
        )
        return _run(
            IndicatorPayload,
            lambda: {
                "indicator": indicators.indicator_save(
                    indicator_id=pk_or_nothing(input.id, "Indicator", m.Indicator),
                    risk_ids=risk_ids,
                    **fields,
                )
            },
            input=input,
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Add or change a rule.")
    def rule_save(self, input: RuleSaveInput) -> RulePayload:
        return _run(
            RulePayload,
            lambda: {
                "rule": indicators.rule_save(
                    rule_id=pk_or_nothing(input.id, "Rule", m.Rule),
                    indicator_id=pk_or_nothing(input.indicator, "Indicator", m.Indicator),
                    kind=input.kind.value if input.kind else None,
                    params=input.params,
                    is_active=input.is_active,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Store points (upserted; all or none) and scan what they touch.",
    )
    def observations_ingest(
        self, info: Info, input: ObservationsIngestInput
    ) -> ObservationsIngestPayload:
        points = [PointIn(p.indicator, p.observed_at, p.value, p.dimensions) for p in input.points]
        return _ingested(points, None, input.scan, info.context.request.user)

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="The same, as compact JSON rows (for large batches).",
    )
    def observations_ingest_rows(
        self, info: Info, input: ObservationsIngestRowsInput
    ) -> ObservationsIngestPayload:
        try:
            points = ingestion.points_from_rows(input.rows)
        except IngestRejected as rejected:
            return _rejected(rejected)
        return _ingested(points, None, input.scan, info.context.request.user)

    @strawberry.mutation(permission_classes=[IsAnalyst], description="The same, from CSV text.")
    def observations_ingest_csv(
        self, info: Info, input: ObservationsIngestCsvInput
    ) -> ObservationsIngestPayload:
        try:
            points, rows = ingestion.points_from_csv(input.csv)
        except IngestRejected as rejected:
            return _rejected(rejected)
        return _ingested(points, rows, input.scan, info.context.request.user)

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Scan now; poll the job.")
    def scan_run(self, info: Info, input: ScanRunInput) -> ScanRunPayload:
        ids = (
            None
            if input.indicators is None
            else [pk_or_nothing(g, "Indicator", m.Indicator) for g in input.indicators]
        )
        return _run(
            ScanRunPayload,
            lambda: {
                "job": scans.scan_request(indicator_ids=ids, created_by=info.context.request.user)
            },
            input=input,
        )

    @strawberry.mutation(permission_classes=[IsRiskManager])
    def warning_settings_update(self, input: WarningSettingsInput) -> WarningSettingsPayload:
        return _run(
            WarningSettingsPayload,
            lambda: {
                "settings": indicators.settings_update(
                    escalate_red_after_minutes=input.escalate_red_after_minutes
                )
            },
            input=input,
        )
