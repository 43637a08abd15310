"""Drills: scheduled from the plan's cadence, missed when the date passes with no result,
results and findings fed back into the register's controls (through its service)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.core.lifecycle import Change, Lifecycle, transition
from apps.emergency.errors import EmergencyErrorCode as Code
from apps.emergency.models import (
    Drill,
    DrillFinding,
    DrillKind,
    DrillResult,
    DrillStatus,
    DrillStepTiming,
    FindingSeverity,
    FindingStatus,
    Plan,
    VersionStatus,
)
from apps.emergency.services import notices
from apps.emergency.services.common import active_people, add_months, get_for_update, invalid

D, F = DrillStatus, FindingStatus
# A finding shows the control did not work as rated: one step down (never up).
LOWERED = {
    "effective": "partially_effective",
    "partially_effective": "ineffective",
    "ineffective": "ineffective",
    "not_assessed": "ineffective",
}


def _result_given(change: Change) -> str | None:
    if change.obj.result not in DrillResult.values:
        return "Record the result (pass, partial or fail)."
    return None


DRILL_LIFECYCLE = Lifecycle(
    model=Drill,
    statuses=DrillStatus,
    table={
        D.SCHEDULED: {D.DONE, D.MISSED, D.CANCELLED},
        D.DONE: set(),
        D.MISSED: {D.DONE},
        D.CANCELLED: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    field=None,
    noun="drill",
    internal={D.MISSED},  # the calendar decides, in the daily tick
    guards={D.DONE: _result_given},
)
FINDING_LIFECYCLE = Lifecycle(
    model=DrillFinding,
    statuses=FindingStatus,
    table={
        F.OPEN: {F.IN_PROGRESS, F.CLOSED},
        F.IN_PROGRESS: {F.OPEN, F.CLOSED},
        F.CLOSED: {F.IN_PROGRESS},
    },
    refusal_code=Code.INVALID_TRANSITION,
    field="to",
    noun="finding",
)


def _approved(plan: Plan, field: str = "plan_id"):
    version = plan.versions.filter(status=VersionStatus.APPROVED).first()
    if version is None:
        raise invalid(field, "The plan has no approved version in force.", Code.NO_APPROVED_VERSION)
    return version


@transaction.atomic
def drill_schedule(
    *,
    plan_id,
    scheduled_on: date,
    kind: str = DrillKind.TABLETOP,
    scenario: str = "",
    participant_ids: list | None = None,
    actor=None,
) -> Drill:
    """The success criteria are copied from the version in force now (a later version does
    not change what this drill is judged by)."""
    plan = get_for_update(Plan, plan_id, field="plan_id")
    version = _approved(plan)
    if kind not in DrillKind.values:
        raise invalid("kind", "Unknown drill type.")
    if Drill.objects.filter(plan=plan, scheduled_on=scheduled_on).exists():
        raise invalid("scheduled_on", "The plan has a drill on that day already.")
    people = active_people(participant_ids or [], field="participant_ids")
    drill = Drill.objects.create(
        plan=plan,
        version=version,
        kind=kind,
        scenario=(scenario or "").strip()[:500],
        scheduled_on=scheduled_on,
        success_criteria=list(version.success_criteria),
    )
    drill.participants.set(people.values())
    return drill


def _criteria_met(drill: Drill, criteria_met: list[bool] | None) -> list[bool]:
    if criteria_met is None:
        return []
    if len(criteria_met) != len(drill.success_criteria):
        raise invalid(
            "criteria_met",
            f"One answer per success criterion ({len(drill.success_criteria)}), in order.",
        )
    return [bool(met) for met in criteria_met]


def _step_timings(drill: Drill, timings: list[dict] | None) -> list[DrillStepTiming]:
    """Each item: position, started_minutes (optional), finished_minutes (None: not finished).
    The target and action come from the drill's version (approved, so immutable)."""
    steps = {s.position: s for s in drill.version.steps.all()}
    rows, seen = [], set()
    for index, item in enumerate(timings or []):
        position = item.get("position")
        field = f"step_timings.{index}"
        if position not in steps:
            raise invalid(f"{field}.position", "No step of the drilled version has it.")
        if position in seen:
            raise invalid(f"{field}.position", "Each step once.")
        seen.add(position)
        started, finished = item.get("started_minutes"), item.get("finished_minutes")
        for name, value in (("started_minutes", started), ("finished_minutes", finished)):
            if value is not None and not 0 <= value <= 100_000:
                raise invalid(f"{field}.{name}", "Minutes from the drill's start, 0–100000.")
        if started is not None and finished is not None and finished < started:
            raise invalid(f"{field}.finished_minutes", "Not before the step started.")
        step = steps[position]
        rows.append(
            DrillStepTiming(
                drill=drill,
                position=position,
                action=step.action,
                target_minutes=step.time_target_minutes,
                started_minutes=started,
                finished_minutes=finished,
            )
        )
    return rows


@transaction.atomic
def drill_record(
    *,
    drill_id,
    result: str,
    held_on: date | None = None,
    summary: str = "",
    criteria_met: list[bool] | None = None,
    step_timings: list[dict] | None = None,
    actor=None,
    now=None,
) -> Drill:
    """The result, which success criteria were met and how long each step took; a passed
    drill sets last-tested on the controls of the plan's risks."""
    from apps.risks.services.controls import control_save

    drill = get_for_update(Drill, drill_id, related=("plan", "version"))
    held_on = held_on or timezone.localdate(now)
    if held_on > timezone.localdate(now):
        raise invalid("held_on", "A drill is recorded once it was held.")
    if result not in DrillResult.values:
        raise invalid("result", "pass, partial or fail.")
    drill.criteria_met = _criteria_met(drill, criteria_met)
    timings = _step_timings(drill, step_timings)
    drill.result, drill.held_on, drill.summary = result, held_on, (summary or "").strip()
    drill.recorded_by = actor if getattr(actor, "pk", None) else None
    transition(drill, D.DONE, actor=actor, now=now, save_all=True)
    DrillStepTiming.objects.bulk_create(timings)
    if result == DrillResult.PASS:
        for control_id in _plan_controls(drill.plan):
            control_save(control_id=control_id, last_tested_at=held_on)
    return drill


