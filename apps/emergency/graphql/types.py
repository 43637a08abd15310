"""Node types of the emergency module. Everything is readable by every member (viewer): a
response team spans the organisation; writes are guarded on the mutations."""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils import timezone
from strawberry import relay
from strawberry.types import Info

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.pagination import BoundedConnection
from apps.emergency import models as m
from apps.emergency.dates import add_months
from apps.emergency.graphql import capabilities as can
from apps.emergency.graphql import enums as e
from apps.emergency.graphql import orders as o
from apps.emergency.graphql.holders import RoleHolder
from apps.emergency.graphql.nested import nested
from apps.people.graphql.types import PersonType

if TYPE_CHECKING:
    from apps.emergency.graphql.types_response import ActivationType, DrillType

F = strawberry_django.field


def _ids(type_name: str, ids) -> list[relay.GlobalID]:
    return [relay.GlobalID(type_name, str(pk)) for pk in ids]


@strawberry_django.type(m.Scenario, name="EmergencyScenario", description="A kind of emergency.")
class ScenarioType(TenantNode):
    min_role = Role.VIEWER

    code: str = F(description="Permanent identifier.")
    name: str = F(description="Name.")
    description: str = F(description="What it covers.")
    builtin: bool = F(description="Seeded for every tenant (not added by this tenant).")


@strawberry_django.type(
    m.SeverityLevel,
    name="SeverityLevel",
    description="A response level; rank 1 is the most severe.",
)
class SeverityLevelType(TenantNode):
    min_role = Role.VIEWER

    code: str = F(description="e.g. I, II, III, IV.")
    name: str = F(description="Name.")
    rank: int = F(description="1 = most severe.")
    regulator_report_hours: int | None = F(
        description="A regulator report is due this many hours after declaration; null: none."
    )


@strawberry_django.type(m.PlanRole, name="PlanRole", description="A role of the organisation.")
class PlanRoleType(TenantNode):
    min_role = Role.VIEWER

    role: e.RoleKindEnum = F(description="Which role.")
    person: PersonType | None = F(
        description="The Person who fills it; null when a member does.",
        deprecation_reason="Read `holder` (a Person or a member).",
    )
    backup: PersonType | None = F(
        description="The Person who stands in; null when none or a member.",
        deprecation_reason="Read `backupHolder` (a Person or a member).",
    )

    @F(
        only=["person", "member"],
        prefetch_related=["person", "member"],
        description="Who fills it: a Person of the directory or a member.",
    )
    def holder(self) -> RoleHolder:
        return self.holder

    @F(
        only=["backup", "backup_member"],
        prefetch_related=["backup", "backup_member"],
        description="Who stands in: a Person or a member (null: nobody).",
    )
    def backup_holder(self) -> RoleHolder | None:
        return self.backup_holder


@strawberry_django.type(m.PlanStep, name="PlanStep", description="An ordered step of the plan.")
class PlanStepType(TenantNode):
    min_role = Role.VIEWER

    position: int = F(description="1, 2, 3… in order.")
    phase: e.PhaseEnum = F(description="Phase of the response.")
    action: str = F(description="What is done.")
    responsible_role: e.RoleKindEnum = F(description="The role that does it.")
    time_target_minutes: int = F(description="Done within this many minutes of activation.")
    depends_on: list[int] = F(description="Positions of earlier steps done first.")


@strawberry_django.type(m.PlanTrigger, name="PlanTrigger", description="When the plan applies.")
class PlanTriggerType(TenantNode):
    min_role = Role.VIEWER

    kind: e.TriggerKindEnum = F(description="What it watches.")
    severity: e.TriggerSeverityEnum = F(description="The signal severity it waits for.")
    level: SeverityLevelType = F(description="The level a match maps to.")
    automatic: bool = F(description="A red signal activates the plan on its own.")
    description: str = F(description="Free text.")

    @F(only=["indicator_id"], description="The Indicator watched (kind INDICATOR).")
    def indicator_id(self) -> relay.GlobalID | None:
        return relay.GlobalID("Indicator", str(self.indicator_id)) if self.indicator_id else None

    @F(only=["category_id"], description="The RiskCategory watched (kind CATEGORY).")
    def category_id(self) -> relay.GlobalID | None:
        return relay.GlobalID("RiskCategory", str(self.category_id)) if self.category_id else None

    @F(only=["rule_id"], description="The Rule watched (kind RULE).")
    def rule_id(self) -> relay.GlobalID | None:
        return relay.GlobalID("Rule", str(self.rule_id)) if self.rule_id else None


