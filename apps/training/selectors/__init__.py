"""Reads of the training module: lists, the settings singleton, risk categories by code."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Q, QuerySet

from apps.training.models import Course, Exemption, Requirement, TrainingRecord, TrainingSettings

COURSE_ORDERINGS = {
    "code": ("code",),
    "title": ("title_zh", "title_en", "code"),
    "created": ("-created_at", "-id"),
}
RECORD_ORDERINGS = {
    "completed": ("-completed_at", "-id"),
    "completed_asc": ("completed_at", "id"),
    "created": ("-created_at", "-id"),
}


def training_settings() -> TrainingSettings:
    return TrainingSettings.objects.first() or TrainingSettings.objects.create()


def risk_category_ids(codes: list[str]) -> dict[str, object]:
    """{code: id} of the risk categories with these codes (the register's seeded taxonomy)."""
    from apps.risks.selectors import category_ids

    return category_ids(codes)


def existing_risk_category_ids(ids: list) -> set[str]:
    from apps.risks.selectors import categories

    return {str(pk) for pk in categories().filter(pk__in=ids).values_list("pk", flat=True)}


def existing_plan_ids(ids: list) -> set[str]:
    """Which of these ids are emergency plans (read through the emergency module's list)."""
    from apps.emergency.selectors.lists import plans

    return {str(pk) for pk in plans().filter(pk__in=ids).values_list("pk", flat=True)}


def linked_plans(ids: list) -> list:
    """The emergency plans of these ids, by code (a course's `emergency_plan_ids`)."""
    from apps.emergency.selectors.lists import plans

    return list(plans().filter(pk__in=ids)) if ids else []


@dataclass
class CourseFilters:
    topics: list[str] | None = None
    active: bool | None = None
    search: str = ""


def courses(filters: CourseFilters | None = None, order: str = "code") -> QuerySet[Course]:
    filters = filters or CourseFilters()
    qs = Course.objects.all()
    if filters.topics:
        qs = qs.filter(topic__in=filters.topics)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    if term := filters.search.strip():
        qs = qs.filter(
            Q(code__icontains=term) | Q(title_zh__icontains=term) | Q(title_en__icontains=term)
        )
    return qs.order_by(*COURSE_ORDERINGS[order])


@dataclass
class RequirementFilters:
    course_id: UUID | str | None = None
    active: bool | None = None


def requirements(filters: RequirementFilters | None = None) -> QuerySet[Requirement]:
    filters = filters or RequirementFilters()
    qs = Requirement.objects.all()
    if filters.course_id is not None:
        qs = qs.filter(course_id=filters.course_id)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    return qs.order_by("course__code", "created_at", "id")


@dataclass
class RecordFilters:
    person_id: UUID | str | None = None
    course_id: UUID | str | None = None
    sources: list[str] | None = None
    passed: bool | None = None
    completed_from: datetime | None = None
    completed_before: datetime | None = None


def records(
    filters: RecordFilters | None = None, order: str = "completed"
) -> QuerySet[TrainingRecord]:
    filters = filters or RecordFilters()
    qs = TrainingRecord.objects.all()
    if filters.person_id is not None:
        qs = qs.filter(person_id=filters.person_id)
    if filters.course_id is not None:
        qs = qs.filter(course_id=filters.course_id)
    if filters.sources:
        qs = qs.filter(source__in=filters.sources)
    if filters.passed is not None:
        qs = qs.filter(passed=filters.passed)
    if filters.completed_from is not None:
        qs = qs.filter(completed_at__gte=filters.completed_from)
    if filters.completed_before is not None:
        qs = qs.filter(completed_at__lt=filters.completed_before)
    return qs.order_by(*RECORD_ORDERINGS[order])


def latest_records(*, person_ids, first: int) -> list[TrainingRecord]:
    """Each person's `first` latest attempts, newest first, with their courses: one statement
    for all the people (a row number per person)."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    ranked = TrainingRecord.objects.filter(person_id__in=list(person_ids)).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("person_id")],
            order_by=[F("completed_at").desc(), F("id").desc()],
        )
    )
    return list(
        ranked.filter(rank__lte=first).select_related("course").order_by("person_id", "rank")
    )


def exemptions(*, person_id=None, course_id=None) -> QuerySet[Exemption]:
    qs = Exemption.objects.all()
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if course_id is not None:
        qs = qs.filter(course_id=course_id)
    return qs.order_by("-valid_from", "-id")
