"""Every write through a service leaves an append-only trace: who, what, before and after."""

from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts.models import Membership

ENTRIES = """query($type: String) { auditEntries(first: 20, objectType: $type) {
  edges { node { action objectType objectId actorEmail changes } } } }"""


def test_a_role_change_is_audited_with_actor_and_before_after(api, world):
    admin = api("a", "admin")
    viewer = Membership.objects.get(tenant=world.a, user__email="viewer@a.test")
    from strawberry.relay import to_base64

    admin.ok(
        "mutation($id: ID!) { memberRoleChange(input: {id: $id, role: ANALYST}) { errors { code } } }",
        {"id": to_base64("Member", viewer.pk)},
    )
    entries = admin.ok(ENTRIES, {"type": "accounts.membership"})["auditEntries"]["edges"]
    update = next(e["node"] for e in entries if e["node"]["action"] == "UPDATE")
    assert update["objectId"] == str(viewer.pk)
    assert update["actorEmail"] == "admin@a.test"
    assert update["changes"]["role"] == ["viewer", "analyst"]


def test_a_tenants_audit_trail_is_its_own_and_admins_only(api, world):
    api("a", "admin").ok(
        'mutation { apiTokenCreate(input: {name: "audited"}) { errors { code } } }'
    )
    a_entries = api("a", "admin").ok(ENTRIES, {"type": "accounts.apitoken"})["auditEntries"][
        "edges"
    ]
    assert any(e["node"]["changes"].get("name") == [None, "audited"] for e in a_entries)
    b_entries = api("b", "admin").ok(ENTRIES, {"type": "accounts.apitoken"})["auditEntries"][
        "edges"
    ]
    assert all(e["node"]["actorEmail"] != "admin@a.test" for e in b_entries)
    with schema_context(world.b.schema_name):
        from auditlog.models import LogEntry

        assert not LogEntry.objects.filter(actor_email="admin@a.test").exists()


def test_secrets_never_reach_the_audit_trail(api):
    api("a", "admin").ok(
        'mutation { apiTokenCreate(input: {name: "secretive"}) { errors { code } } }'
    )
    entries = api("a", "admin").ok(ENTRIES, {"type": "accounts.apitoken"})["auditEntries"]["edges"]
    assert entries and all("key_hash" not in e["node"]["changes"] for e in entries)


# --- no write hides from the trail --------------------------------------------------------------
# `QuerySet.update()`, `bulk_update()` and `bulk_create()` send no signals: django-auditlog never
# sees them. This walks every module under apps/ and fails on such a call on an audited model
# that touches an audited field (apps.core.audit has the audited replacements). A queryset kept
# in a variable is followed to the model it was built from.

import ast  # noqa: E402
import importlib  # noqa: E402
from pathlib import Path  # noqa: E402

from auditlog.registry import auditlog  # noqa: E402
from django.db.models import Model  # noqa: E402

import apps  # noqa: E402

BULK_WRITES = {"update", "bulk_update", "bulk_create"}


def _audited(model: type[Model]) -> set[str]:
    """Field names (and FK attnames) whose changes django-auditlog records for `model`."""
    if not auditlog.contains(model):
        return set()
    config = auditlog.get_model_fields(model)
    fields = [f for f in model._meta.concrete_fields if not f.many_to_many]
    if config["include_fields"]:
        fields = [f for f in fields if f.name in config["include_fields"]]
    fields = [f for f in fields if f.name not in config["exclude_fields"]]
    return {f.name for f in fields} | {f.attname for f in fields}


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _silent_writes(source: str, module: str | None = None) -> list[str]:
    tree = ast.parse(source)
    module_globals = vars(importlib.import_module(module)) if module else {}
    imported: dict[str, tuple[str, str]] = {}
    assigned: dict[str, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                imported[alias.asname or alias.name] = (node.module, alias.name)
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            assigned[node.targets[0].id] = node.value

    def model_of(name: str, depth: int = 0) -> type[Model] | None:
        found = module_globals.get(name)
        if found is None and name in imported:
            found = getattr(importlib.import_module(imported[name][0]), imported[name][1], None)
        if isinstance(found, type) and issubclass(found, Model):
            return found
        if name in assigned and depth < 5:  # rows = Model.objects.filter(...); rows.update(...)
            root = _root(assigned[name])
            return model_of(root.id, depth + 1) if isinstance(root, ast.Name) else None
        return None

    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in BULK_WRITES
        ):
            continue
        root = _root(node.func)
        model = model_of(root.id) if isinstance(root, ast.Name) else None
        audited = _audited(model) if model else set()
        if not audited:
            continue
        where = f"{module or '<source>'}:{node.lineno} {model.__name__}.{node.func.attr}"
        if node.func.attr == "update":
            names = {k.arg for k in node.keywords}
            if None in names or names & audited:  # **fields may hold anything
                found.append(f"{where}({', '.join(sorted(n or '**' for n in names))})")
        elif node.func.attr == "bulk_update":
            fields = node.args[1] if len(node.args) > 1 else None
            fields = fields or next((k.value for k in node.keywords if k.arg == "fields"), None)
            literal = isinstance(fields, ast.List | ast.Tuple) and all(
                isinstance(e, ast.Constant) for e in fields.elts
            )
            if not literal or {e.value for e in fields.elts} & audited:
                found.append(where)
        else:
            found.append(where)
    return found