@strawberry_django.type(
    m.LevelStrategy, name="PlanLevelStrategy", description="The response strategy at a level."
)
class LevelStrategyType(TenantNode):
    min_role = Role.VIEWER

    level: SeverityLevelType = F(description="The level.")
    strategy: str = F(description="What the response is.")


@strawberry_django.type(m.PlanResource, name="PlanResource", description="A resource to draw on.")
class PlanResourceType(TenantNode):
    min_role = Role.VIEWER

    kind: e.ResourceKindEnum = F(description="What it is.")
    name: str = F(description="Name.")
    amount: Decimal | None = F(description="Amount available, if money.")
    currency: str = F(description="ISO 4217 code of the amount.")
    detail: str = F(description="Contact, system, terms.")


@strawberry_django.type(
    m.CommunicationRule,
    name="PlanCommunication",
    description="An entry of the communications plan.",
)
class CommunicationRuleType(TenantNode):
    min_role = Role.VIEWER

    audience: e.AudienceEnum = F(description="Who is told.")
    channel: e.ChannelEnum = F(description="How.")
    template: str = F(description="What is said (template).")
    deadline_minutes: int | None = F(description="Within this many minutes of declaration.")


@strawberry_django.type(m.PlanVersion, name="PlanVersion", description="A version of a plan.")
class PlanVersionType(TenantNode):
    min_role = Role.VIEWER

    number: int = F(description="1, 2, 3…")
    status: e.VersionStatusEnum = F(description="Draft, in review, approved (in force), retired.")
    objectives: str = F(description="What the response protects.")
    success_criteria: list[str] = F(description="How a response or drill is judged.")
    evaluation_template: str = F(description="Post-incident evaluation template.")
    author: UserType | None = F(description="Who started the draft.")
    submitted_at: datetime | None = F(description="Sent for review.")
    approved_by: UserType | None = F(description="Who approved it.")
    approved_at: datetime | None = F(description="When approved.")
    retired_at: datetime | None = F(description="When retired.")
    created_at: datetime = F(description="When created.")

    @F(
        only=["status", "author_id"],
        description="Statuses you may move it to now with planVersionTransition (empty below "
        "analyst; APPROVED and RETIRED for a risk manager or admin, APPROVED never for its "
        "author). A draft goes to review once it has a commander and a step: `errors` say so.",
    )
    def allowed_transitions(self, info: Info) -> list[e.VersionStatusEnum]:
        return can.version_targets(self, info)  # type: ignore[return-value]

    roles: BoundedConnection[PlanRoleType] = nested(
        o.PlanRoleOrder, "The organisation.", default=("role",), default_text="by role"
    )
    steps: BoundedConnection[PlanStepType] = nested(
        o.PlanStepOrder, "The steps.", default=("position",), default_text="by position"
    )
    triggers: BoundedConnection[PlanTriggerType] = nested(
        o.PlanTriggerOrder,
        "Trigger conditions.",
        default=("created_at",),
        default_text="oldest first",
        columns=o.LEVEL_RANK,
    )
    strategies: BoundedConnection[LevelStrategyType] = nested(
        o.PlanLevelStrategyOrder,
        "Response strategy per level.",
        default=("level__rank",),
        default_text="most severe level first",
        columns=o.LEVEL_RANK,
    )
    resources: BoundedConnection[PlanResourceType] = nested(
        o.PlanResourceOrder,
        "Funding, reserves, systems, suppliers, contacts.",
        default=("kind", "name"),
        default_text="by kind, then name",
        columns=o.RESOURCE_COLUMNS,
    )
    communications: BoundedConnection[CommunicationRuleType] = nested(
        o.PlanCommunicationOrder,
        "The communications plan.",
        default=("audience",),
        default_text="by audience (staff first)",
    )


def _last_drill(field: str):
    return Subquery(
        m.Drill.objects.filter(plan=OuterRef("pk"), status=m.DrillStatus.DONE)
        .order_by("-held_on", "-scheduled_on")
        .values(field)[:1]
    )


def _last_done(plan, field: str):
    drills = plan.drills.filter(status=m.DrillStatus.DONE).order_by("-held_on", "-scheduled_on")
    return drills.values_list(field, flat=True).first()


