from typing import Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.ids import decode_pk
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer
from apps.people import selectors
from apps.people.graphql.inputs import (
    DepartmentFilterInput,
    DepartmentOrder,
    PersonFilterInput,
    PersonOrder,
)
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
            DepartmentOrder, strawberry.argument(description="Sort order.")
        ] = DepartmentOrder.PATH,
    ) -> list[DepartmentType]:
        filters = filter.to_filters() if filter else None
        return selectors.departments(filters, order_by.value)  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer], description="One department; null when none has this id."
    )
    def department(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A Department id.")]
    ) -> DepartmentType | None:
        pk = decode_pk(id, "Department", Department)
        return Department.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]

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
        order_by: Annotated[PersonOrder, strawberry.argument(description="Sort order.")] = (
            PersonOrder.NAME
        ),
    ) -> list[PersonType]:
        filters = filter.to_filters() if filter else None
        return selectors.people(filters, order_by.value)  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer], description="One person; null when none has this id."
    )
    def person(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A Person id.")]
    ) -> PersonType | None:
        pk = decode_pk(id, "Person", Person)
        return Person.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]
