"""The audit trail's shared parts, on top of django-auditlog.

- Who: a request's user comes from auditlog's middleware. Background work names itself with
  `acting_as(system=..., user=..., cid=...)` — `run_job` and the tick do it for every job — so
  an entry a job made says which job (`additional_data["system"]`, `cid` = the job's id).
- Readable values: when an entry is written, a foreign key's id becomes the related object's
  name (a category's "Credit risk (credit)", a user's e-mail), and reverse relations and the
  bookkeeping columns (id, created_at, updated_at) are dropped. `field_changes` renders an
  entry for people: choices as labels, times in UTC, nothing as null.
- Bulk writes that must stay bulk (scans, flags on many risks) use `audited_update`,
  `audited_bulk_create` and `audited_bulk_update`: the same write, plus one entry per changed
  row, inserted in one statement. `QuerySet.update()` on an audited field elsewhere fails
  tests/core/test_audit.py.
"""

import copy
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import ForeignObjectRel
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str

NEVER_RECORDED = {"id", "created_at", "updated_at"}  # the entry has its own pk and timestamp


@dataclass(frozen=True)
class _Acting:
    user: Any = None
    system: str = ""
    cid: str | None = None


_acting: ContextVar[_Acting | None] = ContextVar("fengkong_audit_acting", default=None)


@contextmanager
def acting_as(*, system: str = "", user=None, cid: str | None = None) -> Iterator[None]:
    """Entries written inside are made by `system` (e.g. "system: risks.daily_register job …"),
    on behalf of `user` if one asked for the work. Nests; a request's own user still wins."""
    token = _acting.set(_Acting(user=user, system=system, cid=cid))
    try:
        yield
    finally:
        _acting.reset(token)


def system_of(entry: LogEntry) -> str | None:
    data = entry.additional_data
    return data.get("system") if isinstance(data, dict) else None


def made_by(entry: LogEntry) -> str:
    """The user's e-mail, the system job, or both when a job worked for a user."""
    system = system_of(entry)
    if entry.actor_email and system:
        return f"{entry.actor_email} via {system}"
    return entry.actor_email or system or "unknown"


# --- writing entries ----------------------------------------------------------------------------


def _live_request_context() -> dict | None:
    """auditlog's middleware context while its request runs. Its value outlives the request in
    the thread (it is never reset), its receiver does not: trust it only while connected."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return None
    duid = context.get("signal_duid")
    return context if any(key[0] == duid for key, *_ in pre_save.receivers) else None


def _stamp(entry: LogEntry, *, from_request: bool) -> None:
    acting = _acting.get()
    if from_request and (request := _live_request_context()):
        actor: Any = request.get("actor")  # whatever auditlog's middleware set: a user or None
        if entry.actor_id is None and getattr(actor, "is_authenticated", False):
            entry.actor, entry.actor_email = actor, actor.email
        entry.remote_addr = entry.remote_addr or request.get("remote_addr")
    if acting is None:
        return
    if entry.actor_id is None and acting.user is not None:
        entry.actor, entry.actor_email = acting.user, acting.user.email
    if acting.system:
        extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        entry.additional_data = {**extra, "system": acting.system}
    if acting.cid and not entry.cid:
        entry.cid = acting.cid


# What a model's changes may name: a column, a reverse relation (dropped), or nothing.
AnyField = models.Field | ForeignObjectRel | GenericForeignKey


def _field(model: type[models.Model], name: str) -> AnyField | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_reverse(field: AnyField | None) -> bool:
    return field is not None and bool(field.auto_created) and not field.concrete


def _target(field: models.Field) -> type[models.Model]:
    """The model a foreign key points at (resolved: apps are ready when entries are written)."""
    related = field.related_model
    assert isinstance(related, type), related
    return related


def _tidy(model: type[models.Model], changes_of: Sequence[dict]) -> None:
    """In place: drop what no reader needs, and name the objects foreign keys point at (the
    lookups of all `changes_of` batched per related model)."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for changes in changes_of:
        for name in list(changes):
            field = _field(model, name)
            if name in NEVER_RECORDED or _is_reverse(field):
                del changes[name]
            elif _is_reference(field) and isinstance(changes[name], list | tuple):
                changes[name] = list(changes[name])
                wanted[_target(field)].update(_pk(field, v) for v in changes[name])
    names: dict[type[models.Model], dict[str, str]] = {}
    for related, pks in wanted.items():
        pks.discard(None)
        rows = related._base_manager.filter(pk__in=pks) if pks else []
        names[related] = {str(row.pk): smart_str(row) for row in rows}
    for changes in changes_of:
        for name, values in changes.items():
            field = _field(model, name)
            if _is_reference(field) and isinstance(values, list):
                changes[name] = [_name(field, names[_target(field)], v) for v in values]


