from datetime import date
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst
from apps.people.models import Person
from apps.risks.graphql.enums import (
    ActionStatusEnum,
    ControlEffectivenessEnum,
    ControlKindEnum,
    ControlTypeEnum,
)
from apps.risks.graphql.mutations.common import Errors, actor, given, run
from apps.risks.graphql.types import ControlType, TreatmentActionType
from apps.risks.models import Control, Risk, TreatmentAction
from apps.risks.services import controls

UNSET = strawberry.UNSET
CLEARS = "Omit: unchanged; null: cleared."
REQUIRED = "Omit: unchanged; null is refused (it is required)."


@strawberry.input(description="A new control.")
class ControlCreateInput:
    name: str = strawberry.field(description="Its name.")
    control_type: ControlTypeEnum = strawberry.field(description="Preventive, detective, ….")
    kind: ControlKindEnum = strawberry.field(description="The form it takes.")
    description: str = strawberry.field(default="", description="What it does.")
    owner: relay.GlobalID | None = strawberry.field(
        default=None, description="A Person of the directory (active)."
    )
    frequency: str = strawberry.field(default="", description="How often it runs, in words.")
    last_tested_at: date | None = strawberry.field(default=None, description="Last test date.")
    effectiveness: ControlEffectivenessEnum = strawberry.field(
        default=ControlEffectivenessEnum.NOT_ASSESSED,
        description="The last test's verdict.",
    )
    risks: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Risk ids it mitigates."
    )


@strawberry.input(description="Changes to a control: an omitted field is unchanged.")
class ControlUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The control.")
    name: str | None = strawberry.field(default=UNSET, description=REQUIRED)
    description: str | None = strawberry.field(default=UNSET, description=CLEARS)
    control_type: ControlTypeEnum | None = strawberry.field(default=UNSET, description=REQUIRED)
    kind: ControlKindEnum | None = strawberry.field(default=UNSET, description=REQUIRED)
    owner: relay.GlobalID | None = strawberry.field(
        default=UNSET, description="A Person (active when newly named). " + CLEARS
    )
    frequency: str | None = strawberry.field(default=UNSET, description=CLEARS)
    last_tested_at: date | None = strawberry.field(default=UNSET, description=CLEARS)
    effectiveness: ControlEffectivenessEnum | None = strawberry.field(
        default=UNSET, description="Omit: unchanged; null: back to NOT_ASSESSED."
    )
    risks: list[relay.GlobalID] | None = strawberry.field(
        default=UNSET, description="Replaces the links; null or []: no links."
    )


@strawberry.input(description="The control to archive.")
class ControlArchiveInput:
    id: relay.GlobalID = strawberry.field(description="The control.")


@strawberry.type(description="The control written, or why not.")
class ControlPayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    control: ControlType | None = strawberry.field(default=None, description="The control.")


@strawberry.input(description="A new treatment action of a risk.")
class ActionCreateInput:
    risk: relay.GlobalID = strawberry.field(description="The risk it treats.")
    title: str = strawberry.field(description="What is to be done.")
    description: str = strawberry.field(default="", description="Details.")
    owner: relay.GlobalID | None = strawberry.field(
        default=None, description="A Person of the directory (active)."
    )
    due_date: date | None = strawberry.field(default=None, description="When it is due.")
    control: relay.GlobalID | None = strawberry.field(
        default=None, description="The control it builds."
    )


@strawberry.input(description="Changes to an action: an omitted field is unchanged.")
class ActionUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The action.")
    title: str | None = strawberry.field(default=UNSET, description=REQUIRED)
    description: str | None = strawberry.field(default=UNSET, description=CLEARS)
    owner: relay.GlobalID | None = strawberry.field(
        default=UNSET, description="A Person (active when newly named). " + CLEARS
    )
    due_date: date | None = strawberry.field(default=UNSET, description=CLEARS)
    status: ActionStatusEnum | None = strawberry.field(
        default=UNSET, description="Move it (allowedTransitions lists where); omit: unchanged."
    )


