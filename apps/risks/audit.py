from auditlog.registry import auditlog

from apps.risks.models import (
    Control,
    RegisterSettings,
    Risk,
    RiskAcceptance,
    RiskAppetite,
    RiskAssessment,
    RiskCategory,
    RiskLimit,
    RiskMatrix,
    RiskReview,
    TreatmentAction,
)

# Derived columns (copies of the latest ratings, flags) are left out: the assessments that
# produce them are audited themselves.
DERIVED = [
    f"{kind}_{part}"
    for kind in ("inherent", "residual")
    for part in ("likelihood", "impact", "score", "level")
]
auditlog.register(
    Risk,
    exclude_fields=[*DERIVED, "current_level", "above_appetite", "updated_at"],
    m2m_fields={"related_risks"},
)
auditlog.register(Control, exclude_fields=["updated_at"], m2m_fields={"risks"})
for model in (
    RiskAssessment,
    RiskReview,
    TreatmentAction,
    RiskAcceptance,
    RiskAppetite,
    RiskLimit,
    RiskCategory,
    RiskMatrix,
    RegisterSettings,
):
    auditlog.register(model, exclude_fields=["updated_at"])