def _is_reference(field: AnyField | None) -> TypeGuard[models.Field]:
    return (
        isinstance(field, models.Field)
        and field.concrete
        and bool(field.many_to_one or field.one_to_one)
    )


def _pk(field: models.Field, value: Any) -> Any:
    if value in (None, "None", ""):
        return None
    try:
        return _target(field)._meta.pk.to_python(value)
    except ValidationError:  # already a name (an entry tidied before)
        return None


def _name(field: models.Field, names: dict[str, str], value: Any) -> str | None:
    pk = _pk(field, value)
    if pk is None:
        return None if value in (None, "None", "") else value
    return names.get(str(pk), f"(deleted {_target(field)._meta.verbose_name})")


def _on_entry_saved(sender, instance: LogEntry, **kwargs) -> None:
    if not instance._state.adding:
        return
    _stamp(instance, from_request=True)
    model = instance.content_type.model_class()
    if model is not None and isinstance(instance.changes, dict):
        _tidy(model, [instance.changes])


def connect() -> None:
    """Called once from CoreConfig.ready()."""
    pre_save.connect(_on_entry_saved, sender=LogEntry, dispatch_uid="fengkong.audit.stamp")


def _entry(action: int, old, new, fields: Iterable[str] | None = None) -> LogEntry | None:
    changes = model_instance_diff(
        old,
        new,
        fields_to_check=list(fields) if fields is not None else None,
        use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
    )
    if not changes:
        return None
    obj = new if new is not None else old
    return LogEntry(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None,
        object_repr=smart_str(obj),
        action=action,
        changes={name: list(values) for name, values in changes.items()},
        cid=get_cid(),
    )


def _write(model: type[models.Model], entries: list[LogEntry | None]) -> None:
    written = [e for e in entries if e is not None]
    for entry in written:
        _stamp(entry, from_request=True)
    _tidy(model, [e.changes for e in written])
    LogEntry.objects.bulk_create(written)


def audited_fields(model: type[models.Model]) -> set[str]:
    """Names (and FK attnames) of the fields whose changes the trail records for `model`."""
    if not auditlog.contains(model):
        return set()
    config = auditlog.get_model_fields(model)
    fields = [f for f in model._meta.concrete_fields if f.name not in NEVER_RECORDED]
    if config["include_fields"]:
        fields = [f for f in fields if f.name in config["include_fields"]]
    fields = [f for f in fields if f.name not in config["exclude_fields"]]
    return {f.name for f in fields} | {f.attname for f in fields}


def audited_update(queryset: models.QuerySet, **values) -> int:
    """`queryset.update(**values)`, with an UPDATE entry for each row whose audited values
    change. Plain values only (an F() expression has no "after" to record)."""
    model = queryset.model
    if any(hasattr(v, "resolve_expression") for v in values.values()):
        raise TypeError("audited_update() records values, not expressions.")
    if not set(values) & audited_fields(model):
        return queryset.update(**values)
    with transaction.atomic():
        rows = list(queryset.select_for_update(of=("self",)))
        entries = []
        for old in rows:
            new = copy.copy(old)
            for name, value in values.items():
                setattr(new, name, value)
            entries.append(_entry(LogEntry.Action.UPDATE, old, new, values))
        count = model._base_manager.filter(pk__in=[row.pk for row in rows]).update(**values)
        _write(model, entries)
    return count


def audited_bulk_create(model: type[models.Model], objs: list, **options) -> list:
    """`bulk_create`, with a CREATE entry per object (keys must be known: no ignore_conflicts)."""
    if options.get("ignore_conflicts") or options.get("update_conflicts"):
        raise TypeError("audited_bulk_create() needs to know which rows it made.")
    made = model._default_manager.bulk_create(objs, **options)
    if auditlog.contains(model):
        _write(model, [_entry(LogEntry.Action.CREATE, None, obj) for obj in made])
    return made


