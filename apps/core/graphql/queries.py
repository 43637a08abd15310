from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.core import selectors
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.ordering import (
    ORDER_BY_DESCRIPTION,
    OrderDirection,
    OrderKey,
    apply_order,
    order_input,
)
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsTenantAdmin, IsViewer
from apps.core.graphql.types import AuditEntryType, JobKindEnum, JobStatusEnum, JobType
from apps.core.models import Job


@strawberry.input(name="JobFilter", description="Jobs matching all the given conditions.")
class JobFilterInput:
    kinds: list[JobKindEnum] | None = strawberry.field(default=None, description="Any of these.")
    statuses: list[JobStatusEnum] | None = strawberry.field(
        default=None, description="Any of these."
    )
    created_from: datetime | None = strawberry.field(
        default=None, description="Created at or after."
    )
    created_to: datetime | None = strawberry.field(default=None, description="Created before.")


@strawberry.enum(name="JobOrderField", description="What jobs can be sorted by.")
class JobOrderField(Enum):
    CREATED = strawberry.enum_value("created", description="When it was created.")
    UPDATED = strawberry.enum_value("updated", description="When it last changed.")
    STATUS = strawberry.enum_value("status", description="By status code.")


if TYPE_CHECKING:
    JobOrderInput = OrderKey
    AuditEntryOrder = OrderKey
else:
    JobOrderInput = order_input(
        "JobOrder", JobOrderField, description="One sort key of the job list."
    )


@strawberry.enum(name="AuditEntryOrderField", description="What audit entries sort by.")
class AuditEntryOrderField(Enum):
    TIME = strawberry.enum_value("timestamp", description="When the change was made.")


if not TYPE_CHECKING:
    AuditEntryOrder = order_input(
        "AuditEntryOrder", AuditEntryOrderField, description="One sort key of the audit trail."
    )


@strawberry.type
class CoreQuery:
    @strawberry_django.field(
        permission_classes=[IsViewer], description="One job; null when none has the id."
    )
    def job(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A Job.")]
    ) -> JobType | None:
        pk = decode_pk(id, "Job", Job)
        return None if pk is None else selectors.jobs().filter(pk=pk).first()  # type: ignore[return-value]  # the optimizer serves the row as a JobType

    @strawberry_django.connection(
        BoundedConnection[JobType],
        permission_classes=[IsViewer],
        description="Jobs of this tenant, newest first unless `orderBy` says otherwise.",
    )
    def jobs(
        self,
        filter: Annotated[
            JobFilterInput | None, strawberry.argument(description="Which jobs.")
        ] = None,
        order_by: Annotated[
            list[JobOrderInput] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="newest first")),
        ] = None,
    ) -> list[JobType]:
        f = filter or JobFilterInput()
        return selectors.jobs(  # type: ignore[return-value]
            kinds=[k.value for k in f.kinds or []],
            statuses=[s.value for s in f.statuses or []],
            created_from=f.created_from,
            created_to=f.created_to,
            order=[(o.field.value, o.direction == OrderDirection.DESC) for o in order_by or []],
        )

    @strawberry_django.connection(
        BoundedConnection[AuditEntryType],
        permission_classes=[IsTenantAdmin],
        description="The audit trail of this tenant, newest first.",
    )
    def audit_entries(
        self,
        object_type: Annotated[
            str | None,
            strawberry.argument(description="Only this kind: app_label.model, e.g. risks.risk."),
        ] = None,
        object_id: Annotated[
            str | None, strawberry.argument(description="Only this object's (its key as stored).")
        ] = None,
        order_by: Annotated[
            list[AuditEntryOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="newest first")),
        ] = None,
    ) -> list[AuditEntryType]:
        rows = selectors.audit_entries(object_type=object_type, object_id=object_id)
        return apply_order(rows, order_by, default=("-timestamp",))  # type: ignore[return-value]
