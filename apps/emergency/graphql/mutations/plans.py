"""Plans, their versions and the module's set-up (scenarios, levels)."""

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.emergency import models as m
from apps.emergency.graphql import enums as e
from apps.emergency.graphql.holders import HOLDER_ID, holder_ids
from apps.emergency.graphql.mutations.common import (
    UNSET,
    Errors,
    actor,
    actor_role,
    pk,
    pks,
    run,
    sent,
)
from apps.emergency.graphql.types import PlanType, PlanVersionType, ScenarioType, SeverityLevelType
from apps.emergency.services import plans, setup


def _arg(description: str):
    return strawberry.argument(description=description)


@strawberry.input(description="A new scenario.")
class ScenarioCreateInput:
    code: str = strawberry.field(description="Permanent: letters, digits and _; unique.")
    name: str = strawberry.field(description="Name.")
    description: str = strawberry.field(default="", description="What it covers.")


@strawberry.type(description="The scenario written, or why not.")
class ScenarioPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    scenario: ScenarioType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Changes to a severity level; only the fields sent change.")
class SeverityLevelUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The SeverityLevel.")
    name: str | None = strawberry.field(default=UNSET, description="Name.")
    regulator_report_hours: int | None = strawberry.field(
        default=UNSET, description="Hours after declaration a regulator report is due; null: none."
    )


@strawberry.type(description="The level written, or why not.")
class SeverityLevelPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    level: SeverityLevelType | None = strawberry.field(default=None, description="As saved.")


PLAN_FIELDS = ("name", "review_cycle_months", "drill_cadence_months")


@strawberry.input(description="A new plan; its first draft is made empty.")
class PlanCreateInput:
    code: str = strawberry.field(description="Permanent: letters, digits and _; unique.")
    name: str = strawberry.field(description="Name.")
    scenario: relay.GlobalID = strawberry.field(description="The EmergencyScenario.")
    owner: relay.GlobalID | None = strawberry.field(
        default=None, description=f"Who keeps it current: {HOLDER_ID}."
    )
    risk_categories: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="RiskCategory ids covered."
    )
    risks: list[relay.GlobalID] | None = strawberry.field(default=None, description="Risk ids.")
    review_cycle_months: int = strawberry.field(default=12, description="Review cycle, 1–60.")
    drill_cadence_months: int = strawberry.field(default=12, description="Drill cadence, 1–60.")


@strawberry.input(description="Changes to a plan's settings; only the fields sent change.")
class PlanUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The EmergencyPlan.")
    name: str | None = strawberry.field(default=UNSET, description="Name.")
    scenario: relay.GlobalID | None = strawberry.field(default=UNSET, description="Scenario.")
    owner: relay.GlobalID | None = strawberry.field(
        default=UNSET, description=f"Owner: {HOLDER_ID}; null: nobody."
    )
    risk_categories: list[relay.GlobalID] | None = strawberry.field(
        default=UNSET, description="RiskCategory ids."
    )
    risks: list[relay.GlobalID] | None = strawberry.field(default=UNSET, description="Risk ids.")
    review_cycle_months: int | None = strawberry.field(default=UNSET, description="Months.")
    drill_cadence_months: int | None = strawberry.field(default=UNSET, description="Months.")


@strawberry.type(description="The plan written, or why not.")
class PlanPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    plan: PlanType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="A role of the organisation.")
class PlanRoleInput:
    role: e.RoleKindEnum = strawberry.field(description="Which role.")
    person: relay.GlobalID = strawberry.field(description=f"Who fills it: {HOLDER_ID}.")
    backup: relay.GlobalID | None = strawberry.field(
        default=None, description="Who stands in, the same way (someone else)."
    )


@strawberry.input(description="A step; its position is its place in the list.")
class PlanStepInput:
    phase: e.PhaseEnum = strawberry.field(description="Phase.")
    action: str = strawberry.field(description="What is done.")
    responsible_role: e.RoleKindEnum = strawberry.field(description="The role that does it.")
    time_target_minutes: int = strawberry.field(description="Minutes after activation.")
    depends_on: list[int] | None = strawberry.field(
        default=None, description="Positions (1…) of earlier steps done first."
    )