def audited_bulk_update(model: type[models.Model], objs: list, fields: list[str], **options) -> int:
    """`bulk_update`, with an UPDATE entry per object whose audited fields change (their stored
    values are read first, in one query, only when an audited field is among `fields`)."""
    audited = [f for f in fields if f in audited_fields(model)]
    if not audited or not objs:
        return model._default_manager.bulk_update(objs, fields, **options) if objs else 0
    old = model._base_manager.only(*audited).in_bulk([obj.pk for obj in objs])
    entries = [
        _entry(LogEntry.Action.UPDATE, old[obj.pk], obj, audited) for obj in objs if obj.pk in old
    ]
    count = model._default_manager.bulk_update(objs, fields, **options)
    _write(model, entries)
    return count


# --- reading entries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str | None
    after: str | None


def field_changes(entry: LogEntry) -> list[FieldChange]:
    """The entry's changes as people read them, in the model's field order."""
    model = entry.content_type.model_class()
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    mapping = auditlog.get_model_fields(model)["mapping_fields"] if _registered(model) else {}
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model else {}
    out = []
    for name in sorted(changes, key=lambda n: (order.get(n, len(order)), n)):
        if name in NEVER_RECORDED:
            continue
        values, field = changes[name], _field(model, name) if model else None
        if _is_reverse(field):
            continue  # an entry written before reverse relations were dropped
        label = mapping.get(name) or str(getattr(field, "verbose_name", name))
        before: str | None
        after: str | None
        if isinstance(values, dict) and values.get("type") == "m2m":
            operation = str(values.get("operation"))
            verb = {"add": "added", "delete": "removed"}.get(operation, "changed")
            before, after = None, f"{verb}: {', '.join(values.get('objects') or [])}"
        elif isinstance(values, list | tuple) and len(values) == 2:
            column = field if isinstance(field, models.Field) else None
            before, after = (readable(column, v) for v in values)
        else:
            continue
        if (before or None) != (after or None):  # "" and nothing read the same
            out.append(FieldChange(name, label[:1].upper() + label[1:], before, after))
    return out


def _registered(model) -> bool:
    return model is not None and auditlog.contains(model)


def readable(field: models.Field | None, value: Any) -> str | None:
    """One stored value for people: None for nothing (auditlog's text mode stored "None")."""
    if value is None or value == "None":
        return None
    if field is None:
        return smart_str(value)
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    base_choices = getattr(getattr(field, "base_field", None), "flatchoices", None) or []
    if isinstance(value, list):
        labels = dict(base_choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if choices:
        return None if value == "" else str(choices.get(value, value))
    if isinstance(field, models.BooleanField):
        return "yes" if value in (True, "True", "true") else "no"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(field, models.JSONField):
        return _readable_json(value)
    return smart_str(value)


def _readable_json(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        return ", ".join(f"{key}: {value[key]}" for key in sorted(value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return smart_str(value)


def created_entries(model: type[models.Model], objs: list) -> list[LogEntry]:
    """The CREATE entries `audited_bulk_create` would write for `objs`, unsaved, for rows the
    caller inserts some other way (one set-based statement). Objects with the same audited
    values share one diff and one tidy (a scan raises hundreds of signals that differ only in
    severity), so the cost is per distinct value, not per object."""
    if not auditlog.contains(model) or not objs:
        return []
    names = sorted(audited_fields(model))
    diffs: dict[tuple, dict | None] = {}
    entries = []
    for obj in objs:
        key = tuple(str(getattr(obj, name, None)) for name in names)
        if key not in diffs:
            entry = _entry(LogEntry.Action.CREATE, None, obj)
            if entry is not None:
                _tidy(model, [entry.changes])
            diffs[key] = entry.changes if entry is not None else None
        changes = diffs[key]
        if changes is None:
            continue
        entry = LogEntry(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            object_id=obj.pk if isinstance(obj.pk, int) else None,
            object_repr=smart_str(obj),
            action=LogEntry.Action.CREATE,
            changes=copy.deepcopy(changes),
            cid=get_cid(),
        )
        _stamp(entry, from_request=True)
        entries.append(entry)
    return entries
