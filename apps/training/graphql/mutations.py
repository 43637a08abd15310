"""Writes of the training module: risk managers and admins (compliance owns training), each a
thin call of one service."""

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.accounts.graphql.types import RoleEnum
from apps.accounts.models import User
from apps.core.graphql.ids import decode_pk, pk_or_nothing
from apps.core.graphql.permissions import IsRiskManager
from apps.core.graphql.resolvers import run_service
from apps.people.models import Department, Person
from apps.training.graphql.campaigns import CampaignMutations
from apps.training.graphql.errors import TrainingError, TrainingErrorCode
from apps.training.graphql.importing import ImportMutations
from apps.training.graphql.owners import OwnerMutations
from apps.training.graphql.reach import ReachMutations
from apps.training.graphql.sessions import SessionMutations
from apps.training.graphql.types import (
    CourseType,
    ExemptionType,
    FormatEnum,
    RecordType,
    RecurrenceEnum,
    RequirementType,
    SourceEnum,
    TopicEnum,
)
from apps.training.models import Course, Requirement
from apps.training.services import courses, records, requirements

UNSET: Any = strawberry.UNSET
Errors = list[TrainingError]
RENAMES: dict[str, str | None] = {
    "department_ids": "departments",
    "person_ids": "people",
    "risk_category_ids": "riskCategories",
    "emergency_plan_ids": "emergencyPlans",
    "approved_by_id": "approvedBy",
}


def _run(payload: type, input, call) -> Any:
    return run_service(payload, TrainingError, TrainingErrorCode, call, input=input, fields=RENAMES)


def _pks(gids, type_name: str, model) -> list:
    return [pk_or_nothing(gid, type_name, model) for gid in gids or []]


def _category_pks(gids) -> list:
    from apps.risks.models import RiskCategory

    return _pks(gids, "RiskCategory", RiskCategory)


def _plan_pks(gids) -> list:
    from apps.emergency.models import Plan  # the id's type only; plans are read via selectors

    return _pks(gids, "EmergencyPlan", Plan)


def _sent(input, names: tuple[str, ...]) -> dict:
    out = {}
    for name in names:
        value = getattr(input, name)
        if value is UNSET:
            continue
        out[name] = value.value if hasattr(value, "value") and not isinstance(value, str) else value
    return out


COURSE_FIELDS = (
    "title_zh",
    "title_en",
    "topic",
    "format",
    "duration_minutes",
    "pass_score",
    "validity_months",
    "grace_days",
    "materials_url",
    "active",
)


@strawberry.input(description="A new course.")
class CourseCreateInput:
    code: str = strawberry.field(description="Permanent: letters, digits and _; unique.")
    title_zh: str = strawberry.field(default="", description="Chinese title.")
    title_en: str = strawberry.field(default="", description="English title (one title at least).")
    topic: TopicEnum = strawberry.field(description="What it is about.")
    format: FormatEnum = strawberry.field(description="How it is given.")
    duration_minutes: int = strawberry.field(default=60, description="Length in minutes.")
    pass_score: int | None = strawberry.field(default=None, description="0–100, or none.")
    validity_months: int | None = strawberry.field(
        default=None, description="How long a completion counts; null: never expires."
    )
    grace_days: int = strawberry.field(default=0, description="Days after due before overdue.")
    materials_url: str = strawberry.field(default="", description="Where the materials are.")
    risk_categories: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="RiskCategory ids the course addresses."
    )
    emergency_plans: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="EmergencyPlan ids whose roles the course prepares."
    )
    active: bool = strawberry.field(default=True, description="False: created retired.")


@strawberry.input(description="Changes to a course; only the fields sent change.")
class CourseUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The Course.")
    material: bool = strawberry.field(
        default=False,
        description="A material change: new version; earlier completions stop counting.",
    )
    title_zh: str | None = strawberry.field(default=UNSET, description="Chinese title.")
    title_en: str | None = strawberry.field(default=UNSET, description="English title.")
    topic: TopicEnum | None = strawberry.field(default=UNSET, description="Topic.")
    format: FormatEnum | None = strawberry.field(default=UNSET, description="Format.")
    duration_minutes: int | None = strawberry.field(default=UNSET, description="Minutes.")
    pass_score: int | None = strawberry.field(default=UNSET, description="0–100 or null.")
    validity_months: int | None = strawberry.field(default=UNSET, description="Months or null.")
    grace_days: int | None = strawberry.field(default=UNSET, description="Grace days.")
    materials_url: str | None = strawberry.field(default=UNSET, description="Materials URL.")
    risk_categories: list[relay.GlobalID] | None = strawberry.field(
        default=UNSET, description="RiskCategory ids."
    )
    emergency_plans: list[relay.GlobalID] | None = strawberry.field(
        default=UNSET, description="EmergencyPlan ids (replaces the list)."
    )
    active: bool | None = strawberry.field(default=UNSET, description="Retire or reactivate.")


