from apps.risks.models.acceptance import AcceptanceStatus, RiskAcceptance
from apps.risks.models.appetite import RiskAppetite, RiskLimit
from apps.risks.models.controls import (
    ActionStatus,
    Control,
    ControlEffectiveness,
    ControlKind,
    ControlType,
    TreatmentAction,
)
from apps.risks.models.losses import RiskLossEvent
from apps.risks.models.register import (
    AssessmentKind,
    AssessmentMethod,
    Risk,
    RiskAssessment,
    RiskReview,
    RiskSource,
    RiskStatus,
    TreatmentStrategy,
)
from apps.risks.models.setup import RegisterSettings, RiskCategory, RiskMatrix

__all__ = [
    "AcceptanceStatus",
    "ActionStatus",
    "AssessmentKind",
    "AssessmentMethod",
    "Control",
    "ControlEffectiveness",
    "ControlKind",
    "ControlType",
    "RegisterSettings",
    "Risk",
    "RiskAcceptance",
    "RiskAppetite",
    "RiskAssessment",
    "RiskCategory",
    "RiskLimit",
    "RiskLossEvent",
    "RiskMatrix",
    "RiskReview",
    "RiskSource",
    "RiskStatus",
    "TreatmentAction",
    "TreatmentStrategy",
]
