"""Indicators and their rules: created and changed here, with their parameters checked."""

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.selectors import members_here
from apps.core.errors import Problems
from apps.core.errors import refuse as refusal
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
from apps.early_warning.selectors import warning_settings
from apps.risks import selectors as risk_selectors

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


def settings_update(*, escalate_red_after_minutes: int) -> WarningSettings:
    if not 1 <= escalate_red_after_minutes <= 10_080:
        raise refuse("escalate_red_after_minutes", "1 minute to 7 days.")
    settings = warning_settings()
    settings.escalate_red_after_minutes = escalate_red_after_minutes
    settings.save()
    return settings


def _check_members(user_ids: list[int], problems: Problems) -> None:
    if set(user_ids) - set(members_here(user_ids)):
        problems.add(
            "responsible_ids", "Some responsible users are not members here.", Code.NOT_A_MEMBER
        )


def _check_indicator(indicator: Indicator, problems: Problems) -> None:
    if indicator.data_source not in DataSource.values:
        problems.add("data_source", "Unknown data source.")
    if indicator.direction not in Direction.values:
        problems.add("direction", "Unknown direction.")
    if indicator.threshold_mode not in ThresholdMode.values:
        problems.add("threshold_mode", "Unknown threshold mode.")
    for field, low, high, message in (
        ("frequency_minutes", 1, 525_600, "1 minute to 1 year."),
        ("stale_after_minutes", 1, 5_256_000, "At least 1 minute (or none)."),
        ("resolve_after_green", 1, 1000, "1 to 1,000 green periods."),
    ):
        value = getattr(indicator, field)
        if isinstance(value, int) and not low <= value <= high:
            problems.add(field, message)
    for field in ("amber", "red"):
        value = getattr(indicator, field)
        if value is not None and not math.isfinite(value):
            problems.add(field, "A threshold is a finite number.")
    if indicator.threshold_mode == ThresholdMode.STATIC:
        amber, red = indicator.amber, indicator.red
        if amber is None and red is None:
            problems.add("amber", "A static indicator needs an amber or a red threshold.")
        elif amber is not None and red is not None and "amber" not in problems:
            worse = (
                red >= amber if indicator.direction == Direction.HIGHER_IS_WORSE else red <= amber
            )
            if not worse and "red" not in problems:
                problems.add("red", "Red must be at least as bad as amber for this direction.")
    elif indicator.threshold_mode == ThresholdMode.PERCENTILE and not (
        0 < indicator.dynamic_amber < 100 and 0 < indicator.dynamic_red < 100
    ):
        problems.add("dynamic_amber", "Percentiles are between 0 and 100.")
    if isinstance(indicator.dynamic_window, int) and indicator.dynamic_window < 5:
        problems.add("dynamic_window", "Dynamic thresholds need a window of at least 5 points.")


