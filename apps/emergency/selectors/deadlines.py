"""Deadlines of an activation's communications plan: each audience must be told within its
deadline from the declaration; met, missed or still pending on a given clock."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from apps.emergency.models import Activation, Audience


@dataclass(frozen=True)
class CommunicationDeadline:
    audience: str
    deadline_minutes: int
    due_at: datetime
    first_sent_at: datetime | None  # the first communication to the audience, any channel
    outcome: str  # met / missed / pending


def outcome(due_at: datetime, sent_at: datetime | None, now: datetime) -> str:
    if sent_at is not None:
        return "met" if sent_at <= due_at else "missed"
    return "missed" if now > due_at else "pending"


def audience_deadlines(activation: Activation) -> dict[str, int]:
    """audience → the tightest deadline (minutes) its rules in the activated version set.
    Rules without a deadline set none; an audience is told once for every channel."""
    minutes: dict[str, int] = {}
    for rule in activation.version.communications.all():
        if rule.deadline_minutes is None:
            continue
        minutes[rule.audience] = min(rule.deadline_minutes, minutes.get(rule.audience, 1 << 30))
    return minutes


def communication_deadlines(activation: Activation, now: datetime) -> list[CommunicationDeadline]:
    """One row per audience with a deadline, in the audiences' order (staff first)."""
    first: dict[str, datetime] = {}
    for communication in sorted(activation.communications.all(), key=lambda c: c.sent_at):
        first.setdefault(communication.audience, communication.sent_at)
    minutes = audience_deadlines(activation)
    rows = []
    for audience in Audience.values:
        if audience not in minutes:
            continue
        due_at = activation.declared_at + timedelta(minutes=minutes[audience])
        sent_at = first.get(audience)
        rows.append(
            CommunicationDeadline(
                audience=audience,
                deadline_minutes=minutes[audience],
                due_at=due_at,
                first_sent_at=sent_at,
                outcome=outcome(due_at, sent_at, now),
            )
        )
    return rows
