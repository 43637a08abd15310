"""During the response: tasks (with their dependencies), notes, communications, reports to the
regulator, and the overdue sweep of the tick."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.lifecycle import Change, Lifecycle, transition
from apps.emergency.errors import EmergencyErrorCode as Code
from apps.emergency.models import (
    ActivationTask,
    Audience,
    Channel,
    Communication,
    EventKind,
    RegulatorReport,
    TaskStatus,
)
from apps.emergency.selectors.deadlines import audience_deadlines
from apps.emergency.selectors.deadlines import outcome as deadline_outcome
from apps.emergency.services import notices
from apps.emergency.services.common import get_for_update, invalid, open_activation, record

T = TaskStatus
OPEN_TASK = (T.PENDING, T.IN_PROGRESS)
EVENT_OF: dict[str, str] = {
    T.IN_PROGRESS: EventKind.TASK_STARTED,
    T.DONE: EventKind.TASK_DONE,
    T.SKIPPED: EventKind.TASK_SKIPPED,
}


def _dependencies_finished(change: Change) -> str | None:
    task = change.obj
    if not task.depends_on:
        return None
    waiting = ActivationTask.objects.filter(
        activation_id=task.activation_id, position__in=task.depends_on, status__in=OPEN_TASK
    ).values_list("position", flat=True)
    if waiting:
        return f"Finish step(s) {', '.join(map(str, sorted(waiting)))} first."
    return None


def _reason_given(change: Change) -> None:
    if not change.comment:
        raise invalid("reason", "Say why the task is skipped.", Code.INCOMPLETE)


def _stamp(change: Change) -> list[str]:
    task = change.obj
    if change.to == T.IN_PROGRESS:
        task.started_at = task.started_at or change.now
    task.finished_at = change.now if change.to in (T.DONE, T.SKIPPED) else None
    task.skip_reason = change.comment[:500] if change.to == T.SKIPPED else ""
    return ["started_at", "finished_at", "skip_reason"]


TASK_LIFECYCLE = Lifecycle(
    model=ActivationTask,
    statuses=TaskStatus,
    table={
        T.PENDING: {T.IN_PROGRESS, T.DONE, T.SKIPPED},
        T.IN_PROGRESS: {T.PENDING, T.DONE, T.SKIPPED},
        T.DONE: {T.IN_PROGRESS},
        T.SKIPPED: {T.PENDING},
    },
    refusal_code=Code.INVALID_TRANSITION,
    field="to",
    noun="task",
    guards={
        T.IN_PROGRESS: _dependencies_finished,
        T.DONE: _dependencies_finished,
        T.SKIPPED: _reason_given,
    },
    on_enter={status: _stamp for status in TaskStatus.values},
)


@transaction.atomic
def task_transition(*, task_id, to: str, reason: str = "", actor=None, now=None):
    task = get_for_update(ActivationTask, task_id)
    open_activation(task.activation_id, field="id")
    change = transition(task, to, actor=actor, comment=reason, now=now)
    if to in EVENT_OF:
        record(
            task.activation,
            EVENT_OF[to],
            at=change.now,
            actor=actor,
            task=task,
            text=f"{task.position}. {task.action}" + (f" — {reason}" if reason else ""),
        )
    return task


def overdue_sweep(*, now=None) -> int:
    """Tick: each open task past due gets one notice (assignee and commander) and one timeline
    entry; `overdue_noticed_at` marks it, and rows locked by a parallel run are skipped."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = (
            ActivationTask.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("activation__level", "assignee", "assignee_member")
            .filter(status__in=OPEN_TASK, due_at__lt=now, overdue_noticed_at__isnull=True)
            .exclude(activation__status="closed")
            .order_by("due_at")[:500]
        )
        for task in due:
            task.overdue_noticed_at = now
            task.save(update_fields=["overdue_noticed_at", "updated_at"])
            record(
                task.activation,
                EventKind.TASK_OVERDUE,
                at=now,
                task=task,
                text=f"{task.position}. {task.action} was due {task.due_at:%Y-%m-%d %H:%M}",
            )
            notices.task_overdue(task)
            sent += 1
    return sent


@transaction.atomic
def note_add(
    *,
    activation_id,
    text: str,
    kind: str = EventKind.NOTE,
    pinned: bool = False,
    at=None,
    actor=None,
):
    activation = open_activation(activation_id)
    if kind not in (EventKind.NOTE, EventKind.CUSTOM):
        raise invalid("kind", "Only notes and custom events are added by hand.")
    text = (text or "").strip()
    if not text or len(text) > 1000:
        raise invalid("text", "Between 1 and 1000 characters.")
    now = timezone.now()
    at = at or now
    if at > now or at < activation.detected_at:
        raise invalid("at", "Between the detection time and now.")
    return record(activation, kind, at=at, actor=actor, text=text, pinned=pinned)


@transaction.atomic
def communication_record(
    *, activation_id, audience: str, channel: str, summary: str, sent_at=None, actor=None
) -> Communication:
    activation = open_activation(activation_id)
    if audience not in Audience.values:
        raise invalid("audience", "Unknown audience.")
    if channel not in Channel.values:
        raise invalid("channel", "Unknown channel.")
    summary = (summary or "").strip()
    if not summary or len(summary) > 1000:
        raise invalid("summary", "Say what was told (at most 1000 characters).")
    sent_at = sent_at or timezone.now()
    if sent_at > timezone.now():
        raise invalid("sent_at", "Not in the future.")
    told_before = activation.communications.filter(audience=audience, sent_at__lte=sent_at)
    deadline = None if told_before.exists() else audience_deadlines(activation).get(audience)
    communication = Communication.objects.create(
        activation=activation,
        audience=audience,
        channel=channel,
        summary=summary,
        sent_at=sent_at,
        sent_by=actor if getattr(actor, "pk", None) else None,
    )
    heading = str(communication)
    if deadline is not None:
        # The first word to this audience settles its deadline (met or missed) on the timeline.
        due_at = activation.declared_at + timedelta(minutes=deadline)
        verdict = deadline_outcome(due_at, sent_at, sent_at)
        heading = f"{heading} ({verdict} the {deadline}-minute deadline)"
    text = f"{heading}: {summary}"
    record(activation, EventKind.COMMUNICATION_SENT, at=sent_at, actor=actor, text=text)
    return communication


@transaction.atomic
def regulator_report_submit(*, report_id, submitted_at=None, reference: str = "", actor=None):
    report = get_for_update(RegulatorReport, report_id)
    if report.submitted_at is not None:
        raise invalid("id", "This report was submitted already.", Code.INVALID_TRANSITION)
    activation = open_activation(report.activation_id, field="id")
    submitted_at = submitted_at or timezone.now()
    if submitted_at > timezone.now() or submitted_at < activation.declared_at:
        raise invalid("submitted_at", "Between the declaration and now.")
    report.submitted_at, report.reference = submitted_at, (reference or "").strip()[:200]
    report.save(update_fields=["submitted_at", "reference", "updated_at"])
    outcome = report.outcome(submitted_at)
    record(
        activation,
        EventKind.REGULATOR_REPORTED,
        at=submitted_at,
        actor=actor,
        level=report.level,
        text=f"Reported to the regulator ({outcome} the deadline).",
    )
    return report
