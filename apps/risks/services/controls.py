"""Controls, their links to risks, and treatment actions."""

from django.db import transaction
from django.utils import timezone

from apps.core.lifecycle import Change, Lifecycle, transition
from apps.risks.errors import RiskErrorCode as Code
from apps.risks.models import (
    ActionStatus,
    Control,
    ControlEffectiveness,
    ControlKind,
    ControlType,
    Risk,
    TreatmentAction,
)
from apps.risks.services.common import check_person, get_for_update, invalid

CONTROL_FIELDS = [
    "name",
    "description",
    "control_type",
    "kind",
    "owner_id",
    "frequency",
    "last_tested_at",
    "effectiveness",
]
ACTION_FIELDS = ["title", "description", "owner_id", "due_date", "control_id"]


def _completion(change: Change) -> list[str]:
    change.obj.completed_at = change.now if change.to == ActionStatus.DONE else None
    return ["completed_at"]


ACTION_LIFECYCLE = Lifecycle(
    model=TreatmentAction,
    statuses=ActionStatus,
    table={
        ActionStatus.PLANNED: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED},
        ActionStatus.IN_PROGRESS: {
            ActionStatus.PLANNED,
            ActionStatus.DONE,
            ActionStatus.CANCELLED,
        },
        ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
        ActionStatus.CANCELLED: {ActionStatus.PLANNED},
    },
    refusal_code=Code.INVALID_TRANSITION,
    field="status",  # actionUpdate names the target `status`
    noun="action",
    on_enter={status: _completion for status in ActionStatus.values},
)


def _check_control(fields: dict, control: Control) -> None:
    if "name" in fields and not (fields["name"] or "").strip():
        raise invalid("name", "A control needs a name.")
    for field, choices in (
        ("control_type", ControlType),
        ("kind", ControlKind),
        ("effectiveness", ControlEffectiveness),
    ):
        if field in fields and fields[field] not in choices.values:
            raise invalid(field, f"Unknown {field.replace('_', ' ')}.")
    if "owner_id" in fields:
        check_person(fields["owner_id"], field="owner_id", current=control.owner_id)


def control_create(*, risk_ids: list | None = None, **fields) -> Control:
    return control_save(control_id=None, risk_ids=risk_ids, **fields)


def control_update(*, control_id, risk_ids: list | None = None, **fields) -> Control:
    """Change the fields given (an omitted one is unchanged; `risk_ids` replaces the links)."""
    if control_id is None:
        raise invalid("control_id", "No such control.", Code.NOT_FOUND)
    return control_save(control_id=control_id, risk_ids=risk_ids, **fields)


@transaction.atomic
def control_archive(*, control_id, actor=None) -> Control:
    """Out of the lists and of residual proposals; links and history are kept."""
    control = get_for_update(Control, control_id)
    if control.archived_at is not None:
        raise invalid("control_id", "This control is already archived.", Code.INVALID_TRANSITION)
    control.archived_at = timezone.now()
    control.save(update_fields=["archived_at", "updated_at"])
    return control


@transaction.atomic
def control_save(*, control_id=None, risk_ids: list | None = None, **fields) -> Control:
    """Create (no id) or change the fields given: the admin's and the two mutations' write."""
    unknown = set(fields) - set(CONTROL_FIELDS)
    if unknown:
        raise TypeError(f"control_save() got unexpected fields {sorted(unknown)}")
    control = get_for_update(Control, control_id) if control_id else Control()
    _check_control(fields, control)
    if "effectiveness" in fields and fields["effectiveness"] != control.effectiveness:
        control.effectiveness_changed_at = timezone.now()
    for field, value in fields.items():
        setattr(control, field, value)
    control.full_clean(exclude=["owner"])
    control.save()
    if risk_ids is not None:
        risks = list(Risk.objects.filter(pk__in=risk_ids))
        if len(risks) != len(set(map(str, risk_ids))):
            raise invalid("risk_ids", "Some risks do not exist.", Code.NOT_FOUND)
        control.risks.set(risks)
    return control


def action_create(*, risk_id, title: str, **fields) -> TreatmentAction:
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"action_create() got unexpected fields {sorted(unknown)}")
    if not Risk.objects.filter(pk=risk_id).exists():
        raise invalid("risk_id", "No such risk.", Code.NOT_FOUND)
    return _save_action(TreatmentAction(risk_id=risk_id), {"title": title, **fields})


@transaction.atomic
def action_update(*, action_id, status: str | None = None, **fields) -> TreatmentAction:
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"action_update() got unexpected fields {sorted(unknown)}")
    action = get_for_update(TreatmentAction, action_id)
    if status is None or status == action.status:
        return _save_action(action, fields)
    _save_action(action, fields, save=False)
    transition(action, status, save_all=True)  # one save, one audit entry, for both
    return action


def _save_action(action: TreatmentAction, fields: dict, *, save: bool = True) -> TreatmentAction:
    if "title" in fields and not (fields["title"] or "").strip():
        raise invalid("title", "An action needs a title.")
    if "owner_id" in fields:
        check_person(fields["owner_id"], field="owner_id", current=action.owner_id)
    if fields.get("control_id") and not Control.objects.filter(pk=fields["control_id"]).exists():
        raise invalid("control_id", "No such control.", Code.NOT_FOUND)
    for field, value in fields.items():
        setattr(action, field, value)
    action.full_clean(exclude=["owner"])
    if save:
        action.save()
    return action
