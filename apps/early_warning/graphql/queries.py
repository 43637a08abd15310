from datetime import datetime
from enum import Enum

import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.errors import ApiError, NotFound
from apps.core.graphql.ids import decode_pk, pk_or_nothing
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


@strawberry.input(name="WarningSignalFilter")
class WarningSignalFilterInput:
    statuses: list[SignalStatusEnum] | None = None
    severities: list[SeverityEnum] | None = None
    indicator: relay.GlobalID | None = None
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="Includes sub-categories."
    )
    triggered_from: datetime | None = None
    triggered_to: datetime | None = None


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
        self, filter: WarningSignalFilterInput | None = None
    ) -> list[WarningSignalType]:
        qs = m.WarningSignal.objects.order_by("-last_triggered_at", "-id")
        f = filter or WarningSignalFilterInput()
        if f.statuses:
            qs = qs.filter(status__in=[s.value for s in f.statuses])
        if f.severities:
            qs = qs.filter(severity__in=[s.value for s in f.severities])
        if f.indicator is not None:
            qs = qs.filter(indicator_id=pk_or_nothing(f.indicator, "Indicator", m.Indicator))
        if f.category is not None:
            below = risk_selectors.category_and_below(
                pk_or_nothing(f.category, "RiskCategory", RiskCategory), via="indicator__category"
            )
            if below is None:
                return m.WarningSignal.objects.none()  # type: ignore[return-value]
            qs = qs.filter(below)
        if f.triggered_from:
            qs = qs.filter(last_triggered_at__gte=f.triggered_from)
        if f.triggered_to:
            qs = qs.filter(first_triggered_at__lt=f.triggered_to)
        return qs  # type: ignore[return-value]

    @strawberry_django.field(permission_classes=[IsViewer])
    def warning_settings(self) -> WarningSettingsType:
        return warning_settings()  # type: ignore[return-value]
