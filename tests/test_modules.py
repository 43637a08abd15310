"""The module manifest: every app declares itself completely, and what it declares is used."""

import ast
import pathlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from apps.core import modules
from apps.core.modules import Module
from apps.notifications.events import EVENT_TYPES
from config.schema import platform_schema, schema

APPS_DIR = pathlib.Path(__file__).resolve().parent.parent / "apps"
PACKAGES = sorted(p.parent.name for p in APPS_DIR.glob("*/__init__.py"))


def test_every_app_package_is_a_registered_module():
    registered = {m.label for m in modules.modules()}
    assert registered == set(PACKAGES)
    for label in PACKAGES:
        assert isinstance(django_apps.get_app_config(label), modules.ModuleConfig), label


@pytest.mark.parametrize("label", PACKAGES)
def test_a_manifest_names_the_apps_own_audit_and_graphql_roots(label):
    module = next(m for m in modules.modules() if m.label == label)
    app_dir = APPS_DIR / label
    if (app_dir / "audit.py").exists():
        assert module.audit == f"apps.{label}.audit"
    else:
        assert module.audit is None
        assert not _models_of_record(label), f"{label} audits nothing: add apps/{label}/audit.py"
    for file, kinds in (("queries.py", "Query"), ("mutations.py", "Mutation")):
        declared = [
            getattr(module, a) for a in ("query", "mutation", "platform_query", "platform_mutation")
        ]
        source = app_dir / "graphql" / file
        if not source.exists():
            source = app_dir / "graphql" / file.removesuffix(".py") / "__init__.py"
        if not source.exists():
            continue
        roots = [
            node.name
            for node in ast.parse(source.read_text()).body
            if isinstance(node, ast.ClassDef) and node.name.endswith(kinds)
        ]
        for root in roots:
            assert any(ref and ref.endswith(f":{root}") for ref in declared), (
                f"{label}: {root} is not in its manifest"
            )


def _models_of_record(label: str) -> list:
    return [m for m in django_apps.get_app_config(label).get_models() if not m._meta.proxy]


def test_the_schemas_are_composed_from_the_manifests():
    tenant_fields = set(schema._schema.query_type.fields)
    assert {"risks", "indicators", "jobs", "webhooks", "members", "me", "node"} <= tenant_fields
    assert {"tenants", "me"} <= set(platform_schema._schema.query_type.fields)
    assert "tenants" not in tenant_fields  # operator fields never reach a tenant host


def _published_event_names() -> set[str]:
    """Every string literal passed as `event=` anywhere in apps/ (notify, publish, announce)."""
    names = set()
    for path in APPS_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            value = node.value if isinstance(node, ast.keyword) and node.arg == "event" else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                names.add(value.value)
            if isinstance(node, ast.Dict):  # event maps like {S.ESCALATED: "warnings..."}
                names.update(
                    v.value
                    for v in node.values
                    if isinstance(v, ast.Constant)
                    and isinstance(v.value, str)
                    and v.value.startswith(("risks.", "warnings."))
                )
    return names


def test_every_event_the_code_publishes_is_declared():
    published = _published_event_names()
    assert "risks.review_overdue" in published and "warnings.signal_raised" in published
    assert published - set(EVENT_TYPES) == set()


@pytest.mark.django_db
def test_job_kinds_come_from_the_manifests(world):
    from django_tenants.utils import schema_context

    from apps.core import services

    assert {"diagnostics", "register_daily", "risk_import", "warning_scan"} <= set(
        modules.job_kinds()
    )
    with schema_context(world.a.schema_name), pytest.raises(ValidationError):
        services.job_create(kind="not_declared_anywhere")


@pytest.mark.parametrize(
    "bad",
    [
        Module(label="x", audit=None, job_kinds={"Bad Kind": "?"}),
        Module(label="x", audit=None, events={"other.thing": "?"}),
        Module(label="x", audit=None, tick_handlers={"y.tick": "apps.x.tasks:tick"}),
        Module(label="x", audit=None, query="apps.x.graphql.queries.XQuery"),
        # every job kind names the GraphQL type of its Job.result, and only its own kinds
        Module(label="x", audit=None, job_kinds={"x_run": "Run"}),
        Module(label="x", audit=None, job_results={"x_run": "apps.x.graphql.job_results:R"}),
    ],
)
def test_an_incomplete_or_wrong_declaration_is_refused(bad):
    with pytest.raises(ValueError):
        modules.register(bad)
    assert "x" not in {m.label for m in modules.modules()}


def test_two_modules_cannot_declare_the_same_job_kind():
    with pytest.raises(ValueError, match="both declare"):
        modules.register(
            Module(
                label="x",
                audit=None,
                job_kinds={"warning_scan": "again"},
                job_results={"warning_scan": "apps.x.graphql.job_results:R"},
            )
        )
