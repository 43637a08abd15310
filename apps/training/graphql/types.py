from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.accounts.graphql.types import RoleEnum, UserType
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.people.graphql.types import DepartmentType, PersonType
from apps.training import models as m

if TYPE_CHECKING:  # emergency's type, resolved lazily at run time (no import at start-up)
    from apps.emergency.graphql.types import PlanType


@strawberry.enum(name="TrainingTopic", description="What a course is about.")
class TopicEnum(Enum):
    COMPLIANCE = strawberry.enum_value("compliance", description="Compliance.")
    RISK_AWARENESS = strawberry.enum_value("risk_awareness", description="Risk awareness.")
    EMERGENCY_HANDLING = strawberry.enum_value(
        "emergency_handling", description="Emergency handling."
    )
    LEGAL = strawberry.enum_value("legal", description="Legal.")
    ETHICS = strawberry.enum_value("ethics", description="Ethics.")
    INFORMATION_SECURITY = strawberry.enum_value(
        "information_security", description="Information security."
    )
    MARKET_RISK = strawberry.enum_value("market_risk", description="Market risk.")
    ANTI_FRAUD = strawberry.enum_value("anti_fraud", description="Anti-fraud.")
    CONSUMER_PROTECTION = strawberry.enum_value(
        "consumer_protection", description="Consumer protection."
    )


@strawberry.enum(name="CourseFormat", description="How a course is given.")
class FormatEnum(Enum):
    LECTURE = strawberry.enum_value("lecture", description="Lecture.")
    CASE_ANALYSIS = strawberry.enum_value("case_analysis", description="Case analysis.")
    DRILL = strawberry.enum_value("drill", description="Drill.")
    ONLINE = strawberry.enum_value("online", description="Online.")
    SEMINAR = strawberry.enum_value("seminar", description="Seminar.")
    EXAM = strawberry.enum_value("exam", description="Exam.")


@strawberry.enum(name="TrainingRecurrence", description="When a requirement comes due again.")
class RecurrenceEnum(Enum):
    ONCE = strawberry.enum_value("once", description="Once; never again.")
    EVERY_MONTHS = strawberry.enum_value(
        "every_months", description="Every recurrenceMonths after the last completion."
    )
    COURSE_VALIDITY = strawberry.enum_value(
        "course_validity", description="When the certificate expires (course validity)."
    )


@strawberry.enum(name="TrainingRecordSource", description="Where a record came from.")
class SourceEnum(Enum):
    SESSION = strawberry.enum_value("session", description="A training session.")
    ELEARNING_IMPORT = strawberry.enum_value(
        "elearning_import", description="Imported from e-learning."
    )
    EXTERNAL = strawberry.enum_value("external", description="An external provider.")


@strawberry.enum(name="TrainingStatus", description="Where a person stands with a course.")
class StatusEnum(Enum):
    COMPLIANT = strawberry.enum_value("compliant", description="Holds a completion that counts.")
    DUE_SOON = strawberry.enum_value(
        "due_soon", description="Not yet trained and not yet late, or renewal within the window."
    )
    OVERDUE = strawberry.enum_value("overdue", description="Past due date plus grace days.")
    EXPIRED = strawberry.enum_value("expired", description="The certificate has expired.")
    EXEMPT = strawberry.enum_value("exempt", description="Excused by an exemption.")
    NOT_REQUIRED = strawberry.enum_value("not_required", description="No requirement applies.")


def _ids(type_name: str, ids) -> list[relay.GlobalID]:
    return [relay.GlobalID(type_name, str(pk)) for pk in ids]


