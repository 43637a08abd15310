"""Set-up mutations: the taxonomy, matrices, appetite and the register's settings (admins)."""

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsTenantAdmin
from apps.risks.graphql.enums import ControlEffectivenessEnum, RiskLevelEnum
from apps.risks.graphql.mutations.common import Errors, actor, run
from apps.risks.graphql.types_setup import (
    RegisterSettingsType,
    RiskAppetiteType,
    RiskCategoryType,
    RiskMatrixType,
)
from apps.risks.models import RiskCategory, RiskMatrix
from apps.risks.selectors import register_settings
from apps.risks.services import configuration


@strawberry.input(description="A new category of the taxonomy.")
class CategoryCreateInput:
    code: str = strawberry.field(
        description="Stable identifier: lower-case letters, digits, _ or -."
    )
    name_en: str = strawberry.field(description="English name.")
    name_zh: str = strawberry.field(default="", description="Chinese name.")
    description: str = strawberry.field(default="", description="What belongs in it.")
    parent: relay.GlobalID | None = strawberry.field(
        default=None, description="The category above (null: a top-level one)."
    )


@strawberry.input(description="Names and description of a category (codes never change).")
class CategoryUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The category.")
    name_en: str | None = strawberry.field(default=None, description="Omit or null: unchanged.")
    name_zh: str | None = strawberry.field(default=None, description="Omit or null: unchanged.")
    description: str | None = strawberry.field(default=None, description="Omit or null: unchanged.")


@strawberry.type(description="The category written, or why not.")
class CategoryPayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    category: RiskCategoryType | None = strawberry.field(default=None, description="It.")


@strawberry.input(description="One step of a matrix axis.")
class MatrixLevelInput:
    label: str = strawberry.field(description="Its name.")
    description: str = strawberry.field(default="", description="What it means.")
    min: Decimal | None = strawberry.field(default=None, description="Quantitative lower bound.")
    max: Decimal | None = strawberry.field(default=None, description="Quantitative upper bound.")


@strawberry.input(description="The colour to draw a level in.")
class LevelColourInput:
    level: RiskLevelEnum = strawberry.field(description="The level.")
    colour: str = strawberry.field(description="A CSS colour, e.g. '#ef6c00'.")


@strawberry.input(description="A new matrix version (inactive until matrixActivate).")
class MatrixCreateInput:
    name: str = strawberry.field(description="Its name.")
    likelihood_levels: list[MatrixLevelInput] = strawberry.field(description="Lowest first.")
    impact_levels: list[MatrixLevelInput] = strawberry.field(description="Lowest first.")
    grid: list[list[RiskLevelEnum]] = strawberry.field(
        description="The level of each cell: grid[likelihood-1][impact-1]."
    )
    colours: list[LevelColourInput] | None = strawberry.field(
        default=None, description="Colours of some levels; the others keep the defaults."
    )


@strawberry.type(description="The matrix written, or why not.")
class MatrixPayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    matrix: RiskMatrixType | None = strawberry.field(default=None, description="The matrix.")
    ratings_mapped: int = strawberry.field(default=0, description="Ratings carried to this matrix.")


@strawberry.input(description="The matrix to switch to.")
class MatrixActivateInput:
    id: relay.GlobalID = strawberry.field(description="The matrix.")


@strawberry.input(description="The appetite of a category.")
class AppetiteSetInput:
    category: relay.GlobalID = strawberry.field(description="The category (and its children).")
    max_level: RiskLevelEnum = strawberry.field(description="The highest acceptable level.")
    statement: str = strawberry.field(default="", description="The statement, in words.")


@strawberry.type(description="The appetite written, or why not.")
class AppetitePayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    appetite: RiskAppetiteType | None = strawberry.field(default=None, description="It.")


@strawberry.input(description="Review cadence at one level.")
class LevelDaysInput:
    level: RiskLevelEnum = strawberry.field(description="The level.")
    days: int = strawberry.field(description="1 to 3650.")


@strawberry.input(description="Residual steps of one effectiveness rating.")
class EffectivenessStepsInput:
    effectiveness: ControlEffectivenessEnum = strawberry.field(description="The rating.")
    steps: int = strawberry.field(description="0 to 9.")


