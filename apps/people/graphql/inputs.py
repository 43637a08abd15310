"""Filters and orderings of the directory's lists."""

from enum import Enum

import strawberry
from strawberry import relay

from apps.core.graphql.ids import pk_or_nothing
from apps.people import selectors
from apps.people.models import Department, Person


@strawberry.enum(name="DepartmentOrder", description="How the department list is sorted.")
class DepartmentOrder(Enum):
    PATH = strawberry.enum_value("path", description="Tree order: each under its parent.")
    CODE = strawberry.enum_value("code", description="By code.")
    NAME = strawberry.enum_value("name", description="By name.")
    CREATED = strawberry.enum_value("created", description="Newest first.")


@strawberry.enum(name="PersonOrder", description="How the people list is sorted.")
class PersonOrder(Enum):
    NAME = strawberry.enum_value("name", description="By name.")
    EMPLOYEE_NUMBER = strawberry.enum_value("employee_number", description="By employee number.")
    HIRED_ON = strawberry.enum_value("hired_on", description="Earliest hire first.")
    CREATED = strawberry.enum_value("created", description="Newest first.")


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
