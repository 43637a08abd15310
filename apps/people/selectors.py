"""Reads of the organisation: subtrees of departments and filtered staff lists."""

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from apps.people.models import Department, Person

DEPARTMENT_ORDERINGS = {
    "path": ("path",),
    "code": ("code",),
    "name": ("name_zh", "name_en", "code"),
    "created": ("-created_at", "-id"),
}
PERSON_ORDERINGS = {
    "name": ("full_name", "employee_number"),
    "employee_number": ("employee_number",),
    "hired_on": ("hired_on", "employee_number"),
    "created": ("-created_at", "-id"),
}


def subtree_filter(department: Department, prefix: str = "") -> Q:
    """The department and every department below it (by path, one indexed filter)."""
    return Q(**{f"{prefix}path": department.path}) | Q(
        **{f"{prefix}path__startswith": f"{department.path}/"}
    )


def department_descendants(*, department: Department, include_self: bool = True) -> QuerySet:
    below = Department.objects.filter(subtree_filter(department))
    return below if include_self else below.exclude(pk=department.pk)


@dataclass
class DepartmentFilters:
    parent_id: UUID | None = None  # direct children of this department
    under_id: UUID | None = None  # anywhere below this department (itself excluded)
    roots_only: bool = False
    active: bool | None = None
    search: str = ""


def departments(
    filters: DepartmentFilters | None = None, order: str = "path"
) -> QuerySet[Department]:
    filters = filters or DepartmentFilters()
    qs = Department.objects.all()
    if filters.parent_id is not None:
        qs = qs.filter(parent_id=filters.parent_id)
    if filters.under_id is not None:
        top = Department.objects.filter(pk=filters.under_id).first()
        if top is None:
            return Department.objects.none()
        qs = qs.filter(path__startswith=f"{top.path}/")
    if filters.roots_only:
        qs = qs.filter(parent__isnull=True)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    if term := filters.search.strip():
        qs = qs.filter(
            Q(code__icontains=term) | Q(name_zh__icontains=term) | Q(name_en__icontains=term)
        )
    return qs.order_by(*DEPARTMENT_ORDERINGS[order])


@dataclass
class PersonFilters:
    department_id: UUID | None = None  # includes sub-departments
    active: bool | None = None
    job_roles: list[str] | None = None
    manager_id: UUID | None = None  # direct reports
    search: str = ""  # name, employee number or e-mail


def people(filters: PersonFilters | None = None, order: str = "name") -> QuerySet[Person]:
    filters = filters or PersonFilters()
    qs = Person.objects.all()
    if filters.department_id is not None:
        department = Department.objects.filter(pk=filters.department_id).first()
        if department is None:
            return Person.objects.none()
        qs = qs.filter(subtree_filter(department, prefix="department__"))
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    if filters.job_roles:
        qs = qs.filter(job_role__in=[role.strip().lower() for role in filters.job_roles])
    if filters.manager_id is not None:
        qs = qs.filter(manager_id=filters.manager_id)
    if term := filters.search.strip():
        qs = qs.filter(
            Q(full_name__icontains=term)
            | Q(employee_number__iexact=term)
            | Q(employee_number__istartswith=term)
            | Q(email__icontains=term)
        )
    return qs.order_by(*PERSON_ORDERINGS[order])


def manager_links() -> dict:
    """{person id: manager id} of everyone who has a manager: the graph a cycle check walks."""
    return dict(Person.objects.filter(manager__isnull=False).values_list("id", "manager_id"))


def department_parents() -> dict:
    return dict(Department.objects.filter(parent__isnull=False).values_list("id", "parent_id"))


def active_department_exists(department_id) -> bool:
    """For other modules (the register) that point at a department."""
    return Department.objects.filter(pk=department_id, active=True).exists()


def department_ids_by_code(codes: list[str]) -> dict[str, object]:
    """{code: id} of the departments with these codes."""
    return dict(Department.objects.filter(code__in=codes).values_list("code", "pk"))


def person_ids_by_number(numbers: list[str]) -> dict[str, object]:
    """{employee number: id} of the people with these employee numbers."""
    return dict(
        Person.objects.filter(employee_number__in=numbers).values_list("employee_number", "pk")
    )


# --- For the register: risk, control and action owners are people (apps/risks) ------------


def person_by_id(person_id) -> Person | None:
    """The person with this id (active or not), or None (a malformed id names no one)."""
    try:
        return Person.objects.filter(pk=person_id).first() if person_id is not None else None
    except (ValueError, ValidationError):
        return None


def person_of_user(user_id) -> Person | None:
    """The person linked to this member user (the viewer's "me" in the directory), or None."""
    return Person.objects.filter(user_id=user_id).first() if user_id is not None else None


def people_by_ids(person_ids: list) -> dict[str, Person]:
    """{str(pk): person} of these ids that exist, their linked users joined."""
    return {str(p.pk): p for p in Person.objects.filter(pk__in=person_ids).select_related("user")}


def person_ids_by_key() -> dict[str, object]:
    """{key: person id} by employee number and by the lower-case e-mail of the linked member
    (how a register file names an owner), in one query."""
    keys: dict[str, object] = {}
    for pk, number, email in Person.objects.values_list("pk", "employee_number", "user__email"):
        keys[number] = pk
        if email:
            keys.setdefault(email.lower(), pk)
    return keys
