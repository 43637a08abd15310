from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.accounts.models import User
from apps.core.graphql.errors import ApiError, NotFound
from apps.core.graphql.ids import decode_pk, pk_or_nothing
from apps.core.graphql.ordering import (
    ORDER_BY_DESCRIPTION,
    OrderDirection,
    apply_order,
    order_input,
)
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer
from apps.early_warning import models as m
from apps.early_warning import selectors
from apps.early_warning.graphql.types import (
    IndicatorType,
    SeriesPointType,
    SeverityEnum,
    SignalStatusEnum,
    WarningSettingsType,
    WarningSignalType,
)
from apps.early_warning.selectors import warning_settings
from apps.risks import selectors as risk_selectors
from apps.risks.models import RiskCategory

MAX_POINTS = 2000


@strawberry.enum(name="SeriesAggregate")
class SeriesAggregate(Enum):
    AVG = "avg"
    MIN = "min"
    MAX = "max"
    SUM = "sum"
    LAST = "last"
    COUNT = "count"


@strawberry.input(name="WarningSignalFilter", description="Signals matching all the conditions.")
class WarningSignalFilterInput:
    statuses: list[SignalStatusEnum] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    severities: list[SeverityEnum] | None = strawberry.field(
        default=None, description="Any of these severities."
    )
    indicator: relay.GlobalID | None = strawberry.field(default=None, description="An Indicator.")
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="A RiskCategory; includes sub-categories."
    )
    assignee: relay.GlobalID | None = strawberry.field(
        default=None, description='A User: the signals assigned to them ("my work": me.user.id).'
    )
    unassigned: bool | None = strawberry.field(
        default=None, description="True: only signals nobody is assigned; false: only assigned."
    )
    triggered_from: datetime | None = strawberry.field(
        default=None, description="Last triggered at or after this time."
    )
    triggered_to: datetime | None = strawberry.field(
        default=None, description="First triggered before this time."
    )


@strawberry.enum(name="WarningSignalOrderField", description="What signals are sorted by.")
class WarningSignalOrderField(Enum):
    LAST_TRIGGERED = strawberry.enum_value(
        "last_triggered_at", description="When a breach was last seen."
    )
    FIRST_TRIGGERED = strawberry.enum_value("first_triggered_at", description="When raised.")
    SEVERITY = strawberry.enum_value("severity", description="Amber before red (ascending).")
    STATUS = strawberry.enum_value("status", description="By status code, alphabetically.")


WarningSignalOrder = order_input(
    "WarningSignalOrder",
    WarningSignalOrderField,
    description="One sort key of the signal list.",
    direction=OrderDirection.DESC,
)


@strawberry.type(name="SignalStatusCount", description="How many signals have this status.")
class SignalStatusCount:
    status: SignalStatusEnum = strawberry.field(description="The status.")
    count: int = strawberry.field(description="Signals with it (zero included).")


@strawberry.type(name="SignalSeverityCount", description="How many signals have this severity.")
class SignalSeverityCount:
    severity: SeverityEnum = strawberry.field(description="The severity.")
    count: int = strawberry.field(description="Signals with it (zero included).")


@strawberry.type(
    name="WarningSignalCounts",
    description="Counts of the filtered signals, for inbox badges (one query, no paging).",
)
class WarningSignalCounts:
    total: int = strawberry.field(description="Every signal the filter matches.")
    by_status: list[SignalStatusCount] = strawberry.field(
        description="Per status, every status listed."
    )
    by_severity: list[SignalSeverityCount] = strawberry.field(
        description="Per severity, every severity listed."
    )


def _signals(f: WarningSignalFilterInput | None):
    """The signals `f` matches (a QuerySet), or None when it names nothing that exists."""
    qs = m.WarningSignal.objects.all()
    f = f or WarningSignalFilterInput()
    if f.statuses:
        qs = qs.filter(status__in=[s.value for s in f.statuses])
    if f.severities:
        qs = qs.filter(severity__in=[s.value for s in f.severities])
    if f.indicator is not None:
        qs = qs.filter(indicator_id=pk_or_nothing(f.indicator, "Indicator", m.Indicator))
    if f.assignee is not None:
        qs = qs.filter(assignee_id=pk_or_nothing(f.assignee, "User", User))
    if f.unassigned is not None:
        qs = qs.filter(assignee__isnull=f.unassigned)
    if f.category is not None:
        below = risk_selectors.category_and_below(
            pk_or_nothing(f.category, "RiskCategory", RiskCategory), via="indicator__category"
        )
        if below is None:
            return None
        qs = qs.filter(below)
    if f.triggered_from:
        qs = qs.filter(last_triggered_at__gte=f.triggered_from)
    if f.triggered_to:
        qs = qs.filter(first_triggered_at__lt=f.triggered_to)
    return qs


