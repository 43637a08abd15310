from auditlog.registry import auditlog

from apps.assessments.models import (
    AssessmentRun,
    Dataset,
    DatasetVersion,
    RegisterMapping,
    ReserveAdequacy,
    ReserveFund,
    ReserveMovement,
    RunSchedule,
    Scorecard,
)

# Which data a run used, who started or cancelled it, and which scorecard it fitted is what a
# model validator asks first. Result rows are written once by the run and never changed.
auditlog.register(Dataset, exclude_fields=["updated_at"])
auditlog.register(DatasetVersion, exclude_fields=["updated_at"])
auditlog.register(AssessmentRun, exclude_fields=["updated_at"])
auditlog.register(Scorecard, exclude_fields=["updated_at"])
auditlog.register(RegisterMapping, exclude_fields=["updated_at"])  # how runs rate risks
auditlog.register(RunSchedule, exclude_fields=["updated_at"])
# The reserve's money: every fund change, proposal and decision (maker and checker by name).
auditlog.register(ReserveFund, exclude_fields=["updated_at"])
auditlog.register(ReserveMovement, exclude_fields=["updated_at"])
auditlog.register(ReserveAdequacy, exclude_fields=["updated_at"])
