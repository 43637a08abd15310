from auditlog.registry import auditlog

from apps.training.models import (
    CampaignReach,
    Course,
    EducationCampaign,
    Enrolment,
    Exemption,
    Requirement,
    TrainingOwner,
    TrainingRecord,
    TrainingSession,
    TrainingSettings,
)

# Who changed a course, an obligation or a result is what an examiner asks first.
auditlog.register(Course, exclude_fields=["updated_at"])
auditlog.register(Requirement, exclude_fields=["updated_at"])
auditlog.register(TrainingRecord, exclude_fields=["updated_at"])
auditlog.register(Exemption, exclude_fields=["updated_at"])
auditlog.register(
    TrainingSettings, exclude_fields=["updated_at", "indicators_run_on", "reminders_run_on"]
)
auditlog.register(TrainingSession, exclude_fields=["updated_at"])
auditlog.register(Enrolment, exclude_fields=["updated_at"])
auditlog.register(EducationCampaign, exclude_fields=["updated_at"])
auditlog.register(TrainingOwner, exclude_fields=["updated_at"])
auditlog.register(CampaignReach, exclude_fields=["updated_at"])
