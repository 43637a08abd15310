"""Which plans a warning signal matches: the triggers of approved versions whose indicator,
indicator category or rule is the signal's, at a severity the signal reaches."""

from dataclasses import dataclass
from typing import Any

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
    plan: Any  # Plan, SeverityLevel (the trigger's, already joined)
    level: Any
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


class TriggerIndex:
    """Every trigger of the approved versions, read once, matched in memory: a page of signals
    asking for their suggested plans costs one statement (two with category triggers), not one
    per signal. Built per request (a version approved later is seen by the next request)."""

    def __init__(self) -> None:
        self.triggers = list(
            PlanTrigger.objects.filter(version__status=VersionStatus.APPROVED)
            .select_related("version__plan", "level")
            .order_by("level__rank", "version__plan__code", "created_at")
        )
        self._category_of: dict | None = None

    def _category(self, signal) -> Any:
        if type(signal).indicator.field.is_cached(signal):  # joined by the page already
            return signal.indicator.category_id
        if self._category_of is None:
            from apps.early_warning.selectors import indicators

            self._category_of = dict(indicators().order_by().values_list("pk", "category_id"))
        return self._category_of.get(signal.indicator_id)

    def suggested_plans(self, signal) -> list[Suggestion]:
        """As `suggested_plans(signal)`: one per plan, its most severe matching trigger."""
        reached = _reached(signal.severity)
        needs_category = any(t.kind == "category" for t in self.triggers)
        category = self._category(signal) if needs_category else None
        seen, out = set(), []
        for trigger in self.triggers:
            if trigger.severity not in reached:
                continue
            if not (
                (trigger.kind == "indicator" and trigger.indicator_id == signal.indicator_id)
                or (trigger.kind == "rule" and trigger.rule_id == signal.rule_id)
                or (trigger.kind == "category" and trigger.category_id == category)
            ):
                continue
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
