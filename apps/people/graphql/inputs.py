"""Filters and orderings of the directory's lists."""

from enum import Enum
from typing import TYPE_CHECKING

import strawberry
from strawberry import relay

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.ordering import OrderKey, order_input
from apps.people import selectors
from apps.people.models import Department, Person


@strawberry.enum(name="DepartmentOrderField", description="What the department list sorts by.")
class DepartmentOrderField(Enum):
    PATH = strawberry.enum_value("path", description="Tree order: each under its parent.")
    CODE = strawberry.enum_value("code", description="The code.")
    NAME = strawberry.enum_value("name", description="The Chinese name, then the English one.")
    CREATED = strawberry.enum_value("created_at", description="When it was added.")


if TYPE_CHECKING:  # built at run time by order_input
    DepartmentOrder = OrderKey
    PersonOrder = OrderKey
else:
    DepartmentOrder = order_input(
        "DepartmentOrder", DepartmentOrderField, description="One sort key of the department list."
    )


@strawberry.enum(name="PersonOrderField", description="What the people list sorts by.")
class PersonOrderField(Enum):
    NAME = strawberry.enum_value("name", description="The name (then the employee number).")
    EMPLOYEE_NUMBER = strawberry.enum_value("employee_number", description="The staff number.")
    HIRED_ON = strawberry.enum_value(
        "hired_on", description="The hire date (unknown last), then the employee number."
    )
    CREATED = strawberry.enum_value("created_at", description="When they were added.")


if not TYPE_CHECKING:
    PersonOrder = order_input(
        "PersonOrder", PersonOrderField, description="One sort key of people."
    )

# Sort keys that are more than one column (each in the key's direction).
DEPARTMENT_ORDER_COLUMNS = {"name": ("name_zh", "name_en", "code")}
PERSON_ORDER_COLUMNS = {
    "name": ("full_name", "employee_number"),
    "hired_on": ("hired_on", "employee_number"),
}


@strawberry.input(name="DepartmentFilter", description="Narrows the department list.")
class DepartmentFilterInput:
    parent: relay.GlobalID | None = strawberry.field(
        default=None, description="Only direct sub-departments of this Department."
    )
    under: relay.GlobalID | None = strawberry.field(
        default=None, description="Every department below this Department (itself excluded)."
    )
    roots_only: bool = strawberry.field(default=False, description="Only top-level departments.")
    active: bool | None = strawberry.field(default=None, description="Active or deactivated.")
    search: str | None = strawberry.field(default=None, description="Words in code or names.")

    def to_filters(self) -> selectors.DepartmentFilters:
        return selectors.DepartmentFilters(
            parent_id=pk_or_nothing(self.parent, "Department", Department),
            under_id=pk_or_nothing(self.under, "Department", Department),
            roots_only=self.roots_only,
            active=self.active,
            search=self.search or "",
        )


@strawberry.input(name="PersonFilter", description="Narrows the people list.")
class PersonFilterInput:
    department: relay.GlobalID | None = strawberry.field(
        default=None, description="A Department; includes its sub-departments."
    )
    active: bool | None = strawberry.field(default=None, description="Active or left.")
    job_roles: list[str] | None = strawberry.field(
        default=None, description="Any of these role codes."
    )
    manager: relay.GlobalID | None = strawberry.field(
        default=None, description="Direct reports of this Person."
    )
    search: str | None = strawberry.field(
        default=None, description="Part of the name or e-mail, or the employee number's start."
    )

    def to_filters(self) -> selectors.PersonFilters:
        return selectors.PersonFilters(
            department_id=pk_or_nothing(self.department, "Department", Department),
            active=self.active,
            job_roles=self.job_roles,
            manager_id=pk_or_nothing(self.manager, "Person", Person),
            search=self.search or "",
        )