@transaction.atomic
def indicator_save(*, indicator_id=None, risk_ids: list | None = None, **fields) -> Indicator:
    """Create or change an indicator. Every problem of the call is reported at once (the
    checks of our own and the model's), and then nothing is written."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_save() got unexpected fields {sorted(unknown)}")
    if indicator_id is not None:
        indicator = Indicator.objects.select_for_update().filter(pk=indicator_id).first()
        if indicator is None:
            raise refuse("id", "No such indicator.", Code.NOT_FOUND)
    else:
        indicator = Indicator()
    problems = Problems()
    if "code" in fields:
        fields["code"] = (fields["code"] or "").strip().lower()
        if Indicator.objects.filter(code=fields["code"]).exclude(pk=indicator.pk).exists():
            problems.add("code", "This code is taken.", Code.CODE_TAKEN)
    if (
        "category_id" in fields
        and fields["category_id"] is not None
        and not risk_selectors.category_exists(fields["category_id"])
    ):
        problems.add("category_id", "No such category.", Code.NOT_FOUND)
    if fields.get("responsible_ids"):
        _check_members(fields["responsible_ids"], problems)
    risks = None
    if risk_ids is not None:
        risks = risk_selectors.risks_by_ids(risk_ids)
        if len(risks) != len(set(map(str, risk_ids))):
            problems.add("risk_ids", "Some risks do not exist.", Code.NOT_FOUND)
    if fields.get("is_active") and indicator.archived_at is not None:
        problems.add("is_active", "Archived: restore it first (indicatorArchive).", Code.ARCHIVED)
    for field, value in fields.items():
        setattr(indicator, field, value)
    _check_indicator(indicator, problems)
    # The model's own checks, except where ours already spoke (one message per problem).
    flagged = {"category" if f == "category_id" else f for f in problems.errors}
    try:
        indicator.full_clean(exclude=sorted(flagged), validate_unique=False)
    except ValidationError as exc:
        problems.merge(exc)
    problems.raise_any()
    indicator.save()
    if risks is not None:
        indicator.risks.set(risks)
    return indicator


@transaction.atomic
def indicator_archive(*, indicator_id, archived: bool = True) -> Indicator:
    """Archive an indicator (inactive, its rules no longer run, out of the lists by default; its
    observations and signals stay), or restore it (still inactive until switched on). The
    audit trail records both."""
    indicator = Indicator.objects.select_for_update().filter(pk=indicator_id).first()
    if indicator is None:
        raise refuse("id", "No such indicator.", Code.NOT_FOUND)
    if archived and indicator.archived_at is None:
        indicator.archived_at, indicator.is_active = timezone.now(), False
    elif not archived:
        indicator.archived_at = None
    indicator.save()
    return indicator


@transaction.atomic
def rule_archive(*, rule_id, archived: bool = True) -> Rule:
    """Archive a rule (it stops running; its signals keep their history), or restore it
    (inactive until switched on)."""
    rule = Rule.objects.select_for_update().filter(pk=rule_id).first()
    if rule is None:
        raise refuse("id", "No such rule.", Code.NOT_FOUND)
    if archived and rule.archived_at is None:
        rule.archived_at, rule.is_active = timezone.now(), False
    elif not archived:
        rule.archived_at = None
    rule.save()
    return rule


def clean_params(kind: str, params: dict) -> dict:
    """Defaults filled in, types and ranges checked; unknown parameters refused. Every bad
    parameter is reported at once."""
    if kind not in RULE_PARAMS:
        raise refuse("kind", "Unknown rule kind.")
    if not isinstance(params, dict):
        raise refuse("params", "An object of parameters.", Code.INVALID_PARAMS)
    problems = Problems()
    spec = RULE_PARAMS[kind]
    if not isinstance(params, dict):
        raise refuse("params", "Parameters are an object, e.g. {}.", Code.INVALID_PARAMS)
    unknown = set(params) - set(spec)
    if unknown:
        problems.add(
            "params",
            f"Unknown parameters for {kind}: {', '.join(sorted(unknown))}.",
            Code.INVALID_PARAMS,
        )
    cleaned = {}
    for name, (kind_type, low, high, default) in spec.items():
        value = params.get(name, default)
        if value is None:
            problems.add("params", f"{kind} needs {name}.", Code.INVALID_PARAMS)
            continue
        try:
            if isinstance(value, bool):
                raise TypeError("a bool is not a number")
            value = kind_type(value)
        except (TypeError, ValueError, OverflowError):
            problems.add("params", f"{name} is a number.", Code.INVALID_PARAMS)
            continue
        if not (low <= value <= high):
            problems.add("params", f"{name} is {low} to {high}.", Code.INVALID_PARAMS)
            continue
        cleaned[name] = value
    for amber, red in (("amber_pct", "red_pct"), ("amber_z", "red_z"), ("amber_k", "red_k")):
        if amber in cleaned and red in cleaned and cleaned[red] < cleaned[amber]:
            problems.add("params", f"{red} is at least {amber}.", Code.INVALID_PARAMS)
    problems.raise_any()
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
    """Add or change a rule. An indicator has each rule once: a second one of the same kind and
    (defaults filled in) the same parameters is refused as a duplicate."""
    rule: Rule
    if rule_id is not None:
        found = Rule.objects.select_for_update().filter(pk=rule_id).first()
        if found is None:
            raise refuse("id", "No such rule.", Code.NOT_FOUND)
        rule = found
        if indicator_id is not None and indicator_id != rule.indicator_id:
            # Never ignored in silence (an id of another tenant's indicator was accepted).
            if not Indicator.objects.filter(pk=indicator_id).exists():
                raise refuse("indicator_id", "No such indicator.", Code.NOT_FOUND)
            raise refuse("indicator_id", "A rule's indicator does not change; add a rule there.")
        indicator_id = rule.indicator_id
    # The indicator's row lock makes the duplicate check below safe against a concurrent save.
    indicator = Indicator.objects.select_for_update().filter(pk=indicator_id).first()
    if indicator is None:
        raise refuse("indicator_id", "No such indicator.", Code.NOT_FOUND)
    if rule_id is None:
        rule = Rule(indicator=indicator, kind=kind or "")
    if kind is not None and rule.pk and kind != rule.kind:
        raise refuse("kind", "A rule's kind does not change; add another rule.")
    if rule.kind == RuleKind.MISSING_DATA and not indicator.stale_after_minutes:
        raise refuse("kind", "Set the indicator's staleness limit first.", Code.INVALID_PARAMS)
    rule.params = clean_params(rule.kind, params if params is not None else rule.params)
    twin = (
        Rule.objects.filter(indicator=indicator, kind=rule.kind, params=rule.params)
        .exclude(pk=rule.pk)
        .first()
    )
    if twin is not None:
        hint = "" if twin.is_active else " (inactive: reactivate it)"
        raise refuse(
            "kind",
            f"This indicator already has this rule, with the same parameters{hint}.",
            Code.DUPLICATE,
        )
    if is_active and rule.archived_at is not None:
        raise refuse("is_active", "Archived: restore it first (ruleArchive).", Code.ARCHIVED)
    if is_active is not None:
        rule.is_active = is_active
    rule.save()
    return rule
