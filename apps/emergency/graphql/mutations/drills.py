"""Drills: schedule, record the result, findings."""

from datetime import date
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.permissions import IsAnalyst
from apps.emergency import models as m
from apps.emergency.graphql import enums as e
from apps.emergency.graphql.mutations.common import Errors, pks, write
from apps.emergency.graphql.types_response import DrillFindingType, DrillType
from apps.emergency.services import drills


def _arg(description: str):
    return strawberry.argument(description=description)


@strawberry.input(description="Schedule a drill of a plan's version in force.")
class DrillScheduleInput:
    plan: relay.GlobalID = strawberry.field(description="The EmergencyPlan.")
    scheduled_on: date = strawberry.field(description="The date.")
    kind: e.DrillKindEnum = strawberry.field(description="The type of drill.")
    scenario: str = strawberry.field(default="", description="The scenario played.")
    participants: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Person ids."
    )


@strawberry.input(description="How long a plan step took, in minutes from the drill's start.")
class DrillStepTimingInput:
    position: int = strawberry.field(description="The step's position in the drilled version.")
    started_minutes: int | None = strawberry.field(default=None, description="When it started.")
    finished_minutes: int | None = strawberry.field(
        default=None, description="When it was finished; null: not finished in the drill."
    )


@strawberry.input(description="Record how a drill went.")
class DrillRecordInput:
    id: relay.GlobalID = strawberry.field(description="The Drill.")
    result: e.DrillResultEnum = strawberry.field(description="Pass, partial, fail.")
    held_on: date | None = strawberry.field(default=None, description="Default today.")
    summary: str = strawberry.field(default="", description="What happened.")
    criteria_met: list[bool] | None = strawberry.field(
        default=None, description="Per success criterion of the drill, in order: met or not."
    )
    step_timings: list[DrillStepTimingInput] | None = strawberry.field(
        default=None, description="Measured steps (each once); a step is late past its target."
    )


@strawberry.type(description="The drill written, or why not.")
class DrillPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    drill: DrillType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="A finding of a drill; against a control it lowers its rating.")
class DrillFindingCreateInput:
    drill: relay.GlobalID = strawberry.field(description="The Drill (result recorded).")
    title: str = strawberry.field(description="The finding.")
    severity: e.FindingSeverityEnum = strawberry.field(description="How serious.")
    owner: relay.GlobalID | None = strawberry.field(default=None, description="A Person.")
    due_on: date | None = strawberry.field(default=None, description="Follow-up due date.")
    control: relay.GlobalID | None = strawberry.field(default=None, description="A Control.")


@strawberry.input(description="Move a finding: in progress, closed, reopened.")
class DrillFindingTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The DrillFinding.")
    to: e.FindingStatusEnum = strawberry.field(description="Target.")


@strawberry.input(description="Make a finding a treatment action on a risk of the drilled plan.")
class DrillFindingActionCreateInput:
    id: relay.GlobalID = strawberry.field(description="The DrillFinding (no action yet).")
    risk: relay.GlobalID = strawberry.field(description="A Risk the drilled plan covers.")
    title: str = strawberry.field(default="", description="Default: the finding's title.")
    due_date: date | None = strawberry.field(
        default=None, description="Default: the finding's due date."
    )


@strawberry.type(description="The finding written, or why not.")
class DrillFindingPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    finding: DrillFindingType | None = strawberry.field(default=None, description="As saved.")


def _drill(gid) -> tuple:
    return (gid, "Drill", m.Drill)


def _finding(gid) -> tuple:
    return (gid, "DrillFinding", m.DrillFinding)


@strawberry.type
class DrillMutations:
    @strawberry.mutation(permission_classes=[IsAnalyst], description="Schedule a drill.")
    def drill_schedule(
        self, info: Info, input: Annotated[DrillScheduleInput, _arg("What and when.")]
    ) -> DrillPayload:
        from apps.people.models import Person

        return write(
            DrillPayload,
            info,
            input,
            drills.drill_schedule,
            into="drill",
            ids={"plan_id": (input.plan, "EmergencyPlan", m.Plan)},
            scheduled_on=input.scheduled_on,
            kind=input.kind.value,
            scenario=input.scenario,
            participant_ids=pks(input.participants, "Person", Person),
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Record a drill's result.")
    def drill_record(
        self, info: Info, input: Annotated[DrillRecordInput, _arg("How it went.")]
    ) -> DrillPayload:
        timings = [
            {
                "position": t.position,
                "started_minutes": t.started_minutes,
                "finished_minutes": t.finished_minutes,
            }
            for t in input.step_timings or []
        ]
        return write(
            DrillPayload,
            info,
            input,
            drills.drill_record,
            into="drill",
            ids={"drill_id": _drill(input.id)},
            result=input.result.value,
            held_on=input.held_on,
            summary=input.summary,
            criteria_met=input.criteria_met,
            step_timings=timings,
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Add a finding.")
    def drill_finding_create(
        self, info: Info, input: Annotated[DrillFindingCreateInput, _arg("The finding.")]
    ) -> DrillFindingPayload:
        from apps.people.models import Person
        from apps.risks.models import Control

        return write(
            DrillFindingPayload,
            info,
            input,
            drills.finding_create,
            into="finding",
            ids={
                "drill_id": _drill(input.drill),
                "owner_id": (input.owner, "Person", Person),
                "control_id": (input.control, "Control", Control),
            },
            title=input.title,
            severity=input.severity.value,
            due_on=input.due_on,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Turn a finding into a treatment action on a linked risk (the register's "
        "action, owned by the finding's owner, a directory person); the finding links to it.",
    )
    def drill_finding_action_create(
        self, info: Info, input: Annotated[DrillFindingActionCreateInput, _arg("Which, where.")]
    ) -> DrillFindingPayload:
        from apps.risks.models import Risk

        return write(
            DrillFindingPayload,
            info,
            input,
            drills.finding_action_create,
            into="finding",
            ids={"finding_id": _finding(input.id), "risk_id": (input.risk, "Risk", Risk)},
            title=input.title,
            due_on=input.due_date,
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Move a finding.")
    def drill_finding_transition(
        self, info: Info, input: Annotated[DrillFindingTransitionInput, _arg("Which, where.")]
    ) -> DrillFindingPayload:
        return write(
            DrillFindingPayload,
            info,
            input,
            drills.finding_transition,
            into="finding",
            ids={"finding_id": _finding(input.id)},
            to=input.to.value,
        )
