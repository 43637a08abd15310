from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst
from apps.risks.graphql.enums import AssessmentKindEnum, AssessmentMethodEnum
from apps.risks.graphql.mutations.common import Errors, actor, run
from apps.risks.graphql.types import RiskAssessmentType, RiskType
from apps.risks.models import Risk
from apps.risks.services import assessments


@strawberry.input(description="A rating of a risk on the active matrix.")
class AssessmentRecordInput:
    risk: relay.GlobalID = strawberry.field(description="The risk rated.")
    kind: AssessmentKindEnum = strawberry.field(description="Inherent or residual.")
    likelihood: int = strawberry.field(description="Likelihood step, 1 to the matrix's size.")
    impact: int = strawberry.field(description="Impact step, 1 to the matrix's size.")
    method: AssessmentMethodEnum = strawberry.field(
        default=AssessmentMethodEnum.EXPERT,
        description="How it was rated (not MATRIX_MIGRATION).",
    )
    expected_loss: Decimal | None = strawberry.field(
        default=None, description="Expected loss, zero or more."
    )
    currency: str = strawberry.field(default="CNY", description="ISO 4217 code of the loss.")
    rationale: str = strawberry.field(default="", description="Why this rating.")


@strawberry.type(description="The assessment recorded, or why not.")
class AssessmentPayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    assessment: RiskAssessmentType | None = strawberry.field(default=None, description="It.")
    risk: RiskType | None = strawberry.field(default=None, description="The risk, updated.")


@strawberry.input(description="The risk whose residual proposal to apply.")
class ResidualApplyProposalInput:
    risk: relay.GlobalID = strawberry.field(description="An inherently assessed risk.")


@strawberry.type
class AssessmentMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Append an inherent or residual rating on the active matrix (analyst and "
        "above).",
    )
    def assessment_record(
        self,
        info: Info,
        input: Annotated[AssessmentRecordInput, strawberry.argument(description="The rating.")],
    ) -> AssessmentPayload:
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
        description="Record the residual rating the linked controls justify now (analyst and "
        "above; the query residualProposal previews it).",
    )
    def residual_apply_proposal(
        self,
        info: Info,
        input: Annotated[ResidualApplyProposalInput, strawberry.argument(description="The risk.")],
    ) -> AssessmentPayload:
        def call() -> dict:
            assessment = assessments.residual_apply_proposal(
                risk_id=pk_or_nothing(input.risk, "Risk", Risk), actor=actor(info)
            )
            return {"assessment": assessment, "risk": Risk.objects.get(pk=assessment.risk_id)}

        return run(AssessmentPayload, call, input=input)