@strawberry.type
class EarlyWarningQuery:
    @strawberry_django.connection(
        BoundedConnection[IndicatorType],
        permission_classes=[IsViewer],
        description="Indicators with their status and latest value.",
    )
    def indicators(self, search: str | None = None) -> list[IndicatorType]:
        qs = selectors.indicators()
        if search:
            qs = qs.filter(name__icontains=search.strip()) | qs.filter(
                code__icontains=search.strip()
            )
        return qs  # type: ignore[return-value]

    @strawberry_django.field(permission_classes=[IsViewer])
    def indicator(self, id: relay.GlobalID) -> IndicatorType | None:
        pk = decode_pk(id, "Indicator", m.Indicator)
        return selectors.indicators().filter(pk=pk).first()  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer], description="Points for a chart: one per bucket, aggregated."
    )
    def indicator_series(
        self,
        indicator: relay.GlobalID,
        start: datetime,
        end: datetime,
        bucket_seconds: int = 3600,
        aggregate: SeriesAggregate = SeriesAggregate.AVG,
        dimensions: str | None = strawberry.UNSET,
    ) -> list[SeriesPointType]:
        if end <= start:
            raise ApiError("'end' comes after 'start'.", "BAD_ARGUMENT", argument="end")
        if bucket_seconds < 1 or (end - start).total_seconds() / bucket_seconds > MAX_POINTS:
            raise ApiError(
                f"At most {MAX_POINTS} buckets: widen bucketSeconds.",
                "BAD_ARGUMENT",
                argument="bucketSeconds",
            )
        pk = decode_pk(indicator, "Indicator", m.Indicator)
        if pk is None or not m.Indicator.objects.filter(pk=pk).exists():
            raise NotFound("Indicator")
        points = selectors.series_buckets(
            indicator_id=pk,
            start=start,
            end=end,
            bucket_seconds=bucket_seconds,
            aggregate=aggregate.value,
            dimensions_key=None if dimensions is strawberry.UNSET else dimensions,
        )
        return [SeriesPointType(at=at, value=value) for at, value in points]

    @strawberry_django.connection(
        BoundedConnection[WarningSignalType],
        permission_classes=[IsViewer],
        description="Warning signals, newest first.",
    )
    def warning_signals(
        self,
        filter: Annotated[
            WarningSignalFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[WarningSignalOrder] | None,  # type: ignore[valid-type]
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="newest first")),
        ] = None,
    ) -> list[WarningSignalType]:
        qs = _signals(filter)
        if qs is None:
            return m.WarningSignal.objects.none()  # type: ignore[return-value]
        return apply_order(qs, order_by, default=("-last_triggered_at",))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="How many signals the filter matches, by status and by severity.",
    )
    def warning_signal_counts(
        self,
        filter: Annotated[
            WarningSignalFilterInput | None, strawberry.argument(description="What to count.")
        ] = None,
    ) -> WarningSignalCounts:
        qs = _signals(filter)
        rows = selectors.signal_counts(qs) if qs is not None else []
        by_status = {s: 0 for s in m.SignalStatus.values}
        by_severity = {s: 0 for s in m.Severity.values}
        for status, severity, count in rows:
            by_status[status] += count
            by_severity[severity] += count
        return WarningSignalCounts(
            total=sum(by_status.values()),
            by_status=[
                SignalStatusCount(status=SignalStatusEnum(k), count=v) for k, v in by_status.items()
            ],
            by_severity=[
                SignalSeverityCount(severity=SeverityEnum(k), count=v)
                for k, v in by_severity.items()
            ],
        )

    @strawberry_django.field(permission_classes=[IsViewer])
    def warning_settings(self) -> WarningSettingsType:
        return warning_settings()  # type: ignore[return-value]
