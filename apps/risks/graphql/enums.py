"""The register's closed sets as GraphQL enums, every value described (docs/graphql.md).

Enums come from the models' TextChoices (never typed twice); a value's description is written
here where the label alone does not say enough, else it is the label.
"""

from enum import Enum

import strawberry

from apps.risks import models as m
from apps.risks.levels import RiskLevel


def choices_enum(
    choices: type[Enum], name: str, description: str, descriptions: dict | None = None
) -> type[Enum]:
    """`strawberry.enum(choices)` with a description on the enum and on every value."""
    strawberry.enum(choices, name=name, description=description)
    labels = {member.name: str(getattr(member, "label", member.name)) for member in choices}
    for value in choices.__strawberry_definition__.values:  # type: ignore[attr-defined]
        text = (descriptions or {}).get(value.name) or labels[value.name]
        value.description = text if text.endswith(".") else f"{text}."
    return choices


RiskLevelEnum = choices_enum(
    RiskLevel,
    "RiskLevel",
    "The level a matrix cell maps to, lowest first.",
    {"LOW": "Low: within any appetite", "CRITICAL": "Critical: the highest level"},
)
RiskStatusEnum = choices_enum(
    m.RiskStatus,
    "RiskStatus",
    "Where a risk stands in its lifecycle (`allowedTransitions` lists the next ones).",
    {
        "DRAFT": "Being written; not yet in the register's reports",
        "OPEN": "Identified and in the register",
        "IN_TREATMENT": "Actions are under way to reduce it",
        "ACCEPTED": "Accepted until a date by an approved acceptance (reached only that way)",
        "CLOSED": "No longer relevant; kept for the record",
    },
)
RiskSourceEnum = choices_enum(m.RiskSource, "RiskSource", "Where a risk comes from.")
TreatmentStrategyEnum = choices_enum(
    m.TreatmentStrategy, "TreatmentStrategy", "How a risk is treated."
)
AssessmentKindEnum = choices_enum(
    m.AssessmentKind,
    "AssessmentKind",
    "Which rating an assessment records.",
    {"INHERENT": "Before controls", "RESIDUAL": "After controls"},
)
AssessmentMethodEnum = choices_enum(
    m.AssessmentMethod,
    "AssessmentMethod",
    "How a rating was arrived at.",
    {"MATRIX_MIGRATION": "Carried over to a new matrix by matrixActivate (not for input)"},
)
ControlTypeEnum = choices_enum(
    m.ControlType,
    "ControlType",
    "What a control does about a risk.",
    {
        "PREVENTIVE": "Prevents it: lowers the residual likelihood",
        "DETECTIVE": "Detects it: lowers the residual impact",
        "CORRECTIVE": "Corrects it: lowers the residual impact",
    },
)
ControlKindEnum = choices_enum(m.ControlKind, "ControlKind", "The form a control takes.")
ControlEffectivenessEnum = choices_enum(
    m.ControlEffectiveness,
    "ControlEffectiveness",
    "How well a control works when tested (register settings say what each is worth).",
)
ActionStatusEnum = choices_enum(m.ActionStatus, "ActionStatus", "Where a treatment action stands.")
AcceptanceStatusEnum = choices_enum(
    m.AcceptanceStatus,
    "AcceptanceStatus",
    "Where a risk acceptance stands.",
    {
        "REQUESTED": "Asked for; waiting for a risk manager's decision",
        "APPROVED": "In force until its expiry",
        "REJECTED": "Refused by a risk manager",
        "VOIDED": "Ended by a material change of the risk (reached only that way)",
        "EXPIRED": "Ended by its expiry date (reached only that way)",
    },
)
