from datetime import date
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.risks.graphql.mutations.common import Errors, actor, run
from apps.risks.graphql.types import RiskAcceptanceType
from apps.risks.models import Risk, RiskAcceptance
from apps.risks.services import acceptance


@strawberry.input(description="A request to accept an assessed risk until a date.")
class AcceptanceRequestInput:
    risk: relay.GlobalID = strawberry.field(description="An open or in-treatment risk.")
    justification: str = strawberry.field(description="Why it should be accepted.")
    expires_on: date = strawberry.field(
        description="Until when (at most the settings' acceptanceMaxDays ahead)."
    )


@strawberry.input(description="A decision on a requested acceptance.")
class AcceptanceDecideInput:
    id: relay.GlobalID = strawberry.field(description="The acceptance.")
    approve: bool = strawberry.field(description="true: approve; false: reject.")
    comment: str = strawberry.field(default="", description="The decider's comment.")


@strawberry.type(description="The acceptance written, or why not.")
class AcceptancePayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    acceptance: RiskAcceptanceType | None = strawberry.field(
        default=None, description="The acceptance."
    )


@strawberry.type
class AcceptanceMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Ask to accept an assessed risk until a date (analyst and above).",
    )
    def acceptance_request(
        self,
        info: Info,
        input: Annotated[AcceptanceRequestInput, strawberry.argument(description="The request.")],
    ) -> AcceptancePayload:
        return run(
            AcceptancePayload,
            lambda: {
                "acceptance": acceptance.acceptance_request(
                    risk_id=pk_or_nothing(input.risk, "Risk", Risk),
                    actor=actor(info),
                    justification=input.justification,
                    expires_on=input.expires_on,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Approve or reject (risk managers and admins; never the one who asked). "
        "Approval accepts the risk and keeps a snapshot of it.",
    )
    def acceptance_decide(
        self,
        info: Info,
        input: Annotated[AcceptanceDecideInput, strawberry.argument(description="The decision.")],
    ) -> AcceptancePayload:
        return run(
            AcceptancePayload,
            lambda: {
                "acceptance": acceptance.acceptance_decide(
                    acceptance_id=pk_or_nothing(input.id, "RiskAcceptance", RiskAcceptance),
                    actor=actor(info),
                    actor_role=info.context.request.membership.role,
                    approve=input.approve,
                    comment=input.comment,
                )
            },
            input=input,
        )
