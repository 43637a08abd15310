"""A draft's content: organisation, steps, triggers, strategies per level, resources and the
communications plan. Each list sent replaces the stored one; refusals name `steps.2.action`."""

from decimal import Decimal, InvalidOperation
from typing import Any

from apps.core.audit import audited_bulk_create
from apps.early_warning.selectors import indicators, rules
from apps.emergency.errors import EmergencyErrorCode as Code
from apps.emergency.models import (
    Audience,
    Channel,
    CommunicationRule,
    LevelStrategy,
    Phase,
    PlanResource,
    PlanRole,
    PlanStep,
    PlanTrigger,
    PlanVersion,
    ResourceKind,
    RoleKind,
    SeverityLevel,
    TriggerKind,
)
from apps.emergency.services.common import holder, invalid
from apps.risks.selectors import category_exists

TEXT_FIELDS = ("objectives", "evaluation_template")
LISTS = ("roles", "steps", "triggers", "strategies", "resources", "communications")
CHILDREN: dict[str, tuple[Any, tuple[str, ...]]] = {
    "roles": (
        PlanRole,
        ("role", "person_id", "member_id", "backup_id", "backup_member_id"),
    ),
    "steps": (
        PlanStep,
        ("position", "phase", "action", "responsible_role", "time_target_minutes", "depends_on"),
    ),
    "triggers": (
        PlanTrigger,
        (
            "kind",
            "indicator_id",
            "category_id",
            "rule_id",
            "severity",
            "level_id",
            "automatic",
            "description",
        ),
    ),
    "strategies": (LevelStrategy, ("level_id", "strategy")),
    "resources": (PlanResource, ("kind", "name", "amount", "currency", "detail")),
    "communications": (CommunicationRule, ("audience", "channel", "template", "deadline_minutes")),
}
SEVERITIES = ("amber", "red")


def write(version: PlanVersion, changes: dict) -> None:
    unknown = set(changes) - {*TEXT_FIELDS, "success_criteria", *LISTS}
    if unknown:
        raise TypeError(f"version_update() got unexpected fields {sorted(unknown)}")
    for name in TEXT_FIELDS:
        if name in changes:
            setattr(version, name, (changes[name] or "").strip())
    if "success_criteria" in changes:
        criteria = [c.strip() for c in changes["success_criteria"] or [] if c and c.strip()]
        if any(len(c) > 300 for c in criteria):
            raise invalid("success_criteria", "A criterion is at most 300 characters.")
        version.success_criteria = criteria
    version.save()
    levels = {str(pk) for pk in SeverityLevel.objects.values_list("pk", flat=True)}
    checks = {
        "roles": _role,
        "steps": _step,
        "triggers": lambda i, item: _trigger(i, item, levels),
        "strategies": lambda i, item: _strategy(i, item, levels),
        "resources": _resource,
        "communications": _communication,
    }
    for name in LISTS:
        if name not in changes:
            continue
        items = [dict(item) for item in changes[name] or []]
        for index, item in enumerate(items):
            checks[name](index, item)
        _unique(name, items)
        model, fields = CHILDREN[name]
        model._default_manager.filter(version=version).delete()
        audited_bulk_create(
            model,
            [model(version=version, **{f: item[f] for f in fields if f in item}) for item in items],
        )


def copy(source: PlanVersion, draft: PlanVersion) -> None:
    for model, fields in CHILDREN.values():
        audited_bulk_create(
            model,
            [
                model(version=draft, **{f: getattr(row, f) for f in fields})
                for row in model._default_manager.filter(version=source)
            ],
        )


def _choice(name: str, index: int, item: dict, key: str, choices) -> None:
    if item.get(key) not in choices.values:
        raise invalid(f"{name}.{index}.{key}", f"Unknown {key.replace('_', ' ')}.")


def _role(index: int, item: dict) -> None:
    """A role's holder and backup: each a directory person (`person_id`, `backup_id`) or a
    member (`member_id`, `backup_member_id`), a member with a directory entry kept as it."""
    _choice("roles", index, item, "role", RoleKind)
    person, member = holder(
        item.get("person_id"), item.get("member_id"), field=f"roles.{index}.person_id"
    )
    backup, backup_member = holder(
        item.get("backup_id"),
        item.get("backup_member_id"),
        field=f"roles.{index}.backup_id",
        required=False,
    )
    if (backup or backup_member) is not None and (backup or backup_member) == (person or member):
        raise invalid(f"roles.{index}.backup_id", "The backup is someone else.")
    item.update(
        person_id=getattr(person, "pk", None),
        member_id=getattr(member, "pk", None),
        backup_id=getattr(backup, "pk", None),
        backup_member_id=getattr(backup_member, "pk", None),
    )


