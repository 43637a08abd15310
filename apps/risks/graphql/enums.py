"""The register's closed sets as GraphQL enums, every value described (docs/graphql.md).

Enums come from the models' TextChoices (never typed twice) through core's `choices_enum`; a
value's description is written here where the label alone does not say enough, else it is the
label.
"""

from typing import TYPE_CHECKING

from apps.core.graphql.errors import choices_enum
from apps.risks import models as m
from apps.risks.levels import RiskLevel

# Built from the models' choices at run time (each value described); to the type checker they
# are the model enums themselves (the pattern of apps/accounts/graphql/types.py).
if TYPE_CHECKING:
    RiskLevelEnum = RiskLevel
    RiskStatusEnum = m.RiskStatus
    RiskSourceEnum = m.RiskSource
    TreatmentStrategyEnum = m.TreatmentStrategy
    AssessmentKindEnum = m.AssessmentKind
    AssessmentMethodEnum = m.AssessmentMethod
    ControlTypeEnum = m.ControlType
    ControlKindEnum = m.ControlKind
    ControlEffectivenessEnum = m.ControlEffectiveness
    ActionStatusEnum = m.ActionStatus
    AcceptanceStatusEnum = m.AcceptanceStatus
else:
    RiskLevelEnum = choices_enum(
        RiskLevel,
        "RiskLevel",
        "The level a matrix cell maps to, lowest first.",
        descriptions={
            RiskLevel.LOW: "Low: within any appetite.",
            RiskLevel.CRITICAL: "Critical: the highest level.",
        },
    )
    RiskStatusEnum = choices_enum(
        m.RiskStatus,
        "RiskStatus",
        "Where a risk stands in its lifecycle (`allowedTransitions` lists the next ones).",
        descriptions={
            m.RiskStatus.DRAFT: "Being written; not yet in the register's reports.",
            m.RiskStatus.OPEN: "Identified and in the register.",
            m.RiskStatus.IN_TREATMENT: "Actions are under way to reduce it.",
            m.RiskStatus.ACCEPTED: "Accepted until a date by an approved acceptance "
            "(reached only that way).",
            m.RiskStatus.CLOSED: "No longer relevant; kept for the record.",
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
        descriptions={
            m.AssessmentKind.INHERENT: "Before controls.",
            m.AssessmentKind.RESIDUAL: "After controls.",
        },
    )
    AssessmentMethodEnum = choices_enum(
        m.AssessmentMethod,
        "AssessmentMethod",
        "How a rating was arrived at.",
        descriptions={
            m.AssessmentMethod.MATRIX_MIGRATION: "Carried over to a new matrix by matrixActivate "
            "(not for input).",
        },
    )
    ControlTypeEnum = choices_enum(
        m.ControlType,
        "ControlType",
        "What a control does about a risk.",
        descriptions={
            m.ControlType.PREVENTIVE: "Prevents it: lowers the residual likelihood.",
            m.ControlType.DETECTIVE: "Detects it: lowers the residual impact.",
            m.ControlType.CORRECTIVE: "Corrects it: lowers the residual impact.",
        },
    )
    ControlKindEnum = choices_enum(m.ControlKind, "ControlKind", "The form a control takes.")
    ControlEffectivenessEnum = choices_enum(
        m.ControlEffectiveness,
        "ControlEffectiveness",
        "How well a control works when tested (register settings say what each is worth).",
    )
    ActionStatusEnum = choices_enum(
        m.ActionStatus, "ActionStatus", "Where a treatment action stands."
    )
    AcceptanceStatusEnum = choices_enum(
        m.AcceptanceStatus,
        "AcceptanceStatus",
        "Where a risk acceptance stands.",
        descriptions={
            m.AcceptanceStatus.REQUESTED: "Asked for; waiting for a risk manager's decision.",
            m.AcceptanceStatus.APPROVED: "In force until its expiry.",
            m.AcceptanceStatus.REJECTED: "Refused by a risk manager.",
            m.AcceptanceStatus.VOIDED: "Ended by a material change of the risk "
            "(reached only that way).",
            m.AcceptanceStatus.EXPIRED: "Ended by its expiry date (reached only that way).",
        },
    )
