from datetime import date

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.risks.graphql.mutations.common import Errors, actor, run
from apps.risks.graphql.types import RiskAcceptanceType
from apps.risks.models import Risk, RiskAcceptance
from apps.risks.services import acceptance


@strawberry.input
class AcceptanceRequestInput:
    risk: relay.GlobalID
    justification: str
    expires_on: date


@strawberry.input
class AcceptanceDecideInput:
    id: relay.GlobalID
    approve: bool
    comment: str = ""


@strawberry.type
class AcceptancePayload:
    errors: Errors
    acceptance: RiskAcceptanceType | None = None


@strawberry.type
class AcceptanceMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst], description="Ask to accept an assessed risk until a date."
    )
    def acceptance_request(self, info: Info, input: AcceptanceRequestInput) -> AcceptancePayload:
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
        description="Approve or reject; never by the one who asked.",
    )
    def acceptance_decide(self, info: Info, input: AcceptanceDecideInput) -> AcceptancePayload:
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
