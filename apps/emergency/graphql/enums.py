"""GraphQL enums generated from the models' TextChoices (never typed twice), each value
described by its label."""

from enum import Enum
from typing import TYPE_CHECKING

import strawberry
from django.db import models

from apps.emergency import models as m


def choices_enum(choices: type[models.TextChoices], name: str, description: str) -> type[Enum]:
    members = {c.name: strawberry.enum_value(c.value, description=f"{c.label}.") for c in choices}
    return strawberry.enum(Enum(name, members), name=name, description=description)  # type: ignore[call-overload]


# To the type checker the GraphQL enums are the model choices themselves (same members and
# values); at run time they are built from those choices, each value described by its label.
if TYPE_CHECKING:
    VersionStatusEnum = m.VersionStatus
    PhaseEnum = m.Phase
    RoleKindEnum = m.RoleKind
    TriggerKindEnum = m.TriggerKind
    ResourceKindEnum = m.ResourceKind
    AudienceEnum = m.Audience
    ChannelEnum = m.Channel
    ActivationStatusEnum = m.ActivationStatus
    ActivationSourceEnum = m.ActivationSource
    TaskStatusEnum = m.TaskStatus
    EventKindEnum = m.EventKind
    DrillKindEnum = m.DrillKind
    DrillStatusEnum = m.DrillStatus
    DrillResultEnum = m.DrillResult
    FindingSeverityEnum = m.FindingSeverity
    FindingStatusEnum = m.FindingStatus
else:
    VersionStatusEnum = choices_enum(
        m.VersionStatus, "PlanVersionStatus", "Where a version stands."
    )
    PhaseEnum = choices_enum(m.Phase, "EmergencyPhase", "The phase of the response a step is in.")
    RoleKindEnum = choices_enum(m.RoleKind, "EmergencyRole", "A role of the response organisation.")
    TriggerKindEnum = choices_enum(m.TriggerKind, "PlanTriggerKind", "What a trigger watches.")
    ResourceKindEnum = choices_enum(m.ResourceKind, "PlanResourceKind", "What a resource is.")
    AudienceEnum = choices_enum(m.Audience, "EmergencyAudience", "Who is told.")
    ChannelEnum = choices_enum(m.Channel, "EmergencyChannel", "How they are told.")
    ActivationStatusEnum = choices_enum(
        m.ActivationStatus, "ActivationStatus", "Where an activation stands."
    )
    ActivationSourceEnum = choices_enum(
        m.ActivationSource, "ActivationSource", "How an activation started."
    )
    TaskStatusEnum = choices_enum(m.TaskStatus, "ActivationTaskStatus", "Where a task stands.")
    EventKindEnum = choices_enum(m.EventKind, "TimelineEventKind", "What a timeline entry records.")
    DrillKindEnum = choices_enum(m.DrillKind, "DrillKind", "The type of drill.")
    DrillStatusEnum = choices_enum(m.DrillStatus, "DrillStatus", "Where a drill stands.")
    DrillResultEnum = choices_enum(m.DrillResult, "DrillResult", "How a drill went.")
    FindingSeverityEnum = choices_enum(m.FindingSeverity, "FindingSeverity", "How serious.")
    FindingStatusEnum = choices_enum(m.FindingStatus, "FindingStatus", "Where a finding stands.")


@strawberry.enum(name="TriggerSeverity", description="The signal severity a trigger waits for.")
class TriggerSeverityEnum(Enum):
    AMBER = strawberry.enum_value("amber", description="Amber or red signals.")
    RED = strawberry.enum_value("red", description="Red signals only.")


@strawberry.enum(name="RegulatorReportOutcome", description="A report against its deadline.")
class ReportOutcomeEnum(Enum):
    PENDING = strawberry.enum_value("pending", description="Not submitted; not yet due.")
    MET = strawberry.enum_value("met", description="Submitted by the deadline.")
    MISSED = strawberry.enum_value("missed", description="Submitted late, or due and not sent.")


@strawberry.enum(name="EmergencyReportFormat", description="The file an emergency report is.")
class ReportFormatEnum(Enum):
    PDF = strawberry.enum_value("pdf", description="PDF (Chinese text in STSong).")
    XLSX = strawberry.enum_value("xlsx", description="Excel workbook, one sheet per section.")
