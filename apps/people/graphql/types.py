from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.ordering import order_input, ordered_connection
from apps.core.graphql.pagination import BoundedConnection
from apps.people import models as m
from apps.people.graphql.pages import page_of, remember_page

if TYPE_CHECKING:  # training reads people: imported lazily at run time
    from apps.training.graphql.person import PersonTrainingType


@strawberry.enum(name="SubDepartmentOrderField", description="What sub-departments sort by.")
class SubDepartmentOrderField(Enum):
    PATH = strawberry.enum_value("path", description="Their place in the tree.")
    CODE = strawberry.enum_value("code", description="The code.")
    NAME_EN = strawberry.enum_value("name_en", description="The English name.")


SubDepartmentOrder = order_input(
    "SubDepartmentOrder", SubDepartmentOrderField, description="One sort key of sub-departments."
)


@strawberry.enum(name="StaffOrderField", description="What a nested list of people sorts by.")
class StaffOrderField(Enum):
    NAME = strawberry.enum_value("full_name", description="The name.")
    EMPLOYEE_NUMBER = strawberry.enum_value("employee_number", description="The staff number.")
    HIRED = strawberry.enum_value("hired_on", description="The hire date (unknown last).")


StaffOrder = order_input("StaffOrder", StaffOrderField, description="One sort key of people.")


@strawberry_django.type(
    m.Department,
    name="Department",
    description="A unit of the organisation, in a tree; deactivated, never deleted.",
)
class DepartmentType(TenantNode):
    min_role = Role.VIEWER  # the directory is every member's; only admins write it

    code: str = strawberry_django.field(description="Permanent identifier (import files use it).")
    name_zh: str = strawberry_django.field(description="Chinese name; may be empty.")
    name_en: str = strawberry_django.field(description="English name; may be empty.")
    path: str = strawberry_django.field(description="Codes from the root, joined by '/'.")
    active: bool = strawberry_django.field(description="False once deactivated.")
    parent: "DepartmentType | None" = strawberry_django.field(
        description="The department above; null at the top."
    )
    head: "PersonType | None" = strawberry_django.field(description="Who heads it, if set.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was created.")
    updated_at: strawberry.auto = strawberry_django.field(description="Last change.")
    children: BoundedConnection["DepartmentType"] = ordered_connection(
        SubDepartmentOrder,
        default=("path",),
        default_text="by path",
        description="Direct sub-departments.",
    )
    people: BoundedConnection["PersonType"] = remember_page(
        ordered_connection(
            StaffOrder,
            default=("full_name",),
            default_text="by name",
            description="People directly in this department (not in sub-departments).",
        )
    )

    @strawberry_django.field(
        only=["name_zh", "name_en"], description="The Chinese name, else the English one."
    )
    def name(self) -> str:
        return self.name_zh or self.name_en


@strawberry_django.type(
    m.Person,
    name="Person",
    description="Someone on the staff list; most never log in. Deactivated when they leave.",
)
class PersonType(TenantNode):
    min_role = Role.VIEWER  # the directory is every member's; only admins write it

    employee_number: str = strawberry_django.field(description="Unique in this tenant.")
    full_name: str = strawberry_django.field(description="Name as HR writes it.")
    department: DepartmentType | None = strawberry_django.field(description="Where they work.")
    job_role: str = strawberry_django.field(description="Short role code, e.g. risk_officer.")
    job_title: str = strawberry_django.field(description="Job title as text.")
    email: str = strawberry_django.field(description="Work e-mail; may be empty.")
    phone: str = strawberry_django.field(description="Work phone; may be empty.")
    manager: "PersonType | None" = strawberry_django.field(description="Their line manager.")
    active: bool = strawberry_django.field(description="False once they have left.")
    hired_on: date | None = strawberry_django.field(description="First working day.")
    left_on: date | None = strawberry_django.field(description="Last working day.")
    user: UserType | None = strawberry_django.field(
        description="Their member account in this tenant, if they have one."
    )
    created_at: strawberry.auto = strawberry_django.field(description="When it was created.")
    updated_at: strawberry.auto = strawberry_django.field(description="Last change.")
    reports: BoundedConnection["PersonType"] = remember_page(
        ordered_connection(
            StaffOrder,
            default=("full_name",),
            default_text="by name",
            description="People they manage directly.",
        )
    )

    @strawberry_django.field(
        only=["id"],
        description="Their training on a date (a page of people is answered in one go).",
    )
    def training(
        self,
        info: strawberry.Info,
        as_of: Annotated[
            date | None, strawberry.argument(description="The date; default today.")
        ] = None,
    ) -> Annotated["PersonTrainingType", strawberry.lazy("apps.training.graphql.person")]:
        from apps.training.graphql.person import person_training  # lazily: training reads people

        return person_training(self, as_of, page=page_of(info, self.pk))  # type: ignore[attr-defined]