@strawberry.type(description="The action written, or why not.")
class ActionPayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    action: TreatmentActionType | None = strawberry.field(default=None, description="The action.")


def _value(value):
    return value.value if isinstance(value, Enum) else value


def _control_fields(input, *, update: bool) -> dict:
    """Input → service keywords: only what was sent; null on an optional text clears it."""
    fields = given(
        name=input.name,
        description=input.description,
        frequency=input.frequency,
        last_tested_at=input.last_tested_at,
        control_type=input.control_type,
        kind=input.kind,
        effectiveness=input.effectiveness,
    )
    for text in ("description", "frequency"):
        if text in fields and fields[text] is None:
            fields[text] = ""
    if update and "effectiveness" in fields and fields["effectiveness"] is None:
        fields["effectiveness"] = ControlEffectivenessEnum.NOT_ASSESSED
    fields = {key: _value(value) for key, value in fields.items()}
    if input.owner is not UNSET:
        fields["owner_id"] = pk_or_nothing(input.owner, "Person", Person)
    return fields


def _risk_ids(gids) -> list | None:
    return None if gids is UNSET else [pk_or_nothing(gid, "Risk", Risk) for gid in gids or []]


@strawberry.type
class ControlMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst], description="Create a control (analyst and above)."
    )
    def control_create(
        self,
        info: Info,
        input: Annotated[ControlCreateInput, strawberry.argument(description="The new control.")],
    ) -> ControlPayload:
        fields = _control_fields(input, update=False)
        return run(
            ControlPayload,
            lambda: {"control": controls.control_create(risk_ids=_risk_ids(input.risks), **fields)},
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Change the fields sent (analyst and above); an omitted field is unchanged, "
        "null clears an optional one.",
    )
    def control_update(
        self,
        info: Info,
        input: Annotated[
            ControlUpdateInput, strawberry.argument(description="The control and its changes.")
        ],
    ) -> ControlPayload:
        fields = _control_fields(input, update=True)
        return run(
            ControlPayload,
            lambda: {
                "control": controls.control_update(
                    control_id=pk_or_nothing(input.id, "Control", Control),
                    risk_ids=_risk_ids(input.risks),
                    **fields,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Archive a control (analyst and above): out of `controls` and of residual "
        "proposals; its links and history stay. Recorded in the audit trail.",
    )
    def control_archive(
        self,
        info: Info,
        input: Annotated[ControlArchiveInput, strawberry.argument(description="The control.")],
    ) -> ControlPayload:
        return run(
            ControlPayload,
            lambda: {
                "control": controls.control_archive(
                    control_id=pk_or_nothing(input.id, "Control", Control), actor=actor(info)
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst], description="Add a treatment action (analyst and above)."
    )
    def action_create(
        self,
        info: Info,
        input: Annotated[ActionCreateInput, strawberry.argument(description="The new action.")],
    ) -> ActionPayload:
        return run(
            ActionPayload,
            lambda: {
                "action": controls.action_create(
                    risk_id=pk_or_nothing(input.risk, "Risk", Risk),
                    title=input.title,
                    description=input.description,
                    due_date=input.due_date,
                    owner_id=pk_or_nothing(input.owner, "Person", Person),
                    control_id=pk_or_nothing(input.control, "Control", Control),
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Change fields or move the action along its status (analyst and above).",
    )
    def action_update(
        self,
        info: Info,
        input: Annotated[
            ActionUpdateInput, strawberry.argument(description="The action and its changes.")
        ],
    ) -> ActionPayload:
        fields = given(title=input.title, description=input.description, due_date=input.due_date)
        if fields.get("description", "") is None:
            fields["description"] = ""
        if input.owner is not UNSET:
            fields["owner_id"] = pk_or_nothing(input.owner, "Person", Person)
        status = input.status.value if input.status is not UNSET and input.status else None
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
