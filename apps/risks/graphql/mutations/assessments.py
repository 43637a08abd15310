from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst
from apps.risks.graphql.mutations.common import Errors, actor, run
from apps.risks.graphql.types import (
    AssessmentKindEnum,
    AssessmentMethodEnum,
    RiskAssessmentType,
    RiskType,
)
from apps.risks.models import Risk
from apps.risks.services import assessments


@strawberry.input
class AssessmentRecordInput:
    risk: relay.GlobalID
    kind: AssessmentKindEnum
    likelihood: int
    impact: int
    method: AssessmentMethodEnum = AssessmentMethodEnum.EXPERT  # type: ignore[attr-defined]
    expected_loss: Decimal | None = None
    currency: str = "CNY"
    rationale: str = ""


@strawberry.type
class AssessmentPayload:
    errors: Errors
    assessment: RiskAssessmentType | None = None
    risk: RiskType | None = None


@strawberry.input
class ResidualApplyProposalInput:
    risk: relay.GlobalID


@strawberry.type
class AssessmentMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Append an inherent or residual rating on the active matrix.",
    )
    def assessment_record(self, info: Info, input: AssessmentRecordInput) -> AssessmentPayload:
        def call() -> dict:
            assessment = assessments.assessment_record(
                risk_id=pk_or_nothing(input.risk, "Risk", Risk),
                kind=input.kind.value,
                likelihood=input.likelihood,
                impact=input.impact,
                method=input.method.value,
                expected_loss=input.expected_loss,
                currency=input.currency,
                rationale=input.rationale,
                actor=actor(info),
            )
            return {"assessment": assessment, "risk": Risk.objects.get(pk=assessment.risk_id)}

        return run(AssessmentPayload, call, input=input)

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Record the residual rating the linked controls justify.",
    )
    def residual_apply_proposal(
        self, info: Info, input: ResidualApplyProposalInput
    ) -> AssessmentPayload:
        def call() -> dict:
            assessment = assessments.residual_apply_proposal(
                risk_id=pk_or_nothing(input.risk, "Risk", Risk), actor=actor(info)
            )
            return {"assessment": assessment, "risk": Risk.objects.get(pk=assessment.risk_id)}

        return run(AssessmentPayload, call, input=input)
