"""Sort keys of the emergency lists: `orderBy: [XOrder!]` (docs/graphql.md), one `XOrderField`
enum per kind of row. A member's value is its column; keys of more than one column, or across
a relation, are in the `*_COLUMNS` maps. Every order ends with the primary key."""

from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from apps.core.graphql.ordering import OrderKey, order_input


def _value(column: str, description: str):
    return strawberry.enum_value(column, description=description)


@strawberry.enum(name="EmergencyScenarioOrderField", description="What scenarios sort by.")
class ScenarioOrderField(Enum):
    CODE = _value("code", "The code.")
    NAME = _value("name", "The name.")


@strawberry.enum(name="SeverityLevelOrderField", description="What severity levels sort by.")
class SeverityLevelOrderField(Enum):
    RANK = _value("rank", "The rank (1: most severe).")
    CODE = _value("code", "The code.")


@strawberry.enum(name="EmergencyPlanOrderField", description="What the plan list sorts by.")
class PlanOrderField(Enum):
    CODE = _value("code", "The code.")
    NAME = _value("name", "The name.")
    REVIEW_DUE = _value("review_due_on", "The review date (none last).")
    CREATED = _value("created_at", "When it was added.")


@strawberry.enum(name="ActivationOrderField", description="What the activation list sorts by.")
class ActivationOrderField(Enum):
    DECLARED = _value("declared_at", "When declared.")
    DETECTED = _value("detected_at", "When detected.")
    LEVEL = _value("level", "The level's rank (ASC: most severe first).")
    STATUS = _value("status", "The status.")


@strawberry.enum(name="DrillOrderField", description="What the drill list sorts by.")
class DrillOrderField(Enum):
    SCHEDULED = _value("scheduled_on", "The scheduled date.")
    HELD = _value("held_on", "The date held (not held last).")
    STATUS = _value("status", "The status.")


@strawberry.enum(name="PlanVersionOrderField", description="What a plan's versions sort by.")
class PlanVersionOrderField(Enum):
    NUMBER = _value("number", "The version number.")
    CREATED = _value("created_at", "When it was created.")


@strawberry.enum(name="PlanRoleOrderField", description="What a version's roles sort by.")
class PlanRoleOrderField(Enum):
    ROLE = _value("role", "The role.")
    PERSON = _value("person", "The holder's name.")


@strawberry.enum(name="PlanStepOrderField", description="What a version's steps sort by.")
class PlanStepOrderField(Enum):
    POSITION = _value("position", "The position.")
    TIME_TARGET = _value("time_target_minutes", "The time target.")


@strawberry.enum(name="PlanTriggerOrderField", description="What a version's triggers sort by.")
class PlanTriggerOrderField(Enum):
    CREATED = _value("created_at", "When it was added.")
    KIND = _value("kind", "What it watches.")
    LEVEL = _value("level", "The level's rank (ASC: most severe first).")


@strawberry.enum(
    name="PlanLevelStrategyOrderField", description="What a version's strategies sort by."
)
class PlanLevelStrategyOrderField(Enum):
    LEVEL = _value("level", "The level's rank (ASC: most severe first).")


@strawberry.enum(name="PlanResourceOrderField", description="What a version's resources sort by.")
class PlanResourceOrderField(Enum):
    KIND = _value("kind", "What it is, then the name.")
    NAME = _value("name", "The name.")


@strawberry.enum(
    name="PlanCommunicationOrderField",
    description="What a version's communications plan sorts by.",
)
class PlanCommunicationOrderField(Enum):
    AUDIENCE = _value("audience", "Who is told.")
    DEADLINE = _value("deadline_minutes", "The deadline (none last).")


@strawberry.enum(name="ActivationTaskOrderField", description="What an activation's tasks sort by.")
class ActivationTaskOrderField(Enum):
    POSITION = _value("position", "The step's position.")
    DUE = _value("due_at", "The due time.")
    STATUS = _value("status", "The status.")


@strawberry.enum(
    name="ActivationRoleOrderField", description="What an activation's role terms sort by."
)
class ActivationRoleOrderField(Enum):
    ROLE = _value("role", "The role.")
    STARTED = _value("started_at", "Start of the term.")


@strawberry.enum(name="TimelineEventOrderField", description="What a timeline sorts by.")
class TimelineEventOrderField(Enum):
    AT = _value("at", "When it happened (then when recorded).")
    PINNED = _value("pinned", "Pinned (ASC: unpinned first).")


@strawberry.enum(
    name="ActivationCommunicationOrderField",
    description="What an activation's communications sort by.",
)
class CommunicationOrderField(Enum):
    SENT = _value("sent_at", "When sent.")
    AUDIENCE = _value("audience", "Who was told.")


