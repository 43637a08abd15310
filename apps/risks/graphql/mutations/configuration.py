from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsRiskManager, IsTenantAdmin
from apps.risks.graphql.mutations.common import Errors, actor, run
from apps.risks.graphql.types import (
    RegisterSettingsType,
    RiskAppetiteType,
    RiskCategoryType,
    RiskLevelEnum,
    RiskLimitType,
    RiskMatrixType,
)
from apps.risks.models import Risk, RiskCategory, RiskLimit, RiskMatrix
from apps.risks.services import configuration


@strawberry.input
class CategoryCreateInput:
    code: str = strawberry.field(
        description="Stable identifier: lower-case letters, digits, _ or -."
    )
    name_en: str
    name_zh: str = ""
    description: str = ""
    parent: relay.GlobalID | None = None


@strawberry.input
class CategoryUpdateInput:
    id: relay.GlobalID
    name_en: str | None = None
    name_zh: str | None = None
    description: str | None = None


@strawberry.type
class CategoryPayload:
    errors: Errors
    category: RiskCategoryType | None = None


@strawberry.input
class MatrixLevelInput:
    label: str
    description: str = ""
    min: Decimal | None = None
    max: Decimal | None = None


@strawberry.input
class MatrixCreateInput:
    name: str
    likelihood_levels: list[MatrixLevelInput]
    impact_levels: list[MatrixLevelInput]
    grid: list[list[RiskLevelEnum]] = strawberry.field(description="grid[likelihood-1][impact-1]")
    colours: JSON | None = None


@strawberry.type
class MatrixPayload:
    errors: Errors
    matrix: RiskMatrixType | None = None
    ratings_mapped: int = strawberry.field(default=0, description="Ratings carried to this matrix.")


@strawberry.input
class MatrixActivateInput:
    id: relay.GlobalID


@strawberry.input
class AppetiteSetInput:
    category: relay.GlobalID
    max_level: RiskLevelEnum
    statement: str = ""


@strawberry.type
class AppetitePayload:
    errors: Errors
    appetite: RiskAppetiteType | None = None


@strawberry.input
class LimitSaveInput:
    id: relay.GlobalID | None = strawberry.field(default=None, description="Omit to create.")
    name: str
    cap: Decimal
    current_value: Decimal = Decimal(0)
    unit: str = "CNY"
    warning_ratio: Decimal = Decimal("0.8")
    category: relay.GlobalID | None = None
    risk: relay.GlobalID | None = None


@strawberry.type
class LimitPayload:
    errors: Errors
    limit: RiskLimitType | None = None


@strawberry.input
class RegisterSettingsInput:
    review_cadence_days: JSON | None = strawberry.field(
        default=None, description='Days per level, e.g. {"critical": 30, "high": 90, ...}.'
    )
    residual_steps: JSON | None = strawberry.field(
        default=None, description="Levels each control effectiveness takes off the inherent rating."
    )
    acceptance_max_days: int | None = None


@strawberry.type
class RegisterSettingsPayload:
    errors: Errors
    settings: RegisterSettingsType | None = None


def _level(level: MatrixLevelInput) -> dict:
    out: dict = {"label": level.label, "description": level.description}
    for bound in ("min", "max"):
        if getattr(level, bound) is not None:
            out[bound] = str(getattr(level, bound))
    return out


@strawberry.type
class ConfigurationMutations:
    @strawberry.mutation(
        permission_classes=[IsTenantAdmin], description="Extend the taxonomy (codes are permanent)."
    )
    def category_create(self, input: CategoryCreateInput) -> CategoryPayload:
        return run(
            CategoryPayload,
            lambda: {
                "category": configuration.category_create(
                    code=input.code,
                    name_en=input.name_en,
                    name_zh=input.name_zh,
                    description=input.description,
                    parent_id=pk_or_nothing(input.parent, "RiskCategory", RiskCategory),
                )
            },
            input=input,
            fields={"path": "code"},
        )

    @strawberry.mutation(permission_classes=[IsTenantAdmin])
    def category_update(self, input: CategoryUpdateInput) -> CategoryPayload:
        return run(
            CategoryPayload,
            lambda: {
                "category": configuration.category_update(
                    category_id=pk_or_nothing(input.id, "RiskCategory", RiskCategory),
                    name_en=input.name_en,
                    name_zh=input.name_zh,
                    description=input.description,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="A new matrix version (inactive until matrixActivate).",
    )
    def matrix_create(self, input: MatrixCreateInput) -> MatrixPayload:
        definition = {
            "likelihood": [_level(level) for level in input.likelihood_levels],
            "impact": [_level(level) for level in input.impact_levels],
            "grid": [[cell.value for cell in row] for row in input.grid],
            "colours": input.colours or {},
        }
        return run(
            MatrixPayload,
            lambda: {"matrix": configuration.matrix_create(name=input.name, definition=definition)},
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Switch matrices; every current rating is carried over.",
    )
    def matrix_activate(self, info: Info, input: MatrixActivateInput) -> MatrixPayload:
        def call() -> dict:
            matrix, mapped = configuration.matrix_activate(
                matrix_id=pk_or_nothing(input.id, "RiskMatrix", RiskMatrix), actor=actor(info)
            )
            return {"matrix": matrix, "ratings_mapped": mapped}

        return run(MatrixPayload, call, input=input)

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="The highest acceptable level for a category and its children.",
    )
    def appetite_set(self, input: AppetiteSetInput) -> AppetitePayload:
        return run(
            AppetitePayload,
            lambda: {
                "appetite": configuration.appetite_set(
                    category_id=pk_or_nothing(input.category, "RiskCategory", RiskCategory),
                    max_level=input.max_level.value,
                    statement=input.statement,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager], description="Create or change a limit."
    )
    def limit_save(self, input: LimitSaveInput) -> LimitPayload:
        return run(
            LimitPayload,
            lambda: {
                "limit": configuration.limit_save(
                    limit_id=pk_or_nothing(input.id, "RiskLimit", RiskLimit),
                    name=input.name,
                    cap=input.cap,
                    current_value=input.current_value,
                    unit=input.unit,
                    warning_ratio=input.warning_ratio,
                    category_id=pk_or_nothing(input.category, "RiskCategory", RiskCategory),
                    risk_id=pk_or_nothing(input.risk, "Risk", Risk),
                )
            },
            input=input,
        )

    @strawberry.mutation(permission_classes=[IsTenantAdmin])
    def register_settings_update(self, input: RegisterSettingsInput) -> RegisterSettingsPayload:
        return run(
            RegisterSettingsPayload,
            lambda: {
                "settings": configuration.settings_update(
                    review_cadence_days=input.review_cadence_days,
                    residual_steps=input.residual_steps,
                    acceptance_max_days=input.acceptance_max_days,
                )
            },
            input=input,
        )