@strawberry.type(description="The course written, or why not.")
class CoursePayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    course: CourseType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="A new requirement: a course and its audience.")
class RequirementCreateInput:
    course: relay.GlobalID = strawberry.field(description="The Course.")
    departments: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Departments (their sub-departments included)."
    )
    job_roles: list[str] | None = strawberry.field(default=None, description="Job role codes.")
    member_roles: list[RoleEnum] | None = strawberry.field(
        default=None, description="Member roles (people linked to a member with the role)."
    )
    people: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Named people."
    )
    first_due_days: int = strawberry.field(
        default=30, description="Days after hire or after this requirement's creation (later)."
    )
    recurrence: RecurrenceEnum = strawberry.field(
        default=RecurrenceEnum.ONCE, description="When it comes due again."
    )
    recurrence_months: int | None = strawberry.field(default=None, description="EVERY_MONTHS.")


@strawberry.input(description="Changes to a requirement; only the fields sent change.")
class RequirementUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The TrainingRequirement.")
    departments: list[relay.GlobalID] | None = strawberry.field(
        default=UNSET, description="Departments."
    )
    job_roles: list[str] | None = strawberry.field(default=UNSET, description="Job roles.")
    member_roles: list[RoleEnum] | None = strawberry.field(
        default=UNSET, description="Member roles."
    )
    people: list[relay.GlobalID] | None = strawberry.field(default=UNSET, description="People.")
    first_due_days: int | None = strawberry.field(default=UNSET, description="Days.")
    recurrence: RecurrenceEnum | None = strawberry.field(default=UNSET, description="Recurrence.")
    recurrence_months: int | None = strawberry.field(default=UNSET, description="Months.")
    active: bool | None = strawberry.field(default=UNSET, description="Retire or reactivate.")


@strawberry.type(description="The requirement written, or why not.")
class RequirementPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    requirement: RequirementType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="One attempt at a course.")
class RecordCreateInput:
    person: relay.GlobalID = strawberry.field(description="The Person.")
    course: relay.GlobalID = strawberry.field(description="The Course.")
    completed_at: datetime = strawberry.field(description="When it was completed.")
    attended: bool = strawberry.field(default=True, description="Whether they attended.")
    score: int | None = strawberry.field(default=None, description="0–100, if scored.")
    passed: bool | None = strawberry.field(
        default=None, description="Null: from the score and the course's pass score."
    )
    certificate_number: str = strawberry.field(default="", description="Certificate, if any.")
    source: SourceEnum = strawberry.field(default=SourceEnum.SESSION, description="Source.")


@strawberry.type(description="The record written, or why not.")
class RecordPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    record: RecordType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Excuse a person from a course.")
class ExemptionGrantInput:
    person: relay.GlobalID = strawberry.field(description="The Person.")
    course: relay.GlobalID = strawberry.field(description="The Course.")
    reason: str = strawberry.field(description="Why.")
    approved_by: relay.GlobalID | None = strawberry.field(
        default=None, description="The approving member's User id; default: the caller."
    )
    valid_from: date | None = strawberry.field(default=None, description="Default today.")
    valid_until: date | None = strawberry.field(default=None, description="Null: no end.")


@strawberry.type(description="The exemption granted, or why not.")
class ExemptionPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    exemption: ExemptionType | None = strawberry.field(default=None, description="As saved.")


def _actor(info: Info) -> Any:
    return info.context.request.user


def _audience(input) -> dict:
    fields = {}
    if input.departments is not UNSET:
        fields["department_ids"] = _pks(input.departments, "Department", Department)
    if input.people is not UNSET:
        fields["person_ids"] = _pks(input.people, "Person", Person)
    if input.job_roles is not UNSET:
        fields["job_roles"] = input.job_roles or []
    if input.member_roles is not UNSET:
        fields["member_roles"] = [role.value for role in input.member_roles or []]
    return fields


