"""The register side of runs: the tenant's mapping of figures to matrix levels (read by every
member, written by risk managers), and the limit bindings a run carries."""

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from apps.assessments import models as m
from apps.assessments.graphql.enums import FigureCodeEnum, RunKindEnum
from apps.assessments.graphql.errors import AssessmentError, AssessmentErrorCode
from apps.assessments.models import RegisterMapping
from apps.assessments.services import register
from apps.core.graphql.errors import choices_enum
from apps.core.graphql.permissions import IsRiskManager, IsViewer
from apps.core.graphql.resolvers import run_service

Errors = list[AssessmentError]  # type: ignore[valid-type]


if TYPE_CHECKING:
    RatingKindEnum = m.RatingKind
else:
    RatingKindEnum = choices_enum(
        m.RatingKind,
        "AssessmentRatingKind",
        "Which rating of a risk a run records.",
        descriptions={
            m.RatingKind.INHERENT: "Before controls.",
            m.RatingKind.RESIDUAL: "As things stand, controls working (the usual for a model).",
        },
    )


@strawberry.type(
    name="AssessmentRegisterMapping",
    description="How runs of one kind rate their linked risks on the active matrix.",
)
class RegisterMappingType:
    run_kind: RunKindEnum = strawberry.field(description="The kind of run.")
    rating_kind: RatingKindEnum = strawberry.field(description="Inherent or residual.")
    likelihood_figure: FigureCodeEnum = strawberry.field(description="Figure for likelihood.")
    likelihood_segment: str = strawberry.field(description="Its segment; blank: the whole.")
    likelihood_bands: list[float] = strawberry.field(
        description="Thresholds of levels 2, 3, … (rising: higher is worse; falling: lower is "
        "worse); empty: the matrix's likelihood bounds."
    )
    impact_figure: FigureCodeEnum = strawberry.field(description="Figure for impact.")
    impact_segment: str = strawberry.field(description="Its segment; blank: the whole.")
    impact_bands: list[float] = strawberry.field(
        description="As likelihoodBands; empty: the matrix's impact bounds (money)."
    )
    loss_figure: FigureCodeEnum | None = strawberry.field(
        description="Figure recorded as the assessment's expected loss; null: none."
    )
    loss_segment: str = strawberry.field(description="Its segment.")

    @classmethod
    def of(cls, mapping: RegisterMapping) -> "RegisterMappingType":
        return cls(
            run_kind=RunKindEnum(mapping.run_kind),
            rating_kind=RatingKindEnum(mapping.rating_kind),
            likelihood_figure=FigureCodeEnum(mapping.likelihood_figure),
            likelihood_segment=mapping.likelihood_segment,
            likelihood_bands=list(mapping.likelihood_bands),
            impact_figure=FigureCodeEnum(mapping.impact_figure),
            impact_segment=mapping.impact_segment,
            impact_bands=list(mapping.impact_bands),
            loss_figure=FigureCodeEnum(mapping.loss_figure) if mapping.loss_figure else None,
            loss_segment=mapping.loss_segment,
        )


@strawberry.type(name="AssessmentLimitBinding", description="A register limit a run sets.")
class LimitBindingType:
    limit: relay.GlobalID = strawberry.field(description="The RiskLimit.")
    figure: FigureCodeEnum = strawberry.field(description="The figure written as its value.")
    segment: str = strawberry.field(description="The figure's segment.")


def limit_bindings(run) -> list[LimitBindingType]:
    return [
        LimitBindingType(
            limit=relay.GlobalID("RiskLimit", b["limit"]),
            figure=FigureCodeEnum(b["figure"]),
            segment=b["segment"],
        )
        for b in run.limit_bindings
    ]


@strawberry.input(
    name="AssessmentLimitBindingInput",
    description="Set a register limit's current value from a figure of the run (a share is "
    "written ×100 to a limit whose unit is %). Needs the risk_manager role.",
)
class LimitBindingInput:
    limit: relay.GlobalID = strawberry.field(description="The RiskLimit.")
    figure: FigureCodeEnum = strawberry.field(description="The figure, e.g. VAR_99.")
    segment: str = strawberry.field(
        default="", description="The figure's segment, e.g. industry:property."
    )


@strawberry.input(description="The mapping of one kind of run (replaces any earlier one).")
class AssessmentRegisterMappingInput:
    run_kind: RunKindEnum = strawberry.field(description="The kind of run.")
    rating_kind: RatingKindEnum = strawberry.field(
        default=RatingKindEnum.RESIDUAL, description="Inherent or residual."
    )
    likelihood_figure: FigureCodeEnum = strawberry.field(description="e.g. NPL_RATE.")
    likelihood_segment: str = strawberry.field(default="", description="Blank: the whole.")
    likelihood_bands: list[Decimal] = strawberry.field(
        default_factory=list, description="One threshold per level above the first; [] : matrix."
    )
    impact_figure: FigureCodeEnum = strawberry.field(description="e.g. EXPECTED_LOSS.")
    impact_segment: str = strawberry.field(default="", description="Blank: the whole.")
    impact_bands: list[Decimal] = strawberry.field(
        default_factory=list, description="One threshold per level above the first; [] : matrix."
    )
    loss_figure: FigureCodeEnum | None = strawberry.field(
        default=None, description="Recorded as the expected loss; null: none."
    )
    loss_segment: str = strawberry.field(default="", description="Its segment.")


@strawberry.type(description="The mapping as stored, or why not.")
class AssessmentRegisterMappingPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    mapping: RegisterMappingType | None = strawberry.field(default=None, description="Stored.")


@strawberry.type(description="Whether a mapping was removed.")
class AssessmentRegisterMappingDeletePayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    deleted: bool = strawberry.field(default=False, description="False: there was none.")


@strawberry.type
class RegisterMappingQuery:
    @strawberry.field(
        permission_classes=[IsViewer],
        description="The tenant's register mappings, one per kind of run that has one.",
    )
    def assessment_register_mappings(self) -> list[RegisterMappingType]:
        return [RegisterMappingType.of(m) for m in RegisterMapping.objects.all()]


@strawberry.type
class RegisterMappingMutation:
    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Set how runs of a kind rate their linked risks (checked against the "
        "active matrix: one threshold per level above the first, or none to use its bounds).",
    )
    def assessment_register_mapping_set(
        self,
        input: Annotated[
            AssessmentRegisterMappingInput, strawberry.argument(description="The mapping.")
        ],
    ) -> AssessmentRegisterMappingPayload:
        return run_service(
            AssessmentRegisterMappingPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "mapping": RegisterMappingType.of(
                    register.register_mapping_set(
                        run_kind=input.run_kind.value,
                        rating_kind=input.rating_kind.value,
                        likelihood_figure=input.likelihood_figure.value,
                        likelihood_segment=input.likelihood_segment,
                        likelihood_bands=input.likelihood_bands,
                        impact_figure=input.impact_figure.value,
                        impact_segment=input.impact_segment,
                        impact_bands=input.impact_bands,
                        loss_figure=input.loss_figure.value if input.loss_figure else "",
                        loss_segment=input.loss_segment,
                    )
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Remove the mapping of a kind: its runs no longer rate risks.",
    )
    def assessment_register_mapping_delete(
        self, run_kind: Annotated[RunKindEnum, strawberry.argument(description="The kind.")]
    ) -> AssessmentRegisterMappingDeletePayload:
        return run_service(
            AssessmentRegisterMappingDeletePayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {"deleted": register.register_mapping_delete(run_kind=run_kind.value)},
        )
