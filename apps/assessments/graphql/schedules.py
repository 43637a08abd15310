"""Run schedules: a template run repeated once per day, ISO week or month from the tenant tick."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.types import Info

from apps.accounts.roles import Role
from apps.assessments import models as m
from apps.assessments.graphql.errors import AssessmentError, AssessmentErrorCode
from apps.assessments.graphql.types import RunType
from apps.assessments.services import schedules
from apps.core.graphql.errors import choices_enum
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, OrderKey, apply_order, order_input
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsAnalyst, IsViewer
from apps.core.graphql.resolvers import run_service

Errors = list[AssessmentError]  # type: ignore[valid-type]


@strawberry.enum(name="AssessmentRunScheduleOrderField", description="What schedules sort by.")
class ScheduleOrderField(Enum):
    NAME = strawberry.enum_value("name", description="The name.")
    CREATED = strawberry.enum_value("created_at", description="When it was made.")


if TYPE_CHECKING:
    CadenceEnum = m.Cadence
    ScheduleOrder = OrderKey
else:
    CadenceEnum = choices_enum(
        m.Cadence,
        "AssessmentCadence",
        "How often a schedule runs.",
        descriptions={
            m.Cadence.DAILY: "Once a day (the tenant's date).",
            m.Cadence.WEEKLY: "Once an ISO week.",
            m.Cadence.MONTHLY: "Once a calendar month.",
        },
    )
    ScheduleOrder = order_input(
        "AssessmentRunScheduleOrder", ScheduleOrderField, description="One sort key of schedules."
    )


@strawberry_django.type(
    m.RunSchedule,
    name="AssessmentRunSchedule",
    description="A run repeated once per period on the newest ready versions of its datasets.",
)
class RunScheduleType(TenantNode):
    min_role = Role.VIEWER

    name: str = strawberry_django.field(description="Unique name.")
    cadence: CadenceEnum = strawberry_django.field(description="Daily, weekly or monthly.")
    active: bool = strawberry_django.field(description="False: the tick leaves it.")
    last_period: str = strawberry_django.field(
        description="The last period claimed (2026-12-01, 2026-W49, 2026-12); blank: none."
    )
    last_error: str = strawberry_django.field(description="Why the last period's run was refused.")
    created_at: datetime = strawberry_django.field(description="When it was made.")

    template: RunType = strawberry_django.field(description="The run it repeats.")


@strawberry.input(description="A new schedule.")
class AssessmentRunScheduleCreateInput:
    name: str = strawberry.field(description="Unique name, e.g. Daily VaR.")
    template: relay.GlobalID = strawberry.field(description="The AssessmentRun to repeat.")
    cadence: CadenceEnum = strawberry.field(description="How often.")


@strawberry.input(description="Changes to a schedule; omitted fields are unchanged.")
class AssessmentRunScheduleUpdateInput:
    schedule: relay.GlobalID = strawberry.field(description="The AssessmentRunSchedule.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    cadence: CadenceEnum | None = strawberry.field(default=None, description="A new cadence.")
    active: bool | None = strawberry.field(default=None, description="Pause or resume.")


@strawberry.type(description="The schedule, or why not.")
class AssessmentRunSchedulePayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    schedule: RunScheduleType | None = strawberry.field(default=None, description="As stored.")


def _role(info: Info) -> str:
    membership = getattr(info.context.request, "membership", None)
    return membership.role if membership else ""


def _schedule(gid) -> object:
    return pk_or_nothing(gid, "AssessmentRunSchedule", m.RunSchedule)


@strawberry.type
class ScheduleQuery:
    @strawberry_django.connection(
        BoundedConnection[RunScheduleType],
        permission_classes=[IsViewer],
        description="Run schedules.",
    )
    def assessment_run_schedules(
        self,
        order_by: Annotated[
            list[ScheduleOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by name")),
        ] = None,
    ) -> list[RunScheduleType]:
        rows = apply_order(m.RunSchedule.objects.all(), order_by, default=("name",))
        return rows  # type: ignore[return-value]  # the optimizer turns rows into the type


@strawberry.type
class ScheduleMutation:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Repeat a run every day, ISO week or month from the tenant tick.",
    )
    def assessment_run_schedule_create(
        self,
        info: Info,
        input: Annotated[
            AssessmentRunScheduleCreateInput, strawberry.argument(description="The schedule.")
        ],
    ) -> AssessmentRunSchedulePayload:
        return run_service(
            AssessmentRunSchedulePayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "schedule": schedules.schedule_create(
                    name=input.name,
                    template_id=pk_or_nothing(input.template, "AssessmentRun", m.AssessmentRun),
                    cadence=input.cadence.value,
                    actor_role=_role(info),
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst], description="Rename, re-time, pause or resume a schedule."
    )
    def assessment_run_schedule_update(
        self,
        info: Info,
        input: Annotated[
            AssessmentRunScheduleUpdateInput, strawberry.argument(description="The changes.")
        ],
    ) -> AssessmentRunSchedulePayload:
        return run_service(
            AssessmentRunSchedulePayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "schedule": schedules.schedule_update(
                    schedule_id=_schedule(input.schedule),
                    name=input.name,
                    cadence=input.cadence.value if input.cadence else None,
                    active=input.active,
                    actor_role=_role(info),
                )
            },
            input=input,
            fields={"schedule_id": "schedule"},
        )
