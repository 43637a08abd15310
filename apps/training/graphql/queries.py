from datetime import date
from typing import Annotated

import strawberry
import strawberry_django
from django.utils import timezone
from strawberry import relay

from apps.core.graphql.errors import ApiError
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer
from apps.people.models import Department, Person  # ids' types only
from apps.people.selectors import departments
from apps.training import selectors
from apps.training.graphql.campaigns import CampaignQuery
from apps.training.graphql.inputs import (
    CourseFilterInput,
    RecordFilterInput,
    RequirementFilterInput,
)
from apps.training.graphql.ordering import CourseOrder, RecordOrder, RequirementOrder, sorted_by
from apps.training.graphql.overdue import OverdueQuery
from apps.training.graphql.owners import OwnerQuery
from apps.training.graphql.sessions import SessionQuery
from apps.training.graphql.types import (
    CourseType,
    CoverageGroup,
    CoveragePointType,
    CoverageRowType,
    RecordType,
    RequirementType,
    StatusEnum,
    StatusRowType,
    TopicEnum,
)
from apps.training.models import Course
from apps.training.selectors.coverage import MAX_TREND_MONTHS, CoverageRow, coverage, coverage_trend
from apps.training.selectors.status import training_status

EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _as_of(value: date | None) -> date:
    """The date asked for (default today), within years a calendar of obligations can hold."""
    if value is None:
        return timezone.localdate()
    if not EARLIEST <= value <= LATEST:
        raise ApiError("'asOf' is between 1900 and 2999.", "BAD_ARGUMENT", argument="asOf")
    return value


@strawberry.type
class TrainingQuery(SessionQuery, CampaignQuery, OverdueQuery, OwnerQuery):
    @strawberry_django.connection(
        BoundedConnection[CourseType],
        permission_classes=[IsViewer],
        description="The course catalogue, filtered and ordered.",
    )
    def courses(
        self,
        filter: Annotated[
            CourseFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[CourseOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by code")),
        ] = None,
    ) -> list[CourseType]:
        filters = filter.to_filters() if filter else None
        # model rows; strawberry_django resolves them as the declared type
        return sorted_by(selectors.courses(filters), order_by)  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer], description="One course; null when none has this id."
    )
    def course(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A Course id.")]
    ) -> CourseType | None:
        pk = decode_pk(id, "Course", Course)
        # model rows; strawberry_django resolves them as the declared type
        return Course.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[RequirementType],
        permission_classes=[IsViewer],
        description="Training requirements, by course.",
    )
    def training_requirements(
        self,
        filter: Annotated[
            RequirementFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[RequirementOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="by course, oldest first")
            ),
        ] = None,
    ) -> list[RequirementType]:
        filters = filter.to_filters() if filter else None
        # model rows; strawberry_django resolves them as the declared type
        return sorted_by(selectors.requirements(filters), order_by)  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[RecordType],
        permission_classes=[IsViewer],
        description="Training records (every attempt), filtered and ordered.",
    )
    def training_records(
        self,
        filter: Annotated[
            RecordFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[RecordOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="latest completion first")
            ),
        ] = None,
    ) -> list[RecordType]:
        filters = filter.to_filters() if filter else None
        # model rows; strawberry_django resolves them as the declared type
        return sorted_by(selectors.records(filters), order_by)  # type: ignore[return-value]

    @strawberry.field(
        permission_classes=[IsViewer],
        description="A person's status for every active course on a date (default today).",
    )
    def training_status(
        self,
        person: Annotated[relay.GlobalID, strawberry.argument(description="A Person id.")],
        as_of: Annotated[
            date | None, strawberry.argument(description="The date; default today.")
        ] = None,
    ) -> list[StatusRowType]:
        day = _as_of(as_of)
        pk = decode_pk(person, "Person", Person)
        if pk is None:
            return []
        rows = training_status(as_of=day, person_ids=[pk], include_not_required=True)
        courses = Course.objects.in_bulk([r.course_id for r in rows])
        return [
            StatusRowType(
                person_id=person,
                # a model row; strawberry_django resolves it as the field's type
                course=courses[r.course_id],  # type: ignore[arg-type]
                status=StatusEnum(r.status),
                due_on=r.due_on,
                last_completed_on=r.last_completed_on,
                expires_on=r.expires_on,
            )
            for r in rows
        ]

    @strawberry.field(
        permission_classes=[IsViewer],
        description="Required / compliant / overdue / expired counts and shares on a date.",
    )
    def training_coverage(
        self,
        group_by: Annotated[CoverageGroup, strawberry.argument(description="Grouping.")],
        as_of: Annotated[
            date | None, strawberry.argument(description="The date; default today.")
        ] = None,
    ) -> list[CoverageRowType]:
        rows = coverage(as_of=_as_of(as_of), group_by=str(group_by.value))
        objects: dict = {}
        if group_by in (CoverageGroup.DEPARTMENT, CoverageGroup.COURSE):
            listed = departments() if group_by == CoverageGroup.DEPARTMENT else Course.objects
            objects = listed.in_bulk([r.group_id for r in rows])
        return [_coverage_row(group_by, r, objects) for r in rows]

    @strawberry.field(
        permission_classes=[IsViewer],
        description="Coverage at each month end over the last N months (the last point: asOf), "
        "for the tenant or one department (sub-departments included).",
    )
    def training_coverage_trend(
        self,
        months: Annotated[
            int | None,
            strawberry.argument(description=f"How many months, 1–{MAX_TREND_MONTHS}; null: 12."),
        ] = None,
        as_of: Annotated[
            date | None, strawberry.argument(description="The last point; default today.")
        ] = None,
        department: Annotated[
            relay.GlobalID | None,
            strawberry.argument(description="A Department; default the whole tenant."),
        ] = None,
    ) -> list[CoveragePointType]:
        months = 12 if months is None else months
        if not 1 <= months <= MAX_TREND_MONTHS:
            raise ApiError(
                f"'months' is between 1 and {MAX_TREND_MONTHS}.", "BAD_ARGUMENT", argument="months"
            )
        end = _as_of(as_of)
        department_id = None
        if department is not None:
            department_id = decode_pk(department, "Department", Department)
            if department_id is None or not departments().filter(pk=department_id).exists():
                return []
        points = coverage_trend(end=end, months=months, department_id=department_id)
        return [
            CoveragePointType(
                on=p.on,
                required=p.row.required,
                compliant=p.row.compliant,
                due_soon=p.row.due_soon,
                overdue=p.row.overdue,
                expired=p.row.expired,
                covered=p.row.covered,
                compliant_percent=p.row.compliant_percent,
                covered_percent=p.row.covered_percent,
            )
            for p in points
        ]


def _coverage_row(group_by: CoverageGroup, r: CoverageRow, objects: dict) -> CoverageRowType:
    return CoverageRowType(
        department=objects[r.group_id] if group_by == CoverageGroup.DEPARTMENT else None,
        course=objects[r.group_id] if group_by == CoverageGroup.COURSE else None,
        job_role=r.code if group_by == CoverageGroup.JOB_ROLE else None,
        topic=TopicEnum(r.code) if group_by == CoverageGroup.TOPIC else None,
        required=r.required,
        compliant=r.compliant,
        due_soon=r.due_soon,
        overdue=r.overdue,
        expired=r.expired,
        exempt=r.exempt,
        covered=r.covered,
        compliant_percent=r.compliant_percent,
        due_soon_percent=r.due_soon_percent,
        covered_percent=r.covered_percent,
        overdue_percent=r.overdue_percent,
        expired_percent=r.expired_percent,
    )
