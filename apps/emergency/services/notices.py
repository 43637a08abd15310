"""Webhook events and notifications of the emergency module (the notification service)."""

from apps.emergency.models import Activation, ActivationRole, ActivationTask, Drill, Plan, RoleKind
from apps.notifications.services import notify, publish


def _activation(activation: Activation) -> dict:
    return {
        "activation": str(activation.pk),
        "plan": str(activation.plan_id),
        "level": activation.level.code,
        "status": activation.status,
        "signal": str(activation.signal_id) if activation.signal_id else None,
    }


def declared(activation: Activation) -> None:
    publish(
        event="emergency.activation_declared",
        payload=_activation(activation),
        dedup_key=f"emergency.activation_declared:{activation.pk}",
    )


def level_changed(activation: Activation, before) -> None:
    publish(
        event="emergency.level_changed",
        payload={**_activation(activation), "previous_level": before.code},
        dedup_key=f"emergency.level_changed:{activation.pk}:{activation.updated_at.isoformat()}",
    )


def closed(activation: Activation) -> None:
    publish(
        event="emergency.activation_closed",
        payload=_activation(activation),
        dedup_key=f"emergency.activation_closed:{activation.pk}",
    )


def commander_of(activation: Activation):
    """The commander now: a directory Person or a member's User (None if nobody)."""
    term = (
        ActivationRole.objects.select_related("person", "member")
        .filter(activation=activation, role=RoleKind.COMMANDER, ended_at__isnull=True)
        .first()
    )
    return term.holder if term else None


def task_overdue(task: ActivationTask) -> None:
    """The assignee and the commander, once per task (the dedup key makes a re-run a no-op)."""
    activation = task.activation
    users = _users_of([task.assigned_to, commander_of(activation)])
    key = f"emergency.task_overdue:{task.pk}"
    notify(
        recipients=users,
        event="emergency.task_overdue",
        subject=f"Overdue: {task.action}"[:200],
        body=f"Task {task.position} of “{activation.title}” was due at "
        f"{task.due_at:%Y-%m-%d %H:%M} UTC and is not done.",
        dedup_key=key,
    )
    publish(
        event="emergency.task_overdue",
        payload={
            **_activation(activation),
            "task": str(task.pk),
            "due_at": task.due_at.isoformat(),
        },
        dedup_key=key,
    )


def drill_missed(drill: Drill) -> None:
    publish(
        event="emergency.drill_missed",
        payload={
            "drill": str(drill.pk),
            "plan": str(drill.plan_id),
            "scheduled_on": drill.scheduled_on.isoformat(),
        },
        dedup_key=f"emergency.drill_missed:{drill.pk}",
    )


def review_due(plan: Plan) -> None:
    key = f"emergency.plan_review_due:{plan.pk}:{plan.review_due_on}"
    publish(
        event="emergency.plan_review_due",
        payload={"plan": str(plan.pk), "review_due_on": str(plan.review_due_on)},
        dedup_key=key,
    )
    notify(
        recipients=_users_of([plan.owned_by]),
        event="emergency.plan_review_due",
        subject=f"Plan review due: {plan.name}"[:200],
        body=f"The plan {plan.code} is due for review on {plan.review_due_on}.",
        dedup_key=key,
    )


def _users_of(holders: list) -> list:
    """The member accounts that reach `holders` (directory people through their linked
    account, members directly), only those still members here, each once."""
    from apps.accounts.selectors import members_here

    ids = []
    for h in holders:
        if h is None:
            continue
        user_id = getattr(h, "user_id", None) if hasattr(h, "employee_number") else h.pk
        if user_id is not None:
            ids.append(user_id)
    members = members_here(ids) if ids else {}
    return [members[i] for i in dict.fromkeys(ids) if i in members]