@strawberry.type
class CatalogueMutations:
    @strawberry.mutation(permission_classes=[IsRiskManager], description="Add a course.")
    def course_create(
        self,
        info: Info,
        input: Annotated[CourseCreateInput, strawberry.argument(description="What to write.")],
    ) -> CoursePayload:
        fields = _sent(input, COURSE_FIELDS)
        fields["risk_category_ids"] = _category_pks(input.risk_categories)
        fields["emergency_plan_ids"] = _plan_pks(input.emergency_plans)
        return _run(
            CoursePayload,
            input,
            lambda: {
                "course": courses.course_create(code=input.code, actor=_actor(info), **fields)
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Change a course; `material: true` makes a new version (retraining).",
    )
    def course_update(
        self,
        info: Info,
        input: Annotated[CourseUpdateInput, strawberry.argument(description="What to write.")],
    ) -> CoursePayload:
        fields = _sent(input, COURSE_FIELDS)
        for name in ("title_zh", "title_en", "materials_url"):
            if fields.get(name, "") is None:
                fields[name] = ""
        if input.risk_categories is not UNSET:
            fields["risk_category_ids"] = _category_pks(input.risk_categories)
        if input.emergency_plans is not UNSET:
            fields["emergency_plan_ids"] = _plan_pks(input.emergency_plans)
        return _run(
            CoursePayload,
            input,
            lambda: {
                "course": courses.course_update(
                    course_id=pk_or_nothing(input.id, "Course", Course),
                    material=input.material,
                    actor=_actor(info),
                    **fields,
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager], description="Make a course mandatory for an audience."
    )
    def requirement_create(
        self,
        info: Info,
        input: Annotated[RequirementCreateInput, strawberry.argument(description="What.")],
    ) -> RequirementPayload:
        fields = {
            **_audience(input),
            "first_due_days": input.first_due_days,
            "recurrence": input.recurrence.value,
            "recurrence_months": input.recurrence_months,
        }
        return _run(
            RequirementPayload,
            input,
            lambda: {
                "requirement": requirements.requirement_create(
                    course_id=pk_or_nothing(input.course, "Course", Course),
                    actor=_actor(info),
                    **fields,
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Change a requirement.")
    def requirement_update(
        self,
        info: Info,
        input: Annotated[RequirementUpdateInput, strawberry.argument(description="What.")],
    ) -> RequirementPayload:
        fields = {
            **_audience(input),
            **_sent(input, ("first_due_days", "recurrence", "recurrence_months", "active")),
        }
        return _run(
            RequirementPayload,
            input,
            lambda: {
                "requirement": requirements.requirement_update(
                    requirement_id=pk_or_nothing(input.id, "TrainingRequirement", Requirement),
                    actor=_actor(info),
                    **fields,
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Record one attempt.")
    def record_create(
        self,
        info: Info,
        input: Annotated[RecordCreateInput, strawberry.argument(description="What happened.")],
    ) -> RecordPayload:
        return _run(
            RecordPayload,
            input,
            lambda: {
                "record": records.record_create(
                    person_id=pk_or_nothing(input.person, "Person", Person),
                    course_id=pk_or_nothing(input.course, "Course", Course),
                    completed_at=input.completed_at,
                    attended=input.attended,
                    score=input.score,
                    passed=input.passed,
                    certificate_number=input.certificate_number,
                    source=str(input.source.value),
                    actor=_actor(info),
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager], description="Excuse a person from a course."
    )
    def exemption_grant(
        self,
        info: Info,
        input: Annotated[ExemptionGrantInput, strawberry.argument(description="Who and why.")],
    ) -> ExemptionPayload:
        approver = decode_pk(input.approved_by, "User", User) if input.approved_by else None
        if input.approved_by and approver is None:
            approver = -1  # names no member: refused as NOT_A_MEMBER
        return _run(
            ExemptionPayload,
            input,
            lambda: {
                "exemption": records.exemption_grant(
                    person_id=pk_or_nothing(input.person, "Person", Person),
                    course_id=pk_or_nothing(input.course, "Course", Course),
                    reason=input.reason,
                    approved_by_id=approver,
                    valid_from=input.valid_from,
                    valid_until=input.valid_until,
                    actor=_actor(info),
                )
            },
        )


@strawberry.type
class TrainingMutation(
    CatalogueMutations,
    ImportMutations,
    SessionMutations,
    CampaignMutations,
    OwnerMutations,
    ReachMutations,
):
    pass
