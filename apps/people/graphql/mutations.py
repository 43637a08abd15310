"""Writes to the directory: admin only (HR data), each a thin call of one service."""

from datetime import date
from typing import Annotated, Any

import strawberry
from django.core.exceptions import ValidationError
from strawberry import relay
from strawberry.types import Info

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsTenantAdmin
from apps.core.graphql.resolvers import run_service
from apps.people.graphql.errors import PeopleError, PeopleErrorCode
from apps.people.graphql.importing import ImportMutations
from apps.people.graphql.types import DepartmentType, PersonType
from apps.people.models import Department, Person
from apps.people.services import departments, people

UNSET: Any = strawberry.UNSET
Errors = list[PeopleError]  # type: ignore[valid-type]
# Service argument → input field, so an error names what the client sent.
INPUT_FIELDS = {
    "department_id": "department",
    "parent_id": "parent",
    "head_id": "head",
    "manager_id": "manager",
    "user_id": "user",
}


def run(payload: type, call) -> Any:
    def renamed() -> dict:
        try:
            return call()
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ValidationError(
                {INPUT_FIELDS.get(k, k): v for k, v in exc.error_dict.items()}
            ) from exc

    return run_service(payload, PeopleError, PeopleErrorCode, renamed)


def _department(gid) -> Any:
    return pk_or_nothing(gid, "Department", Department)


def _person(gid) -> Any:
    return pk_or_nothing(gid, "Person", Person)


def _sent(**values) -> dict:
    """What the client actually sent (UNSET left out); a null text means empty."""
    return {k: ("" if v is None else v) for k, v in values.items() if v is not UNSET}


@strawberry.input(description="A new department.")
class DepartmentCreateInput:
    code: str = strawberry.field(description="Permanent: letters, digits and _; unique.")
    name_zh: str = strawberry.field(default="", description="Chinese name.")
    name_en: str = strawberry.field(default="", description="English name (one name at least).")
    parent: relay.GlobalID | None = strawberry.field(default=None, description="A Department.")
    head: relay.GlobalID | None = strawberry.field(default=None, description="A Person.")


@strawberry.input(description="Changes to a department; only the fields sent change.")
class DepartmentUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The Department.")
    name_zh: str | None = strawberry.field(default=UNSET, description="Chinese name.")
    name_en: str | None = strawberry.field(default=UNSET, description="English name.")
    parent: relay.GlobalID | None = strawberry.field(
        default=UNSET, description="Move under this Department (null: to the top)."
    )
    head: relay.GlobalID | None = strawberry.field(default=UNSET, description="A Person or null.")
    active: bool | None = strawberry.field(
        default=UNSET, description="True reactivates; false deactivates (same rules)."
    )


@strawberry.input(description="The department to deactivate.")
class DepartmentDeactivateInput:
    id: relay.GlobalID = strawberry.field(description="The Department.")


@strawberry.type(description="The department written, or why not.")
class DepartmentPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    department: DepartmentType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="A new person on the staff list.")
class PersonCreateInput:
    employee_number: str = strawberry.field(description="Unique in this tenant.")
    full_name: str = strawberry.field(description="Name.")
    department: relay.GlobalID | None = strawberry.field(default=None, description="A Department.")
    job_role: str = strawberry.field(default="", description="Short code, e.g. risk_officer.")
    job_title: str = strawberry.field(default="", description="Job title.")
    email: str = strawberry.field(default="", description="Work e-mail.")
    phone: str = strawberry.field(default="", description="Work phone.")
    manager: relay.GlobalID | None = strawberry.field(default=None, description="A Person.")
    hired_on: date | None = strawberry.field(default=None, description="First working day.")
    left_on: date | None = strawberry.field(default=None, description="Last working day.")
    user: relay.GlobalID | None = strawberry.field(
        default=None, description="A member's User id, to link their account."
    )


@strawberry.input(description="Changes to a person; only the fields sent change.")
class PersonUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The Person.")
    employee_number: str | None = strawberry.field(default=UNSET, description="New number.")
    full_name: str | None = strawberry.field(default=UNSET, description="Name.")
    department: relay.GlobalID | None = strawberry.field(default=UNSET, description="Department.")
    job_role: str | None = strawberry.field(default=UNSET, description="Role code.")
    job_title: str | None = strawberry.field(default=UNSET, description="Job title.")
    email: str | None = strawberry.field(default=UNSET, description="Work e-mail.")
    phone: str | None = strawberry.field(default=UNSET, description="Work phone.")
    manager: relay.GlobalID | None = strawberry.field(default=UNSET, description="A Person.")
    active: bool | None = strawberry.field(default=UNSET, description="Reactivate (true).")
    hired_on: date | None = strawberry.field(default=UNSET, description="First working day.")
    left_on: date | None = strawberry.field(default=UNSET, description="Last working day.")
    user: relay.GlobalID | None = strawberry.field(default=UNSET, description="A member's User.")


