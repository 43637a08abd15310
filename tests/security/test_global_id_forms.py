"""One object, one global id: other spellings of the same key are refused (INVALID_ID), and
rows numbered per schema (audit entries) carry their schema in the id, so an id copied from one
tenant names nothing in another — even where the other has a row with the same number."""

import uuid

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import from_base64, to_base64

from apps.core.graphql.ids import ScopedIdNode
from apps.core.graphql.nodes import tenant_node_types
from config.schema import schema
from tests.conftest import error_codes

CREATE = """mutation { webhookCreate(input: {name: "SIEM", url: "https://hooks.example.com/x"}) {
  webhook { id } errors { code } } }"""
NODE = "query($id: ID!) { node(id: $id) { ... on Webhook { name } } }"
ONE = "query($id: ID!) { webhook(id: $id) { name } }"
ROTATE = """mutation($id: ID!) { webhookRotateSecret(input: {id: $id}) {
  secret errors { field code } } }"""

SPELLINGS = {
    "uppercase": lambda u: str(u).upper(),
    "braces": lambda u: "{" + str(u) + "}",
    "no hyphens": lambda u: u.hex,
    "urn": lambda u: u.urn,
    "padded": lambda u: f" {u} ",
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_a_non_canonical_uuid_in_a_global_id_is_refused_with_a_code(api, spelling):
    admin = api("a", "admin")
    canonical = admin.ok(CREATE)["webhookCreate"]["webhook"]["id"]
    type_name, node_id = from_base64(canonical)
    assert admin.ok(NODE, {"id": canonical})["node"] == {"name": "SIEM"}

    other = to_base64(type_name, SPELLINGS[spelling](uuid.UUID(node_id)))
    assert other != canonical
    for document in (NODE, ONE, ROTATE):
        body = admin(document, {"id": other})
        assert error_codes(body) == ["INVALID_ID"], body
        assert not (body.get("data") or {}).get("webhookRotateSecret")
    literal = admin(f'{{ node(id: "{other}") {{ id }} }}')  # in the document, not a variable
    assert error_codes(literal) == ["INVALID_ID"], literal


@pytest.mark.parametrize("spelling", ["0042", " 42", "+42"])
def test_a_padded_number_in_a_global_id_is_refused(api, spelling):
    body = api("a", "admin")(NODE, {"id": to_base64("AuditEntry", f"tenant_a.{spelling}")})
    assert error_codes(body) == ["INVALID_ID"], body


def _same_next_entry_number() -> int:
    """Move both schemas' entry sequences to one number (each numbers its own entries), so the
    next entry of A and the next entry of B share it."""
    from auditlog.models import LogEntry

    highest = 1  # a sequence's value is at least 1
    for schema_name in ("tenant_a", "tenant_b"):
        with schema_context(schema_name):
            highest = max(
                highest, LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            )
    for schema_name in ("tenant_a", "tenant_b"):
        with schema_context(schema_name), connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('auditlog_logentry', 'id'), %s)", [highest]
            )
    connection.set_schema_to_public()
    return highest + 1


def test_an_audit_entry_id_names_one_entry_platform_wide(api, world):
    a_admin, b_admin = api("a", "admin"), api("b", "admin")
    number = _same_next_entry_number()
    for client in (a_admin, b_admin):  # entry `number` in each schema: a webhook's creation
        assert client.ok(CREATE)["webhookCreate"]["errors"] == []
    shared = [number]

    listed = a_admin.ok("{ auditEntries(first: 100) { edges { node { id objectRepr } } } }")
    ids = {from_base64(e["node"]["id"])[1] for e in listed["auditEntries"]["edges"]}
    assert f"tenant_a.{shared[0]}" in ids  # the schema is in the id
    a_id = to_base64("AuditEntry", f"tenant_a.{shared[0]}")
    query = "query($id: ID!) { node(id: $id) { ... on AuditEntry { id objectRepr } } }"
    assert a_admin.ok(query, {"id": a_id})["node"]["id"] == a_id
    # B has an entry numbered the same, but A's id does not name it.
    assert b_admin.ok(query, {"id": a_id})["node"] is None
    b_id = to_base64("AuditEntry", f"tenant_b.{shared[0]}")
    assert b_admin.ok(query, {"id": b_id})["node"]["id"] == b_id
    assert a_admin.ok(query, {"id": b_id})["node"] is None
    # The bare number (yesterday's form) names nothing in either tenant.
    bare = to_base64("AuditEntry", str(shared[0]))
    assert a_admin.ok(query, {"id": bare})["node"] is None
    assert b_admin.ok(query, {"id": bare})["node"] is None


def test_every_integer_keyed_tenant_node_type_scopes_its_ids():
    from django.db.models import UUIDField

    tenant_apps = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    unscoped = sorted(
        name
        for name, origin in tenant_node_types(schema).items()
        if (model := origin.__strawberry_django_definition__.model)._meta.app_label in tenant_apps
        and not isinstance(model._meta.pk, UUIDField)
        and not issubclass(origin, ScopedIdNode)
    )
    assert unscoped == [], "a per-schema sequence names a row in every tenant: use ScopedIdNode"
    assert issubclass(tenant_node_types(schema)["AuditEntry"], ScopedIdNode)
