"""Brand metrics (awareness, favourability, NPS… per period): the series and its ingestion."""

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry.types import Info

from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, OrderKey, apply_order, order_input
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsAnalyst, IsViewer
from apps.reputation import models as m
from apps.reputation.graphql.common import Errors, run
from apps.reputation.graphql.types import choices_enum
from apps.reputation.selectors import topics as selectors
from apps.reputation.services import brand

if TYPE_CHECKING:
    BrandMetricKindEnum = m.BrandMetricKind
else:
    BrandMetricKindEnum = choices_enum(
        "BrandMetricKind", m.BrandMetricKind, "What a brand metric measures."
    )


@strawberry_django.type(
    m.BrandMetric,
    name="BrandMetric",
    description="One figure of one period from one survey or analytics source.",
)
class BrandMetricType(TenantNode):
    min_role = Role.VIEWER

    metric: BrandMetricKindEnum = strawberry_django.field(description="What it measures.")
    source: str = strawberry_django.field(description="The survey or analytics feed.")
    period_start: date = strawberry_django.field(description="First day of the period.")
    period_end: date = strawberry_django.field(description="Last day of the period (included).")
    value: float = strawberry_django.field(description="0–100 (NPS −100–100).")
    sample_size: int | None = strawberry_django.field(description="Respondents; null: unknown.")

    @strawberry_django.field(
        only=["metric", "value"],
        description="0 (worst) to 1 (best), as the reputation index reads it.",
    )
    def normalised(self) -> float:
        return brand.normalised(self.metric, self.value)


@strawberry.enum(name="BrandMetricOrderField", description="What the brand metric list sorts by.")
class BrandMetricOrderField(Enum):
    PERIOD_START = strawberry.enum_value("period_start", description="First day of the period.")
    PERIOD_END = strawberry.enum_value("period_end", description="Last day of the period.")
    METRIC = strawberry.enum_value("metric", description="The metric's code.")
    VALUE = strawberry.enum_value("value", description="The value.")


if TYPE_CHECKING:
    BrandMetricOrder = OrderKey
else:
    BrandMetricOrder = order_input(
        "BrandMetricOrder", BrandMetricOrderField, description="One sort key of brand metrics."
    )


@strawberry.input(name="BrandMetricFilter", description="Narrows the brand metrics.")
class BrandMetricFilterInput:
    metrics: list[BrandMetricKindEnum] | None = strawberry.field(
        default=None, description="Any of."
    )
    sources: list[str] | None = strawberry.field(default=None, description="Any of.")
    period_from: date | None = strawberry.field(
        default=None, description="Periods ending on or after this day."
    )
    period_to: date | None = strawberry.field(
        default=None, description="Periods starting on or before this day."
    )


@strawberry.input(description="One figure: metric, source and period identify it.")
class BrandMetricInput:
    metric: BrandMetricKindEnum = strawberry.field(description="What it measures.")
    source: str = strawberry.field(description="The survey or analytics feed, e.g. survey-q3.")
    period_start: date = strawberry.field(description="First day of the period.")
    period_end: date = strawberry.field(description="Last day (included; at most 366 days).")
    value: float = strawberry.field(description="0–100 (NPS −100–100).")
    sample_size: int | None = strawberry.field(default=None, description="Respondents.")


@strawberry.input(description="Brand metrics to store (at most 1,000): all or none.")
class BrandMetricsIngestInput:
    metrics: list[BrandMetricInput] = strawberry.field(description="The figures.")


@strawberry.type(description="What an ingestion stored, or every problem.")
class BrandMetricsIngestPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing was stored.")
    created_count: int = strawberry.field(default=0, description="New figures.")
    updated_count: int = strawberry.field(default=0, description="Figures whose value changed.")
    unchanged_count: int = strawberry.field(default=0, description="Figures sent again as stored.")
    days_recomputed: int = strawberry.field(
        default=0, description="Computed days of their periods whose index was computed again."
    )


@strawberry.type
class BrandQueries:
    @strawberry_django.connection(
        BoundedConnection[BrandMetricType],
        permission_classes=[IsViewer],
        description="Brand metrics, a series per metric and source; oldest period first.",
    )
    def brand_metrics(
        self,
        filter: Annotated[
            BrandMetricFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[BrandMetricOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="oldest period first")
            ),
        ] = None,
    ) -> list[BrandMetricType]:
        f = filter or BrandMetricFilterInput()
        rows = selectors.brand_metrics(
            metrics=[x.value for x in f.metrics] if f.metrics else None,
            sources=f.sources,
            start=f.period_from,
            end=f.period_to,
        )
        return apply_order(  # type: ignore[return-value]  # the optimizer makes the type
            rows, order_by, default=selectors.BRAND_METRIC_ORDERINGS["period"]
        )


@strawberry.type
class BrandMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Store brand metrics from surveys or analytics: all or none; a figure sent "
        "again (same metric, source and period) replaces its value. The stored days of their "
        "periods are computed again.",
    )
    def brand_metrics_ingest(
        self,
        info: Info,
        input: Annotated[BrandMetricsIngestInput, strawberry.argument(description="Figures.")],
    ) -> BrandMetricsIngestPayload:
        def call() -> dict:
            outcome = brand.brand_metrics_ingest(
                metrics=[
                    {
                        "metric": row.metric.value,
                        "source": row.source,
                        "period_start": row.period_start,
                        "period_end": row.period_end,
                        "value": row.value,
                        "sample_size": row.sample_size,
                    }
                    for row in input.metrics
                ],
                actor=info.context.request.user,
            )
            return {
                "created_count": outcome.created,
                "updated_count": outcome.updated,
                "unchanged_count": outcome.unchanged,
                "days_recomputed": outcome.days,
            }

        return run(BrandMetricsIngestPayload, input, call)
