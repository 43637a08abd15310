"""Departments: a tree with permanent codes; moved and renamed, deactivated, never deleted."""

from django.db import transaction
from django.utils.text import slugify

from apps.people.errors import PeopleErrorCode as Code
from apps.people.models import Department, Person
from apps.people.services.common import Problems, full_clean, get_for_update

EDITABLE = ("name_zh", "name_en", "parent_id", "head_id", "active")


def normalise_code(code: str) -> str:
    return slugify((code or "").strip()).replace("-", "_")


def _check(department: Department, changed: set[str], problems: Problems) -> None:
    """Rules of the tree: names, an existing active parent that is not below it, a head."""
    department.name_zh = (department.name_zh or "").strip()
    department.name_en = (department.name_en or "").strip()
    if not (department.name_zh or department.name_en):
        problems.add("name_zh", "A department needs a name (Chinese or English).")
    if "parent_id" in changed and department.parent_id is not None:
        parent = Department.objects.filter(pk=department.parent_id).first()
        if parent is None:
            problems.add("parent_id", "No such department.", Code.NOT_FOUND)
        elif department.pk and (
            parent.pk == department.pk or parent.path.startswith(f"{department.path}/")
        ):
            problems.add(
                "parent_id", "A department cannot sit under itself.", Code.DEPARTMENT_CYCLE
            )
        elif not parent.active and department.active:
            problems.add("parent_id", "The parent department is deactivated.", Code.INACTIVE)
        else:
            department.parent = parent
    reactivated = "active" in changed and department.active and "parent_id" not in changed
    if (
        reactivated
        and department.parent_id
        and not Department.objects.filter(pk=department.parent_id, active=True).exists()
    ):
        problems.add("active", "Reactivate the parent department first.", Code.INACTIVE)
    if "head_id" in changed and department.head_id is not None:
        head = Person.objects.filter(pk=department.head_id).first()
        if head is None:
            problems.add("head_id", "No such person.", Code.NOT_FOUND)
        elif not head.active:
            problems.add("head_id", "The head is deactivated.", Code.INACTIVE)


def _check_deactivation(department: Department, problems: Problems) -> None:
    if Person.objects.filter(department=department, active=True).exists():
        problems.add(
            None, "The department still has active people: move them first.", Code.DEPARTMENT_IN_USE
        )
    if Department.objects.filter(parent=department, active=True).exists():
        problems.add(
            None,
            "The department has active sub-departments: deactivate them first.",
            Code.DEPARTMENT_IN_USE,
        )


def department_create(
    *,
    code: str,
    name_zh: str = "",
    name_en: str = "",
    parent_id=None,
    head_id=None,
    actor=None,
) -> Department:
    problems = Problems()
    code = normalise_code(code)
    if not code:
        problems.add("code", "A department needs a code (letters, digits, _).")
    department = Department(
        code=code, name_zh=name_zh, name_en=name_en, parent_id=parent_id, head_id=head_id
    )
    _check(department, {"parent_id", "head_id"}, problems)
    problems.raise_any()
    parent = department.parent
    department.path = f"{parent.path}/{code}" if parent is not None else code
    full_clean(department)
    department.save()
    return department


@transaction.atomic
def department_update(*, department_id, actor=None, **changes) -> Department:
    """Change names, parent (moves the subtree), head or `active`; the code never changes."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"department_update() got unexpected fields {sorted(unknown)}")
    department = get_for_update(Department, department_id)
    changed = {f for f, v in changes.items() if getattr(department, f) != v}
    for field in changed:
        setattr(department, field, changes[field])
    problems = Problems()
    _check(department, changed, problems)
    if "active" in changed and not department.active:
        _check_deactivation(department, problems)
    problems.raise_any()
    old_path = department.path
    if "parent_id" in changed:
        parent = department.parent
        department.path = f"{parent.path}/{department.code}" if parent else department.code
    full_clean(department)
    if not changed:
        return department  # an HR sync re-sending the same values writes nothing
    department.save()
    if department.path != old_path:
        _move_subtree(department, old_path)
    return department


def _move_subtree(department: Department, old_path: str) -> None:
    # Each row saved on its own (not QuerySet.update) so signals and audit see the move.
    below = Department.objects.select_for_update().filter(path__startswith=f"{old_path}/")
    for child in below:
        child.path = department.path + child.path[len(old_path) :]
        child.save(update_fields=["path", "updated_at"])


@transaction.atomic
def department_deactivate(*, department_id, actor=None) -> Department:
    """Refused while active people or active sub-departments remain (DEPARTMENT_IN_USE)."""
    department = get_for_update(Department, department_id)
    if not department.active:
        return department
    problems = Problems()
    _check_deactivation(department, problems)
    problems.raise_any()
    department.active = False
    department.save(update_fields=["active", "updated_at"])
    return department
