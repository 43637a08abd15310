"""People: the staff list. Deactivated when they leave, never deleted."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.people.errors import PeopleErrorCode as Code
from apps.people.models import Department, Person
from apps.people.selectors import manager_links
from apps.people.services.common import Problems, full_clean, get_for_update, is_member

EDITABLE = (
    "employee_number",
    "full_name",
    "department_id",
    "job_role",
    "job_title",
    "email",
    "phone",
    "manager_id",
    "active",
    "hired_on",
    "left_on",
    "user_id",
)
TEXT = ("employee_number", "full_name", "job_title", "email", "phone")


def manages_itself(person_id, manager_id, links: dict) -> bool:
    """True when making `manager_id` the manager of `person_id` closes a loop in `links`."""
    seen = set()
    current = manager_id
    while current is not None and current not in seen:
        if current == person_id:
            return True
        seen.add(current)
        current = links.get(current)
    return False


def normalised(values: dict) -> dict:
    """Texts as they are stored (trimmed; e-mail and role code in lower case)."""
    out = {}
    for field, value in values.items():
        if isinstance(value, str):
            value = value.strip().lower() if field in ("email", "job_role") else value.strip()
        out[field] = value
    return out


def _check(person: Person, changed: set[str], problems: Problems) -> None:
    for field in TEXT:
        setattr(person, field, (getattr(person, field) or "").strip())
    person.job_role = (person.job_role or "").strip().lower()
    person.email = person.email.lower()
    if not person.employee_number:
        problems.add("employee_number", "A person needs an employee number.")
    elif (
        "employee_number" in changed
        and Person.objects.filter(employee_number=person.employee_number)
        .exclude(pk=person.pk)
        .exists()
    ):
        problems.add(
            "employee_number", "Another person has this number.", Code.EMPLOYEE_NUMBER_TAKEN
        )
    if not person.full_name:
        problems.add("full_name", "A person needs a name.")
    if person.department_id is not None and changed & {"department_id", "active"}:
        department = Department.objects.filter(pk=person.department_id).first()
        if department is None:
            problems.add("department_id", "No such department.", Code.NOT_FOUND)
        elif person.active and not department.active:
            problems.add("department_id", "The department is deactivated.", Code.INACTIVE)
    if "manager_id" in changed and person.manager_id is not None:
        manager = Person.objects.filter(pk=person.manager_id).first()
        if manager is None:
            problems.add("manager_id", "No such person.", Code.NOT_FOUND)
        elif manager.pk == person.pk or manages_itself(person.pk, manager.pk, manager_links()):
            problems.add(
                "manager_id", "A person cannot (indirectly) manage themselves.", Code.MANAGER_CYCLE
            )
    if person.hired_on and person.left_on and person.left_on < person.hired_on:
        problems.add("left_on", "A person cannot leave before being hired.", Code.LEFT_BEFORE_HIRED)
    if "user_id" in changed and person.user_id is not None:
        if not is_member(person.user_id):
            problems.add("user_id", "Not a member of this tenant.", Code.NOT_A_MEMBER)
        elif Person.objects.filter(user_id=person.user_id).exclude(pk=person.pk).exists():
            problems.add("user_id", "This user is linked to another person.", Code.USER_TAKEN)


def person_create(
    *,
    employee_number: str,
    full_name: str,
    department_id=None,
    job_role: str = "",
    job_title: str = "",
    email: str = "",
    phone: str = "",
    manager_id=None,
    active: bool = True,
    hired_on: date | None = None,
    left_on: date | None = None,
    user_id=None,
    actor=None,
) -> Person:
    person = Person(
        employee_number=employee_number,
        full_name=full_name,
        department_id=department_id,
        job_role=job_role,
        job_title=job_title,
        email=email,
        phone=phone,
        manager_id=manager_id,
        active=active,
        hired_on=hired_on,
        left_on=left_on,
        user_id=user_id,
    )
    problems = Problems()
    _check(person, set(EDITABLE), problems)
    problems.raise_any()
    full_clean(person, exclude=["user"])
    person.save()
    return person


@transaction.atomic
def person_update(*, person_id, actor=None, **changes) -> Person:
    """Change only what is given; the same values again write nothing (an HR sync repeats)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"person_update() got unexpected fields {sorted(unknown)}")
    person = get_for_update(Person, person_id)
    changes = normalised(changes)
    changed = {f for f, v in changes.items() if getattr(person, f) != v}
    for field in changed:
        setattr(person, field, changes[field])
    if "active" in changed and not person.active and person.left_on is None:
        person.left_on = timezone.localdate()  # as person_deactivate does
    problems = Problems()
    _check(person, changed, problems)
    problems.raise_any()
    if not changed:
        return person
    full_clean(person, exclude=["user"])
    person.save()
    return person


@transaction.atomic
def person_deactivate(*, person_id, left_on: date | None = None, actor=None) -> Person:
    """Mark a person as gone: inactive, with the day they left (today when not given)."""
    person = get_for_update(Person, person_id)
    left_on = left_on or person.left_on or timezone.localdate()
    if not person.active and person.left_on == left_on:
        return person
    person.active = False
    person.left_on = left_on
    problems = Problems()
    _check(person, {"active", "left_on"}, problems)
    problems.raise_any()
    person.save(update_fields=["active", "left_on", "updated_at"])
    return person
