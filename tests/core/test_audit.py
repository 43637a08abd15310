"""Every write through a service leaves an append-only trace: who, what, before and after."""

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
    assert any(e["node"]["changes"].get("name") == ["None", "audited"] for e in a_entries)
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
