from datetime import date
from decimal import Decimal

import strawberry
import strawberry_django
from django.utils import timezone
from strawberry.scalars import JSON
from strawberry.types import Info

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.types import AuditEntryType
from apps.people.graphql.types import DepartmentType
from apps.risks import models as m
from apps.risks.levels import RiskLevel

RiskLevelEnum = strawberry.enum(RiskLevel, name="RiskLevel")
RiskStatusEnum = strawberry.enum(m.RiskStatus, name="RiskStatus")
RiskSourceEnum = strawberry.enum(m.RiskSource, name="RiskSource")
TreatmentStrategyEnum = strawberry.enum(m.TreatmentStrategy, name="TreatmentStrategy")
AssessmentKindEnum = strawberry.enum(m.AssessmentKind, name="AssessmentKind")
AssessmentMethodEnum = strawberry.enum(m.AssessmentMethod, name="AssessmentMethod")
ControlTypeEnum = strawberry.enum(m.ControlType, name="ControlType")
ControlKindEnum = strawberry.enum(m.ControlKind, name="ControlKind")
ControlEffectivenessEnum = strawberry.enum(m.ControlEffectiveness, name="ControlEffectiveness")
ActionStatusEnum = strawberry.enum(m.ActionStatus, name="ActionStatus")
AcceptanceStatusEnum = strawberry.enum(m.AcceptanceStatus, name="AcceptanceStatus")


@strawberry.type(name="Rating", description="A cell of the matrix: likelihood × impact → level.")
class RatingType:
    likelihood: int
    impact: int
    score: int
    level: RiskLevelEnum


def _rating(obj, prefix: str) -> RatingType | None:
    likelihood = getattr(obj, f"{prefix}_likelihood")
    if not likelihood:
        return None
    return RatingType(
        likelihood=likelihood,
        impact=getattr(obj, f"{prefix}_impact"),
        score=getattr(obj, f"{prefix}_score"),
        level=getattr(obj, f"{prefix}_level"),
    )


@strawberry_django.type(m.RiskCategory, name="RiskCategory")
class RiskCategoryType(TenantNode):
    min_role = Role.VIEWER

    code: str
    name_en: str
    name_zh: str
    description: str
    path: str
    seeded: bool
    parent: "RiskCategoryType | None"


@strawberry.type(name="MatrixLevel")
class MatrixLevelType:
    position: int
    label: str
    description: str
    min: Decimal | None
    max: Decimal | None


def _levels(definition: dict, axis: str) -> list[MatrixLevelType]:
    return [
        MatrixLevelType(
            position=i,
            label=level["label"],
            description=level.get("description", ""),
            min=level.get("min"),
            max=level.get("max"),
        )
        for i, level in enumerate(definition[axis], start=1)
    ]


@strawberry_django.type(m.RiskMatrix, name="RiskMatrix")
class RiskMatrixType(TenantNode):
    min_role = Role.VIEWER

    name: str
    version: int
    is_active: bool
    activated_at: strawberry.auto

    @strawberry_django.field(only=["definition"])
    def likelihood_levels(self) -> list[MatrixLevelType]:
        return _levels(self.definition, "likelihood")

    @strawberry_django.field(only=["definition"])
    def impact_levels(self) -> list[MatrixLevelType]:
        return _levels(self.definition, "impact")

    @strawberry_django.field(only=["definition"], description="grid[likelihood-1][impact-1].")
    def grid(self) -> list[list[RiskLevelEnum]]:
        return self.definition["grid"]

    @strawberry_django.field(
        only=["definition"], description='Colour per level, e.g. {"high": "#ef6c00"}.'
    )
    def colours(self) -> JSON:
        return self.definition.get("colours", {})


@strawberry_django.type(m.RiskAssessment, name="RiskAssessment")
class RiskAssessmentType(TenantNode):
    min_role = Role.VIEWER

    kind: AssessmentKindEnum
    method: AssessmentMethodEnum
    likelihood: int
    impact: int
    score: int
    level: RiskLevelEnum
    expected_loss: Decimal | None
    currency: str
    rationale: str
    assessor: UserType | None
    assessed_at: strawberry.auto

    @strawberry_django.field(select_related=["matrix"])
    def matrix_version(self) -> int:
        return self.matrix.version


@strawberry_django.type(m.Control, name="Control")
class ControlType(TenantNode):
    min_role = Role.VIEWER

    name: str
    description: str
    control_type: ControlTypeEnum
    kind: ControlKindEnum
    owner: UserType | None
    frequency: str
    last_tested_at: date | None
    effectiveness: ControlEffectivenessEnum
    risks: BoundedConnection["RiskType"] = strawberry_django.connection()


@strawberry_django.type(m.TreatmentAction, name="TreatmentAction")
class TreatmentActionType(TenantNode):
    min_role = Role.VIEWER

    title: str
    description: str
    owner: UserType | None
    due_date: date | None
    status: ActionStatusEnum
    completed_at: strawberry.auto
    control: ControlType | None


@strawberry_django.type(m.RiskAcceptance, name="RiskAcceptance")
class RiskAcceptanceType(TenantNode):
    min_role = Role.VIEWER

    status: AcceptanceStatusEnum
    justification: str
    requested_by: UserType | None
    requested_expires_at: date
    decided_by: UserType | None
    decided_at: strawberry.auto
    decision_comment: str
    expires_at: date | None
    snapshot: JSON
    voided_at: strawberry.auto
    void_reason: str
    created_at: strawberry.auto


