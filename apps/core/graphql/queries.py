import strawberry
import strawberry_django
from strawberry import relay

from apps.core import selectors
from apps.core.graphql.errors import NotFound
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsTenantAdmin, IsViewer
from apps.core.graphql.types import AuditEntryType, JobType
from apps.core.models import Job


@strawberry.type
class CoreQuery:
    @strawberry_django.field(permission_classes=[IsViewer])
    def job(self, id: relay.GlobalID) -> JobType:
        job = selectors.jobs().filter(pk=decode_pk(id, "Job", Job)).first()
        if job is None:
            raise NotFound("Job")
        return job  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[JobType],
        permission_classes=[IsViewer],
        description="Jobs of this tenant, newest first.",
    )
    def jobs(self) -> list[JobType]:
        return selectors.jobs()  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[AuditEntryType],
        permission_classes=[IsTenantAdmin],
        description="The audit trail of this tenant, newest first.",
    )
    def audit_entries(
        self, object_type: str | None = None, object_id: str | None = None
    ) -> list[AuditEntryType]:
        return selectors.audit_entries(object_type=object_type, object_id=object_id)  # type: ignore[return-value]
