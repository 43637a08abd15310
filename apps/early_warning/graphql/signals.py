"""Work on signals ("my work"): move one or many along their lifecycle, assign, comment."""

from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.accounts.models import User
from apps.core.graphql.errors import errors_from_validation
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst
from apps.core.graphql.resolvers import run_service
from apps.early_warning import models as m
from apps.early_warning.graphql.errors import WarningError, WarningErrorCode
from apps.early_warning.graphql.types import (
    SignalCommentType,
    SignalStatusEnum,
    WarningSignalType,
)
from apps.early_warning.services import signals

Errors = list[WarningError]  # type: ignore[valid-type]
MOVES = "Analysts and up. Emits warnings.signal_acknowledged, warnings.signal_escalated, " + (
    "warnings.signal_resolved or warnings.signal_dismissed (webhooks; the responsible members "
    "are mailed of escalations and resolutions)."
)


def _run(payload, call, *, input=None, fields=None):
    return run_service(payload, WarningError, WarningErrorCode, call, input=input, fields=fields)


def _signal_pk(gid: relay.GlobalID):
    return pk_or_nothing(gid, "WarningSignal", m.WarningSignal)


@strawberry.input(description="Move one signal to another status.")
class SignalTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The WarningSignal.")
    to: SignalStatusEnum = strawberry.field(description="The status it moves to.")
    comment: str = strawberry.field(
        default="", description="Why; required to dismiss. Added to the thread."
    )


@strawberry.type(description="The signal as it is now, or why not.")
class SignalPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    signal: WarningSignalType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="Move many signals to one status, each on its own.")
class WarningSignalsTransitionInput:
    ids: list[relay.GlobalID] = strawberry.field(
        description=f"WarningSignal ids, at most {signals.MAX_BULK}."
    )
    to: SignalStatusEnum = strawberry.field(description="The status they move to.")
    comment: str = strawberry.field(
        default="", description="Why; required to dismiss. Added to each thread."
    )


@strawberry.type(
    name="SignalTransitionResult", description="What became of one signal of a bulk transition."
)
class SignalTransitionResult:
    id: relay.GlobalID = strawberry.field(description="The id as it was sent.")
    signal: WarningSignalType | None = strawberry.field(
        description="The signal as moved; null when it was not."
    )
    errors: Errors = strawberry.field(
        description="Why this one was not moved (NOT_FOUND, INVALID_TRANSITION, …); empty: moved."
    )


@strawberry.type(description="Each signal's outcome, in the order of the ids.")
class WarningSignalsTransitionPayload:
    errors: Errors = strawberry.field(
        description="Problems of the whole input (no ids, too many); then nothing was moved."
    )
    results: list[SignalTransitionResult] = strawberry.field(
        default_factory=list, description="One per id sent, in order."
    )
    moved: int = strawberry.field(default=0, description="How many were moved.")


@strawberry.input(description="Give a signal to a member, or to nobody.")
class SignalAssignInput:
    id: relay.GlobalID = strawberry.field(description="The WarningSignal.")
    assignee: relay.GlobalID | None = strawberry.field(
        description="A User who is a member here; null: unassign."
    )


@strawberry.input(description="A comment for a signal's thread.")
class SignalCommentCreateInput:
    signal: relay.GlobalID = strawberry.field(description="The WarningSignal.")
    body: str = strawberry.field(description="The comment (not empty).")


@strawberry.type(description="The comment added, or why not.")
class SignalCommentCreatePayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    comment: SignalCommentType | None = strawberry.field(default=None, description="As saved.")


def _result(outcome: signals.BulkOutcome, gid: relay.GlobalID, n: int) -> SignalTransitionResult:
    errors: list[Any] = (
        errors_from_validation(
            outcome.error,
            WarningError,
            WarningErrorCode,
            input_type=WarningSignalsTransitionInput,
            renames={"id": f"ids.{n}", "status": "to"},
        )
        if outcome.error is not None
        else []
    )
    return SignalTransitionResult(id=gid, signal=outcome.signal, errors=errors)  # type: ignore[arg-type]


@strawberry.type
class SignalMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description=f"Acknowledge, escalate, resolve or dismiss one signal. {MOVES}",
    )
    def signal_transition(
        self,
        info: Info,
        input: Annotated[
            SignalTransitionInput, strawberry.argument(description="The signal and where it moves.")
        ],
    ) -> SignalPayload:
        return _run(
            SignalPayload,
            lambda: {
                "signal": signals.signal_transition(
                    signal_id=_signal_pk(input.id),
                    to=input.to.value,
                    actor=info.context.request.user,
                    comment=input.comment,
                )
            },
            input=input,
            fields={"status": "to"},
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Move many signals at once: each is moved or refused on its own (its "
        f"`results` entry says which). {MOVES}",
    )
    def warning_signals_transition(
        self,
        info: Info,
        input: Annotated[
            WarningSignalsTransitionInput,
            strawberry.argument(description="The signals and where they move."),
        ],
    ) -> WarningSignalsTransitionPayload:
        gids = list(input.ids)

        def call() -> dict:
            outcomes = signals.signals_transition(
                signal_ids=[_signal_pk(gid) for gid in gids],
                to=input.to.value,
                actor=info.context.request.user,
                comment=input.comment,
            )
            results = [
                _result(o, gid, n) for n, (o, gid) in enumerate(zip(outcomes, gids, strict=True))
            ]
            return {"results": results, "moved": sum(1 for o in outcomes if o.error is None)}

        return _run(WarningSignalsTransitionPayload, call, input=input)

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Assign a signal to a member of this tenant, or unassign it. Analysts and "
        "up; audited; no event.",
    )
    def signal_assign(
        self,
        info: Info,
        input: Annotated[
            SignalAssignInput, strawberry.argument(description="The signal and its new assignee.")
        ],
    ) -> SignalPayload:
        assignee = None if input.assignee is None else pk_or_nothing(input.assignee, "User", User)
        return _run(
            SignalPayload,
            lambda: {
                "signal": signals.signal_assign(
                    signal_id=_signal_pk(input.id),
                    assignee_id=assignee,
                    actor=info.context.request.user,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Add a comment to a signal's thread (append-only). Analysts and up; no event.",
    )
    def signal_comment_create(
        self,
        info: Info,
        input: Annotated[
            SignalCommentCreateInput, strawberry.argument(description="The signal and the comment.")
        ],
    ) -> SignalCommentCreatePayload:
        return _run(
            SignalCommentCreatePayload,
            lambda: {
                "comment": signals.signal_comment_add(
                    signal_id=_signal_pk(input.signal),
                    body=input.body,
                    actor=info.context.request.user,
                )
            },
            input=input,
            fields={"id": "signal"},
        )
