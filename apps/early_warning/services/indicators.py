"""Indicators and their rules: created and changed here, with their parameters checked."""

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.validation import refusal
from apps.early_warning.errors import WarningErrorCode as Code
from apps.early_warning.models import (
    DataSource,
    Direction,
    Indicator,
    Rule,
    RuleKind,
    ThresholdMode,
    WarningSettings,
)

INDICATOR_FIELDS = [
    "code",
    "name",
    "description",
    "category_id",
    "data_source",
    "unit",
    "direction",
    "frequency_minutes",
    "stale_after_minutes",
    "responsible_ids",
    "threshold_mode",
    "amber",
    "red",
    "dynamic_window",
    "dynamic_amber",
    "dynamic_red",
    "resolve_after_green",
    "is_active",
]

# kind → {param: (type, minimum, maximum, default)}; None default = required.
RULE_PARAMS: dict[str, dict[str, tuple[type, float, float, Any]]] = {
    RuleKind.THRESHOLD: {},
    RuleKind.SUSTAINED: {"periods": (int, 2, 1000, 3)},
    RuleKind.RATE_OF_CHANGE: {
        "window_minutes": (int, 1, 525_600, None),
        "amber_pct": (float, 0, 10_000, None),
        "red_pct": (float, 0, 10_000, None),
    },
    RuleKind.ZSCORE: {
        "window": (int, 3, 2000, 30),
        "amber_z": (float, 0, 100, 2.0),
        "red_z": (float, 0, 100, 3.0),
    },
    RuleKind.EWMA: {
        "alpha": (float, 0.001, 1, 0.3),
        "amber_k": (float, 0, 100, 2.0),
        "red_k": (float, 0, 100, 3.0),
        "warmup": (int, 3, 2000, 10),
    },
    RuleKind.MISSING_DATA: {},
}


def refuse(field: str | None, message: str, code: Code = Code.INVALID) -> ValidationError:
    return refusal(field, message, code)


def warning_settings() -> WarningSettings:
    return WarningSettings.objects.first() or WarningSettings.objects.create()


def settings_update(*, escalate_red_after_minutes: int) -> WarningSettings:
    if not 1 <= escalate_red_after_minutes <= 10_080:
        raise refuse("escalate_red_after_minutes", "1 minute to 7 days.")
    settings = warning_settings()
    settings.escalate_red_after_minutes = escalate_red_after_minutes
    settings.save()
    return settings


def _check_members(user_ids: list[int]) -> None:
    from apps.accounts.selectors import members_here

    if set(user_ids) - set(members_here(user_ids)):
        raise refuse(
            "responsible_ids", "Some responsible users are not members here.", Code.NOT_A_MEMBER
        )


def _check_indicator(indicator: Indicator) -> None:
    if indicator.data_source not in DataSource.values:
        raise refuse("data_source", "Unknown data source.")
    if indicator.direction not in Direction.values:
        raise refuse("direction", "Unknown direction.")
    if indicator.threshold_mode not in ThresholdMode.values:
        raise refuse("threshold_mode", "Unknown threshold mode.")
    for field in ("amber", "red"):
        value = getattr(indicator, field)
        if value is not None and not math.isfinite(value):
            raise refuse(field, "A threshold is a finite number.")
    if indicator.threshold_mode == ThresholdMode.STATIC:
        if indicator.amber is None and indicator.red is None:
            raise refuse("amber", "A static indicator needs an amber or a red threshold.")
        amber, red = indicator.amber, indicator.red
        if amber is not None and red is not None:
            worse = (
                red >= amber if indicator.direction == Direction.HIGHER_IS_WORSE else red <= amber
            )
            if not worse:
                raise refuse("red", "Red must be at least as bad as amber for this direction.")
    elif indicator.threshold_mode == ThresholdMode.PERCENTILE and not (
        0 < indicator.dynamic_amber < 100 and 0 < indicator.dynamic_red < 100
    ):
        raise refuse("dynamic_amber", "Percentiles are between 0 and 100.")
    if indicator.dynamic_window < 5:
        raise refuse("dynamic_window", "Dynamic thresholds need a window of at least 5 points.")


