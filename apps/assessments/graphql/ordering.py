"""`orderBy: [XOrder!]` keys of the assessments lists (docs/graphql.md, "Lists are connections").

Each list's default order (used when `orderBy` is null or empty) is named in its argument's
description and given to `apply_order` next to it in queries.py."""

from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from apps.core.graphql.ordering import OrderKey, order_input


@strawberry.enum(name="AssessmentDatasetOrderField", description="What datasets sort by.")
class DatasetOrderField(Enum):
    NAME = strawberry.enum_value("name", description="The name.")
    KIND = strawberry.enum_value("kind", description="The kind (its stored value).")
    CREATED = strawberry.enum_value("created_at", description="When it was made.")


@strawberry.enum(
    name="AssessmentDatasetVersionOrderField", description="What dataset versions sort by."
)
class VersionOrderField(Enum):
    DATASET = strawberry.enum_value("dataset__name", description="The dataset's name.")
    NUMBER = strawberry.enum_value("number", description="The version number.")
    ROWS = strawberry.enum_value("row_count", description="How many rows it has.")
    CREATED = strawberry.enum_value("created_at", description="When it was uploaded.")


@strawberry.enum(name="ScorecardOrderField", description="What scorecards sort by.")
class ScorecardOrderField(Enum):
    NAME = strawberry.enum_value("name", description="The name.")
    VERSION = strawberry.enum_value("version", description="The version number.")
    CREATED = strawberry.enum_value("created_at", description="When it was fitted.")


@strawberry.enum(name="AssessmentRunOrderField", description="What runs sort by.")
class RunOrderField(Enum):
    CREATED = strawberry.enum_value("created_at", description="When it was asked for.")
    FINISHED = strawberry.enum_value("finished_at", description="When it ended (unended last).")
    KIND = strawberry.enum_value("kind", description="The kind (its stored value).")
    STATUS = strawberry.enum_value("status", description="The status (its stored value).")


if TYPE_CHECKING:
    DatasetOrder = OrderKey
    VersionOrder = OrderKey
    ScorecardOrder = OrderKey
    RunOrder = OrderKey
else:
    DatasetOrder = order_input(
        "AssessmentDatasetOrder", DatasetOrderField, description="One sort key of datasets."
    )
    VersionOrder = order_input(
        "AssessmentDatasetVersionOrder",
        VersionOrderField,
        description="One sort key of dataset versions.",
    )
    ScorecardOrder = order_input(
        "ScorecardOrder", ScorecardOrderField, description="One sort key of scorecards."
    )
    RunOrder = order_input("AssessmentRunOrder", RunOrderField, description="One sort key of runs.")
