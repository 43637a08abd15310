from auditlog.registry import auditlog

from apps.reputation.models import (
    BrandMetric,
    CategorySla,
    Complaint,
    ComplaintSla,
    LexiconTerm,
    ReputationSettings,
    Source,
    Topic,
)

# Complaints and the rules that judge mentions and complaints are records an examiner asks
# about; mentions, stories and the daily figures are ingested or computed data (not audited
# row by row, like observations).
auditlog.register(Source, exclude_fields=["updated_at"])
auditlog.register(Complaint, exclude_fields=["updated_at"])
auditlog.register(ComplaintSla, exclude_fields=["updated_at"])
auditlog.register(LexiconTerm, exclude_fields=["updated_at"])
auditlog.register(Topic, exclude_fields=["updated_at"], m2m_fields={"risk_categories"})
auditlog.register(CategorySla, exclude_fields=["updated_at"])
auditlog.register(BrandMetric, exclude_fields=["updated_at"])
# `scored_with` is the scoring job's bookkeeping (what the stored scores were made with), not a
# setting anyone chooses: it is written by the job with a plain UPDATE and not audited.
auditlog.register(ReputationSettings, exclude_fields=["updated_at", "index_run_at", "scored_with"])
