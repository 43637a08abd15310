"""Node types of activations (incidents) and drills."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
import strawberry_django
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from strawberry import relay
from strawberry.types import Info

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.pagination import BoundedConnection
from apps.emergency import models as m
from apps.emergency.graphql import capabilities as can
from apps.emergency.graphql import enums as e
from apps.emergency.graphql import orders as o
from apps.emergency.graphql.holders import RoleHolder
from apps.emergency.graphql.nested import nested
from apps.emergency.graphql.types import PlanType, PlanVersionType, SeverityLevelType
from apps.emergency.selectors.deadlines import communication_deadlines
from apps.people.graphql.inputs import PERSON_ORDER_COLUMNS, PersonOrder
from apps.people.graphql.types import PersonType

F = strawberry_django.field
OPEN_TASKS = Q(tasks__status__in=[m.TaskStatus.PENDING, m.TaskStatus.IN_PROGRESS])


@strawberry_django.type(m.ActivationTask, name="ActivationTask", description="A step at work.")
class ActivationTaskType(TenantNode):
    min_role = Role.VIEWER

    position: int = F(description="The step's position.")
    phase: e.PhaseEnum = F(description="Phase of the response.")
    action: str = F(description="What is done.")
    responsible_role: e.RoleKindEnum = F(description="The role that does it.")
    depends_on: list[int] = F(description="Positions of tasks finished first.")
    assignee: PersonType | None = F(
        description="The Person who does it (null when a member holds the role).",
        deprecation_reason="Read `assignedTo` (a Person or a member).",
    )

    @F(
        only=["assignee", "assignee_member"],
        prefetch_related=["assignee", "assignee_member"],
        description="Who does it: the role's holder at activation, or since a handover.",
    )
    def assigned_to(self) -> RoleHolder | None:
        return self.assigned_to

    due_at: datetime = F(description="Declaration + the step's time target.")
    status: e.TaskStatusEnum = F(description="Pending, in progress, done, skipped.")
    skip_reason: str = F(description="Why it was skipped.")
    started_at: datetime | None = F(description="When started.")
    finished_at: datetime | None = F(description="When done or skipped.")

    @F(only=["due_at", "status"], description="Past due and not finished.")
    def overdue(self) -> bool:
        return self.status in ("pending", "in_progress") and self.due_at < timezone.now()


@strawberry_django.type(m.ActivationRole, name="ActivationRole", description="A term in a role.")
class ActivationRoleType(TenantNode):
    min_role = Role.VIEWER

    role: e.RoleKindEnum = F(description="Which role.")
    person: PersonType | None = F(
        description="The Person who holds (held) it; null when a member does.",
        deprecation_reason="Read `holder` (a Person or a member).",
    )

    @F(
        only=["person", "member"],
        prefetch_related=["person", "member"],
        description="Who holds (held) it: a Person or a member.",
    )
    def holder(self) -> RoleHolder:
        return self.holder

    started_at: datetime = F(description="Start of the term.")
    ended_at: datetime | None = F(description="End of the term (handover); null: current.")


@strawberry_django.type(
    m.TimelineEvent, name="TimelineEvent", description="One entry of the append-only timeline."
)
class TimelineEventType(TenantNode):
    min_role = Role.VIEWER

    kind: e.EventKindEnum = F(description="What it records.")
    at: datetime = F(description="When it happened.")
    actor: UserType | None = F(description="Who recorded it; null: the system.")
    text: str = F(description="What happened, for a person.")
    level: SeverityLevelType | None = F(description="The level (declared, level changed).")
    task: ActivationTaskType | None = F(description="The task (task events).")
    person: PersonType | None = F(
        description="The person (role assigned).",
        deprecation_reason="Read `holder` (a Person or a member).",
    )

    @F(
        only=["person", "member"],
        prefetch_related=["person", "member"],
        description="Who took the role (role assigned): a Person or a member.",
    )
    def holder(self) -> RoleHolder | None:
        return self.holder

    pinned: bool = F(description="Pinned to the top of the story.")


@strawberry_django.type(
    m.Communication, name="ActivationCommunication", description="Who was told what, and when."
)
class CommunicationType(TenantNode):
    min_role = Role.VIEWER

    audience: e.AudienceEnum = F(description="Who was told.")
    channel: e.ChannelEnum = F(description="How.")
    summary: str = F(description="What was said.")
    sent_at: datetime = F(description="When.")
    sent_by: UserType | None = F(description="Who recorded it.")


@strawberry_django.type(
    m.RegulatorReport, name="RegulatorReport", description="A report owed to the regulator."
)
class RegulatorReportType(TenantNode):
    min_role = Role.VIEWER

    level: SeverityLevelType = F(description="The level that set the deadline.")
    due_at: datetime = F(description="Declaration + the level's hours.")
    submitted_at: datetime | None = F(description="When it was submitted.")
    reference: str = F(description="The regulator's reference.")

    @F(only=["due_at", "submitted_at"], description="Met, missed or pending, now.")
    def outcome(self) -> e.ReportOutcomeEnum:
        return self.outcome(timezone.now())


@strawberry_django.type(m.Activation, name="Activation", description="An incident: a plan at work.")
class ActivationType(TenantNode):
    min_role = Role.VIEWER

    plan: PlanType = F(description="The plan activated.")
    version: PlanVersionType = F(description="The approved version in force at declaration.")
    title: str = F(description="Title.")
    description: str = F(description="Nature of the event.")
    location: str = F(description="Where.")
    status: e.ActivationStatusEnum = F(description="Active, stabilised, closed.")
    source: e.ActivationSourceEnum = F(description="How it started.")
    level: SeverityLevelType = F(description="The current level.")
    detected_at: datetime = F(description="When detected.")
    declared_at: datetime = F(description="When declared.")
    stabilised_at: datetime | None = F(description="When stabilised.")
    closed_at: datetime | None = F(description="When closed.")
    declared_by: UserType | None = F(description="Who declared it; null: automatic.")
    amount_involved: Decimal | None = F(description="Amount involved.")
    estimated_loss: Decimal | None = F(description="Estimated loss.")
    currency: str = F(description="ISO 4217 code of the amounts.")
    affected_customers: int | None = F(description="Customers affected.")
    root_cause: str = F(description="Root cause (at closing).")
    lessons_learned: str = F(description="Lessons learned (at closing).")
    follow_up_actions: str = F(description="Follow-up actions (at closing).")
    plan_rating: int | None = F(description="How well the plan worked, 1–5.")

    @F(
        only=["status"],
        description="Statuses you may move it to now with activationTransition (empty below "
        "analyst; CLOSED is activationClose: see viewerCanClose).",
    )
    def allowed_transitions(self, info: Info) -> list[e.ActivationStatusEnum]:
        return can.activation_targets(self, info)  # type: ignore[return-value]

    @F(only=["status"], description="Whether you may close it now (activationClose).")
    def viewer_can_close(self, info: Info) -> bool:
        return can.can_close(self, info)

    tasks: BoundedConnection[ActivationTaskType] = nested(
        o.ActivationTaskOrder,
        "Tasks.",
        default=("position",),
        default_text="in step order",
    )
    roles: BoundedConnection[ActivationRoleType] = nested(
        o.ActivationRoleOrder,
        "Role terms, current and past.",
        default=("role", "-started_at"),
        default_text="by role, latest term first",
    )
    timeline: BoundedConnection[TimelineEventType] = nested(
        o.TimelineEventOrder,
        "The timeline.",
        default=("at", "created_at"),
        default_text="oldest first",
        columns=o.TIMELINE_COLUMNS,
    )
    communications: BoundedConnection[CommunicationType] = nested(
        o.CommunicationOrder,
        "Communications sent.",
        default=("sent_at",),
        default_text="oldest first",
    )
    regulator_reports: BoundedConnection[RegulatorReportType] = nested(
        o.RegulatorReportOrder,
        "Reports owed to the regulator.",
        default=("due_at",),
        default_text="earliest deadline first",
    )

    @F(
        prefetch_related=["communications", "version__communications"],
        only=["declared_at", "version_id"],
        description="Each audience of the communications plan with a deadline: met, missed or "
        "pending, from the first communication to it.",
    )
    def communication_deadlines(self) -> list["CommunicationDeadlineType"]:
        return communication_deadlines(self, timezone.now())  # type: ignore[arg-type,return-value]

    @F(only=["signal_id"], description="The WarningSignal that started it, if any.")
    def signal_id(self) -> relay.GlobalID | None:
        return relay.GlobalID("WarningSignal", str(self.signal_id)) if self.signal_id else None

    @F(only=["risk_ids"], description="Risk ids linked (loss events are recorded on them).")
    def risk_ids(self) -> list[relay.GlobalID]:
        return [relay.GlobalID("Risk", str(pk)) for pk in self.risk_ids]

    @F(
        prefetch_related=[
            Prefetch(
                "roles",
                queryset=m.ActivationRole.objects.filter(
                    role=m.RoleKind.COMMANDER, ended_at__isnull=True
                ).select_related("person"),
                to_attr="commander_terms",
            )
        ],
        description="The commander now, when a Person of the directory.",
        deprecation_reason="Read `commandedBy` (a Person or a member).",
    )
    def commander(self) -> PersonType | None:
        return _commander(self, "commander_terms").person

    @F(
        prefetch_related=[
            Prefetch(
                "roles",
                queryset=m.ActivationRole.objects.filter(
                    role=m.RoleKind.COMMANDER, ended_at__isnull=True
                ).select_related("person", "member"),
                to_attr="commander_holders",
            )
        ],
        description="The commander now: a Person or a member (null: nobody).",
    )
    def commanded_by(self) -> RoleHolder | None:
        return _commander(self, "commander_holders").holder

    @F(
        annotate={"open_task_count": Count("tasks", filter=OPEN_TASKS)},
        description="Tasks pending or in progress.",
    )
    def open_task_count(self) -> int:
        count = getattr(self, "open_task_count", None)
        if isinstance(count, int):
            return count
        open_tasks = m.ActivationTask.objects.filter(status__in=["pending", "in_progress"])
        return open_tasks.filter(activation_id=self.pk).count()  # type: ignore[attr-defined]


class _Nobody:
    person = None
    holder = None


def _commander(activation: Any, attr: str) -> Any:
    """The current commander's term, from the page's prefetch (or one query alone)."""
    terms = getattr(activation, attr, None)
    if terms is None:
        current = m.ActivationRole.objects.filter(role="commander", ended_at__isnull=True)
        terms = list(current.select_related("person", "member").filter(activation_id=activation.pk))
    return terms[0] if terms else _Nobody


@strawberry.type(
    name="CommunicationDeadline", description="An audience's deadline from the declaration."
)
class CommunicationDeadlineType:
    audience: e.AudienceEnum = strawberry.field(description="Who must be told.")
    deadline_minutes: int = strawberry.field(description="Minutes after declaration.")
    due_at: datetime = strawberry.field(description="Declaration + the deadline.")
    first_sent_at: datetime | None = strawberry.field(
        description="The first communication to the audience (any channel)."
    )
    outcome: e.ReportOutcomeEnum = strawberry.field(description="Met, missed or pending now.")


@strawberry_django.type(
    m.DrillStepTiming, name="DrillStepTiming", description="How long a plan step took in a drill."
)
class DrillStepTimingType(TenantNode):
    min_role = Role.VIEWER

    position: int = F(description="The plan step's position.")
    action: str = F(description="The step.")
    target_minutes: int = F(description="Its time target, minutes from activation.")
    started_minutes: int | None = F(description="Started, minutes from the drill's start.")
    finished_minutes: int | None = F(
        description="Finished, minutes from the drill's start; null: not finished."
    )

    @F(only=["started_minutes", "finished_minutes"], description="Finished − started.")
    def elapsed_minutes(self) -> int | None:
        if self.started_minutes is None or self.finished_minutes is None:
            return None
        return self.finished_minutes - self.started_minutes

    @F(
        only=["finished_minutes", "target_minutes"],
        description="Finished after its target, or not finished.",
    )
    def late(self) -> bool:
        return self.late


@strawberry_django.type(m.DrillFinding, name="DrillFinding", description="What a drill showed.")
class DrillFindingType(TenantNode):
    min_role = Role.VIEWER

    title: str = F(description="The finding.")
    severity: e.FindingSeverityEnum = F(description="How serious.")
    owner: PersonType | None = F(description="Who follows it up.")
    due_on: date | None = F(description="Follow-up due date.")
    status: e.FindingStatusEnum = F(description="Open, in progress, closed.")

    @F(
        only=["status"],
        description="Statuses you may move it to now with drillFindingTransition (empty below "
        "analyst).",
    )
    def allowed_transitions(self, info: Info) -> list[e.FindingStatusEnum]:
        return can.finding_targets(self, info)  # type: ignore[return-value]

    @F(only=["control_id"], description="The Control it is against (its rating was lowered).")
    def control_id(self) -> relay.GlobalID | None:
        return relay.GlobalID("Control", str(self.control_id)) if self.control_id else None

    @F(only=["action_id"], description="The TreatmentAction it became, if any.")
    def action_id(self) -> relay.GlobalID | None:
        return relay.GlobalID("TreatmentAction", str(self.action_id)) if self.action_id else None


@strawberry_django.type(m.Drill, name="Drill", description="A drill (演练) of a plan.")
class DrillType(TenantNode):
    min_role = Role.VIEWER

    plan: PlanType = F(description="The plan drilled.")
    version: PlanVersionType = F(description="The version in force when scheduled.")
    kind: e.DrillKindEnum = F(description="Tabletop, functional, full-scale, compliance.")
    scenario: str = F(description="The scenario played.")
    scheduled_on: strawberry.auto = F(description="The date.")
    status: e.DrillStatusEnum = F(description="Scheduled, done, missed, cancelled.")
    success_criteria: list[str] = F(description="Copied from the plan version when scheduled.")
    criteria_met: list[bool] = F(
        description="Per success criterion, in order: met or not (empty until recorded)."
    )
    held_on: strawberry.auto = F(description="When it was held.")
    summary: str = F(description="What happened.")
    participants: BoundedConnection[PersonType] = nested(
        PersonOrder,
        "Who took part.",
        default=("full_name", "employee_number"),
        default_text="by name",
        columns=PERSON_ORDER_COLUMNS,
    )
    findings: BoundedConnection[DrillFindingType] = nested(
        o.DrillFindingOrder,
        "Findings.",
        default=("created_at",),
        default_text="oldest first",
    )
    step_timings: BoundedConnection[DrillStepTimingType] = nested(
        o.DrillStepTimingOrder,
        "Step timings.",
        default=("position",),
        default_text="in step order",
    )

    @F(only=["result"], description="Pass, partial, fail; null until recorded.")
    def result(self) -> e.DrillResultEnum | None:
        return self.result or None
