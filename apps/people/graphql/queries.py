from typing import Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.ids import decode_pk
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, apply_order
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer
from apps.people import selectors
from apps.people.graphql.inputs import (
    DEPARTMENT_ORDER_COLUMNS,
    PERSON_ORDER_COLUMNS,
    DepartmentFilterInput,
    DepartmentOrder,
    PersonFilterInput,
    PersonOrder,
)
from apps.people.graphql.pages import remember_page
from apps.people.graphql.types import DepartmentType, PersonType
from apps.people.models import Department, Person


@strawberry.type
class PeopleQuery:
    @strawberry_django.connection(
        BoundedConnection[DepartmentType],
        permission_classes=[IsViewer],
        description="The organisation's departments, filtered and ordered (tree order first).",
    )
    def departments(
        self,
        filter: Annotated[
            DepartmentFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[DepartmentOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="tree order")),
        ] = None,
    ) -> list[DepartmentType]:
        filters = filter.to_filters() if filter else None
        rows = apply_order(
            selectors.departments(filters),
            order_by,
            default=selectors.DEPARTMENT_ORDERINGS["path"],
            columns=DEPARTMENT_ORDER_COLUMNS,
        )
        return rows  # type: ignore[return-value]  # the optimizer turns rows into DepartmentType

    @strawberry_django.field(
        permission_classes=[IsViewer], description="One department; null when none has this id."
    )
    def department(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A Department id.")]
    ) -> DepartmentType | None:
        pk = decode_pk(id, "Department", Department)
        return Department.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]

    @remember_page  # person { training } answers the whole page in one go
    @strawberry_django.connection(
        BoundedConnection[PersonType],
        permission_classes=[IsViewer],
        description="The staff list, filtered and ordered.",
    )
    def people(
        self,
        filter: Annotated[
            PersonFilterInput | None, strawberry.argument(description="Who to list.")
        ] = None,
        order_by: Annotated[
            list[PersonOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by name")),
        ] = None,
    ) -> list[PersonType]:
        filters = filter.to_filters() if filter else None
        rows = apply_order(
            selectors.people(filters),
            order_by,
            default=selectors.PERSON_ORDERINGS["name"],
            columns=PERSON_ORDER_COLUMNS,
        )
        return rows  # type: ignore[return-value]  # the optimizer turns rows into PersonType

    @strawberry_django.field(
        permission_classes=[IsViewer], description="One person; null when none has this id."
    )
    def person(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A Person id.")]
    ) -> PersonType | None:
        pk = decode_pk(id, "Person", Person)
        return Person.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]
