"""Indicators and their rules: create, update (omitted: unchanged; null: cleared), archive.
Risk managers and up; audited; no events."""

from typing import Annotated, Any

import strawberry
from strawberry import relay

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsRiskManager
from apps.core.graphql.resolvers import run_service
from apps.early_warning import models as m
from apps.early_warning.graphql.errors import WarningError, WarningErrorCode
from apps.early_warning.graphql.types import (
    DataSourceEnum,
    DirectionEnum,
    IndicatorType,
    RuleKindEnum,
    RuleType,
    ThresholdModeEnum,
)
from apps.early_warning.services import indicators
from apps.risks.models import Risk, RiskCategory

UNSET: Any = strawberry.UNSET
Errors = list[WarningError]  # type: ignore[valid-type]
WHO = "Risk managers and up; audited; no event."


def _run(payload, call, *, input=None):
    return run_service(payload, WarningError, WarningErrorCode, call, input=input)


def _opt(description: str) -> Any:
    return strawberry.field(default=UNSET, description=description)


@strawberry.input(description="A new indicator. Omitted fields take the defaults described.")
class IndicatorCreateInput:
    code: str = strawberry.field(description="Unique slug (lower case), e.g. npl_ratio.")
    name: str = strawberry.field(description="For people.")
    category: relay.GlobalID = strawberry.field(description="The RiskCategory it measures.")
    description: str | None = _opt("Free text; default empty.")
    data_source: DataSourceEnum | None = _opt("Where the data comes from; default OTHER.")
    unit: str | None = _opt("e.g. %; default empty.")
    direction: DirectionEnum | None = _opt("Which way is bad; default HIGHER_IS_WORSE.")
    frequency_minutes: int | None = _opt("Expected data (and scan) interval; default 1440.")
    stale_after_minutes: int | None = _opt("No data for longer is itself a signal; default none.")
    responsible: list[relay.GlobalID] | None = _opt("User ids of members told of its signals.")
    threshold_mode: ThresholdModeEnum | None = _opt("Static or dynamic; default STATIC.")
    amber: float | None = _opt("Static amber threshold.")
    red: float | None = _opt("Static red threshold.")
    dynamic_window: int | None = _opt("Points dynamic thresholds use; default 30.")
    dynamic_amber: float | None = _opt("Dynamic amber: σ from the mean or a percentile; 2.")
    dynamic_red: float | None = _opt("Dynamic red: σ from the mean or a percentile; 3.")
    resolve_after_green: int | None = _opt("Green periods that resolve a signal; default 3.")
    is_active: bool | None = _opt("False: created switched off; default true.")
    risks: list[relay.GlobalID] | None = _opt("Risk ids it informs.")


@strawberry.input(
    description="Changes to an indicator: an omitted field is unchanged, null clears it (a "
    "nullable field becomes null, a text empty, a list empty; a required one is refused)."
)
class IndicatorUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The Indicator.")
    code: str | None = _opt("New code.")
    name: str | None = _opt("New name.")
    category: relay.GlobalID | None = _opt("RiskCategory.")
    description: str | None = _opt("Description.")
    data_source: DataSourceEnum | None = _opt("Data source.")
    unit: str | None = _opt("Unit.")
    direction: DirectionEnum | None = _opt("Direction.")
    frequency_minutes: int | None = _opt("Minutes.")
    stale_after_minutes: int | None = _opt("Minutes; null: never stale.")
    responsible: list[relay.GlobalID] | None = _opt("User ids (replaces the list).")
    threshold_mode: ThresholdModeEnum | None = _opt("Threshold mode.")
    amber: float | None = _opt("Amber threshold; null: none.")
    red: float | None = _opt("Red threshold; null: none.")
    dynamic_window: int | None = _opt("Points.")
    dynamic_amber: float | None = _opt("σ or percentile.")
    dynamic_red: float | None = _opt("σ or percentile.")
    resolve_after_green: int | None = _opt("Green periods.")
    is_active: bool | None = _opt("Switch on or off (an archived one: restore it first).")
    risks: list[relay.GlobalID] | None = _opt("Risk ids (replaces the list).")


@strawberry.type(description="The indicator written, or why not.")
class IndicatorPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    indicator: IndicatorType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Archive an object, or restore it.")
class ArchiveInput:
    id: relay.GlobalID = strawberry.field(description="The Indicator or Rule.")
    archived: bool = strawberry.field(
        default=True, description="False restores it (still switched off until updated)."
    )


@strawberry.input(
    name="RuleParamsInput",
    description="A rule's parameters; only those of its kind may be given, omitted ones take "
    "their defaults. THRESHOLD and MISSING_DATA take none.",
)
class RuleParamsInput:
    periods: int | None = _opt("SUSTAINED: breaching periods in a row, 2–1000; default 3.")
    window_minutes: int | None = _opt("RATE_OF_CHANGE: look-back in minutes (required).")
    amber_pct: float | None = _opt("RATE_OF_CHANGE: amber change in % (required).")
    red_pct: float | None = _opt("RATE_OF_CHANGE: red change in % (required).")
    window: int | None = _opt("ZSCORE: points in the window, 3–2000; default 30.")
    amber_z: float | None = _opt("ZSCORE: amber z; default 2.")
    red_z: float | None = _opt("ZSCORE: red z; default 3.")
    alpha: float | None = _opt("EWMA: smoothing, 0.001–1; default 0.3.")
    amber_k: float | None = _opt("EWMA: amber band in σ; default 2.")
    red_k: float | None = _opt("EWMA: red band in σ; default 3.")
    warmup: int | None = _opt("EWMA: points before it judges; default 10.")


