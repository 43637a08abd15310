"""`WarningSignal.suggestedPlans`: the field lives here; the early-warning type only mounts it
(one line there), so the emergency module owns its matching and its cost."""

import strawberry
import strawberry_django
from strawberry.types import Info

from apps.emergency.graphql.types import PlanTriggerType, PlanType, SeverityLevelType
from apps.emergency.selectors.triggers import TriggerIndex

MAX_SUGGESTIONS = 20


@strawberry.type(name="SuggestedPlan", description="A plan a warning signal's match suggests.")
class SuggestedPlanType:
    plan: PlanType = strawberry.field(description="The plan (its approved version matched).")
    level: SeverityLevelType = strawberry.field(description="The level the trigger maps to.")
    trigger: PlanTriggerType = strawberry.field(description="The most severe matching trigger.")
    automatic: bool = strawberry.field(
        description="The trigger is automatic: a red signal activates the plan by itself."
    )


def _index(info: Info) -> TriggerIndex:
    """One index per request, kept on the request: every signal of the page shares it."""
    request = info.context.request
    index = getattr(request, "_emergency_trigger_index", None)
    if index is None:
        index = TriggerIndex()
        request._emergency_trigger_index = index
    return index


def _resolve(root, info: Info) -> list[SuggestedPlanType]:
    return [
        SuggestedPlanType(plan=s.plan, level=s.level, trigger=s.trigger, automatic=s.automatic)  # type: ignore[arg-type]
        for s in _index(info).suggested_plans(root)[:MAX_SUGGESTIONS]
    ]


suggested_plans_field = strawberry_django.field(
    resolver=_resolve,
    only=["severity", "indicator_id", "rule_id"],  # what matching reads (the page may defer)
    description=f"Emergency plans whose triggers this signal matches, most severe level first "
    f"(at most {MAX_SUGGESTIONS}).",
)