@strawberry.input(description="A trigger condition.")
class PlanTriggerInput:
    kind: e.TriggerKindEnum = strawberry.field(description="What it watches.")
    indicator: relay.GlobalID | None = strawberry.field(default=None, description="Indicator.")
    category: relay.GlobalID | None = strawberry.field(default=None, description="RiskCategory.")
    rule: relay.GlobalID | None = strawberry.field(default=None, description="Rule.")
    severity: e.TriggerSeverityEnum = strawberry.field(
        default=e.TriggerSeverityEnum.RED, description="The signal severity it waits for."
    )
    level: relay.GlobalID = strawberry.field(description="The SeverityLevel a match maps to.")
    automatic: bool = strawberry.field(default=False, description="A red signal activates.")
    description: str = strawberry.field(default="", description="Free text.")


@strawberry.input(description="The response strategy at one level.")
class PlanStrategyInput:
    level: relay.GlobalID = strawberry.field(description="The SeverityLevel.")
    strategy: str = strawberry.field(description="What the response is.")


@strawberry.input(description="A resource.")
class PlanResourceInput:
    kind: e.ResourceKindEnum = strawberry.field(description="What it is.")
    name: str = strawberry.field(description="Name.")
    amount: Decimal | None = strawberry.field(default=None, description="Amount, if money.")
    currency: str = strawberry.field(default="CNY", description="ISO 4217 code.")
    detail: str = strawberry.field(default="", description="Contact, system, terms.")


@strawberry.input(description="An entry of the communications plan.")
class PlanCommunicationInput:
    audience: e.AudienceEnum = strawberry.field(description="Who is told.")
    channel: e.ChannelEnum = strawberry.field(description="How.")
    template: str = strawberry.field(default="", description="What is said.")
    deadline_minutes: int | None = strawberry.field(
        default=None, description="Within this many minutes of declaration."
    )


@strawberry.input(description="A draft's content; each list sent replaces the stored one.")
class PlanVersionUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The PlanVersion (a draft).")
    objectives: str | None = strawberry.field(default=UNSET, description="Objectives.")
    success_criteria: list[str] | None = strawberry.field(default=UNSET, description="Criteria.")
    evaluation_template: str | None = strawberry.field(default=UNSET, description="Template.")
    roles: list[PlanRoleInput] | None = strawberry.field(default=UNSET, description="Roles.")
    steps: list[PlanStepInput] | None = strawberry.field(default=UNSET, description="Steps.")
    triggers: list[PlanTriggerInput] | None = strawberry.field(
        default=UNSET, description="Triggers."
    )
    strategies: list[PlanStrategyInput] | None = strawberry.field(
        default=UNSET, description="Strategy per level."
    )
    resources: list[PlanResourceInput] | None = strawberry.field(
        default=UNSET, description="Resources."
    )
    communications: list[PlanCommunicationInput] | None = strawberry.field(
        default=UNSET, description="Communications plan."
    )


@strawberry.input(description="Start a new draft of a plan (a copy of its newest version).")
class PlanVersionCreateInput:
    plan: relay.GlobalID = strawberry.field(description="The EmergencyPlan.")


@strawberry.input(description="Move a version: submit, send back, approve, retire.")
class PlanVersionTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The PlanVersion.")
    to: e.VersionStatusEnum = strawberry.field(description="The target status.")
    comment: str = strawberry.field(default="", description="Why (kept in the audit trail).")


@strawberry.type(description="The version written, or why not.")
class PlanVersionPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    version: PlanVersionType | None = strawberry.field(default=None, description="As saved.")


def _plan_links(input) -> dict:
    from apps.risks.models import Risk, RiskCategory

    fields = {}
    if input.scenario is not UNSET:
        fields["scenario_id"] = pk(input.scenario, "EmergencyScenario", m.Scenario)
    if input.owner is not UNSET:
        fields.update(holder_ids(input.owner, person="owner_person_id", member="owner_id"))
    if input.risk_categories is not UNSET:
        fields["risk_category_ids"] = pks(input.risk_categories, "RiskCategory", RiskCategory)
    if input.risks is not UNSET:
        fields["risk_ids"] = pks(input.risks, "Risk", Risk)
    return fields


