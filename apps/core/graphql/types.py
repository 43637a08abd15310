from enum import Enum
from typing import ClassVar

import strawberry
import strawberry_django
from auditlog.models import LogEntry
from strawberry.scalars import JSON

from apps.accounts.roles import Role
from apps.core import modules
from apps.core.graphql.nodes import TenantNode, member_rank
from apps.core.models import Job, JobStatus

JobStatusEnum = strawberry.enum(JobStatus, name="JobStatus")
JobKindEnum = strawberry.enum(
    Enum("JobKind", {kind.upper(): kind for kind in modules.job_kinds()}),  # type: ignore[misc]
    name="JobKind",
    description="What a job does; each module declares its kinds in its manifest.",
)


@strawberry_django.type(Job, name="Job", description="A long-running operation and its progress.")
class JobType(TenantNode):
    min_role = Role.VIEWER

    kind: JobKindEnum
    status: JobStatusEnum
    progress: int = strawberry_django.field(description="Percent done, 0 to 100.")
    created_at: strawberry.auto
    started_at: strawberry.auto
    finished_at: strawberry.auto
    error: str
    result: JSON
    attempts: int


@strawberry.enum(name="AuditAction")
class AuditAction(Enum):
    CREATE = LogEntry.Action.CREATE
    UPDATE = LogEntry.Action.UPDATE
    DELETE = LogEntry.Action.DELETE
    ACCESS = LogEntry.Action.ACCESS


@strawberry_django.type(
    LogEntry,
    name="AuditEntry",
    description="One recorded write: who changed which object, and how.",
)
class AuditEntryType(TenantNode):
    # Admins read the whole trail (`auditEntries` is theirs). Other members read only the history
    # of register objects they can see anyway (`risk { history }`): never memberships, tokens or
    # webhooks, whose entries hold what their own types hide from them.
    min_role = Role.VIEWER
    MEMBER_READABLE_APPS: ClassVar[tuple[str, ...]] = ("risks", "early_warning")

    @classmethod
    def restrict(cls, queryset, request):
        if member_rank(request) >= Role.rank(Role.ADMIN):
            return queryset
        return queryset.filter(content_type__app_label__in=cls.MEMBER_READABLE_APPS)

    timestamp: strawberry.auto
    object_id: str = strawberry_django.field(field_name="object_pk")
    object_repr: str
    actor_email: str | None
    remote_addr: str | None

    @strawberry_django.field(only=["action"])
    def action(self) -> AuditAction:
        return AuditAction(self.action)

    @strawberry_django.field(
        select_related=["content_type"], description="app_label.model of the changed object."
    )
    def object_type(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @strawberry_django.field(
        only=["changes"], description="Changed fields: {field: [before, after]}."
    )
    def changes(self) -> JSON:
        return self.changes or {}