@strawberry_django.type(m.Course, name="Course", description="A training course (versioned).")
class CourseType(TenantNode):
    min_role = Role.VIEWER  # course catalogue: every member reads it

    code: str = strawberry_django.field(description="Permanent identifier (import files use it).")
    title_zh: str = strawberry_django.field(description="Chinese title; may be empty.")
    title_en: str = strawberry_django.field(description="English title; may be empty.")
    topic: TopicEnum = strawberry_django.field(description="What it is about.")
    format: FormatEnum = strawberry_django.field(description="How it is given.")
    duration_minutes: int = strawberry_django.field(description="Length in minutes.")
    pass_score: int | None = strawberry_django.field(description="0–100; null: no exam score.")
    validity_months: int | None = strawberry_django.field(
        description="How long a completion counts; null: never expires."
    )
    grace_days: int = strawberry_django.field(description="Days after due before overdue.")
    materials_url: str = strawberry_django.field(description="Where the materials are.")
    version: int = strawberry_django.field(description="Bumped by each material change.")
    requires_retraining_since: strawberry.auto = strawberry_django.field(
        description="Completions before this no longer count; null: all count."
    )
    active: bool = strawberry_django.field(description="False once retired.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was created.")
    updated_at: strawberry.auto = strawberry_django.field(description="Last change.")

    @strawberry_django.field(
        only=["title_zh", "title_en"], description="The Chinese title, else the English one."
    )
    def title(self) -> str:
        return self.title_zh or self.title_en

    @strawberry_django.field(
        only=["risk_category_ids"], description="Ids of the linked RiskCategory objects."
    )
    def risk_category_ids(self) -> list[relay.GlobalID]:
        return _ids("RiskCategory", self.risk_category_ids)

    @strawberry_django.field(
        only=["emergency_plan_ids"],
        description="Emergency plans whose roles the course prepares (by code).",
    )
    def emergency_plans(
        self, root: m.Course
    ) -> list[Annotated["PlanType", strawberry.lazy("apps.emergency.graphql.types")]]:
        from apps.training.selectors import linked_plans

        return linked_plans(root.emergency_plan_ids)


@strawberry_django.type(
    m.Requirement, name="TrainingRequirement", description="Who must take a course, and when."
)
class RequirementType(TenantNode):
    min_role = Role.VIEWER

    course: CourseType = strawberry_django.field(description="The course required.")
    job_roles: list[str] = strawberry_django.field(description="Job role codes in the audience.")
    member_roles: list[RoleEnum] = strawberry_django.field(
        description="Member roles in the audience (people linked to a member with that role)."
    )
    first_due_days: int = strawberry_django.field(
        description="Due this many days after hire or after the requirement's creation (later)."
    )
    recurrence: RecurrenceEnum = strawberry_django.field(description="When it comes due again.")
    recurrence_months: int | None = strawberry_django.field(description="For EVERY_MONTHS.")
    active: bool = strawberry_django.field(description="False once retired.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was created.")
    updated_at: strawberry.auto = strawberry_django.field(description="Last change.")

    @strawberry_django.field(
        only=["department_ids"], description="Department ids (sub-departments included)."
    )
    def department_ids(self) -> list[relay.GlobalID]:
        return _ids("Department", self.department_ids)

    @strawberry_django.field(only=["person_ids"], description="Person ids named in the audience.")
    def person_ids(self) -> list[relay.GlobalID]:
        return _ids("Person", self.person_ids)


@strawberry_django.type(
    m.TrainingRecord, name="TrainingRecord", description="One attempt of one person at a course."
)
class RecordType(TenantNode):
    min_role = Role.VIEWER

    person: PersonType = strawberry_django.field(description="Who.")
    course: CourseType = strawberry_django.field(description="Which course.")
    course_version: int = strawberry_django.field(description="Course version at the time.")
    attended: bool = strawberry_django.field(description="Whether they attended.")
    score: int | None = strawberry_django.field(description="0–100, if scored.")
    passed: bool = strawberry_django.field(description="Whether the attempt counts.")
    completed_at: strawberry.auto = strawberry_django.field(description="When completed.")
    certificate_number: str = strawberry_django.field(description="Certificate, if any.")
    expires_on: date | None = strawberry_django.field(
        description="Completed plus course validity; null: never expires."
    )
    source: SourceEnum = strawberry_django.field(description="Where the record came from.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was recorded.")


