"""Quantitative limits: created and changed by risk managers."""

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsRiskManager
from apps.risks.graphql.mutations.common import Errors, given, run
from apps.risks.graphql.types_setup import RiskLimitType
from apps.risks.models import Risk, RiskCategory, RiskLimit
from apps.risks.services import configuration

UNSET = strawberry.UNSET
REQUIRED = "Omit: unchanged; null is refused (it is required)."


@strawberry.input(description="A new limit.")
class LimitCreateInput:
    name: str = strawberry.field(description="Its name.")
    cap: Decimal = strawberry.field(description="The limit, above zero.")
    current_value: Decimal = strawberry.field(default=Decimal(0), description="Exposure now.")
    unit: str = strawberry.field(default="CNY", description="Unit of cap and value.")
    warning_ratio: Decimal = strawberry.field(
        default=Decimal("0.8"), description="Near breach from this utilisation (0 to 1)."
    )
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="The category it limits."
    )
    risk: relay.GlobalID | None = strawberry.field(default=None, description="The risk it limits.")


@strawberry.input(description="Changes to a limit: an omitted field is unchanged.")
class LimitUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The limit.")
    name: str | None = strawberry.field(default=UNSET, description=REQUIRED)
    cap: Decimal | None = strawberry.field(default=UNSET, description=REQUIRED)
    current_value: Decimal | None = strawberry.field(default=UNSET, description=REQUIRED)
    unit: str | None = strawberry.field(default=UNSET, description=REQUIRED)
    warning_ratio: Decimal | None = strawberry.field(default=UNSET, description=REQUIRED)
    category: relay.GlobalID | None = strawberry.field(
        default=UNSET, description="Omit: unchanged; null: no category."
    )
    risk: relay.GlobalID | None = strawberry.field(
        default=UNSET, description="Omit: unchanged; null: no risk."
    )


@strawberry.type(description="The limit written, or why not.")
class LimitPayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    limit: RiskLimitType | None = strawberry.field(default=None, description="The limit.")


def _links(input) -> dict:
    links = {}
    if input.category is not UNSET:
        links["category_id"] = (
            None
            if input.category is None
            else pk_or_nothing(input.category, "RiskCategory", RiskCategory)
        )
    if input.risk is not UNSET:
        links["risk_id"] = None if input.risk is None else pk_or_nothing(input.risk, "Risk", Risk)
    return links


@strawberry.type
class LimitMutations:
    @strawberry.mutation(
        permission_classes=[IsRiskManager], description="Create a limit (risk managers, admins)."
    )
    def limit_create(
        self, input: Annotated[LimitCreateInput, strawberry.argument(description="The new limit.")]
    ) -> LimitPayload:
        return run(
            LimitPayload,
            lambda: {
                "limit": configuration.limit_create(
                    name=input.name,
                    cap=input.cap,
                    current_value=input.current_value,
                    unit=input.unit,
                    warning_ratio=input.warning_ratio,
                    **_links(input),
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Change the fields sent (risk managers, admins); an omitted field is "
        "unchanged, null clears the category or the risk.",
    )
    def limit_update(
        self,
        input: Annotated[
            LimitUpdateInput, strawberry.argument(description="The limit and its changes.")
        ],
    ) -> LimitPayload:
        fields = given(
            name=input.name,
            cap=input.cap,
            current_value=input.current_value,
            unit=input.unit,
            warning_ratio=input.warning_ratio,
        )
        return run(
            LimitPayload,
            lambda: {
                "limit": configuration.limit_update(
                    limit_id=pk_or_nothing(input.id, "RiskLimit", RiskLimit),
                    **fields,
                    **_links(input),
                )
            },
            input=input,
        )
