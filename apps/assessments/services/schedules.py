"""Runs on a cadence (daily VaR, monthly PSI) from the tenant tick.

A schedule repeats a template run once per period — same kind, parameters, scorecard, risks and
limit bindings, a new seed — on the latest ready version of each of the template's datasets.
Exactly once: the tick claims the period on the locked schedule (`last_period`) before it
creates the run, and (schedule, period) is unique on runs. A period whose run is refused (a
dataset gone, too few days) is not retried by the next ticks; the refusal is `last_error`.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.assessments.errors import AssessmentErrorCode as Code
from apps.assessments.models import (
    AssessmentRun,
    Cadence,
    DatasetVersion,
    RunSchedule,
    RunStatus,
    VersionStatus,
)
from apps.assessments.services.runs import INPUTS, check_may_bind_limits, run_create
from apps.core.errors import refuse


def period_of(cadence: str, today: date) -> str:
    """The period a day falls in: 2026-12-01, 2026-W49 (ISO week) or 2026-12."""
    if cadence == Cadence.DAILY:
        return today.isoformat()
    if cadence == Cadence.WEEKLY:
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02}"
    return f"{today:%Y-%m}"


def _name(name: str) -> str:
    name = (name or "").strip()
    if not 1 <= len(name) <= 120:
        raise refuse("name", "1 to 120 characters.", Code.INVALID)
    return name


def _cadence(cadence: str) -> str:
    if cadence not in Cadence.values:
        raise refuse("cadence", f"One of {', '.join(Cadence.values)}.", Code.INVALID)
    return cadence


@transaction.atomic
def schedule_create(
    *, name: str, template_id, cadence: str, actor_role: str | None = None
) -> RunSchedule:
    """A schedule repeating a run (any status but cancelled: its inputs were checked); one
    whose runs set register limits only by a risk manager or admin."""
    name = _name(name)
    template = AssessmentRun.objects.filter(pk=template_id).first() if template_id else None
    if template is None:
        raise refuse("template_id", "No such run.", Code.NOT_FOUND)
    check_may_bind_limits("template_id", template.limit_bindings, actor_role)
    if template.status == RunStatus.CANCELLED:
        raise refuse("template_id", "A cancelled run cannot be repeated.", Code.INVALID)
    if RunSchedule.objects.filter(name=name).exists():
        raise refuse("name", "A schedule of this name exists.", Code.NAME_TAKEN)
    return RunSchedule.objects.create(name=name, template=template, cadence=_cadence(cadence))


@transaction.atomic
def schedule_update(
    *,
    schedule_id,
    name: str | None = None,
    cadence: str | None = None,
    active: bool | None = None,
    actor_role: str | None = None,
) -> RunSchedule:
    """Change what is given; a new cadence starts with the current period of that cadence. A
    schedule whose runs set register limits is changed (resumed) by a risk manager or admin."""
    schedule = (
        RunSchedule.objects.select_for_update(of=("self",))
        .select_related("template")
        .filter(pk=schedule_id)
        .first()
    )
    if schedule is None:
        raise refuse("schedule_id", "No such schedule.", Code.NOT_FOUND)
    check_may_bind_limits("schedule_id", schedule.template.limit_bindings, actor_role)
    if name is not None:
        name = _name(name)
        if RunSchedule.objects.filter(name=name).exclude(pk=schedule.pk).exists():
            raise refuse("name", "A schedule of this name exists.", Code.NAME_TAKEN)
        schedule.name = name
    if cadence is not None:
        schedule.cadence = _cadence(cadence)
    if active is not None:
        schedule.active = active
    schedule.save()
    return schedule


def latest_inputs(template: AssessmentRun) -> dict:
    """{input: version id}: the newest ready version of each of the template's datasets."""
    found = {}
    for name in INPUTS:
        version_id = getattr(template, f"{name}_id")
        if version_id is None:
            continue
        dataset_id = DatasetVersion.objects.values_list("dataset_id", flat=True).get(pk=version_id)
        newest = (
            DatasetVersion.objects.filter(dataset_id=dataset_id, status=VersionStatus.READY)
            .order_by("-number")
            .values_list("pk", flat=True)
            .first()
        )
        found[name] = newest or version_id
    return found


def _due(today: date) -> Q:
    """Active schedules whose current period has not been claimed (one query when none is)."""
    due = Q()
    for cadence in Cadence.values:
        due |= Q(cadence=cadence) & ~Q(last_period=period_of(cadence, today))
    return Q(active=True) & due


def scheduled_runs_due(today: date | None = None) -> dict:
    """Tick handler: a run for each schedule whose period has none yet."""
    today = today or timezone.localdate()
    created = refused = 0
    for schedule_id in RunSchedule.objects.filter(_due(today)).values_list("pk", flat=True):
        with transaction.atomic():
            schedule = (
                RunSchedule.objects.select_for_update(skip_locked=True)
                .filter(_due(today), pk=schedule_id)
                .select_related("template")
                .first()
            )
            if schedule is None:  # another tick has it, or claimed it meanwhile
                continue
            period = period_of(schedule.cadence, today)
            schedule.last_period = period
            t = schedule.template
            try:
                with transaction.atomic():
                    run_create(
                        kind=t.kind,
                        parameters=t.parameters,
                        scorecard_id=t.scorecard_id,
                        risk_ids=t.risk_ids,
                        limits=t.limit_bindings,
                        schedule=schedule,
                        period=period,
                        **latest_inputs(t),
                    )
                schedule.last_error = ""
                created += 1
            except ValidationError as exc:
                schedule.last_error = " ".join(exc.messages)[:4000]
                refused += 1
            schedule.save(update_fields=["last_period", "last_error", "updated_at"])
    return {"created": created, "refused": refused}
