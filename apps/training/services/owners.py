"""A department's training owner: a directory person (not necessarily a member) who gets the
weekly digest of the overdue trainings of the department and its sub-departments."""

from django.db import transaction

from apps.people.selectors import active_department_exists, people
from apps.training.errors import TrainingErrorCode as Code
from apps.training.models import TrainingOwner
from apps.training.services.common import Problems


@transaction.atomic
def owner_set(*, department_id, person_id, actor=None) -> TrainingOwner | None:
    """Make `person_id` the department's training owner (replacing the previous one); a
    `person_id` of None removes the owner. Returns the owner row, or None once removed."""
    problems = Problems()
    if not department_id or not active_department_exists(department_id):
        problems.add("department_id", "No such active department.", Code.NOT_FOUND)
    if person_id is not None and not people().filter(pk=person_id, active=True).exists():
        problems.add("person_id", "No such active person.", Code.NOT_FOUND)
    problems.raise_any()
    current = TrainingOwner.objects.select_for_update().filter(department_id=department_id).first()
    if person_id is None:
        if current is not None:
            current.delete()
        return None
    if current is None:
        return TrainingOwner.objects.create(department_id=department_id, person_id=person_id)
    if current.person_id != person_id:
        current.person_id = person_id
        current.save()
    return current
