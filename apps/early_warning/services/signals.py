"""The warning-signal lifecycle: open → acknowledged → escalated → resolved, or dismissed.

Every status change goes through `signal_transition`; scans use the same function to escalate
and auto-resolve, so the rules and the side effects (notices, webhooks) are the same for all.
"""

from datetime import datetime, timedelta

from django.db import transaction

from apps.accounts.models import User
from apps.core.lifecycle import Change, Lifecycle, transition
from apps.early_warning.errors import WarningErrorCode as Code
from apps.early_warning.models import Severity, SignalStatus, WarningSignal
from apps.early_warning.services.indicators import refuse
from apps.notifications.services import notify, publish_many

S = SignalStatus
EVENTS = {S.ESCALATED: "warnings.signal_escalated", S.RESOLVED: "warnings.signal_resolved"}


def _dismissal_needs_a_reason(change: Change) -> None:
    if not change.comment:
        raise refuse("comment", "Say why this is a false positive.")


def _stamp(change: Change) -> list[str]:
    """The comment (when one is given) and the time the signal reached its new status."""
    signal, touched = change.obj, []
    if change.comment:
        signal.comment = change.comment
        touched.append("comment")
    if change.to == S.ACKNOWLEDGED:
        signal.acknowledged_at = change.now
        signal.assignee = signal.assignee or change.actor
        touched += ["acknowledged_at", "assignee"]
    elif change.to == S.ESCALATED:
        signal.escalated_at = change.now
        touched.append("escalated_at")
    elif change.to in (S.RESOLVED, S.DISMISSED):
        signal.resolved_at = change.now
        touched.append("resolved_at")
    return touched


SIGNAL_LIFECYCLE = Lifecycle(
    model=WarningSignal,
    statuses=SignalStatus,
    table={
        S.OPEN: {S.ACKNOWLEDGED, S.ESCALATED, S.RESOLVED, S.DISMISSED},
        S.ACKNOWLEDGED: {S.ESCALATED, S.RESOLVED, S.DISMISSED},
        S.ESCALATED: {S.ACKNOWLEDGED, S.RESOLVED, S.DISMISSED},
        S.RESOLVED: set(),
        S.DISMISSED: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    noun="signal",
    guards={S.DISMISSED: _dismissal_needs_a_reason},
    on_enter={status: _stamp for status in S.values},
)


def _announce(change: Change) -> None:
    announce(change.obj, event=EVENTS.get(change.to))


@transaction.atomic
def signal_transition(
    *, signal_id, to: str, actor=None, comment: str = "", now: datetime | None = None
) -> WarningSignal:
    signal = (
        WarningSignal.objects.select_for_update(of=("self",))
        .select_related("indicator")
        .filter(pk=signal_id)
        .first()
    )
    if signal is None:
        raise refuse("id", "No such signal.", Code.NOT_FOUND)
    transition(signal, to, actor=actor, comment=comment, now=now, event=_announce)
    return signal


def escalate_overdue(*, after_minutes: int, now: datetime) -> int:
    """Open red signals nobody acknowledged in time (by the caller's clock) are escalated.
    Idempotent."""
    cutoff = now - timedelta(minutes=after_minutes)
    overdue = WarningSignal.objects.filter(
        status=S.OPEN, severity=Severity.RED, last_severity_change_at__lt=cutoff
    )
    count = 0
    for signal_id in overdue.values_list("pk", flat=True):
        signal_transition(
            signal_id=signal_id,
            to=S.ESCALATED,
            comment=f"Not acknowledged within {after_minutes} minutes.",
            now=now,
        )
        count += 1
    return count


def announce(signal: WarningSignal, *, event: str | None) -> None:
    announce_many([signal], event=event)


VERBS = {
    "warnings.signal_raised": "raised",
    "warnings.signal_escalated": "escalated",
    "warnings.signal_resolved": "resolved",
}


def announce_many(signals: list[WarningSignal], *, event: str | None) -> None:
    """Tell the indicators' responsible members, and the tenant's webhooks, once per event and
    signal: one lookup of the people and one of the webhooks for the whole batch."""
    if event is None or not signals:
        return
    wanted = {uid for signal in signals for uid in signal.indicator.responsible_ids}
    people = {u.pk: u for u in User.objects.filter(pk__in=wanted, is_active=True)} if wanted else {}
    for signal in signals:
        indicator = signal.indicator
        notify(
            recipients=[people[uid] for uid in indicator.responsible_ids if uid in people],
            event=event,
            subject=f"[{signal.severity.upper()}] {indicator.name}: signal {VERBS[event]}",
            body=(
                f"{indicator.name} ({indicator.code}) {signal.detail}\n"
                f"Observed {signal.observed_value} against {signal.threshold} {indicator.unit}.\n"
                f"Status: {signal.status}."
            ),
            dedup_key=f"{event}:{signal.pk}:{signal.severity}",
        )
    publish_many(
        event=event,
        items=[(_payload(signal), f"{event}:{signal.pk}:{signal.severity}") for signal in signals],
    )


def _payload(signal: WarningSignal) -> dict:
    return {
        "signal": str(signal.pk),
        "indicator": signal.indicator.code,
        "severity": signal.severity,
        "status": signal.status,
        "observed": signal.observed_value,
        "threshold": signal.threshold,
        "dimensions": signal.dimensions_key,
        "detail": signal.detail,
        "first_triggered_at": signal.first_triggered_at.isoformat(),
        "last_triggered_at": signal.last_triggered_at.isoformat(),
    }
