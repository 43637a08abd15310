from datetime import date

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst
from apps.risks.graphql.mutations.common import Errors, given, run
from apps.risks.graphql.types import (
    ActionStatusEnum,
    ControlEffectivenessEnum,
    ControlKindEnum,
    ControlType,
    ControlTypeEnum,
    TreatmentActionType,
)
from apps.risks.models import Control, Risk, TreatmentAction
from apps.risks.services import controls

UNSET = strawberry.UNSET


@strawberry.input
class ControlSaveInput:
    id: relay.GlobalID | None = strawberry.field(default=None, description="Omit to create.")
    name: str | None = UNSET
    description: str | None = UNSET
    control_type: ControlTypeEnum | None = UNSET
    kind: ControlKindEnum | None = UNSET
    owner: relay.GlobalID | None = UNSET
    frequency: str | None = UNSET
    last_tested_at: date | None = UNSET
    effectiveness: ControlEffectivenessEnum | None = UNSET
    risks: list[relay.GlobalID] | None = strawberry.field(
        default=UNSET, description="Replaces the links."
    )


@strawberry.type
class ControlPayload:
    errors: Errors
    control: ControlType | None = None


@strawberry.input
class ActionCreateInput:
    risk: relay.GlobalID
    title: str
    description: str = ""
    owner: relay.GlobalID | None = None
    due_date: date | None = None
    control: relay.GlobalID | None = None


@strawberry.input
class ActionUpdateInput:
    id: relay.GlobalID
    title: str | None = UNSET
    description: str | None = UNSET
    owner: relay.GlobalID | None = UNSET
    due_date: date | None = UNSET
    status: ActionStatusEnum | None = UNSET


@strawberry.type
class ActionPayload:
    errors: Errors
    action: TreatmentActionType | None = None


def _enum_value(value):
    return value.value if value is not None and value is not UNSET else value


@strawberry.type
class ControlMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst], description="Create a control, or change the fields sent."
    )
    def control_save(self, info: Info, input: ControlSaveInput) -> ControlPayload:
        fields = given(
            name=input.name,
            description=input.description,
            frequency=input.frequency,
            last_tested_at=input.last_tested_at,
            control_type=_enum_value(input.control_type),
            kind=_enum_value(input.kind),
            effectiveness=_enum_value(input.effectiveness),
        )
        if input.owner is not UNSET:
            fields["owner_id"] = pk_or_nothing(input.owner, "User", User)
        risk_ids = (
            None
            if input.risks is UNSET
            else [pk_or_nothing(gid, "Risk", Risk) for gid in input.risks or []]
        )
        control_id = pk_or_nothing(input.id, "Control", Control)
        return run(
            ControlPayload,
            lambda: {
                "control": controls.control_save(control_id=control_id, risk_ids=risk_ids, **fields)
            },
            input=input,
        )

    @strawberry.mutation(permission_classes=[IsAnalyst])
    def action_create(self, info: Info, input: ActionCreateInput) -> ActionPayload:
        return run(
            ActionPayload,
            lambda: {
                "action": controls.action_create(
                    risk_id=pk_or_nothing(input.risk, "Risk", Risk),
                    title=input.title,
                    description=input.description,
                    due_date=input.due_date,
                    owner_id=pk_or_nothing(input.owner, "User", User),
                    control_id=pk_or_nothing(input.control, "Control", Control),
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Change fields or move the action along its status.",
    )
    def action_update(self, info: Info, input: ActionUpdateInput) -> ActionPayload:
        fields = given(title=input.title, description=input.description, due_date=input.due_date)
        if input.owner is not UNSET:
            fields["owner_id"] = pk_or_nothing(input.owner, "User", User)
        status = _enum_value(input.status) if input.status is not UNSET else None
        return run(
            ActionPayload,
            lambda: {
                "action": controls.action_update(
                    action_id=pk_or_nothing(input.id, "TreatmentAction", TreatmentAction),
                    status=status,
                    **fields,
                )
            },
            input=input,
        )
