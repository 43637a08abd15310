from enum import Enum
from typing import ClassVar

import strawberry
import strawberry_django
from auditlog.models import LogEntry
from strawberry.scalars import JSON

from apps.accounts.roles import Role
from apps.core import audit, modules
from apps.core.graphql.nodes import TenantNode, member_rank
from apps.core.models import Job, JobStatus

JobStatusEnum = strawberry.enum(JobStatus, name="JobStatus")
JobKindEnum = strawberry.enum(
    Enum("JobKind", {kind.upper(): kind for kind in modules.job_kinds()}),  # type: ignore[misc]
    name="JobKind",
    description="What a job does; each module declares its kinds in its manifest.",
)
for _value in JobKindEnum.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = modules.job_kinds()[_value.value]  # the manifest's label


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


@strawberry.type(
    name="AuditFieldChange", description="One field of an audit entry, as people read it."
)
class AuditFieldChangeType:
    field: str = strawberry.field(description="The model field's name, e.g. review_flag.")
    label: str = strawberry.field(description="The field's readable name, e.g. Review flag.")
    before: str | None = strawberry.field(
        description="The value before (a name for a reference, a label for a choice); null "
        "when there was none."
    )
    after: str | None = strawberry.field(description="The value after, read the same way.")


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
        only=["changes"],
        description="Changed fields as stored: {field: [before, after]} (references by name, "
        "choices by code). fieldChanges reads better.",
    )
    def changes(self) -> JSON:
        return self.changes or {}

    @strawberry_django.field(
        only=["changes", "content_type"],
        select_related=["content_type"],
        description="The changed fields, readable: references by name, choices by label.",
    )
    def field_changes(self) -> list[AuditFieldChangeType]:
        return [AuditFieldChangeType(**vars(c)) for c in audit.field_changes(self)]

    @strawberry_django.field(
        only=["actor_email", "additional_data"],
        description="Who made the change: the user's e-mail, or the system job that made it "
        "(e.g. 'system: risks.daily_register job <id>'), or both ('<e-mail> via <job>').",
    )
    def made_by(self) -> str:
        return audit.made_by(self)

    @strawberry_django.field(
        only=["additional_data"],
        description="The system job that made the change, when a job made it.",
    )
    def system_job(self) -> str | None:
        return audit.system_of(self)

    @strawberry_django.field(
        only=["cid"],
        description="Correlation id: entries of one job (its id) or one request (its "
        "X-Correlation-ID header) share it.",
    )
    def correlation_id(self) -> str | None:
        return self.cid