@transaction.atomic
def indicator_save(*, indicator_id=None, risk_ids: list | None = None, **fields) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_save() got unexpected fields {sorted(unknown)}")
    from apps.risks.models import Risk, RiskCategory

    if indicator_id is not None:
        indicator = Indicator.objects.select_for_update().filter(pk=indicator_id).first()
        if indicator is None:
            raise refuse("id", "No such indicator.", Code.NOT_FOUND)
    else:
        indicator = Indicator()
    if "code" in fields:
        fields["code"] = (fields["code"] or "").strip().lower()
        if Indicator.objects.filter(code=fields["code"]).exclude(pk=indicator.pk).exists():
            raise refuse("code", "This code is taken.", Code.CODE_TAKEN)
    if (
        "category_id" in fields
        and not RiskCategory.objects.filter(pk=fields["category_id"]).exists()
    ):
        raise refuse("category_id", "No such category.", Code.NOT_FOUND)
    if fields.get("responsible_ids"):
        _check_members(fields["responsible_ids"])
    for field, value in fields.items():
        setattr(indicator, field, value)
    _check_indicator(indicator)
    indicator.full_clean()
    indicator.save()
    if risk_ids is not None:
        risks = list(Risk.objects.filter(pk__in=risk_ids))
        if len(risks) != len(set(map(str, risk_ids))):
            raise refuse("risk_ids", "Some risks do not exist.", Code.NOT_FOUND)
        indicator.risks.set(risks)
    return indicator


def clean_params(kind: str, params: dict) -> dict:
    """Defaults filled in, types and ranges checked; unknown parameters refused."""
    if kind not in RULE_PARAMS:
        raise refuse("kind", "Unknown rule kind.")
    spec = RULE_PARAMS[kind]
    if not isinstance(params, dict):
        raise refuse("params", "Parameters are an object, e.g. {}.", Code.INVALID_PARAMS)
    unknown = set(params) - set(spec)
    if unknown:
        raise refuse(
            "params",
            f"Unknown parameters for {kind}: {', '.join(sorted(unknown))}.",
            Code.INVALID_PARAMS,
        )
    cleaned = {}
    for name, (kind_type, low, high, default) in spec.items():
        value = params.get(name, default)
        if value is None:
            raise refuse("params", f"{kind} needs {name}.", Code.INVALID_PARAMS)
        try:
            value = kind_type(value)
        except (TypeError, ValueError) as exc:
            raise refuse("params", f"{name} is a number.", Code.INVALID_PARAMS) from exc
        if isinstance(value, bool) or not (low <= value <= high):
            raise refuse("params", f"{name} is {low} to {high}.", Code.INVALID_PARAMS)
        cleaned[name] = value
    for amber, red in (("amber_pct", "red_pct"), ("amber_z", "red_z"), ("amber_k", "red_k")):
        if amber in cleaned and cleaned[red] < cleaned[amber]:
            raise refuse("params", f"{red} is at least {amber}.", Code.INVALID_PARAMS)
    return cleaned


@transaction.atomic
def rule_save(
    *,
    rule_id=None,
    indicator_id=None,
    kind: str | None = None,
    params: dict | None = None,
    is_active: bool | None = None,
) -> Rule:
    if rule_id is not None:
        rule = Rule.objects.select_for_update().filter(pk=rule_id).first()
        if rule is None:
            raise refuse("id", "No such rule.", Code.NOT_FOUND)
    else:
        indicator = Indicator.objects.filter(pk=indicator_id).first()
        if indicator is None:
            raise refuse("indicator_id", "No such indicator.", Code.NOT_FOUND)
        rule = Rule(indicator=indicator, kind=kind or "")
    if kind is not None and rule.pk and kind != rule.kind:
        raise refuse("kind", "A rule's kind does not change; add another rule.")
    if rule.kind == RuleKind.MISSING_DATA and not rule.indicator.stale_after_minutes:
        raise refuse("kind", "Set the indicator's staleness limit first.", Code.INVALID_PARAMS)
    rule.params = clean_params(rule.kind, params if params is not None else rule.params)
    if is_active is not None:
        rule.is_active = is_active
    rule.save()
    return rule
