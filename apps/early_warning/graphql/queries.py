from datetime import datetime
from typing import Annotated

import strawberry
import strawberry_django
from django.utils import timezone
from strawberry import relay

from apps.accounts.models import User
from apps.core.graphql.errors import ApiError, NotFound
from apps.core.graphql.ids import decode_pk, pk_or_nothing
from apps.core.graphql.ordering import (
    ORDER_BY_DESCRIPTION,
    apply_order,
)
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer
from apps.early_warning import models as m
from apps.early_warning import selectors
from apps.early_warning.graphql.inputs import (
    IndicatorFilterInput,
    IndicatorOrder,
    SeriesAggregate,
    WarningSignalFilterInput,
    WarningSignalOrder,
)
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
from apps.risks.models import Risk, RiskCategory


def _pk(gid, type_name: str, model):
    """None when not given; else the key it names (a key nothing has when it is malformed)."""
    return pk_or_nothing(gid, type_name, model)


MAX_POINTS = 2000
DEFAULT_BUCKET_SECONDS = 3600  # indicatorSeries: hourly points unless asked otherwise


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
    def indicators(
        self,
        filter: Annotated[
            IndicatorFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Part of the name or code.",
                deprecation_reason="Use filter: {search}.",
            ),
        ] = None,
        order_by: Annotated[
            list[IndicatorOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by code")),
        ] = None,
    ) -> list[IndicatorType]:
        f = filter or IndicatorFilterInput()
        qs = selectors.indicator_list(
            search=f.search or search,
            code=f.code,
            # str(): the checker sees strawberry's enum_value() wrapper, the value is a str
            statuses=[str(s.value) for s in f.statuses or []],
            category_id=_pk(f.category, "RiskCategory", RiskCategory),
            risk_id=_pk(f.risk, "Risk", Risk),
            active=f.active,
            archived=f.archived,
            now=timezone.now(),
        )
        return apply_order(qs, order_by, default=("code",))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="One indicator by its id or its code (give one); null when none has it.",
    )
    def indicator(
        self,
        id: Annotated[relay.GlobalID | None, strawberry.argument(description="An Indicator.")] = (
            None
        ),
        code: Annotated[str | None, strawberry.argument(description="Its code.")] = None,
    ) -> IndicatorType | None:
        if (id is None) == (code is None):
            raise ApiError("Give `id` or `code`, not both.", "BAD_ARGUMENT", argument="id")
        qs = selectors.indicators()
        if id is not None:
            pk = decode_pk(id, "Indicator", m.Indicator)
            qs = qs.filter(pk=pk) if pk is not None else qs.none()
        else:
            qs = qs.filter(code=code.strip().lower())  # type: ignore[union-attr]
        return qs.first()  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer], description="Points for a chart: one per bucket, aggregated."
    )
    def indicator_series(
        self,
        indicator: Annotated[relay.GlobalID, strawberry.argument(description="The Indicator.")],
        start: Annotated[datetime, strawberry.argument(description="From (inclusive).")],
        end: Annotated[datetime, strawberry.argument(description="To (exclusive), after start.")],
        bucket_seconds: Annotated[
            int | None,
            strawberry.argument(
                description=f"Bucket width in seconds; at most {MAX_POINTS} buckets in all "
                f"(null: the default, {DEFAULT_BUCKET_SECONDS})."
            ),
        ] = DEFAULT_BUCKET_SECONDS,
        aggregate: Annotated[
            SeriesAggregate | None,
            strawberry.argument(
                description="How a bucket's points combine (null: the default, AVG)."
            ),
        ] = SeriesAggregate.AVG,
        dimensions: Annotated[
            str | None,
            strawberry.argument(
                description="One series by its dimensionsKey (`channel=app;region=east`, keys "
                "sorted; see Indicator.series); omitted: every series together."
            ),
        ] = strawberry.UNSET,
    ) -> list[SeriesPointType]:
        bucket_seconds = DEFAULT_BUCKET_SECONDS if bucket_seconds is None else bucket_seconds
        aggregate = SeriesAggregate.AVG if aggregate is None else aggregate
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
            aggregate=str(aggregate.value),  # as above
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
            list[WarningSignalOrder] | None,
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