PARAM_NAMES = (
    "periods",
    "window_minutes",
    "amber_pct",
    "red_pct",
    "window",
    "amber_z",
    "red_z",
    "alpha",
    "amber_k",
    "red_k",
    "warmup",
)


@strawberry.input(description="A new rule on an indicator.")
class RuleCreateInput:
    indicator: relay.GlobalID = strawberry.field(description="The Indicator.")
    kind: RuleKindEnum = strawberry.field(description="What it looks for (never changes).")
    params: RuleParamsInput | None = strawberry.field(
        default=None, description="Its parameters; omitted: the kind's defaults."
    )
    is_active: bool = strawberry.field(default=True, description="False: created switched off.")


@strawberry.input(
    description="Changes to a rule: omitted unchanged; `params: null` resets every parameter "
    "to its default, `params: {...}` replaces them."
)
class RuleUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The Rule.")
    params: RuleParamsInput | None = _opt("The new parameters (all of them).")
    is_active: bool | None = _opt("Switch on or off (an archived one: restore it first).")


@strawberry.type(description="The rule written, or why not.")
class RulePayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    rule: RuleType | None = strawberry.field(default=None, description="As saved.")


PLAIN = (
    "code",
    "name",
    "description",
    "unit",
    "frequency_minutes",
    "stale_after_minutes",
    "amber",
    "red",
    "dynamic_window",
    "dynamic_amber",
    "dynamic_red",
    "resolve_after_green",
    "is_active",
)
TEXT = {"description", "unit"}  # null clears a text to empty


def _indicator_fields(input: Any) -> tuple[dict, list | None]:
    """The service's keywords for the fields sent, and the risk ids (None: unchanged)."""
    fields = {}
    for name in PLAIN:
        value = getattr(input, name)
        if value is not UNSET:
            fields[name] = "" if value is None and name in TEXT else value
    for name in ("data_source", "direction", "threshold_mode"):
        value = getattr(input, name)
        if value is not UNSET:
            fields[name] = value.value if value is not None else ""
    if input.category is not UNSET:
        fields["category_id"] = pk_or_nothing(input.category, "RiskCategory", RiskCategory)
    if input.responsible is not UNSET:
        fields["responsible_ids"] = [
            pk_or_nothing(g, "User", User) for g in input.responsible or []
        ]
    risk_ids = (
        None
        if input.risks is UNSET
        else [pk_or_nothing(g, "Risk", Risk) for g in input.risks or []]
    )
    return fields, risk_ids


def _params(params: RuleParamsInput | None) -> dict:
    if params is None:
        return {}
    return {
        name: getattr(params, name)
        for name in PARAM_NAMES
        if getattr(params, name) not in (UNSET, None)
    }


def _described(text: str) -> Any:
    return strawberry.argument(description=text)


@strawberry.type
class CatalogueMutations:
    @strawberry.mutation(permission_classes=[IsRiskManager], description=f"Add an indicator. {WHO}")
    def indicator_create(
        self, input: Annotated[IndicatorCreateInput, _described("The new indicator.")]
    ) -> IndicatorPayload:
        fields, risk_ids = _indicator_fields(input)
        return _run(
            IndicatorPayload,
            lambda: {"indicator": indicators.indicator_save(risk_ids=risk_ids, **fields)},
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description=f"Change the fields sent (null clears). {WHO}",
    )
    def indicator_update(
        self, input: Annotated[IndicatorUpdateInput, _described("The indicator and changes.")]
    ) -> IndicatorPayload:
        fields, risk_ids = _indicator_fields(input)
        indicator_id = pk_or_nothing(input.id, "Indicator", m.Indicator)
        return _run(
            IndicatorPayload,
            lambda: {
                "indicator": indicators.indicator_save(
                    indicator_id=indicator_id, risk_ids=risk_ids, **fields
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Archive an indicator (switched off, hidden from `indicators` unless "
        f"asked for; its data and signals stay), or restore it. {WHO}",
    )
    def indicator_archive(
        self, input: Annotated[ArchiveInput, _described("The indicator.")]
    ) -> IndicatorPayload:
        return _run(
            IndicatorPayload,
            lambda: {
                "indicator": indicators.indicator_archive(
                    indicator_id=pk_or_nothing(input.id, "Indicator", m.Indicator),
                    archived=input.archived,
                )
            },
            input=input,
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description=f"Add a rule. {WHO}")
    def rule_create(
        self, input: Annotated[RuleCreateInput, _described("The new rule.")]
    ) -> RulePayload:
        return _run(
            RulePayload,
            lambda: {
                "rule": indicators.rule_save(
                    indicator_id=pk_or_nothing(input.indicator, "Indicator", m.Indicator),
                    kind=input.kind.value,
                    params=_params(input.params),
                    is_active=input.is_active,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager], description=f"Change a rule's parameters. {WHO}"
    )
    def rule_update(
        self, input: Annotated[RuleUpdateInput, _described("The rule and changes.")]
    ) -> RulePayload:
        params = None if input.params is UNSET else _params(input.params)
        is_active = None if input.is_active is UNSET else input.is_active
        return _run(
            RulePayload,
            lambda: {
                "rule": indicators.rule_save(
                    rule_id=pk_or_nothing(input.id, "Rule", m.Rule),
                    params=params,
                    is_active=is_active,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description=f"Archive a rule (it stops running; its signals stay), or restore it. {WHO}",
    )
    def rule_archive(self, input: Annotated[ArchiveInput, _described("The rule.")]) -> RulePayload:
        return _run(
            RulePayload,
            lambda: {
                "rule": indicators.rule_archive(
                    rule_id=pk_or_nothing(input.id, "Rule", m.Rule), archived=input.archived
                )
            },
            input=input,
        )
