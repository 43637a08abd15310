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
from apps.emergency.graphql.mutations.common import Errors, actor, pk, pks, run
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
    to: e.ActivationStatusEnum = strawberry.field(description="Target.")  # type: ignore[valid-type]
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


@strawberry.input(description="Give a role to a person; the current holder's term ends.")
class ActivationRoleAssignInput:
    activation: relay.GlobalID = strawberry.field(description="The Activation.")
    role: e.RoleKindEnum = strawberry.field(description="The role.")  # type: ignore[valid-type]
    person: relay.GlobalID = strawberry.field(description="The Person taking it.")


@strawberry.type(description="The new term, or why not.")
class ActivationRolePayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    term: ActivationRoleType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Start, finish or skip a task (skipping needs a reason).")
class ActivationTaskTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The ActivationTask.")
    to: e.TaskStatusEnum = strawberry.field(description="Target.")  # type: ignore[valid-type]
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
    audience: e.AudienceEnum = strawberry.field(description="Who.")  # type: ignore[valid-type]
    channel: e.ChannelEnum = strawberry.field(description="How.")  # type: ignore[valid-type]
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


def _activation(gid) -> object:
    return pk(gid, "Activation", m.Activation)


@strawberry.type
class ActivationMutations:
    @strawberry.mutation(permission_classes=[IsAnalyst], description="Activate a plan.")
    def activation_declare(
        self, info: Info, input: Annotated[ActivationDeclareInput, _arg("What happened.")]
    ) -> ActivationPayload:
        from apps.early_warning.models import WarningSignal
        from apps.risks.models import Risk

        fields = {
            "plan_id": pk(input.plan, "EmergencyPlan", m.Plan),
            "level_id": pk(input.level, "SeverityLevel", m.SeverityLevel),
            "signal_id": pk(input.signal, "WarningSignal", WarningSignal),
            "risk_ids": pks(input.risks, "Risk", Risk) if input.risks is not None else None,
        }
        for name in (
            "title",
            "description",
            "location",
            "detected_at",
            "amount_involved",
            "estimated_loss",
            "currency",
            "affected_customers",
        ):
            fields[name] = getattr(input, name)
        return run(
            ActivationPayload,
            input,
            lambda: {"activation": activations.activation_declare(actor=actor(info), **fields)},
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Change the level.")
    def activation_level_change(
        self, info: Info, input: Annotated[ActivationLevelChangeInput, _arg("Which and to what.")]
    ) -> ActivationPayload:
        return run(
            ActivationPayload,
            input,
            lambda: {
                "activation": activations.level_change(
                    activation_id=_activation(input.id),
                    level_id=pk(input.level, "SeverityLevel", m.SeverityLevel),
                    comment=input.comment,
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Stabilise or reactivate.")
    def activation_transition(
        self, info: Info, input: Annotated[ActivationTransitionInput, _arg("Which and where.")]
    ) -> ActivationPayload:
        return run(
            ActivationPayload,
            input,
            lambda: {
                "activation": activations.activation_transition(
                    activation_id=_activation(input.id),
                    to=input.to.value,
                    comment=input.comment,
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Close with root cause, lessons and follow-up actions.",
    )
    def activation_close(
        self, info: Info, input: Annotated[ActivationCloseInput, _arg("The evaluation.")]
    ) -> ActivationPayload:
        return run(
            ActivationPayload,
            input,
            lambda: {
                "activation": activations.activation_close(
                    activation_id=_activation(input.id),
                    root_cause=input.root_cause,
                    lessons_learned=input.lessons_learned,
                    follow_up_actions=input.follow_up_actions,
                    plan_rating=input.plan_rating,
                    estimated_loss=input.estimated_loss,
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Assign or hand over a role.")
    def activation_role_assign(
        self, info: Info, input: Annotated[ActivationRoleAssignInput, _arg("Who takes what.")]
    ) -> ActivationRolePayload:
        from apps.people.models import Person

        return run(
            ActivationRolePayload,
            input,
            lambda: {
                "term": activations.role_assign(
                    activation_id=_activation(input.activation),
                    role=input.role.value,
                    person_id=pk(input.person, "Person", Person),
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Move a task.")
    def activation_task_transition(
        self, info: Info, input: Annotated[ActivationTaskTransitionInput, _arg("Which, where.")]
    ) -> ActivationTaskPayload:
        return run(
            ActivationTaskPayload,
            input,
            lambda: {
                "task": response.task_transition(
                    task_id=pk(input.id, "ActivationTask", m.ActivationTask),
                    to=input.to.value,
                    reason=input.reason,
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Add to the timeline.")
    def activation_note_add(
        self, info: Info, input: Annotated[ActivationNoteAddInput, _arg("The entry.")]
    ) -> TimelineEventPayload:
        kind = m.EventKind.CUSTOM if input.custom else m.EventKind.NOTE
        return run(
            TimelineEventPayload,
            input,
            lambda: {
                "event": response.note_add(
                    activation_id=_activation(input.activation),
                    text=input.text,
                    kind=kind,
                    pinned=input.pinned,
                    at=input.at,
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Record a communication.")
    def activation_communication_record(
        self,
        info: Info,
        input: Annotated[ActivationCommunicationRecordInput, _arg("Who was told what.")],
    ) -> CommunicationPayload:
        return run(
            CommunicationPayload,
            input,
            lambda: {
                "communication": response.communication_record(
                    activation_id=_activation(input.activation),
                    audience=input.audience.value,
                    channel=input.channel.value,
                    summary=input.summary,
                    sent_at=input.sent_at,
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Record a regulator report.")
    def regulator_report_submit(
        self, info: Info, input: Annotated[RegulatorReportSubmitInput, _arg("Which and when.")]
    ) -> RegulatorReportPayload:
        return run(
            RegulatorReportPayload,
            input,
            lambda: {
                "report": response.regulator_report_submit(
                    report_id=pk(input.id, "RegulatorReport", m.RegulatorReport),
                    submitted_at=input.submitted_at,
                    reference=input.reference,
                    actor=actor(info),
                )
            },
        )