@strawberry_django.type(m.RiskReview, name="RiskReview")
class RiskReviewType(TenantNode):
    min_role = Role.VIEWER

    reviewer: UserType | None
    reviewed_at: strawberry.auto
    notes: str
    level_at_review: str
    next_review_at: date


@strawberry_django.type(m.Risk, name="Risk")
class RiskType(TenantNode):
    min_role = Role.VIEWER

    title: str
    description: str
    category: RiskCategoryType
    business_line: str
    causes: str
    consequences: str
    source: RiskSourceEnum
    owner: UserType | None
    department: str
    org_department: DepartmentType | None = strawberry_django.field(
        description="The directory's department (`department` is the older free text)."
    )
    status: RiskStatusEnum
    tags: list[str]
    next_review_at: date | None
    last_reviewed_at: strawberry.auto
    above_appetite: bool
    review_flag: str
    created_at: strawberry.auto
    updated_at: strawberry.auto
    assessments: BoundedConnection[RiskAssessmentType] = strawberry_django.connection()
    controls: BoundedConnection[ControlType] = strawberry_django.connection()
    actions: BoundedConnection[TreatmentActionType] = strawberry_django.connection()
    acceptances: BoundedConnection[RiskAcceptanceType] = strawberry_django.connection()
    reviews: BoundedConnection[RiskReviewType] = strawberry_django.connection()
    related_risks: BoundedConnection["RiskType"] = strawberry_django.connection()

    @strawberry_django.field(only=["treatment_strategy"])
    def treatment_strategy(self) -> TreatmentStrategyEnum | None:
        return self.treatment_strategy or None

    @strawberry_django.field(
        only=["inherent_likelihood", "inherent_impact", "inherent_score", "inherent_level"]
    )
    def inherent(self) -> RatingType | None:
        return _rating(self, "inherent")

    @strawberry_django.field(
        only=["residual_likelihood", "residual_impact", "residual_score", "residual_level"]
    )
    def residual(self) -> RatingType | None:
        return _rating(self, "residual")

    @strawberry_django.field(
        only=["current_level"], description="Residual level when assessed, else inherent."
    )
    def current_level(self) -> RiskLevelEnum | None:
        return self.current_level or None

    @strawberry_django.field(
        only=["residual_proposal"],
        description="Residual rating the controls now justify (residualApplyProposal).",
    )
    def residual_proposal(self) -> RatingType | None:
        p = self.residual_proposal
        return RatingType(**p) if p else None

    @strawberry_django.field(only=["next_review_at", "status"])
    def review_overdue(self) -> bool:
        return bool(
            self.next_review_at
            and self.status != m.RiskStatus.CLOSED
            and self.next_review_at < timezone.localdate()
        )

    @strawberry_django.connection(
        BoundedConnection[AuditEntryType],
        description="Every recorded change of this risk, newest first: its own, and those of "
        "its assessments, reviews, acceptances, treatment actions and linked controls.",
    )
    def history(self, info: Info) -> list[AuditEntryType]:
        from apps.core.selectors import audit_entries_for

        return audit_entries_for(  # type: ignore[return-value]
            {
                m.Risk: m.Risk.objects.filter(pk=self.pk),
                m.RiskAssessment: m.RiskAssessment.objects.filter(risk_id=self.pk),
                m.RiskReview: m.RiskReview.objects.filter(risk_id=self.pk),
                m.RiskAcceptance: m.RiskAcceptance.objects.filter(risk_id=self.pk),
                m.TreatmentAction: m.TreatmentAction.objects.filter(risk_id=self.pk),
                m.Control: m.Control.objects.filter(risks=self.pk),
            }
        )


@strawberry_django.type(m.RiskAppetite, name="RiskAppetite")
class RiskAppetiteType(TenantNode):
    min_role = Role.VIEWER

    category: RiskCategoryType
    max_level: RiskLevelEnum
    statement: str


@strawberry_django.type(m.RiskLimit, name="RiskLimit")
class RiskLimitType(TenantNode):
    min_role = Role.VIEWER

    name: str
    unit: str
    cap: Decimal
    current_value: Decimal
    warning_ratio: Decimal
    category: RiskCategoryType | None

    @strawberry_django.field(only=["cap", "current_value"])
    def utilisation(self) -> Decimal:
        return self.utilisation

    @strawberry_django.field(only=["cap", "current_value"])
    def breached(self) -> bool:
        return self.breached

    @strawberry_django.field(only=["cap", "current_value", "warning_ratio"])
    def near_breach(self) -> bool:
        return not self.breached and self.utilisation >= self.warning_ratio


@strawberry_django.type(m.RegisterSettings, name="RegisterSettings")
class RegisterSettingsType:
    review_cadence_days: JSON
    residual_steps: JSON
    acceptance_max_days: int


@strawberry.type(name="HeatmapCell")
class HeatmapCellType:
    likelihood: int
    impact: int
    level: RiskLevelEnum
    count: int


@strawberry.type(name="LevelCount")
class LevelCountType:
    level: str = strawberry.field(description="A risk level, or 'unassessed'.")
    count: int


@strawberry.type(name="CategoryLevelCounts")
class CategoryLevelCountsType:
    category: str
    counts: list[LevelCountType]


@strawberry.type(name="LevelTrendPoint")
class LevelTrendPointType:
    date: date
    counts: list[LevelCountType]


@strawberry.type(name="RiskSummary")
class RiskSummaryType:
    by_category: list[CategoryLevelCountsType]
    trend: list[LevelTrendPointType]
