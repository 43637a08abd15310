"""What a tenant sets up once: categories, matrices, appetite, limits, register settings."""

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django

from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.risks import models as m
from apps.risks.graphql.enums import ControlEffectivenessEnum, RiskLevelEnum
from apps.risks.levels import RiskLevel

if TYPE_CHECKING:
    from apps.risks.graphql.types import RiskType

LazyRisk = Annotated["RiskType", strawberry.lazy("apps.risks.graphql.types")]


@strawberry_django.type(
    m.RiskCategory,
    name="RiskCategory",
    description="A node of the risk taxonomy; the ten seeded codes exist in every tenant.",
)
class RiskCategoryType(TenantNode):
    min_role = Role.VIEWER

    code: str = strawberry_django.field(
        description="Stable identifier (riskCategory(code:) looks it up); never changes."
    )
    name_en: str = strawberry_django.field(description="English name.")
    name_zh: str = strawberry_django.field(description="Chinese name.")
    description: str = strawberry_django.field(description="What belongs in it.")
    path: str = strawberry_django.field(description="Codes from the root, joined by '/'.")
    seeded: bool = strawberry_django.field(description="One of the ten codes every tenant has.")
    parent: "RiskCategoryType | None" = strawberry_django.field(
        description="The category above; null at the top."
    )


@strawberry.type(name="MatrixLevel", description="One step of a matrix axis.")
class MatrixLevelType:
    position: int = strawberry.field(description="1 for the lowest step.")
    label: str = strawberry.field(description="Its name, e.g. 'Likely'.")
    description: str = strawberry.field(description="What it means.")
    min: Decimal | None = strawberry.field(description="Lower bound of a quantitative scale.")
    max: Decimal | None = strawberry.field(description="Upper bound of a quantitative scale.")


@strawberry.type(name="LevelColour", description="The colour a matrix draws a level in.")
class LevelColourType:
    level: RiskLevelEnum = strawberry.field(description="The level.")
    colour: str = strawberry.field(description="A CSS colour, e.g. '#ef6c00'.")


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


@strawberry_django.type(
    m.RiskMatrix,
    name="RiskMatrix",
    description="One version of the likelihood × impact matrix; one is active at a time.",
)
class RiskMatrixType(TenantNode):
    min_role = Role.VIEWER

    name: str = strawberry_django.field(description="Its name.")
    version: int = strawberry_django.field(description="1, 2, …: each new matrix is the next.")
    is_active: bool = strawberry_django.field(description="Whether new ratings use it.")
    activated_at: strawberry.auto = strawberry_django.field(description="When it was activated.")

    @strawberry_django.field(only=["definition"], description="The likelihood axis, lowest first.")
    def likelihood_levels(self, root: m.RiskMatrix) -> list[MatrixLevelType]:
        return _levels(root.definition, "likelihood")

    @strawberry_django.field(only=["definition"], description="The impact axis, lowest first.")
    def impact_levels(self, root: m.RiskMatrix) -> list[MatrixLevelType]:
        return _levels(root.definition, "impact")

    @strawberry_django.field(
        only=["definition"], description="The level of each cell: grid[likelihood-1][impact-1]."
    )
    def grid(self, root: m.RiskMatrix) -> list[list[RiskLevelEnum]]:
        return root.definition["grid"]

    @strawberry_django.field(only=["definition"], description="The colour of each level.")
    def colours(self, root: m.RiskMatrix) -> list[LevelColourType]:
        colours = root.definition.get("colours", {})
        return [
            LevelColourType(level=RiskLevel(level), colour=colours[level])
            for level in RiskLevel.values
            if level in colours
        ]


@strawberry_django.type(
    m.RiskAppetite,
    name="RiskAppetite",
    description="The highest acceptable level for a category and its sub-categories.",
)
class RiskAppetiteType(TenantNode):
    min_role = Role.VIEWER

    category: RiskCategoryType = strawberry_django.field(description="The category it covers.")
    max_level: RiskLevelEnum = strawberry_django.field(
        description="Risks above it are flagged `aboveAppetite`."
    )
    statement: str = strawberry_django.field(description="The appetite statement, in words.")


@strawberry_django.type(
    m.RiskLimit, name="RiskLimit", description="A quantitative limit with its utilisation."
)
class RiskLimitType(TenantNode):
    min_role = Role.VIEWER

    name: str = strawberry_django.field(description="Its name.")
    unit: str = strawberry_django.field(description="Unit of cap and value, e.g. CNY or %.")
    cap: Decimal = strawberry_django.field(description="The limit (above zero).")
    current_value: Decimal = strawberry_django.field(description="Where the exposure stands.")
    warning_ratio: Decimal = strawberry_django.field(
        description="Utilisation from which it is near breach (0 to 1)."
    )
    category: RiskCategoryType | None = strawberry_django.field(
        description="The category it limits, if any."
    )
    risk: LazyRisk | None = strawberry_django.field(description="The risk it limits, if any.")

    @strawberry_django.field(only=["cap", "current_value"], description="currentValue / cap.")
    def utilisation(self) -> Decimal:
        return self.utilisation

    @strawberry_django.field(
        only=["cap", "current_value"], description="Whether currentValue exceeds the cap."
    )
    def breached(self) -> bool:
        return self.breached

    @strawberry_django.field(
        only=["cap", "current_value", "warning_ratio"],
        description="Not breached, but utilisation at or past the warning ratio.",
    )
    def near_breach(self) -> bool:
        return not self.breached and self.utilisation >= self.warning_ratio


@strawberry.type(name="LevelDays", description="Days from one review to the next at a level.")
class LevelDaysType:
    level: RiskLevelEnum = strawberry.field(description="The risk's current level.")
    days: int = strawberry.field(description="1 to 3650.")


@strawberry.type(
    name="EffectivenessSteps",
    description="How many matrix steps a control of this effectiveness takes off the residual "
    "rating (preventive controls: likelihood; detective and corrective: impact).",
)
class EffectivenessStepsType:
    effectiveness: ControlEffectivenessEnum = strawberry.field(description="The rating.")
    steps: int = strawberry.field(description="0 to 9.")


@strawberry_django.type(
    m.RegisterSettings, name="RegisterSettings", description="The tenant's register rules."
)
class RegisterSettingsType:
    acceptance_max_days: int = strawberry_django.field(
        description="Longest validity an acceptance may be given, in days."
    )

    @strawberry_django.field(
        only=["review_cadence_days"], description="Review cadence for each level, lowest first."
    )
    def review_cadence_days(self) -> list[LevelDaysType]:
        days = self.review_cadence_days
        return [
            LevelDaysType(level=RiskLevel(level), days=int(days[level]))
            for level in RiskLevel.values
            if level in days
        ]

    @strawberry_django.field(
        only=["residual_steps"], description="Steps per effectiveness rating (residual proposal)."
    )
    def residual_steps(self) -> list[EffectivenessStepsType]:
        steps = self.residual_steps
        return [
            EffectivenessStepsType(
                effectiveness=m.ControlEffectiveness(value),
                steps=int(steps[value]),
            )
            for value in m.ControlEffectiveness.values
            if value in steps
        ]
