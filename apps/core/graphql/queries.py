from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.core import selectors
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.ordering import OrderDirection
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
    CREATED = "created"
    UPDATED = "updated"
    STATUS = "status"


@strawberry.input(name="JobOrder", description="One sort key; later keys break ties.")
class JobOrderInput:
    field: JobOrderField
    direction: OrderDirection = OrderDirection.DESC


NEWEST_FIRST = [JobOrderInput(field=JobOrderField.CREATED, direction=OrderDirection.DESC)]


@strawberry.type
class CoreQuery:
    @strawberry_django.field(permission_classes=[IsViewer])
    def job(self, id: relay.GlobalID) -> JobType | None:
        return selectors.jobs().filter(pk=decode_pk(id, "Job", Job)).first()  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[JobType],
        permission_classes=[IsViewer],
        description="Jobs of this tenant, newest first unless `orderBy` says otherwise.",
    )
    def jobs(
        self,
        filter: JobFilterInput | None = None,
        order_by: Annotated[
            list[JobOrderInput] | None,
            strawberry.argument(description="Sort keys in order; null or empty: newest first."),
        ] = NEWEST_FIRST,
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
        self, object_type: str | None = None, object_id: str | None = None
    ) -> list[AuditEntryType]:
        return selectors.audit_entries(object_type=object_type, object_id=object_id)  # type: ignore[return-value]
