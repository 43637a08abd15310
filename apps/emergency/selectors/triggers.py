"""Which plans a warning signal matches: the triggers of approved versions whose indicator,
indicator category or rule is the signal's, at a severity the signal reaches."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.early_warning.selectors import LIVE_STATUSES, signals
from apps.emergency.models import Activation, PlanTrigger, VersionStatus


def _reached(severity: str) -> list[str]:
    """Trigger severities a signal of `severity` reaches (a red signal reaches amber ones)."""
    return ["amber", "red"] if severity == "red" else ["amber"]


def matching_triggers(signal) -> QuerySet[PlanTrigger]:
    """Triggers of approved versions the signal matches, the most severe level first."""
    return (
        PlanTrigger.objects.filter(version__status=VersionStatus.APPROVED)
        .filter(
            Q(kind="indicator", indicator_id=signal.indicator_id)
            | Q(kind="rule", rule_id=signal.rule_id)
            | Q(kind="category", category_id=signal.indicator.category_id)
        )
        .filter(severity__in=_reached(signal.severity))
        .select_related("version__plan", "level")
        .order_by("level__rank", "version__plan__code", "created_at")
    )


@dataclass(frozen=True)
class Suggestion:
    plan: object
    level: object
    trigger: PlanTrigger
    automatic: bool


def suggested_plans(signal) -> list[Suggestion]:
    """One suggestion per plan: its most severe matching trigger."""
    seen, out = set(), []
    for trigger in matching_triggers(signal):
        plan = trigger.version.plan
        if plan.pk in seen:
            continue
        seen.add(plan.pk)
        out.append(Suggestion(plan, trigger.level, trigger, trigger.automatic))
    return out


def signals_to_activate() -> QuerySet:
    """Live red signals an automatic trigger matches and no activation names yet."""
    automatic = PlanTrigger.objects.filter(
        version__status=VersionStatus.APPROVED, automatic=True, severity="red"
    ).filter(
        Q(kind="indicator", indicator_id=OuterRef("indicator_id"))
        | Q(kind="rule", rule_id=OuterRef("rule_id"))
        | Q(kind="category", category_id=OuterRef("indicator__category_id"))
    )
    return (
        signals()
        .filter(severity="red", status__in=LIVE_STATUSES)
        .filter(Exists(automatic))
        .exclude(Exists(Activation.objects.filter(signal_id=OuterRef("pk"))))
        .select_related("indicator")
        .order_by("first_triggered_at", "id")
    )
