"""Activations: declare, change level, hand roles over, work tasks, record, close."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.emergency import models as m
from apps.emergency.graphql import enums as e
from apps.emergency.graphql.holders import HOLDER_ID, holder_ids
from apps.emergency.graphql.mutations.common import Errors, pks, write
from apps.emergency.graphql.types_response import (
    ActivationRoleType,
    ActivationTaskType,
    ActivationType,
    CommunicationType,
    RegulatorReportType,
    TimelineEventType,
)
from apps.emergency.services import activations, response


def _arg(description: str):
    return strawberry.argument(description=description)


@strawberry.input(description="Activate a plan: by hand, or from a warning signal.")
class ActivationDeclareInput:
    plan: relay.GlobalID = strawberry.field(description="The EmergencyPlan (approved version).")
    level: relay.GlobalID | None = strawberry.field(
        default=None, description="The SeverityLevel; default: the signal's matching trigger."
    )
    signal: relay.GlobalID | None = strawberry.field(
        default=None, description="The WarningSignal it answers (one activation per signal)."
    )
    title: str = strawberry.field(default="", description="Title; default from plan and level.")
    description: str = strawberry.field(default="", description="Nature of the event.")
    location: str = strawberry.field(default="", description="Where.")
    detected_at: datetime | None = strawberry.field(
        default=None, description="Default: the signal's first trigger, else now."
    )
    amount_involved: Decimal | None = strawberry.field(default=None, description="Amount.")
    estimated_loss: Decimal | None = strawberry.field(default=None, description="Loss estimate.")
    currency: str = strawberry.field(default="CNY", description="ISO 4217 code.")
    affected_customers: int | None = strawberry.field(default=None, description="Customers.")
    risks: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Risk ids linked; default: the plan's risks."
    )


@strawberry.type(description="The activation written, or why not.")
class ActivationPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    activation: ActivationType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Change the severity level (recorded in the timeline).")
class ActivationLevelChangeInput:
    id: relay.GlobalID = strawberry.field(description="The Activation.")
    level: relay.GlobalID = strawberry.field(description="The new SeverityLevel.")
    comment: str = strawberry.field(default="", description="Why.")


@strawberry.input(description="Move an activation: stabilised, or back to active.")
class ActivationTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The Activation.")
    to: e.ActivationStatusEnum = strawberry.field(description="Target.")
    comment: str = strawberry.field(default="", description="Why.")


@strawberry.input(description="Close with the evaluation (records a loss event on the risks).")
class ActivationCloseInput:
    id: relay.GlobalID = strawberry.field(description="The Activation.")
    root_cause: str = strawberry.field(description="Root cause.")
    lessons_learned: str = strawberry.field(description="Lessons learned.")
    follow_up_actions: str = strawberry.field(description="Follow-up actions.")
    plan_rating: int | None = strawberry.field(default=None, description="1 (badly) to 5.")
    estimated_loss: Decimal | None = strawberry.field(
        default=None, description="Final loss (kept as estimated when omitted)."
    )


@strawberry.input(
    description="Give a role to a person or a member; the current holder's term ends and the "
    "role's open tasks go to the new holder."
)
class ActivationRoleAssignInput:
    activation: relay.GlobalID = strawberry.field(description="The Activation.")
    role: e.RoleKindEnum = strawberry.field(description="The role.")
    person: relay.GlobalID = strawberry.field(description=f"Who takes it: {HOLDER_ID}.")


@strawberry.type(description="The new term, or why not.")
class ActivationRolePayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    term: ActivationRoleType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Start, finish or skip a task (skipping needs a reason).")
class ActivationTaskTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The ActivationTask.")
    to: e.TaskStatusEnum = strawberry.field(description="Target.")
    reason: str = strawberry.field(default="", description="Why (required to skip).")


@strawberry.type(description="The task written, or why not.")
class ActivationTaskPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    task: ActivationTaskType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Add a note or custom event to the timeline.")
class ActivationNoteAddInput:
    activation: relay.GlobalID = strawberry.field(description="The Activation.")
    text: str = strawberry.field(description="What happened.")
    custom: bool = strawberry.field(default=False, description="A custom event, not a note.")
    pinned: bool = strawberry.field(default=False, description="Pin it.")
    at: datetime | None = strawberry.field(default=None, description="When; default now.")


@strawberry.type(description="The entry written, or why not.")
class TimelineEventPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    event: TimelineEventType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Record who was told what.")
class ActivationCommunicationRecordInput:
    activation: relay.GlobalID = strawberry.field(description="The Activation.")
    audience: e.AudienceEnum = strawberry.field(description="Who.")
    channel: e.ChannelEnum = strawberry.field(description="How.")
    summary: str = strawberry.field(description="What was said.")
    sent_at: datetime | None = strawberry.field(default=None, description="When; default now.")


@strawberry.type(description="The communication written, or why not.")
class CommunicationPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    communication: CommunicationType | None = strawberry.field(
        default=None, description="As saved."
    )


@strawberry.input(description="Record that the report reached the regulator.")
class RegulatorReportSubmitInput:
    id: relay.GlobalID = strawberry.field(description="The RegulatorReport.")
    submitted_at: datetime | None = strawberry.field(default=None, description="Default now.")
    reference: str = strawberry.field(default="", description="The regulator's reference.")


@strawberry.type(description="The report written, or why not.")
class RegulatorReportPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    report: RegulatorReportType | None = strawberry.field(default=None, description="As saved.")


def _activation(gid) -> tuple:
    return (gid, "Activation", m.Activation)


def _level(gid) -> tuple:
    return (gid, "SeverityLevel", m.SeverityLevel)


@strawberry.type
class ActivationMutations:
    @strawberry.mutation(permission_classes=[IsAnalyst], description="Activate a plan.")
    def activation_declare(
        self, info: Info, input: Annotated[ActivationDeclareInput, _arg("What happened.")]
    ) -> ActivationPayload:
        from apps.early_warning.models import WarningSignal
        from apps.risks.models import Risk

        copied = (
            "title",
            "description",
            "location",
            "detected_at",
            "amount_involved",
            "estimated_loss",
            "currency",
            "affected_customers",
        )
        return write(
            ActivationPayload,
            info,
            input,
            activations.activation_declare,
            into="activation",
            ids={
                "plan_id": (input.plan, "EmergencyPlan", m.Plan),
                "level_id": _level(input.level),
                "signal_id": (input.signal, "WarningSignal", WarningSignal),
            },
            risk_ids=pks(input.risks, "Risk", Risk) if input.risks is not None else None,
            **{name: getattr(input, name) for name in copied},
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Change the level.")
    def activation_level_change(
        self, info: Info, input: Annotated[ActivationLevelChangeInput, _arg("Which and to what.")]
    ) -> ActivationPayload:
        return write(
            ActivationPayload,
            info,
            input,
            activations.level_change,
            into="activation",
            ids={"activation_id": _activation(input.id), "level_id": _level(input.level)},
            comment=input.comment,
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Stabilise or reactivate.")
    def activation_transition(
        self, info: Info, input: Annotated[ActivationTransitionInput, _arg("Which and where.")]
    ) -> ActivationPayload:
        return write(
            ActivationPayload,
            info,
            input,
            activations.activation_transition,
            into="activation",
            ids={"activation_id": _activation(input.id)},
            to=input.to.value,
            comment=input.comment,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Close with root cause, lessons and follow-up actions.",
    )
    def activation_close(
        self, info: Info, input: Annotated[ActivationCloseInput, _arg("The evaluation.")]
    ) -> ActivationPayload:
        return write(
            ActivationPayload,
            info,
            input,
            activations.activation_close,
            into="activation",
            ids={"activation_id": _activation(input.id)},
            root_cause=input.root_cause,
            lessons_learned=input.lessons_learned,
            follow_up_actions=input.follow_up_actions,
            plan_rating=input.plan_rating,
            estimated_loss=input.estimated_loss,
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Assign or hand over a role.")
    def activation_role_assign(
        self, info: Info, input: Annotated[ActivationRoleAssignInput, _arg("Who takes what.")]
    ) -> ActivationRolePayload:
        return write(
            ActivationRolePayload,
            info,
            input,
            activations.role_assign,
            into="term",
            ids={"activation_id": _activation(input.activation)},
            role=input.role.value,
            **holder_ids(input.person, person="person_id", member="member_id"),
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Move a task.")
    def activation_task_transition(
        self, info: Info, input: Annotated[ActivationTaskTransitionInput, _arg("Which, where.")]
    ) -> ActivationTaskPayload:
        return write(
            ActivationTaskPayload,
            info,
            input,
            response.task_transition,
            into="task",
            ids={"task_id": (input.id, "ActivationTask", m.ActivationTask)},
            to=input.to.value,
            reason=input.reason,
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Add to the timeline.")
    def activation_note_add(
        self, info: Info, input: Annotated[ActivationNoteAddInput, _arg("The entry.")]
    ) -> TimelineEventPayload:
        return write(
            TimelineEventPayload,
            info,
            input,
            response.note_add,
            into="event",
            ids={"activation_id": _activation(input.activation)},
            text=input.text,
            kind=m.EventKind.CUSTOM if input.custom else m.EventKind.NOTE,
            pinned=input.pinned,
            at=input.at,
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Record a communication.")
    def activation_communication_record(
        self,
        info: Info,
        input: Annotated[ActivationCommunicationRecordInput, _arg("Who was told what.")],
    ) -> CommunicationPayload:
        return write(
            CommunicationPayload,
            info,
            input,
            response.communication_record,
            into="communication",
            ids={"activation_id": _activation(input.activation)},
            audience=input.audience.value,
            channel=input.channel.value,
            summary=input.summary,
            sent_at=input.sent_at,
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Record a regulator report.")
    def regulator_report_submit(
        self, info: Info, input: Annotated[RegulatorReportSubmitInput, _arg("Which and when.")]
    ) -> RegulatorReportPayload:
        return write(
            RegulatorReportPayload,
            info,
            input,
            response.regulator_report_submit,
            into="report",
            ids={"report_id": (input.id, "RegulatorReport", m.RegulatorReport)},
            submitted_at=input.submitted_at,
            reference=input.reference,
        )