@strawberry_django.type(m.Plan, name="EmergencyPlan", description="An emergency plan (应急预案).")
class PlanType(TenantNode):
    min_role = Role.VIEWER

    code: str = F(description="Permanent identifier.")
    name: str = F(description="Name.")
    scenario: ScenarioType = F(description="The kind of emergency.")
    owner: UserType | None = F(
        description="The member who keeps it current (null when a Person of the directory does).",
        deprecation_reason="Read `ownedBy` (a member or a Person).",
    )

    @F(
        only=["owner", "owner_person"],
        prefetch_related=["owner", "owner_person"],
        description="Who keeps it current: a member or a Person of the directory (null: nobody).",
    )
    def owned_by(self) -> RoleHolder | None:
        return self.owned_by

    review_cycle_months: int = F(description="Reviewed this often.")
    drill_cadence_months: int = F(description="Drilled this often.")
    review_due_on: date | None = F(description="Approval date + review cycle.")
    template: bool = F(description="A seeded template to adapt.")
    created_at: datetime = F(description="When created.")
    versions: BoundedConnection[PlanVersionType] = nested(
        o.PlanVersionOrder,
        "Every version.",
        default=("-number",),
        default_text="newest first",
    )
    drills: BoundedConnection[
        Annotated["DrillType", strawberry.lazy("apps.emergency.graphql.types_response")]
    ] = nested(
        o.DrillOrder,
        "Drills of the plan.",
        default=("-scheduled_on", "-id"),
        default_text="latest date first",
    )
    activations: BoundedConnection[
        Annotated["ActivationType", strawberry.lazy("apps.emergency.graphql.types_response")]
    ] = nested(
        o.ActivationOrder,
        "Activations of the plan.",
        default=("-declared_at", "-id"),
        default_text="latest declared first",
        columns=o.LEVEL_RANK,
    )

    @F(only=["risk_category_ids"], description="RiskCategory ids covered.")
    def risk_category_ids(self) -> list[relay.GlobalID]:
        return _ids("RiskCategory", self.risk_category_ids)

    @F(only=["risk_ids"], description="Risk ids covered.")
    def risk_ids(self) -> list[relay.GlobalID]:
        return _ids("Risk", self.risk_ids)

    @F(
        prefetch_related=[
            Prefetch(
                "versions",
                queryset=m.PlanVersion.objects.filter(status=m.VersionStatus.APPROVED),
                to_attr="approved_versions",
            )
        ],
        description="The approved version in force; null when none.",
    )
    def version_in_force(self) -> PlanVersionType | None:
        found = getattr(self, "approved_versions", None)
        if found is None:
            approved = m.PlanVersion.objects.filter(status=m.VersionStatus.APPROVED)
            found = list(approved.filter(plan_id=self.pk))  # type: ignore[attr-defined]
        return found[0] if found else None

    @F(only=["review_due_on"], description="The review date has passed.")
    def review_overdue(self) -> bool:
        return bool(self.review_due_on and self.review_due_on < timezone.localdate())

    @F(annotate={"last_drill_result": _last_drill("result")}, description="The last drill failed.")
    def last_drill_failed(self) -> bool:
        if not hasattr(self, "last_drill_result"):  # fetched without the optimizer (a lookup)
            self.last_drill_result = _last_done(self, "result")
        return self.last_drill_result == m.DrillResult.FAIL

    @F(
        annotate={"last_drill_on": _last_drill("held_on")},
        only=["drill_cadence_months"],
        description="No drill was held within the drill cadence.",
    )
    def no_drill_within_cycle(self) -> bool:
        if not hasattr(self, "last_drill_on"):
            self.last_drill_on = _last_done(self, "held_on")
        held = self.last_drill_on
        return held is None or add_months(held, self.drill_cadence_months) < timezone.localdate()

    @F(
        annotate={
            "open_finding_count": Subquery(
                m.DrillFinding.objects.filter(drill__plan=OuterRef("pk"))
                .exclude(status=m.FindingStatus.CLOSED)
                .order_by()
                .values("drill__plan")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            )
        },
        description="Findings of its drills not closed yet.",
    )
    def open_findings(self) -> int:
        if not hasattr(self, "open_finding_count"):
            findings = m.DrillFinding.objects.filter(drill__plan_id=self.pk)  # type: ignore[attr-defined]
            return findings.exclude(status="closed").count()
        return self.open_finding_count or 0