def _step(index: int, item: dict) -> None:
    item["position"] = index + 1
    _choice("steps", index, item, "phase", Phase)
    _choice("steps", index, item, "responsible_role", RoleKind)
    item["action"] = (item.get("action") or "").strip()
    if not item["action"] or len(item["action"]) > 300:
        raise invalid(f"steps.{index}.action", "A step needs an action (at most 300 characters).")
    minutes = item.get("time_target_minutes")
    if minutes is None or not 0 <= minutes <= 60 * 24 * 90:
        raise invalid(f"steps.{index}.time_target_minutes", "Between 0 and 129600 minutes.")
    depends = list(dict.fromkeys(item.get("depends_on") or []))
    if any(not 1 <= d <= index for d in depends):
        raise invalid(f"steps.{index}.depends_on", "A step depends only on earlier steps (1…n).")
    item["depends_on"] = depends


def _trigger(index: int, item: dict, levels: set[str]) -> None:
    field = f"triggers.{index}"
    _choice("triggers", index, item, "kind", TriggerKind)
    kind = item["kind"]
    source = {"indicator": "indicator_id", "category": "category_id", "rule": "rule_id"}.get(kind)
    for key in ("indicator_id", "category_id", "rule_id"):
        if key != source:
            item[key] = None
    if source and item.get(source) is None:
        raise invalid(f"{field}.{source}", f"A {kind} trigger names its {kind}.")
    exists = {
        "indicator_id": lambda pk: indicators().filter(pk=pk).exists(),
        "category_id": category_exists,
        "rule_id": lambda pk: rules().filter(pk=pk).exists(),
    }
    if source and not exists[source](item[source]):
        raise invalid(f"{field}.{source}", f"No such {kind}.", Code.NOT_FOUND)
    item["severity"] = item.get("severity") or "red"
    if item["severity"] not in SEVERITIES:
        raise invalid(f"{field}.severity", "amber or red.")
    if str(item.get("level_id")) not in levels:
        raise invalid(f"{field}.level_id", "No such severity level.", Code.NOT_FOUND)
    item["automatic"] = bool(item.get("automatic"))
    if item["automatic"] and (kind == TriggerKind.MANUAL or item["severity"] != "red"):
        raise invalid(
            f"{field}.automatic",
            "Only a red indicator, category or rule trigger activates a plan automatically.",
        )
    item["description"] = (item.get("description") or "").strip()[:300]


def _strategy(index: int, item: dict, levels: set[str]) -> None:
    if str(item.get("level_id")) not in levels:
        raise invalid(f"strategies.{index}.level_id", "No such severity level.", Code.NOT_FOUND)
    item["strategy"] = (item.get("strategy") or "").strip()
    if not item["strategy"]:
        raise invalid(f"strategies.{index}.strategy", "Say what the response is at this level.")


def _resource(index: int, item: dict) -> None:
    _choice("resources", index, item, "kind", ResourceKind)
    item["name"] = (item.get("name") or "").strip()
    if not item["name"] or len(item["name"]) > 200:
        raise invalid(f"resources.{index}.name", "A resource needs a name (at most 200).")
    item["detail"] = (item.get("detail") or "").strip()
    if len(item["detail"]) > 500:
        raise invalid(f"resources.{index}.detail", "At most 500 characters.")
    amount = item.get("amount")
    if amount is not None:
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or abs(amount) >= 10**16:
            raise invalid(f"resources.{index}.amount", "A non-negative amount below 10^16.")
        item["amount"] = amount.quantize(Decimal("0.01"))
    item["currency"] = (item.get("currency") or "CNY").strip().upper()
    if len(item["currency"]) != 3 or not item["currency"].isalpha():
        raise invalid(f"resources.{index}.currency", "A three-letter currency code (ISO 4217).")


def _communication(index: int, item: dict) -> None:
    _choice("communications", index, item, "audience", Audience)
    _choice("communications", index, item, "channel", Channel)
    minutes = item.get("deadline_minutes")
    if minutes is not None and not 0 <= minutes <= 60 * 24 * 90:
        raise invalid(f"communications.{index}.deadline_minutes", "Between 0 and 129600.")


def _unique(name: str, items: list[dict]) -> None:
    key = {"roles": "role", "strategies": "level_id"}.get(name)
    if key is None:
        return
    seen = set()
    for index, item in enumerate(items):
        if str(item[key]) in seen:
            raise invalid(f"{name}.{index}.{key}", f"Listed twice ({key.removesuffix('_id')}).")
        seen.add(str(item[key]))