@strawberry_django.type(
    m.Exemption, name="TrainingExemption", description="A person excused from a course."
)
class ExemptionType(TenantNode):
    min_role = Role.VIEWER

    person: PersonType = strawberry_django.field(description="Who is exempt.")
    course: CourseType = strawberry_django.field(description="From which course.")
    reason: str = strawberry_django.field(description="Why.")
    approved_by: UserType | None = strawberry_django.field(description="Who approved it.")
    valid_from: date = strawberry_django.field(description="First day it applies.")
    valid_until: date | None = strawberry_django.field(description="Last day; null: no end.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was granted.")


@strawberry.type(name="TrainingStatusRow", description="One person's standing with one course.")
class StatusRowType:
    person_id: relay.GlobalID = strawberry.field(description="The Person.")
    course: CourseType = strawberry.field(description="The course.")
    status: StatusEnum = strawberry.field(description="The status on the date asked.")
    due_on: date | None = strawberry.field(
        description="First due date, or the next due date after the last completion."
    )
    last_completed_on: date | None = strawberry.field(description="Last completion that counts.")
    expires_on: date | None = strawberry.field(description="When that completion expires.")


@strawberry.enum(name="TrainingCoverageGroup", description="How coverage is grouped.")
class CoverageGroup(Enum):
    DEPARTMENT = strawberry.enum_value(
        "department", description="By department, sub-departments included."
    )
    COURSE = strawberry.enum_value("course", description="By course.")
    JOB_ROLE = strawberry.enum_value("job_role", description="By the directory's job role code.")
    TOPIC = strawberry.enum_value("topic", description="By course topic.")


@strawberry.type(name="TrainingCoverageRow", description="Coverage counts of one group.")
class CoverageRowType:
    department: DepartmentType | None = strawberry.field(description="When grouped by department.")
    course: CourseType | None = strawberry.field(description="When grouped by course.")
    job_role: str | None = strawberry.field(
        default=None, description="When grouped by job role; empty: people without one."
    )
    topic: TopicEnum | None = strawberry.field(default=None, description="When grouped by topic.")
    required: int = strawberry.field(
        description="Obligations (exemptions left out) = compliant + dueSoon + overdue + expired."
    )
    compliant: int = strawberry.field(
        description="Status compliant: a completion that counts, not due again within the window."
    )
    due_soon: int = strawberry.field(
        description="Status due soon: untrained and not yet late, or renewal/expiry in the window."
    )
    overdue: int = strawberry.field(description="Obligations overdue.")
    expired: int = strawberry.field(description="Obligations whose certificate expired.")
    exempt: int = strawberry.field(description="Exempted obligations (not in required).")
    covered: int = strawberry.field(
        description="Holding a completion that counts (compliant + renewals due soon); overlaps "
        "the buckets, do not add it to them."
    )
    compliant_percent: float | None = strawberry.field(description="compliant / required × 100.")
    due_soon_percent: float | None = strawberry.field(description="dueSoon / required × 100.")
    covered_percent: float | None = strawberry.field(description="covered / required × 100.")
    overdue_percent: float | None = strawberry.field(description="overdue / required × 100.")
    expired_percent: float | None = strawberry.field(description="expired / required × 100.")


@strawberry.type(name="TrainingCoveragePoint", description="Coverage at one month end.")
class CoveragePointType:
    on: date = strawberry.field(description="The month's last day (the last point: the end date).")
    required: int = strawberry.field(
        description="Obligations (exemptions left out) = compliant + dueSoon + overdue + expired."
    )
    compliant: int = strawberry.field(
        description="Status compliant: a completion that counts, not due again within the window."
    )
    due_soon: int = strawberry.field(description="Status due soon.")
    overdue: int = strawberry.field(description="Obligations overdue.")
    expired: int = strawberry.field(description="Obligations whose certificate expired.")
    covered: int = strawberry.field(
        description="Holding a completion that counts (compliant + renewals due soon)."
    )
    compliant_percent: float | None = strawberry.field(description="compliant / required × 100.")
    covered_percent: float | None = strawberry.field(description="covered / required × 100.")
