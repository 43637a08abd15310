"""Aggregates of the register: the heatmap, summaries, counts by status for inbox badges."""

import datetime as dt

import strawberry

from apps.risks.graphql.enums import AcceptanceStatusEnum, ActionStatusEnum, RiskLevelEnum
from apps.risks.graphql.types_setup import RiskCategoryType


@strawberry.type(name="HeatmapCell", description="A cell of the active matrix and its risks.")
class HeatmapCellType:
    likelihood: int = strawberry.field(
        description="Likelihood step (filter by it: RiskFilter.inherentLikelihood or "
        "residualLikelihood, as the heatmap's kind)."
    )
    impact: int = strawberry.field(description="Impact step.")
    level: RiskLevelEnum = strawberry.field(description="The level of the cell.")
    count: int = strawberry.field(description="How many risks sit in it.")


@strawberry.type(name="LevelCount", description="How many risks are at a level.")
class LevelCountType:
    level: RiskLevelEnum | None = strawberry.field(description="The level; null: unassessed.")
    count: int = strawberry.field(description="How many.")


@strawberry.type(name="CategoryLevelCounts", description="A top-level category's risks by level.")
class CategoryLevelCountsType:
    category: RiskCategoryType = strawberry.field(description="The top-level category.")
    counts: list[LevelCountType] = strawberry.field(
        description="Levels present, lowest first, unassessed last."
    )


@strawberry.type(name="LevelTrendPoint", description="Risks by level at the end of a month.")
class LevelTrendPointType:
    date: dt.date = strawberry.field(description="The day counted (a month's last, or today).")
    counts: list[LevelCountType] = strawberry.field(description="Every level, lowest first.")


@strawberry.type(name="RiskSummary", description="The register by category and level, and trend.")
class RiskSummaryType:
    by_category: list[CategoryLevelCountsType] = strawberry.field(
        description="Open register (not closed) by top-level category × current level."
    )
    trend: list[LevelTrendPointType] = strawberry.field(
        description="Levels at the end of each month, then today."
    )


@strawberry.type(name="ActionStatusCount", description="How many actions have a status.")
class ActionStatusCountType:
    status: ActionStatusEnum = strawberry.field(description="The status.")
    count: int = strawberry.field(description="How many (zero included).")


@strawberry.type(name="AcceptanceStatusCount", description="How many acceptances have a status.")
class AcceptanceStatusCountType:
    status: AcceptanceStatusEnum = strawberry.field(description="The status.")
    count: int = strawberry.field(description="How many (zero included).")


@strawberry.type(name="ExportedFile", description="A file, base64-encoded.")
class ExportedFileType:
    filename: str = strawberry.field(description="Suggested file name.")
    content_type: str = strawberry.field(description="Its MIME type.")
    content_base64: str = strawberry.field(description="The content, base64.")
    row_count: int = strawberry.field(description="Data rows written.")