@strawberry.input(description="Changes to the register's rules: an omitted field is unchanged.")
class RegisterSettingsInput:
    review_cadence_days: list[LevelDaysInput] | None = strawberry.field(
        default=None, description="Levels to change; the others keep their cadence."
    )
    residual_steps: list[EffectivenessStepsInput] | None = strawberry.field(
        default=None, description="Ratings to change; the others keep their steps."
    )
    acceptance_max_days: int | None = strawberry.field(default=None, description="1 to 3650.")


@strawberry.type(description="The settings written, or why not.")
class RegisterSettingsPayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    settings: RegisterSettingsType | None = strawberry.field(default=None, description="Them.")


def _level(level: MatrixLevelInput) -> dict:
    out: dict = {"label": level.label, "description": level.description}
    for bound in ("min", "max"):
        if getattr(level, bound) is not None:
            out[bound] = str(getattr(level, bound))
    return out


def _merged(current: dict, changes: list | None, key: str, value: str) -> dict | None:
    """The stored mapping with the given rows changed (None: nothing to change)."""
    if changes is None:
        return None
    return {**current, **{getattr(row, key).value: getattr(row, value) for row in changes}}


@strawberry.type
class ConfigurationMutations:
    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Extend the taxonomy (admins; codes are permanent).",
    )
    def category_create(
        self,
        input: Annotated[CategoryCreateInput, strawberry.argument(description="The new category.")],
    ) -> CategoryPayload:
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

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin], description="Rename or describe a category (admins)."
    )
    def category_update(
        self,
        input: Annotated[
            CategoryUpdateInput, strawberry.argument(description="The category and its changes.")
        ],
    ) -> CategoryPayload:
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
        description="A new matrix version, inactive until matrixActivate (admins).",
    )
    def matrix_create(
        self, input: Annotated[MatrixCreateInput, strawberry.argument(description="The matrix.")]
    ) -> MatrixPayload:
        definition = {
            "likelihood": [_level(level) for level in input.likelihood_levels],
            "impact": [_level(level) for level in input.impact_levels],
            "grid": [[cell.value for cell in row] for row in input.grid],
            "colours": {c.level.value: c.colour for c in input.colours or []},
        }
        return run(
            MatrixPayload,
            lambda: {"matrix": configuration.matrix_create(name=input.name, definition=definition)},
            input=input,
            fields={"definition": None},
        )

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Switch matrices; every current rating is carried over (admins).",
    )
    def matrix_activate(
        self,
        info: Info,
        input: Annotated[MatrixActivateInput, strawberry.argument(description="The matrix.")],
    ) -> MatrixPayload:
        def call() -> dict:
            matrix, mapped = configuration.matrix_activate(
                matrix_id=pk_or_nothing(input.id, "RiskMatrix", RiskMatrix), actor=actor(info)
            )
            return {"matrix": matrix, "ratings_mapped": mapped}

        return run(MatrixPayload, call, input=input)

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="The highest acceptable level for a category and its children (admins); "
        "every risk's aboveAppetite flag is recomputed.",
    )
    def appetite_set(
        self,
        input: Annotated[
            AppetiteSetInput, strawberry.argument(description="The category and its appetite.")
        ],
    ) -> AppetitePayload:
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
        permission_classes=[IsTenantAdmin], description="Change the register's rules (admins)."
    )
    def register_settings_update(
        self,
        input: Annotated[
            RegisterSettingsInput, strawberry.argument(description="The rules to change.")
        ],
    ) -> RegisterSettingsPayload:
        current = register_settings()
        return run(
            RegisterSettingsPayload,
            lambda: {
                "settings": configuration.settings_update(
                    review_cadence_days=_merged(
                        current.review_cadence_days, input.review_cadence_days, "level", "days"
                    ),
                    residual_steps=_merged(
                        current.residual_steps, input.residual_steps, "effectiveness", "steps"
                    ),
                    acceptance_max_days=input.acceptance_max_days,
                )
            },
            input=input,
        )
