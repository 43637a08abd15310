from auditlog.registry import auditlog

from apps.emergency import models as m

# A plan's approval, an incident's handling and a drill's result are what an examiner asks for.
for model in (
    m.Scenario,
    m.SeverityLevel,
    m.Plan,
    m.PlanVersion,
    m.PlanRole,
    m.PlanStep,
    m.PlanTrigger,
    m.LevelStrategy,
    m.PlanResource,
    m.CommunicationRule,
    m.Activation,
    m.ActivationTask,
    m.ActivationRole,
    m.Communication,
    m.RegulatorReport,
    m.Drill,
    m.DrillFinding,
):
    auditlog.register(model, exclude_fields=["updated_at"])
# The timeline is itself an append-only record (who, when, what); no second trail for it.