@strawberry.enum(
    name="RegulatorReportOrderField", description="What an activation's regulator reports sort by."
)
class RegulatorReportOrderField(Enum):
    DUE = _value("due_at", "The deadline.")
    SUBMITTED = _value("submitted_at", "When submitted (not submitted last).")


@strawberry.enum(name="DrillFindingOrderField", description="What a drill's findings sort by.")
class DrillFindingOrderField(Enum):
    CREATED = _value("created_at", "When recorded.")
    SEVERITY = _value("severity", "The severity.")
    DUE = _value("due_on", "The follow-up date (none last).")
    STATUS = _value("status", "The status.")


@strawberry.enum(name="DrillStepTimingOrderField", description="What a drill's timings sort by.")
class DrillStepTimingOrderField(Enum):
    POSITION = _value("position", "The plan step's position.")
    STARTED = _value("started_minutes", "When started (not started last).")


# Keys over a relation or of more than one column (each in the key's direction).
LEVEL_RANK = {"level": ("level__rank",)}
ROLE_COLUMNS = {"person": ("person__full_name",)}
RESOURCE_COLUMNS = {"kind": ("kind", "name")}
TIMELINE_COLUMNS = {"at": ("at", "created_at")}

if TYPE_CHECKING:  # built at run time by order_input
    ScenarioOrder = OrderKey
    SeverityLevelOrder = OrderKey
    PlanOrder = OrderKey
    ActivationOrder = OrderKey
    DrillOrder = OrderKey
    PlanVersionOrder = OrderKey
    PlanRoleOrder = OrderKey
    PlanStepOrder = OrderKey
    PlanTriggerOrder = OrderKey
    PlanLevelStrategyOrder = OrderKey
    PlanResourceOrder = OrderKey
    PlanCommunicationOrder = OrderKey
    ActivationTaskOrder = OrderKey
    ActivationRoleOrder = OrderKey
    TimelineEventOrder = OrderKey
    CommunicationOrder = OrderKey
    RegulatorReportOrder = OrderKey
    DrillFindingOrder = OrderKey
    DrillStepTimingOrder = OrderKey
else:
    ScenarioOrder = order_input(
        "EmergencyScenarioOrder", ScenarioOrderField, description="One sort key of scenarios."
    )
    SeverityLevelOrder = order_input(
        "SeverityLevelOrder", SeverityLevelOrderField, description="One sort key of levels."
    )
    PlanOrder = order_input(
        "EmergencyPlanOrder", PlanOrderField, description="One sort key of the plan list."
    )
    ActivationOrder = order_input(
        "ActivationOrder", ActivationOrderField, description="One sort key of activations."
    )
    DrillOrder = order_input("DrillOrder", DrillOrderField, description="One sort key of drills.")
    PlanVersionOrder = order_input(
        "PlanVersionOrder", PlanVersionOrderField, description="One sort key of versions."
    )
    PlanRoleOrder = order_input(
        "PlanRoleOrder", PlanRoleOrderField, description="One sort key of a version's roles."
    )
    PlanStepOrder = order_input(
        "PlanStepOrder", PlanStepOrderField, description="One sort key of a version's steps."
    )
    PlanTriggerOrder = order_input(
        "PlanTriggerOrder", PlanTriggerOrderField, description="One sort key of triggers."
    )
    PlanLevelStrategyOrder = order_input(
        "PlanLevelStrategyOrder",
        PlanLevelStrategyOrderField,
        description="One sort key of strategies.",
    )
    PlanResourceOrder = order_input(
        "PlanResourceOrder", PlanResourceOrderField, description="One sort key of resources."
    )
    PlanCommunicationOrder = order_input(
        "PlanCommunicationOrder",
        PlanCommunicationOrderField,
        description="One sort key of the communications plan.",
    )
    ActivationTaskOrder = order_input(
        "ActivationTaskOrder", ActivationTaskOrderField, description="One sort key of tasks."
    )
    ActivationRoleOrder = order_input(
        "ActivationRoleOrder", ActivationRoleOrderField, description="One sort key of terms."
    )
    TimelineEventOrder = order_input(
        "TimelineEventOrder", TimelineEventOrderField, description="One sort key of a timeline."
    )
    CommunicationOrder = order_input(
        "ActivationCommunicationOrder",
        CommunicationOrderField,
        description="One sort key of communications.",
    )
    RegulatorReportOrder = order_input(
        "RegulatorReportOrder",
        RegulatorReportOrderField,
        description="One sort key of regulator reports.",
    )
    DrillFindingOrder = order_input(
        "DrillFindingOrder", DrillFindingOrderField, description="One sort key of findings."
    )
    DrillStepTimingOrder = order_input(
        "DrillStepTimingOrder", DrillStepTimingOrderField, description="One sort key of timings."
    )