def _plan_controls(plan: Plan) -> list:
    from apps.risks.selectors import risks_by_ids

    ids: list = []
    for risk in risks_by_ids([str(pk) for pk in plan.risk_ids]):
        ids.extend(risk.controls.values_list("pk", flat=True))
    return list(dict.fromkeys(ids))


@transaction.atomic
def finding_create(
    *, drill_id, title: str, severity: str, owner_id=None, due_on=None, control_id=None, actor=None
) -> DrillFinding:
    """A finding against a control lowers its effectiveness one step and sets last-tested, so
    the linked risks' residual proposal follows (the register's daily run)."""
    from apps.risks.selectors import controls_by_ids
    from apps.risks.services.controls import control_save

    drill = get_for_update(Drill, drill_id, field="drill_id")
    if drill.status != D.DONE:
        raise invalid(
            "drill_id", "Record the drill's result before its findings.", Code.INVALID_TRANSITION
        )
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise invalid("title", "A finding needs a title (at most 300 characters).")
    if severity not in FindingSeverity.values:
        raise invalid("severity", "low, medium or high.")
    owner = active_people([owner_id], field="owner_id").get(str(owner_id)) if owner_id else None
    control = None
    if control_id is not None:
        control = controls_by_ids([control_id]).get(str(control_id))
        if control is None:
            raise invalid("control_id", "No such control.", Code.NOT_FOUND)
    finding = DrillFinding.objects.create(
        drill=drill,
        title=title,
        severity=severity,
        owner=owner,
        due_on=due_on,
        control_id=control_id,
    )
    if control is not None:
        control_save(
            control_id=control.pk,
            effectiveness=LOWERED[control.effectiveness],
            last_tested_at=drill.held_on,
        )
    return finding


@transaction.atomic
def finding_transition(*, finding_id, to: str, actor=None) -> DrillFinding:
    finding = get_for_update(DrillFinding, finding_id)
    transition(finding, to, actor=actor)
    return finding


def daily(*, today: date) -> dict:
    """Missed drills, the next drill of each plan from its cadence, plan review reminders."""
    missed = 0
    for drill in Drill.objects.select_for_update(skip_locked=True).filter(
        status=D.SCHEDULED, scheduled_on__lt=today
    ):
        transition(drill, D.MISSED, internal=True, field=None)
        notices.drill_missed(drill)
        missed += 1
    scheduled = 0
    plans = Plan.objects.filter(versions__status=VersionStatus.APPROVED).exclude(
        drills__status=D.SCHEDULED
    )
    for plan in plans.distinct():
        last = plan.drills.order_by("-scheduled_on").values_list("scheduled_on", flat=True).first()
        approved = plan.versions.get(status=VersionStatus.APPROVED)
        start = last or timezone.localdate(approved.approved_at or timezone.now())
        when = max(add_months(start, plan.drill_cadence_months), today)
        if not Drill.objects.filter(plan=plan, scheduled_on=when).exists():
            drill_schedule(plan_id=plan.pk, scheduled_on=when, scenario=plan.name)
            scheduled += 1
    reminded = 0
    for plan in Plan.objects.select_for_update(skip_locked=True).filter(
        review_due_on__lte=today, versions__status=VersionStatus.APPROVED
    ):
        if plan.review_reminded_for == plan.review_due_on:
            continue
        notices.review_due(plan)
        plan.review_reminded_for = plan.review_due_on
        plan.save(update_fields=["review_reminded_for", "updated_at"])
        reminded += 1
    return {"drills_missed": missed, "drills_scheduled": scheduled, "reviews_reminded": reminded}


@transaction.atomic
def finding_action_create(
    *, finding_id, risk_id, title: str = "", due_on: date | None = None, actor=None
) -> DrillFinding:
    """The finding becomes a treatment action on one of the drilled plan's risks, through the
    register's service: titled like the finding (unless given), due when the finding is, owned
    by the finding's owner (a directory person), against the finding's control."""
    from apps.risks.services.controls import action_create

    finding = get_for_update(DrillFinding, finding_id, related=("drill__plan", "owner"))
    if finding.action_id is not None:
        raise invalid("id", "This finding has its action already.", Code.INVALID_TRANSITION)
    if risk_id is None or str(risk_id) not in {str(pk) for pk in finding.drill.plan.risk_ids}:
        raise invalid("risk_id", "Not a risk the drilled plan covers.", Code.NOT_FOUND)
    title = (title or "").strip() or finding.title
    drill = finding.drill
    action = action_create(
        risk_id=risk_id,
        title=title[:200],
        description=f"Drill finding ({finding.get_severity_display()}) of the "
        f"{drill.get_kind_display().lower()} drill of {drill.plan.code} on {drill.scheduled_on}.",
        owner_id=finding.owner_id,  # the register's owners are directory people too
        due_date=due_on or finding.due_on,
        control_id=finding.control_id,
    )
    finding.action = action
    finding.save(update_fields=["action", "updated_at"])
    return finding
