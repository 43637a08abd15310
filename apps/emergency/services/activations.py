"""Activations: declared by hand or from a signal (automatically for a red one), tasks copied
from the approved version, roles with history, the regulator's deadline, closing."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.audit import audited_bulk_create, audited_update
from apps.core.lifecycle import Change, Lifecycle, transition
from apps.early_warning.selectors import signals
from apps.emergency.errors import EmergencyErrorCode as Code
from apps.emergency.models import (
    Activation,
    ActivationRole,
    ActivationSource,
    ActivationStatus,
    ActivationTask,
    EventKind,
    RegulatorReport,
    RoleKind,
    SeverityLevel,
    TaskStatus,
    VersionStatus,
    holder_name,
)
from apps.emergency.selectors.triggers import signals_to_activate, suggested_plans
from apps.emergency.services import notices
from apps.emergency.services.common import (
    get_for_update,
    holder,
    invalid,
    open_activation,
    record,
)
from apps.risks.selectors import risks_by_ids

S = ActivationStatus
MONEY_FIELDS = ("amount_involved", "estimated_loss")


def _stamp(change: Change) -> list[str]:
    activation = change.obj
    if change.to == S.STABILISED:
        activation.stabilised_at = change.now
        record(
            activation, EventKind.STABILISED, at=change.now, actor=change.actor, text=change.comment
        )
        return ["stabilised_at"]
    activation.closed_at = change.now
    return ["closed_at"]


ACTIVATION_LIFECYCLE = Lifecycle(
    model=Activation,
    statuses=ActivationStatus,
    table={S.ACTIVE: {S.STABILISED, S.CLOSED}, S.STABILISED: {S.ACTIVE, S.CLOSED}, S.CLOSED: set()},
    refusal_code=Code.INVALID_TRANSITION,
    field="to",
    noun="activation",
    internal={S.CLOSED},  # closing needs its evaluation: activation_close
    internal_message="Close an activation with activationClose (root cause, lessons, actions).",
    on_enter={S.STABILISED: _stamp, S.CLOSED: _stamp},
)


def _money(value, field: str) -> Decimal | None:
    if value is None:
        return None
    value = Decimal(str(value))
    if not value.is_finite() or value < 0 or value >= 10**16:
        raise invalid(field, "A non-negative amount below 10^16.")
    return value.quantize(Decimal("0.01"))


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def activation_declare(
    *,
    plan_id,
    level_id=None,
    signal_id=None,
    title: str = "",
    description: str = "",
    location: str = "",
    detected_at=None,
    amount_involved=None,
    estimated_loss=None,
    currency: str = "CNY",
    affected_customers: int | None = None,
    risk_ids: list | None = None,
    actor=None,
    automatic: bool = False,
    now=None,
) -> Activation:
    """Put the plan's approved version to work: tasks, roles, the regulator's deadline."""
    from apps.emergency.models import Plan

    now = now or timezone.now()
    plan = Plan.objects.filter(pk=plan_id).first() if plan_id else None
    if plan is None:
        raise invalid("plan_id", "No such plan.", Code.NOT_FOUND)
    version = plan.versions.filter(status=VersionStatus.APPROVED).first()
    if version is None:
        raise invalid(
            "plan_id", "The plan has no approved version in force.", Code.NO_APPROVED_VERSION
        )
    signal = None
    if signal_id is not None:
        signal = signals().select_related("indicator").filter(pk=signal_id).first()
        if signal is None:
            raise invalid("signal_id", "No such warning signal.", Code.NOT_FOUND)
        if Activation.objects.filter(signal=signal).exists():
            raise invalid(
                "signal_id", "This signal already activated a plan.", Code.ALREADY_ACTIVATED
            )
    level = _level(level_id, plan, signal)
    detected_at = detected_at or (signal.first_triggered_at if signal else now)
    if detected_at > now:
        raise invalid("detected_at", "Detection is not in the future.")
    if not (currency or "").isalpha() or len(currency) != 3:
        raise invalid("currency", "A three-letter currency code (ISO 4217).")
    if affected_customers is not None and affected_customers < 0:
        raise invalid("affected_customers", "Not negative.")
    ids = list(dict.fromkeys(str(pk) for pk in (plan.risk_ids if risk_ids is None else risk_ids)))
    if len(risks_by_ids(ids)) != len(ids):
        raise invalid("risk_ids", "Some risks do not exist.", Code.NOT_FOUND)
    source = (
        ActivationSource.AUTOMATIC
        if automatic
        else (ActivationSource.SIGNAL if signal else ActivationSource.MANUAL)
    )
    activation = Activation(
        plan=plan,
        version=version,
        title=(title or "").strip()[:200] or f"{plan.name} — level {level.code}",
        description=description,
        location=location[:200],
        source=source,
        level=level,
        signal=signal,
        detected_at=detected_at,
        declared_at=now,
        declared_by=_user(actor),
        amount_involved=_money(amount_involved, "amount_involved"),
        estimated_loss=_money(estimated_loss, "estimated_loss"),
        currency=currency.upper(),
        affected_customers=affected_customers,
        risk_ids=ids,
    )
    try:
        with transaction.atomic():  # the constraint decides a race between two declarations
            activation.save()
    except IntegrityError:
        raise invalid(
            "signal_id", "This signal already activated a plan.", Code.ALREADY_ACTIVATED
        ) from None
    record(
        activation,
        EventKind.DECLARED,
        at=now,
        actor=actor,
        level=level,
        text=f"Declared at level {level.code} ({activation.get_source_display()}).",
    )
    holders = {}
    for role in version.roles.select_related("person", "member"):
        ActivationRole.objects.create(
            activation=activation,
            role=role.role,
            person=role.person,
            member=role.member,
            started_at=now,
        )
        holders[role.role] = role
        record(
            activation,
            EventKind.ROLE_ASSIGNED,
            at=now,
            actor=actor,
            person=role.person,
            member=role.member,
            text=f"{role.get_role_display()}: {holder_name(role.holder)}",
        )
    audited_bulk_create(
        ActivationTask,
        [
            ActivationTask(
                activation=activation,
                position=step.position,
                phase=step.phase,
                action=step.action,
                responsible_role=step.responsible_role,
                depends_on=step.depends_on,
                assignee=getattr(holders.get(step.responsible_role), "person", None),
                assignee_member=getattr(holders.get(step.responsible_role), "member", None),
                due_at=now + timedelta(minutes=step.time_target_minutes),
            )
            for step in version.steps.all()
        ],
    )
    _owe_report(activation, level)
    notices.declared(activation)
    return activation


def _level(level_id, plan, signal) -> SeverityLevel:
    if level_id is not None:
        level = SeverityLevel.objects.filter(pk=level_id).first()
        if level is None:
            raise invalid("level_id", "No such severity level.", Code.NOT_FOUND)
        return level
    if signal is not None:
        for suggestion in suggested_plans(signal):
            if suggestion.plan.pk == plan.pk:
                return suggestion.level
    raise invalid("level_id", "Say which level (no trigger of the plan matches).")


def _owe_report(activation: Activation, level: SeverityLevel) -> None:
    """A report for the level if it has a deadline (from the declaration time)."""
    if level.regulator_report_hours is None:
        return
    RegulatorReport.objects.get_or_create(
        activation=activation,
        level=level,
        defaults={"due_at": activation.declared_at + timedelta(hours=level.regulator_report_hours)},
    )


def activate_automatically(*, now=None) -> int:
    """Tick: each live red signal an automatic trigger matches activates its plan, once.

    The unique constraint on Activation.signal is the guarantee: two ticks racing (or a tick
    re-run after a crash) both try, and the second insert fails inside its savepoint."""
    now = now or timezone.now()
    made = 0
    for signal in signals_to_activate()[:100]:
        suggestion = next((s for s in suggested_plans(signal) if s.automatic), None)
        if suggestion is None:
            continue
        try:
            with transaction.atomic():
                activation_declare(
                    plan_id=suggestion.plan.pk,
                    level_id=suggestion.level.pk,
                    signal_id=signal.pk,
                    automatic=True,
                    now=now,
                )
        except ValidationError as exc:
            if Code.ALREADY_ACTIVATED.value in _codes(exc):
                continue  # another run activated it first
            raise
        made += 1
    return made


def _codes(exc: ValidationError) -> set[str]:
    return {
        e.code
        for errors in getattr(exc, "error_dict", {"": exc.error_list}).values()
        for e in errors
    }


@transaction.atomic
def level_change(*, activation_id, level_id, comment: str = "", actor=None, now=None):
    now = now or timezone.now()
    activation = open_activation(activation_id, field="id")
    level = SeverityLevel.objects.filter(pk=level_id).first() if level_id else None
    if level is None:
        raise invalid("level_id", "No such severity level.", Code.NOT_FOUND)
    if level.pk == activation.level_id:
        raise invalid("level_id", "The activation is at this level already.")
    before = activation.level
    activation.level = level
    activation.save(update_fields=["level", "updated_at"])
    record(
        activation,
        EventKind.LEVEL_CHANGED,
        at=now,
        actor=actor,
        level=level,
        text=f"Level {before.code} → {level.code}. {comment}".strip(),
    )
    _owe_report(activation, level)
    notices.level_changed(activation, before)
    return activation


OPEN_TASK_STATUSES = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)


@transaction.atomic
def role_assign(
    *, activation_id, role: str, person_id=None, member_id=None, actor=None, now=None
) -> ActivationRole:
    """Hand a role over to a directory person or a member: the current holder's term ends now,
    the new one's starts, and the role's open tasks go to the new holder."""
    now = now or timezone.now()
    activation = open_activation(activation_id)
    if role not in RoleKind.values:
        raise invalid("role", "Unknown role.")
    person, member = holder(person_id, member_id, field="person_id")
    current = (
        ActivationRole.objects.select_for_update()
        .filter(activation=activation, role=role, ended_at__isnull=True)
        .first()
    )
    if current is not None:
        if (current.person_id, current.member_id) == (
            getattr(person, "pk", None),
            getattr(member, "pk", None),
        ):
            raise invalid("person_id", "They hold the role already.")
        current.ended_at = now
        current.save(update_fields=["ended_at", "updated_at"])
    term = ActivationRole.objects.create(
        activation=activation, role=role, person=person, member=member, started_at=now
    )
    audited_update(
        ActivationTask.objects.filter(
            activation=activation, responsible_role=role, status__in=OPEN_TASK_STATUSES
        ),
        assignee=person,
        assignee_member=member,
        updated_at=now,
    )
    verb = "took over as" if current else "assigned as"
    record(
        activation,
        EventKind.ROLE_ASSIGNED,
        at=now,
        actor=actor,
        person=person,
        member=member,
        text=f"{holder_name(person or member)} {verb} {term.get_role_display()}",
    )
    return term


@transaction.atomic
def activation_transition(*, activation_id, to: str, comment: str = "", actor=None, now=None):
    activation = get_for_update(Activation, activation_id)
    transition(activation, to, actor=actor, comment=comment, now=now)
    return activation


@transaction.atomic
def activation_close(
    *,
    activation_id,
    root_cause: str,
    lessons_learned: str,
    follow_up_actions: str,
    plan_rating: int | None = None,
    estimated_loss=None,
    actor=None,
    now=None,
) -> Activation:
    """Close with the evaluation; the loss is recorded on the linked risks in the register."""
    from apps.risks.services.losses import loss_event_record

    now = now or timezone.now()
    activation = get_for_update(Activation, activation_id)
    texts = {
        "root_cause": root_cause,
        "lessons_learned": lessons_learned,
        "follow_up_actions": follow_up_actions,
    }
    for field, text in texts.items():
        if not (text or "").strip():
            raise invalid(
                field,
                "Closing needs this (root cause, lessons, follow-up actions).",
                Code.INCOMPLETE,
            )
    if plan_rating is not None and not 1 <= plan_rating <= 5:
        raise invalid("plan_rating", "From 1 (badly) to 5 (well).")
    changes: dict[str, Any] = {k: v.strip() for k, v in texts.items()}
    changes["plan_rating"] = plan_rating
    if estimated_loss is not None:
        changes["estimated_loss"] = _money(estimated_loss, "estimated_loss")
    transition(
        activation, S.CLOSED, actor=actor, now=now, internal=True, changes=changes, field=None
    )
    record(activation, EventKind.CLOSED, at=now, actor=actor, text=changes["root_cause"][:1000])
    if activation.risk_ids:
        loss_event_record(
            risk_ids=activation.risk_ids,
            occurred_at=activation.detected_at,
            amount=activation.estimated_loss,
            currency=activation.currency,
            description=f"{activation.title}: {changes['root_cause']}",
            source="emergency",
            reference=str(activation.pk),
            actor=_user(actor),
        )
    notices.closed(activation)
    return activation