@strawberry.input(description="The person who left.")
class PersonDeactivateInput:
    id: relay.GlobalID = strawberry.field(description="The Person.")
    left_on: date | None = strawberry.field(default=None, description="Default: today.")


@strawberry.type(description="The person written, or why not.")
class PersonPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    person: PersonType | None = strawberry.field(default=None, description="As saved.")


def _department_fields(input) -> dict:
    fields = _sent(name_zh=input.name_zh, name_en=input.name_en)
    if input.parent is not UNSET:
        fields["parent_id"] = _department(input.parent)
    if input.head is not UNSET:
        fields["head_id"] = _person(input.head)
    return fields


def _person_fields(input) -> dict:
    fields = _sent(
        employee_number=input.employee_number,
        full_name=input.full_name,
        job_role=input.job_role,
        job_title=input.job_title,
        email=input.email,
        phone=input.phone,
    )
    for name in ("hired_on", "left_on"):
        if getattr(input, name) is not UNSET:
            fields[name] = getattr(input, name)
    if input.department is not UNSET:
        fields["department_id"] = _department(input.department)
    if input.manager is not UNSET:
        fields["manager_id"] = _person(input.manager)
    if input.user is not UNSET:
        fields["user_id"] = pk_or_nothing(input.user, "User", User)
    return fields


def _actor(info: Info) -> Any:
    return info.context.request.user


@strawberry.type
class DirectoryMutations:
    @strawberry.mutation(permission_classes=[IsTenantAdmin], description="Add a department.")
    def department_create(
        self,
        info: Info,
        input: Annotated[DepartmentCreateInput, strawberry.argument(description="What to write.")],
    ) -> DepartmentPayload:
        fields = _department_fields(input)
        return run(
            DepartmentPayload,
            lambda: {
                "department": departments.department_create(
                    code=input.code, actor=_actor(info), **fields
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Rename, move (with its subtree), change the head, or (re)activate.",
    )
    def department_update(
        self,
        info: Info,
        input: Annotated[DepartmentUpdateInput, strawberry.argument(description="What to write.")],
    ) -> DepartmentPayload:
        fields = _department_fields(input)
        if input.active is not UNSET and input.active is not None:
            fields["active"] = input.active
        return run(
            DepartmentPayload,
            lambda: {
                "department": departments.department_update(
                    department_id=_department(input.id), actor=_actor(info), **fields
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Deactivate a department without active people or sub-departments.",
    )
    def department_deactivate(
        self,
        info: Info,
        input: Annotated[DepartmentDeactivateInput, strawberry.argument(description="Which.")],
    ) -> DepartmentPayload:
        return run(
            DepartmentPayload,
            lambda: {
                "department": departments.department_deactivate(
                    department_id=_department(input.id), actor=_actor(info)
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsTenantAdmin], description="Add a person.")
    def person_create(
        self,
        info: Info,
        input: Annotated[PersonCreateInput, strawberry.argument(description="What to write.")],
    ) -> PersonPayload:
        fields = _person_fields(input)
        return run(
            PersonPayload,
            lambda: {"person": people.person_create(actor=_actor(info), **fields)},
        )

    @strawberry.mutation(permission_classes=[IsTenantAdmin], description="Change a person.")
    def person_update(
        self,
        info: Info,
        input: Annotated[PersonUpdateInput, strawberry.argument(description="What to write.")],
    ) -> PersonPayload:
        fields = _person_fields(input)
        if input.active is not UNSET and input.active is not None:
            fields["active"] = input.active
        return run(
            PersonPayload,
            lambda: {
                "person": people.person_update(
                    person_id=_person(input.id), actor=_actor(info), **fields
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Mark a person as gone: inactive, with the day they left.",
    )
    def person_deactivate(
        self,
        info: Info,
        input: Annotated[PersonDeactivateInput, strawberry.argument(description="What to write.")],
    ) -> PersonPayload:
        return run(
            PersonPayload,
            lambda: {
                "person": people.person_deactivate(
                    person_id=_person(input.id), left_on=input.left_on, actor=_actor(info)
                )
            },
        )


@strawberry.type
class PeopleMutation(DirectoryMutations, ImportMutations):
    pass
