"""Reads of sessions and customer-education campaigns."""

from django.db.models import QuerySet

from apps.training.models import EducationCampaign, Enrolment, TrainingSession

SESSION_ORDERINGS = {"starts": ("starts_at", "id"), "starts_desc": ("-starts_at", "-id")}
ENROLMENT_ORDERINGS = {"queued": ("queued_at", "id"), "session": ("session__starts_at", "id")}
CAMPAIGN_ORDERINGS = {"starts_desc": ("-starts_on", "code"), "code": ("code",)}


def sessions(
    *, course_id=None, status: str | None = None, order: str = "starts"
) -> QuerySet[TrainingSession]:
    qs = TrainingSession.objects.all()
    if course_id is not None:
        qs = qs.filter(course_id=course_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*SESSION_ORDERINGS[order])


def enrolments(*, session_id=None, person_id=None, order: str = "queued") -> QuerySet[Enrolment]:
    qs = Enrolment.objects.all()
    if session_id is not None:
        qs = qs.filter(session_id=session_id)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    return qs.order_by(*ENROLMENT_ORDERINGS[order])


def campaigns(
    *, topic: str | None = None, running_on=None, order: str = "starts_desc"
) -> QuerySet[EducationCampaign]:
    qs = EducationCampaign.objects.all()
    if topic:
        qs = qs.filter(topic=topic)
    if running_on is not None:
        qs = qs.filter(starts_on__lte=running_on, ends_on__gte=running_on)
    return qs.order_by(*CAMPAIGN_ORDERINGS[order])
