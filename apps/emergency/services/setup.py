"""Scenarios (extensible by the tenant) and severity levels (renamed, deadlines per level)."""

from django.db import transaction
from django.utils.text import slugify

from apps.core.validation import fits_column
from apps.emergency.errors import EmergencyErrorCode as Code
from apps.emergency.models import Scenario, SeverityLevel
from apps.emergency.services.common import get_for_update, invalid


def scenario_create(*, code: str, name: str, description: str = "", actor=None) -> Scenario:
    code = slugify((code or "").strip()).replace("-", "_")
    if not code:
        raise invalid("code", "A scenario needs a code (letters, digits, _).")
    if not (name or "").strip():
        raise invalid("name", "A scenario needs a name.")
    code = fits_column(Scenario, "code", code, Code.INVALID)
    name = fits_column(Scenario, "name", name.strip(), Code.INVALID)
    if Scenario.objects.filter(code=code).exists():
        raise invalid("code", "This scenario code is taken.", Code.CODE_TAKEN)
    return Scenario.objects.create(code=code, name=name.strip(), description=description)


def level_create(
    *, code: str, name: str, rank: int, regulator_report_hours: int | None = None
) -> SeverityLevel:
    code = (code or "").strip()
    if not code or len(code) > 10:
        raise invalid("code", "A level needs a code of at most 10 characters.")
    if SeverityLevel.objects.filter(code=code).exists():
        raise invalid("code", "This level code is taken.", Code.CODE_TAKEN)
    if rank < 1 or SeverityLevel.objects.filter(rank=rank).exists():
        raise invalid("rank", "The rank is at least 1 and not used by another level.")
    _check_hours(regulator_report_hours)
    name = fits_column(SeverityLevel, "name", (name or "").strip(), Code.INVALID)
    return SeverityLevel.objects.create(
        code=code,
        name=name.strip() or code,
        rank=rank,
        regulator_report_hours=regulator_report_hours,
    )


@transaction.atomic
def level_update(*, level_id, **changes) -> SeverityLevel:
    unknown = set(changes) - {"name", "regulator_report_hours"}
    if unknown:
        raise TypeError(f"level_update() got unexpected fields {sorted(unknown)}")
    level = get_for_update(SeverityLevel, level_id)
    if "name" in changes:
        if not (changes["name"] or "").strip():
            raise invalid("name", "A level needs a name.")
        changes["name"] = fits_column(SeverityLevel, "name", changes["name"].strip(), Code.INVALID)
    if "regulator_report_hours" in changes:
        _check_hours(changes["regulator_report_hours"])
    for field, value in changes.items():
        setattr(level, field, value.strip() if isinstance(value, str) else value)
    level.save()
    return level


def _check_hours(hours: int | None) -> None:
    if hours is not None and not 1 <= hours <= 24 * 90:
        raise invalid("regulator_report_hours", "Between 1 hour and 90 days (2160 hours).")