def _content(input) -> dict:
    from apps.early_warning.models import Indicator, Rule
    from apps.risks.models import RiskCategory

    level = lambda gid: pk(gid, "SeverityLevel", m.SeverityLevel)  # noqa: E731
    convert = {
        "roles": lambda r: {
            "role": r.role.value,
            **holder_ids(r.person, person="person_id", member="member_id"),
            **holder_ids(r.backup, person="backup_id", member="backup_member_id"),
        },
        "steps": lambda s: {
            "phase": s.phase.value,
            "action": s.action,
            "responsible_role": s.responsible_role.value,
            "time_target_minutes": s.time_target_minutes,
            "depends_on": s.depends_on or [],
        },
        "triggers": lambda t: {
            "kind": t.kind.value,
            "severity": t.severity.value,
            "indicator_id": pk(t.indicator, "Indicator", Indicator),
            "category_id": pk(t.category, "RiskCategory", RiskCategory),
            "rule_id": pk(t.rule, "Rule", Rule),
            "level_id": level(t.level),
            "automatic": t.automatic,
            "description": t.description,
        },
        "strategies": lambda s: {"level_id": level(s.level), "strategy": s.strategy},
        "resources": lambda r: {
            "kind": r.kind.value,
            "name": r.name,
            "amount": r.amount,
            "currency": r.currency,
            "detail": r.detail,
        },
        "communications": lambda c: {
            "audience": c.audience.value,
            "channel": c.channel.value,
            "template": c.template,
            "deadline_minutes": c.deadline_minutes,
        },
    }
    fields = sent(input, ("objectives", "success_criteria", "evaluation_template"))
    for name, to_dict in convert.items():
        items = getattr(input, name)
        if items is not UNSET:
            fields[name] = [to_dict(item) for item in items or []]
    return fields


@strawberry.type
class PlanMutations:
    @strawberry.mutation(permission_classes=[IsRiskManager], description="Add a scenario.")
    def scenario_create(
        self, info: Info, input: Annotated[ScenarioCreateInput, _arg("What to write.")]
    ) -> ScenarioPayload:
        return run(
            ScenarioPayload,
            input,
            lambda: {
                "scenario": setup.scenario_create(
                    code=input.code,
                    name=input.name,
                    description=input.description,
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Rename a level or change its regulator-report deadline.",
    )
    def severity_level_update(
        self, input: Annotated[SeverityLevelUpdateInput, _arg("What to write.")]
    ) -> SeverityLevelPayload:
        fields = sent(input, ("name", "regulator_report_hours"))
        level_id = pk(input.id, "SeverityLevel", m.SeverityLevel)
        return run(
            SeverityLevelPayload,
            input,
            lambda: {"level": setup.level_update(level_id=level_id, **fields)},
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Add a plan (and a draft).")
    def plan_create(
        self, info: Info, input: Annotated[PlanCreateInput, _arg("What to write.")]
    ) -> PlanPayload:
        fields = {**sent(input, PLAN_FIELDS), **_plan_links(input)}
        return run(
            PlanPayload,
            input,
            lambda: {"plan": plans.plan_create(code=input.code, actor=actor(info), **fields)},
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Change a plan's settings.")
    def plan_update(
        self, info: Info, input: Annotated[PlanUpdateInput, _arg("What to write.")]
    ) -> PlanPayload:
        fields = {**sent(input, PLAN_FIELDS), **_plan_links(input)}
        plan_id = pk(input.id, "EmergencyPlan", m.Plan)
        return run(
            PlanPayload,
            input,
            lambda: {"plan": plans.plan_update(plan_id=plan_id, actor=actor(info), **fields)},
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst], description="Edit a draft (approved versions never)."
    )
    def plan_version_update(
        self, info: Info, input: Annotated[PlanVersionUpdateInput, _arg("What to write.")]
    ) -> PlanVersionPayload:
        fields = _content(input)
        version_id = pk(input.id, "PlanVersion", m.PlanVersion)
        return run(
            PlanVersionPayload,
            input,
            lambda: {
                "version": plans.version_update(version_id=version_id, actor=actor(info), **fields)
            },
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst], description="Start a new draft from the newest version."
    )
    def plan_version_create(
        self, info: Info, input: Annotated[PlanVersionCreateInput, _arg("Which plan.")]
    ) -> PlanVersionPayload:
        plan_id = pk(input.plan, "EmergencyPlan", m.Plan)
        return run(
            PlanVersionPayload,
            input,
            lambda: {"version": plans.version_new_draft(plan_id=plan_id, actor=actor(info))},
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Submit, send back, approve (risk manager, not the author) or retire.",
    )
    def plan_version_transition(
        self, info: Info, input: Annotated[PlanVersionTransitionInput, _arg("Which and where.")]
    ) -> PlanVersionPayload:
        version_id = pk(input.id, "PlanVersion", m.PlanVersion)
        return run(
            PlanVersionPayload,
            input,
            lambda: {
                "version": plans.version_transition(
                    version_id=version_id,
                    to=input.to.value,
                    actor=actor(info),
                    actor_role=actor_role(info),
                    comment=input.comment,
                )
            },
        )
