"""Drills: schedule, record the result, findings."""

from datetime import date
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.permissions import IsAnalyst
from apps.emergency import models as m
from apps.emergency.graphql import enums as e
from apps.emergency.graphql.mutations.common import Errors, actor, pk, pks, run
from apps.emergency.graphql.types_response import DrillFindingType, DrillType
from apps.emergency.services import drills


def _arg(description: str):
    return strawberry.argument(description=description)


@strawberry.input(description="Schedule a drill of a plan's version in force.")
class DrillScheduleInput:
    plan: relay.GlobalID = strawberry.field(description="The EmergencyPlan.")
    scheduled_on: date = strawberry.field(description="The date.")
    kind: e.DrillKindEnum = strawberry.field(description="The type of drill.")  # type: ignore[valid-type]
    scenario: str = strawberry.field(default="", description="The scenario played.")
    participants: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Person ids."
    )


@strawberry.input(description="Record how a drill went.")
class DrillRecordInput:
    id: relay.GlobalID = strawberry.field(description="The Drill.")
    result: e.DrillResultEnum = strawberry.field(description="Pass, partial, fail.")  # type: ignore[valid-type]
    held_on: date | None = strawberry.field(default=None, description="Default today.")
    summary: str = strawberry.field(default="", description="What happened.")


@strawberry.type(description="The drill written, or why not.")
class DrillPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    drill: DrillType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="A finding of a drill; against a control it lowers its rating.")
class DrillFindingCreateInput:
    drill: relay.GlobalID = strawberry.field(description="The Drill (result recorded).")
    title: str = strawberry.field(description="The finding.")
    severity: e.FindingSeverityEnum = strawberry.field(description="How serious.")  # type: ignore[valid-type]
    owner: relay.GlobalID | None = strawberry.field(default=None, description="A Person.")
    due_on: date | None = strawberry.field(default=None, description="Follow-up due date.")
    control: relay.GlobalID | None = strawberry.field(default=None, description="A Control.")


@strawberry.input(description="Move a finding: in progress, closed, reopened.")
class DrillFindingTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The DrillFinding.")
    to: e.FindingStatusEnum = strawberry.field(description="Target.")  # type: ignore[valid-type]


@strawberry.type(description="The finding written, or why not.")
class DrillFindingPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    finding: DrillFindingType | None = strawberry.field(default=None, description="As saved.")


@strawberry.type
class DrillMutations:
    @strawberry.mutation(permission_classes=[IsAnalyst], description="Schedule a drill.")
    def drill_schedule(
        self, info: Info, input: Annotated[DrillScheduleInput, _arg("What and when.")]
    ) -> DrillPayload:
        from apps.people.models import Person

        return run(
            DrillPayload,
            input,
            lambda: {
                "drill": drills.drill_schedule(
                    plan_id=pk(input.plan, "EmergencyPlan", m.Plan),
                    scheduled_on=input.scheduled_on,
                    kind=input.kind.value,
                    scenario=input.scenario,
                    participant_ids=pks(input.participants, "Person", Person),
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Record a drill's result.")
    def drill_record(
        self, info: Info, input: Annotated[DrillRecordInput, _arg("How it went.")]
    ) -> DrillPayload:
        return run(
            DrillPayload,
            input,
            lambda: {
                "drill": drills.drill_record(
                    drill_id=pk(input.id, "Drill", m.Drill),
                    result=input.result.value,
                    held_on=input.held_on,
                    summary=input.summary,
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Add a finding.")
    def drill_finding_create(
        self, info: Info, input: Annotated[DrillFindingCreateInput, _arg("The finding.")]
    ) -> DrillFindingPayload:
        from apps.people.models import Person
        from apps.risks.models import Control

        return run(
            DrillFindingPayload,
            input,
            lambda: {
                "finding": drills.finding_create(
                    drill_id=pk(input.drill, "Drill", m.Drill),
                    title=input.title,
                    severity=input.severity.value,
                    owner_id=pk(input.owner, "Person", Person),
                    due_on=input.due_on,
                    control_id=pk(input.control, "Control", Control),
                    actor=actor(info),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Move a finding.")
    def drill_finding_transition(
        self, info: Info, input: Annotated[DrillFindingTransitionInput, _arg("Which, where.")]
    ) -> DrillFindingPayload:
        return run(
            DrillFindingPayload,
            input,
            lambda: {
                "finding": drills.finding_transition(
                    finding_id=pk(input.id, "DrillFinding", m.DrillFinding),
                    to=input.to.value,
                    actor=actor(info),
                )
            },
        )