def test_no_module_writes_an_audited_field_behind_the_trails_back():
    root = Path(apps.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(("apps", *path.relative_to(root).with_suffix("").parts))
        found += _silent_writes(path.read_text(), module.removesuffix(".__init__"))
    assert found == []


def test_the_check_catches_silent_writes_and_lets_bookkeeping_pass():
    source = """
from apps.risks.models import Risk, RiskCategory
from apps.early_warning.models import Indicator, WarningSignal
from apps.core.models import Job

def work(pk, changes, signals):
    Risk.objects.filter(pk=pk).update(review_flag="x")
    rows = Risk.objects.filter(pk=pk).exclude(status="closed")
    rows.update(owner_id=1)
    Risk.objects.filter(pk=pk).update(**changes)
    WarningSignal.objects.bulk_update(signals, ["severity", "green_streak"])
    RiskCategory.objects.bulk_create([])
    Indicator.objects.filter(pk=pk).update(last_scanned_at=None)
    WarningSignal.objects.bulk_update(signals, ["green_streak", "occurrences"])
    Job.objects.filter(pk=pk).update(progress=3)
    changes.update({"a": 1})
"""
    found = _silent_writes(source)
    assert [line.split(" ", 1)[1] for line in found] == [
        "Risk.update(review_flag)",
        "Risk.update(owner_id)",
        "Risk.update(**)",
        "WarningSignal.bulk_update",
        "RiskCategory.bulk_create",
    ]


def test_readable_entries_cost_no_query_per_entry(api, world):
    from django.db import connection

    from apps.risks.models import RiskCategory
    from apps.risks.services import register
    from tests.kit.sql import sql_count

    query = """{ auditEntries(first: 100) { edges { node { madeBy systemJob correlationId
      fieldChanges { field label before after } } } } }"""

    def grow(n):
        with schema_context(world.a.schema_name):
            credit = RiskCategory.objects.get(code="credit")
            from apps.people.services.people import person_create

            owner = person_create(employee_number=f"AUD{n}", full_name=f"Owner {n}")
            for i in range(n):
                register.risk_create(title=f"Counted {i}", category_id=credit.pk, owner_id=owner.pk)
        connection.set_schema_to_public()

    admin = api("a", "admin")
    grow(1)
    few = sql_count(admin, query)
    grow(20)
    assert sql_count(admin, query) == few


def test_a_scans_bulk_signal_writes_are_audited_with_the_scan_as_actor(world):
    from datetime import timedelta

    from auditlog.models import LogEntry

    from apps.core.audit import acting_as, field_changes, made_by
    from apps.early_warning.models import WarningSignal
    from apps.early_warning.services import indicators
    from apps.early_warning.services.ingestion import PointIn, ingest
    from apps.early_warning.services.scans import scan
    from tests.early_warning.conftest import T0, indicator_new

    with schema_context(world.a.schema_name):
        npl = indicator_new()
        indicators.rule_save(indicator_id=npl.pk, kind="threshold", params={})
        now = T0 + timedelta(days=1)
        ingest([PointIn("npl_ratio", T0, 4.0, None)])  # amber: raised by bulk_create
        with acting_as(system="system: early_warning.run_scan job 1"):
            scan(indicator_ids=[npl.pk], now=now)
        ingest([PointIn("npl_ratio", T0 + timedelta(hours=1), 6.0, None)])  # red: bulk_update
        with acting_as(system="system: early_warning.run_scan job 2"):
            scan(indicator_ids=[npl.pk], now=now)
        ingest([PointIn("npl_ratio", T0 + timedelta(hours=2), 7.0, None)])  # still red
        with acting_as(system="system: early_warning.run_scan job 3"):
            scan(indicator_ids=[npl.pk], now=now)

        signal = WarningSignal.objects.get()
        entries = LogEntry.objects.filter(object_pk=str(signal.pk)).order_by("timestamp", "id")
        seen = [
            (made_by(e), {c.field: (c.before, c.after) for c in field_changes(e)}) for e in entries
        ]
        assert seen == [
            (
                "system: early_warning.run_scan job 1",
                {"status": (None, "Open"), "severity": (None, "Amber")},
            ),
            ("system: early_warning.run_scan job 2", {"severity": ("Amber", "Red")}),
        ]  # job 3 counted one more breach: bookkeeping, no entry
    connection.set_schema_to_public()
