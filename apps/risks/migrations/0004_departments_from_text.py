"""Link each risk to a directory department, made from its free-text `department`.

Every distinct non-empty text becomes (or finds) one department: an existing one whose name or
code matches, else a new top-level one (code slugified from the text, or `dept_<hash>` for a
text with no Latin letters; name = the text). Idempotent; the text column is left as it was.
"""

import hashlib

from django.db import migrations
from django.utils.text import slugify


def _code(text: str, taken: set[str]) -> str:
    base = slugify(text).replace("-", "_")[:50].strip("_")
    if not base:
        base = "dept_" + hashlib.sha1(text.encode()).hexdigest()[:8]
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def link_departments(Risk, Department) -> int:
    """Returns how many risks were linked. Takes the (historical or real) model classes."""
    by_name = {}
    for department in Department.objects.all():
        for key in (department.name_zh, department.name_en, department.code):
            if key:
                by_name.setdefault(key.strip().lower(), department)
    taken = set(Department.objects.values_list("code", flat=True))
    linked = 0
    texts = (
        Risk.objects.filter(org_department__isnull=True)
        .exclude(department="")
        .values_list("department", flat=True)
        .distinct()
    )
    for text in sorted(set(texts)):
        name = text.strip()
        if not name:
            continue
        department = by_name.get(name.lower())
        if department is None:
            code = _code(name, taken)
            taken.add(code)
            latin = name.isascii()
            department = Department.objects.create(
                code=code, path=code, name_en=name if latin else "", name_zh="" if latin else name
            )
            by_name[name.lower()] = department
        # A data migration: no actor, no audit entry (the trail starts with the first edit).
        linked += Risk.objects.filter(department=text, org_department__isnull=True).update(
            org_department=department
        )
    return linked


def forwards(apps, schema_editor):
    link_departments(apps.get_model("risks", "Risk"), apps.get_model("people", "Department"))


class Migration(migrations.Migration):
    dependencies = [("risks", "0003_risk_org_department"), ("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
