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
    RiskLossEvent,
    RiskMatrix,
    RiskReview,
    TreatmentAction,
)

# The copies of the latest ratings are left out: the assessments that produce them are audited
# themselves. The current level and the above-appetite flag stay: a risk officer reads "level
# rose to critical" and "now above appetite" on the risk's own history (an appetite change moves
# the flag with no assessment at all).
DERIVED = [
    f"{kind}_{part}"
    for kind in ("inherent", "residual")
    for part in ("likelihood", "impact", "score", "level")
]
auditlog.register(
    Risk,
    exclude_fields=[*DERIVED, "updated_at"],
    m2m_fields={"related_risks"},
)
auditlog.register(Control, exclude_fields=["updated_at"], m2m_fields={"risks"})
# `daily_run_on` is the daily run's claim (one UPDATE decides who runs): bookkeeping, not policy.
auditlog.register(RegisterSettings, exclude_fields=["updated_at", "daily_run_on"])
for model in (
    RiskAssessment,
    RiskReview,
    TreatmentAction,
    RiskAcceptance,
    RiskAppetite,
    RiskLimit,
    RiskCategory,
    RiskMatrix,
    RiskLossEvent,
):
    auditlog.register(model, exclude_fields=["updated_at"])
