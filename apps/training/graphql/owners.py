"""Departments' training owners: who gets a department's weekly overdue digest."""

from typing import Annotated, Any

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.types import Info

from apps.accounts.roles import Role
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.permissions import IsRiskManager, IsViewer
from apps.core.graphql.resolvers import run_service
from apps.people.graphql.types import DepartmentType, PersonType
from apps.people.models import Department, Person
from apps.training import models as m
from apps.training.graphql.errors import TrainingError, TrainingErrorCode
from apps.training.services.owners import owner_set

Errors = list[TrainingError]


@strawberry_django.type(
    m.TrainingOwner,
    name="TrainingOwner",
    description="The directory person who answers for a department's training.",
)
class TrainingOwnerType(TenantNode):
    min_role = Role.VIEWER

    department: DepartmentType = strawberry_django.field(
        description="The department (its sub-departments included)."
    )
    person: PersonType = strawberry_django.field(
        description="Who gets its weekly digest of overdue trainings."
    )


@strawberry.input(description="Set (or, with no person, remove) a department's training owner.")
class TrainingOwnerSetInput:
    department: relay.GlobalID = strawberry.field(description="The Department.")
    person: relay.GlobalID | None = strawberry.field(
        default=None, description="The Person; null removes the owner."
    )


@strawberry.type(description="The owner written, or why not.")
class TrainingOwnerSetPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    owner: TrainingOwnerType | None = strawberry.field(
        default=None, description="As saved; null once removed."
    )


@strawberry.type
class OwnerQuery:
    @strawberry.field(
        permission_classes=[IsViewer],
        description="Every department's training owner, in department tree order (at most one "
        "per department).",
    )
    def training_owners(self) -> list[TrainingOwnerType]:
        rows = m.TrainingOwner.objects.select_related("department", "person")
        # model rows; strawberry_django resolves them as the declared type
        return list(rows.order_by("department__path"))  # type: ignore[arg-type]


@strawberry.type
class OwnerMutations:
    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Make a person the training owner of a department (replacing the previous "
        "one), or remove the owner.",
    )
    def training_owner_set(
        self,
        info: Info,
        input: Annotated[TrainingOwnerSetInput, strawberry.argument(description="Which.")],
    ) -> TrainingOwnerSetPayload:
        department_id = pk_or_nothing(input.department, "Department", Department)
        person_id = pk_or_nothing(input.person, "Person", Person)  # None: remove the owner

        def call() -> dict[str, Any]:
            return {
                "owner": owner_set(
                    department_id=department_id,
                    person_id=person_id,
                    actor=info.context.request.user,
                )
            }

        return run_service(
            TrainingOwnerSetPayload,
            TrainingError,
            TrainingErrorCode,
            call,
            input=input,
            fields={"department_id": "department", "person_id": "person"},
        )
