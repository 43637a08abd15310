"""Status machines: one declaration per machine, one function that moves an object along it.

A module declares its machine once, next to its services:

    RISK_LIFECYCLE = Lifecycle(
        model=Risk,
        statuses=RiskStatus,
        table={RiskStatus.DRAFT: {RiskStatus.OPEN, RiskStatus.CLOSED}, ...},
        refusal_code=RiskErrorCode.INVALID_TRANSITION,
        internal={RiskStatus.ACCEPTED},            # reached only through an approved acceptance
        guards={...}, on_enter={...}, on_leave={...},
    )

and every status change is `transition(obj, to, ...)` on a locked instance: the table is
checked (a refusal is the app's typed error, code INVALID_TRANSITION, on the input field that
named the target), guards may refuse too, hooks set the fields that go with the status, the
instance is saved (auditlog records the status before and after, with the actor), and the
caller's event callback runs once, and live subscribers hear of it after commit
(`live_topic`, apps.core.live). Core imports no domain app: apps pass their codes and
callbacks in. Nothing else assigns `.status` (tests/core/test_lifecycle.py checks it).
"""

from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from apps.core import audit, live
from apps.core.validation import refusal


@dataclass(frozen=True)
class Change:
    """One requested move, as guards, hooks and event callbacks see it."""

    obj: Any
    before: str
    to: str
    actor: Any = None
    comment: str = ""
    now: datetime = None  # type: ignore[assignment]
    context: Mapping[str, Any] = dataclass_field(default_factory=dict)


# A guard refuses by returning a message (an INVALID_TRANSITION on the target's field) or by
# raising its own refusal (another field or code, e.g. "comment" for a missing reason).
Guard = Callable[[Change], str | None]
# A hook sets the fields that go with a status and returns their names (they are saved too).
Hook = Callable[[Change], Iterable[str] | None]

_BY_MODEL: dict[type, "Lifecycle"] = {}


@dataclass(frozen=True)
class Lifecycle:
    model: type[models.Model]
    statuses: type[models.TextChoices]
    table: Mapping[str, Iterable[str]]
    refusal_code: Enum
    field: str | None = "to"  # the GraphQL input's name for the target status (None: whole call)
    noun: str = ""  # "risk" in "A draft risk cannot become accepted."
    internal: Iterable[str] = ()  # targets only the module's own services reach (internal=True)
    internal_message: str = ""  # the refusal when someone else asks for an internal target
    guards: Mapping[str, Guard] = dataclass_field(default_factory=dict)  # by target status
    on_enter: Mapping[str, Hook] = dataclass_field(default_factory=dict)  # by target status
    on_leave: Mapping[str, Hook] = dataclass_field(default_factory=dict)  # by status left
    status_field: str = "status"

    def __post_init__(self) -> None:
        values = set(self.statuses.values)
        table = {str(k): frozenset(map(str, v)) for k, v in self.table.items()}
        if set(table) != values:
            raise ValueError(f"{self.model.__name__}: the table must list every status as a key")
        named = set().union(*table.values(), self.internal, self.guards, self.on_enter)
        if not named <= values or not set(self.on_leave) <= values:
            raise ValueError(f"{self.model.__name__}: unknown statuses in the lifecycle")
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "internal", frozenset(map(str, self.internal)))
        if not self.noun:
            object.__setattr__(self, "noun", str(self.model._meta.verbose_name))
        _BY_MODEL[self.model] = self

    def allows(self, before: str, to: str, *, internal: bool = False) -> bool:
        return to in self.table.get(before, ()) and (internal or to not in self.internal)

    def targets(self, before: str) -> list[str]:
        """Where a caller (a person, not the module's own services) may move it, in the
        statuses' declared order."""
        return [s for s in self.statuses.values if self.allows(before, s)]


def lifecycle_of(obj_or_model) -> Lifecycle:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    try:
        return _BY_MODEL[model]
    except KeyError:
        raise LookupError(f"{model.__name__} declares no Lifecycle") from None


def allowed_transitions(obj) -> list[str]:
    """The statuses `obj` may be moved to by hand now (for a capability field)."""
    lifecycle = lifecycle_of(obj)
    return lifecycle.targets(getattr(obj, lifecycle.status_field))


def transition(
    obj,
    to: str,
    *,
    actor=None,
    comment: str = "",
    now: datetime | None = None,
    event: Callable[[Change], None] | None = None,
    field: str | None | type[Ellipsis] = ...,
    internal: bool = False,
    changes: Mapping[str, Any] | None = None,
    save_all: bool = False,
    context: Mapping[str, Any] | None = None,
) -> Change:
    """Move `obj` (locked by the caller) to `to`, or refuse and change nothing.

    `field` overrides the lifecycle's input name for this call; `internal` lets the module's own
    services reach its internal targets; `changes` are further fields set with the status (after
    the checks); `save_all` saves every field (a caller that changed others on the instance);
    `now` is the caller's clock, passed to every hook; `event(change)` runs once, after saving.
    """
    lifecycle = lifecycle_of(obj)
    before = str(getattr(obj, lifecycle.status_field))
    to = str(to)
    change = Change(
        obj=obj,
        before=before,
        to=to,
        actor=actor,
        comment=comment.strip(),
        now=now or timezone.now(),
        context=context or {},
    )
    target_field = lifecycle.field if field is ... else field
    if not lifecycle.allows(before, to, internal=internal):
        raise _refuse(lifecycle, target_field, _refusal_message(lifecycle, before, to))
    guard = lifecycle.guards.get(to)
    message = guard(change) if guard else None
    if message:
        raise _refuse(lifecycle, target_field, message)
    touched = {lifecycle.status_field, *(changes or {})}
    for hook in (lifecycle.on_leave.get(before), lifecycle.on_enter.get(to)):
        if hook:
            touched.update(hook(change) or ())
    setattr(obj, lifecycle.status_field, to)
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        touched.add("updated_at")
    with _acting_for(actor):
        obj.save(update_fields=None if save_all else sorted(touched))
    # Every status machine's moves reach live subscribers after commit (apps.core.live).
    live.publish(
        live_topic(type(obj)), {"id": str(obj.pk), "kind": "transitioned", "from": before, "to": to}
    )
    if event:
        event(change)
    return change


def live_topic(model: type[models.Model]) -> str:
    """The live topic a model's transitions are published on, e.g. `core.job`."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _refusal_message(lifecycle: Lifecycle, before: str, to: str) -> str:
    if to in lifecycle.internal and to in lifecycle.table.get(before, ()):
        return lifecycle.internal_message or f"A {lifecycle.noun} becomes {to} another way."
    article = "An" if before[:1] in "aeiou" else "A"  # "An open risk", "A closed risk"
    return f"{article} {before} {lifecycle.noun} cannot become {to}."


def _refuse(lifecycle: Lifecycle, field_name: str | None, message: str) -> ValidationError:
    return refusal(field_name, message, lifecycle.refusal_code)


@contextmanager
def _acting_for(actor):
    """The entry names `actor` (a request's own user still wins); a job's label is kept."""
    if actor is None or not getattr(actor, "pk", None):
        yield
        return
    current = audit._acting.get()
    with audit.acting_as(
        system=current.system if current else "", user=actor, cid=current.cid if current else None
    ):
        yield
