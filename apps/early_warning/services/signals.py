"""The warning-signal lifecycle: open → acknowledged → escalated → resolved, or dismissed.

Every status change goes through `signal_transition`; scans use the same function to escalate
and auto-resolve, so the rules and the side effects (notices, webhooks) are the same for all.
Each change, and each comment, is an entry of the signal's append-only thread (SignalComment).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.selectors import members_here
from apps.core.lifecycle import Change, Lifecycle, transition
from apps.early_warning.errors import WarningErrorCode as Code
from apps.early_warning.models import Severity, SignalComment, SignalStatus, WarningSignal
from apps.early_warning.services.indicators import refuse
from apps.notifications.services import notify, publish_many

S = SignalStatus
EVENTS = {
    S.ACKNOWLEDGED: "warnings.signal_acknowledged",
    S.ESCALATED: "warnings.signal_escalated",
    S.RESOLVED: "warnings.signal_resolved",
    S.DISMISSED: "warnings.signal_dismissed",
}
# Webhooks only: the responsible members hear of raised, escalated and resolved signals by
# e-mail; that someone acknowledged or dismissed one is not worth a message to everyone.
WEBHOOK_ONLY = {"warnings.signal_acknowledged", "warnings.signal_dismissed"}
MAX_BULK = 100  # signals per bulk transition: one page of the list


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
    announce(change.obj, event=EVENTS.get(S(change.to)))


def _locked(signal_id) -> WarningSignal:
    signal = (
        WarningSignal.objects.select_for_update(of=("self",))
        .select_related("indicator")
        .filter(pk=signal_id)
        .first()
    )
    if signal is None:
        raise refuse("id", "No such signal.", Code.NOT_FOUND)
    return signal


def _author(actor):
    return actor if actor is not None and getattr(actor, "pk", None) else None


@transaction.atomic
def signal_transition(
    *, signal_id, to: str, actor=None, comment: str = "", now: datetime | None = None
) -> WarningSignal:
    signal = _locked(signal_id)
    change = transition(signal, to, actor=actor, comment=comment, now=now, event=_announce)
    history_entry(change).save()
    return signal


def history_entry(change: Change) -> SignalComment:
    """The thread entry of a status change (unsaved: scans insert theirs in bulk)."""
    return SignalComment(
        signal=change.obj,
        author=_author(change.actor),
        body=change.comment,
        from_status=change.before,
        to_status=change.to,
        at=change.now,
    )


@dataclass
class BulkOutcome:
    """What became of one signal of a bulk transition: moved, or refused with its errors."""

    signal_id: object
    signal: WarningSignal | None
    error: ValidationError | None


def signals_transition(
    *, signal_ids: list, to: str, actor=None, comment: str = ""
) -> list[BulkOutcome]:
    """Move each signal on its own (a savepoint each): one refused leaves the others moved.
    The outcomes are in the order of the ids; a repeated id is refused the second time."""
    if not signal_ids:
        raise refuse("ids", "Name at least one signal.")
    if len(signal_ids) > MAX_BULK:
        raise refuse("ids", f"At most {MAX_BULK} signals at a time.")
    outcomes, seen = [], set()
    for signal_id in signal_ids:
        if signal_id in seen:
            outcomes.append(
                BulkOutcome(signal_id, None, refuse("id", "Named twice.", Code.DUPLICATE))
            )
            continue
        seen.add(signal_id)
        try:
            with transaction.atomic():
                signal = signal_transition(signal_id=signal_id, to=to, actor=actor, comment=comment)
        except ValidationError as exc:
            outcomes.append(BulkOutcome(signal_id, None, exc))
        else:
            outcomes.append(BulkOutcome(signal_id, signal, None))
    return outcomes


@transaction.atomic
def signal_assign(*, signal_id, assignee_id: int | None, actor=None) -> WarningSignal:
    """Give the signal to a member of this tenant, or to nobody (None). Audited."""
    signal = _locked(signal_id)
    if assignee_id is not None:
        member = members_here([assignee_id]).get(assignee_id)
        if member is None:
            raise refuse("assignee", "Not a member of this tenant.", Code.NOT_A_MEMBER)
        signal.assignee = member
    else:
        signal.assignee = None
    signal.save(update_fields=["assignee", "updated_at"])
    return signal


@transaction.atomic
def signal_comment_add(*, signal_id, body: str, actor) -> SignalComment:
    """Append a comment to the signal's thread (entries are never edited or removed)."""
    signal = _locked(signal_id)
    body = (body or "").strip()
    if not body:
        raise refuse("body", "Write something.")
    entry = SignalComment(signal=signal, author=_author(actor), body=body, at=timezone.now())
    entry.save()
    return entry


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
}  # the events mailed to the responsible members (WEBHOOK_ONLY events are not)


def announce_many(
    signals: list[WarningSignal], *, event: str | None, indicators: dict | None = None
) -> None:
    """Tell the indicators' responsible members, and the tenant's webhooks, once per event and
    signal: one lookup of the people and one of the webhooks for the whole batch. `indicators`
    ({pk: indicator, or a scan's values of one}) spares reading each signal's indicator."""
    if event is None or not signals:
        return

    def indicator_of(signal: WarningSignal):
        return indicators[signal.indicator_id] if indicators else signal.indicator

    if event in WEBHOOK_ONLY:
        _publish(signals, event, indicator_of)
        return
    wanted = {uid for signal in signals for uid in indicator_of(signal).responsible_ids}
    people = {u.pk: u for u in User.objects.filter(pk__in=wanted, is_active=True)} if wanted else {}
    for signal in signals:
        indicator = indicator_of(signal)
        if not indicator.responsible_ids:
            continue  # nobody to tell by e-mail
        notify(
            recipients=[people[uid] for uid in indicator.responsible_ids if uid in people],
            event=event,
            subject=f"[{signal.severity.upper()}] {indicator.name}: signal {VERBS[event]}",
            body=(
                f"{indicator.name} ({indicator.code}) {signal.detail}\n"
                f"Observed {_figure(signal.observed_value)} against {_figure(signal.threshold)}"
                f" {indicator.unit}.\n"
                f"Status: {signal.status}."
            ),
            dedup_key=f"{event}:{signal.pk}:{signal.severity}",
        )
    _publish(signals, event, indicator_of)


def _figure(value: float | None) -> str:
    """A figure as people read it: 58.9455, not 58.94550914010537; 107, not 107.0."""
    return "-" if value is None else f"{value:.6g}"


def _dedup_key(signal: WarningSignal, event: str) -> str:
    """Once per signal and severity; a signal may be acknowledged again after an escalation,
    so acknowledgements are once per acknowledgement time."""
    if event == "warnings.signal_acknowledged" and signal.acknowledged_at:
        return f"{event}:{signal.pk}:{signal.acknowledged_at.isoformat()}"
    return f"{event}:{signal.pk}:{signal.severity}"


def _publish(signals: list[WarningSignal], event: str, indicator_of: Callable) -> None:
    items = [(_payload(s, indicator_of(s).code), _dedup_key(s, event)) for s in signals]
    publish_many(event=event, items=items)


def _payload(signal: WarningSignal, indicator_code: str) -> dict:
    return {
        "signal": str(signal.pk),
        "indicator": indicator_code,
        "severity": signal.severity,
        "status": signal.status,
        "observed": signal.observed_value,
        "threshold": signal.threshold,
        "dimensions": signal.dimensions_key,
        "detail": signal.detail,
        "first_triggered_at": signal.first_triggered_at.isoformat(),
        "last_triggered_at": signal.last_triggered_at.isoformat(),
    }
