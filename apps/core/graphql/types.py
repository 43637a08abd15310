from enum import Enum
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
import strawberry_django
from auditlog.models import LogEntry
from strawberry.scalars import JSON

from apps.accounts.roles import Role
from apps.core import audit, modules
from apps.core.graphql.errors import choices_enum
from apps.core.graphql.ids import ScopedIdNode
from apps.core.graphql.nodes import TenantNode, member_rank
from apps.core.models import Job, JobStatus

if TYPE_CHECKING:
    from apps.core.graphql.job_result_union import JobResult

# The type checker sees plain enums; at run time they are GraphQL enums, described (JobKind's
# members come from the manifests, so it has no static members at all).
if TYPE_CHECKING:
    JobStatusEnum = JobStatus
    JobKindEnum = Enum
else:
    JobStatusEnum = choices_enum(
        JobStatus,
        "JobStatus",
        "Where a job is: QUEUED → RUNNING → SUCCEEDED or FAILED (a failed one says why in "
        "`error`).",
    )
    JobKindEnum = strawberry.enum(
        Enum(
            "JobKind",
            {  # each value described by its manifest's label
                kind.upper(): strawberry.enum_value(kind, description=label)
                for kind, label in modules.job_kinds().items()
            },
        ),
        name="JobKind",
        description="What a job does; each module declares its kinds in its manifest.",
    )
    for _value in JobKindEnum.__strawberry_definition__.values:
        _value.description = modules.job_kinds()[JobKindEnum[_value.name].value]


@strawberry_django.type(Job, name="Job", description="A long-running operation and its progress.")
class JobType(TenantNode):
    min_role = Role.VIEWER

    kind: JobKindEnum = strawberry_django.field(description="What it does.")
    status: JobStatusEnum = strawberry_django.field(description="Where it is.")
    progress: int = strawberry_django.field(description="Percent done, 0 to 100.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was asked for.")
    started_at: strawberry.auto = strawberry_django.field(description="When a worker started it.")
    finished_at: strawberry.auto = strawberry_django.field(description="When it ended.")
    error: str = strawberry_django.field(description="Why it failed; empty otherwise.")
    attempts: int = strawberry_django.field(description="How many times a worker started it.")

    @strawberry_django.field(
        only=["kind", "result"],
        description="What it produced, typed by its kind (a fragment per kind: `... on "
        "PeopleImportResult`); a failed import's result lists the file's problems. Null while "
        "queued or running, and when it failed before producing anything.",
    )
    def result(
        self, root: Job
    ) -> Annotated["JobResult", strawberry.lazy("apps.core.graphql.job_result_union")] | None:
        from apps.core.graphql.job_result_union import result_of

        return result_of(root)

    @strawberry_django.field(
        only=["result"],
        description="The stored summary as untyped JSON.",
        deprecation_reason="Use `result`, typed per job kind; this untyped copy stays for "
        "clients written against the former `result: JSON` until they move.",
    )
    def result_json(self, root: Job) -> JSON:
        return JSON(root.result)


@strawberry.enum(name="AuditAction", description="What kind of write an audit entry records.")
class AuditAction(Enum):
    CREATE = strawberry.enum_value(LogEntry.Action.CREATE, description="It was created.")
    UPDATE = strawberry.enum_value(LogEntry.Action.UPDATE, description="It was changed.")
    DELETE = strawberry.enum_value(LogEntry.Action.DELETE, description="It was deleted.")
    ACCESS = strawberry.enum_value(LogEntry.Action.ACCESS, description="It was read.")


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
class AuditEntryType(ScopedIdNode, TenantNode):
    # Entries are numbered per schema: the id carries the schema too (ScopedIdNode).
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

    timestamp: strawberry.auto = strawberry_django.field(description="When the write happened.")
    object_id: str = strawberry_django.field(
        field_name="object_pk", description="The changed object's key as stored."
    )
    object_repr: str = strawberry_django.field(
        description="The object as people read it, at the time."
    )
    actor_email: str | None = strawberry_django.field(
        description="The user's e-mail; null for a system write."
    )
    remote_addr: str | None = strawberry_django.field(
        description="The client's address, when a request made it."
    )

    @strawberry_django.field(only=["action"], description="Created, changed, deleted or read.")
    def action(self) -> AuditAction:
        return AuditAction(self.action)

    @strawberry_django.field(
        select_related=["content_type"], description="app_label.model of the changed object."
    )
    def object_type(self, root: LogEntry) -> str:
        return f"{root.content_type.app_label}.{root.content_type.model}"

    @strawberry_django.field(
        only=["changes"],
        description="Changed fields as stored: {field: [before, after]} (references by name, "
        "choices by code). fieldChanges reads better.",
    )
    def changes(self, root: LogEntry) -> JSON:
        return JSON(root.changes or {})

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
    def correlation_id(self, root: LogEntry) -> str | None:
        return root.cid
