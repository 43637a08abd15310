"""Reads for "my work": treatment actions and acceptances across the register, and their
counts by status (inbox badges), with the same filters."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.accounts.roles import Role
from apps.risks.models import (
    AcceptanceStatus,
    ActionStatus,
    Control,
    RiskAcceptance,
    TreatmentAction,
)
from apps.risks.selectors import mine_filter
from apps.risks.selectors.ordering import (
    ACCEPTANCE_DEFAULT,
    ACCEPTANCE_KEYS,
    ACTION_DEFAULT,
    ACTION_KEYS,
    CONTROL_DEFAULT,
    CONTROL_KEYS,
    Order,
    sort_keys,
)

OPEN_ACTIONS = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


@dataclass
class ActionFilters:
    owner_id: Any = None  # a person of the directory
    risk_id: Any = None
    statuses: list[str] = field(default_factory=list)
    due_from: date | None = None  # on or after
    due_to: date | None = None  # on or before
    overdue: bool | None = None  # open and due before today
    # `mine`: owned (True) or not (False) by the person linked to user `mine_of` (None: any)
    mine_of: Any = None
    mine: bool = True


def actions(filters: ActionFilters | None = None, order: Order | None = None) -> QuerySet:
    return _actions(filters or ActionFilters()).order_by(
        *sort_keys(order or ACTION_DEFAULT, ACTION_KEYS)
    )


def _actions(f: ActionFilters) -> QuerySet:
    qs = TreatmentAction.objects.filter(risk__archived_at__isnull=True)
    if f.owner_id is not None:
        qs = qs.filter(owner_id=f.owner_id)
    if f.mine_of is not None:
        qs = mine_filter(qs, f.mine_of, f.mine)
    if f.risk_id is not None:
        qs = qs.filter(risk_id=f.risk_id)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.due_from is not None:
        qs = qs.filter(due_date__gte=f.due_from)
    if f.due_to is not None:
        qs = qs.filter(due_date__lte=f.due_to)
    if f.overdue is not None:
        late = Q(status__in=OPEN_ACTIONS, due_date__lt=timezone.localdate())
        qs = qs.filter(late) if f.overdue else qs.exclude(late)
    return qs


def action_counts(filters: ActionFilters | None = None) -> dict[str, int]:
    """Every status with how many (filtered) actions have it, zeros included."""
    return _counts(_actions(filters or ActionFilters()), ActionStatus)


@dataclass
class AcceptanceFilters:
    statuses: list[str] = field(default_factory=list)
    risk_id: Any = None
    requested_by_id: Any = None
    # Acceptances this member may decide: requested, asked for by someone else, and the member
    # a risk manager or admin here (else nothing).
    decider_id: Any = None
    decider_role: str | None = None


def acceptances(filters: AcceptanceFilters | None = None, order: Order | None = None) -> QuerySet:
    return _acceptances(filters or AcceptanceFilters()).order_by(
        *sort_keys(order or ACCEPTANCE_DEFAULT, ACCEPTANCE_KEYS)
    )


def _acceptances(f: AcceptanceFilters) -> QuerySet:
    qs = RiskAcceptance.objects.filter(risk__archived_at__isnull=True)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.risk_id is not None:
        qs = qs.filter(risk_id=f.risk_id)
    if f.requested_by_id is not None:
        qs = qs.filter(requested_by_id=f.requested_by_id)
    if f.decider_id is not None:
        if f.decider_role is None or Role.rank(f.decider_role) < Role.rank(Role.RISK_MANAGER):
            return RiskAcceptance.objects.none()
        qs = qs.filter(status=AcceptanceStatus.REQUESTED).exclude(requested_by_id=f.decider_id)
    return qs


def acceptance_counts(filters: AcceptanceFilters | None = None) -> dict[str, int]:
    return _counts(_acceptances(filters or AcceptanceFilters()), AcceptanceStatus)


def _counts(qs: QuerySet, statuses) -> dict[str, int]:
    found = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {status: found.get(status, 0) for status in statuses.values}


def controls(
    *, search: str = "", archived: bool | None = False, order: Order | None = None
) -> QuerySet:
    qs = Control.objects.all()
    if archived is not None:
        qs = qs.filter(archived_at__isnull=not archived)
    if search.strip():
        qs = qs.filter(name__icontains=search.strip())
    return qs.order_by(*sort_keys(order or CONTROL_DEFAULT, CONTROL_KEYS))
