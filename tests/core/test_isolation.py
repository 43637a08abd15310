"""No tenant sees or touches another's data: by list, by id, by global id, by token, in the admin."""

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.accounts.models import Membership
from apps.core import services
from apps.core.module import JOB_DIAGNOSTICS
from tests.conftest import HOST_B, PASSWORD


def _job_in(tenant) -> str:
    with schema_context(tenant.schema_name):
        job = services.job_create(kind=JOB_DIAGNOSTICS)
    connection.set_schema_to_public()
    return to_base64("Job", job.pk)


def test_a_job_of_a_is_invisible_from_b(api, world):
    a, b = api("a", "admin"), api("b", "admin")
    # Counted against what is there already: other files' worker tests commit jobs of their own.
    in_a, in_b = (x.ok("{ jobs { totalCount } }")["jobs"]["totalCount"] for x in (a, b))
    job_id = _job_in(world.a)
    assert a.ok("{ jobs { totalCount } }")["jobs"]["totalCount"] == in_a + 1
    assert b.ok("{ jobs { totalCount } }")["jobs"]["totalCount"] == in_b
    # a lookup of an id that names nothing here is null, like `node`
    assert b.ok("query($id: ID!) { job(id: $id) { id } }", {"id": job_id})["job"] is None
    by_node = b.ok("query($id: ID!) { node(id: $id) { id } }", {"id": job_id})
    assert by_node["node"] is None
    assert a.ok("query($id: ID!) { node(id: $id) { id } }", {"id": job_id})["node"]["id"] == job_id


def test_members_and_tokens_of_a_are_invisible_from_b(api, world):
    a_member = Membership.objects.filter(tenant=world.a).first()
    gid = to_base64("Member", a_member.pk)
    b = api("b", "admin")
    assert b.ok("query($id: ID!) { node(id: $id) { id } }", {"id": gid})["node"] is None
    emails = [
        e["node"]["user"]["email"]
        for e in b.ok("{ members(first: 100) { edges { node { user { email } } } } }")["members"][
            "edges"
        ]
    ]
    assert emails and all(email.endswith("@b.test") for email in emails)
    api("a", "viewer")  # a token on A exists now
    owners = [
        e["node"]["user"]["email"]
        for e in b.ok("{ apiTokens(first: 100) { edges { node { user { email } } } } }")[
            "apiTokens"
        ]["edges"]
    ]
    assert all(owner.endswith("@b.test") for owner in owners)


def test_b_cannot_change_a_member_of_a(api, world):
    a_viewer = Membership.objects.get(tenant=world.a, user__email="viewer@a.test")
    result = api("b", "admin").ok(
        "mutation($id: ID!) { memberRoleChange(input: {id: $id, role: ADMIN}) { errors { code } } }",
        {"id": to_base64("Member", a_viewer.pk)},
    )
    assert result["memberRoleChange"]["errors"][0]["code"] == "NOT_FOUND"
    a_viewer.refresh_from_db()
    assert a_viewer.role == "viewer"


def test_a_member_of_a_cannot_use_the_admin_of_b(client, world):
    client.force_login(world.user("a", "admin"))
    response = client.get("/admin/", HTTP_HOST=HOST_B)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    login = client.post(
        "/admin/login/", {"username": "admin@a.test", "password": PASSWORD}, HTTP_HOST=HOST_B
    )
    assert login.status_code == 200  # the form again, with an error: no session on B
    assert "not an admin of this tenant" in login.content.decode()
