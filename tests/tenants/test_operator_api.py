"""The platform host's API: operators provision, list, suspend and reactivate tenants."""

from django.conf import settings
from django_tenants.utils import schema_exists

from apps.tenants.models import Tenant
from tests.conftest import HOST_A, Api, error_codes, token_for

CREATE = """mutation($input: TenantCreateInput!) {
  tenantCreate(input: $input) {
    tenant { id name schemaName status domains { edges { node { domain isPrimary } } } }
    adminInviteCode errors { field code message }
  }
}"""


def test_operator_provisions_and_lists_tenants(operator_api):
    made = operator_api.ok(
        CREATE,
        {
            "input": {
                "name": "Delta Bank",
                "domain": "delta.test",
                "businessModel": "INTERNET_BANK",
                "adminEmail": "root@delta.test",
                "schemaName": "tenant_delta",
                "corsAllowedOrigins": ["https://risk.delta.example"],
            }
        },
    )["tenantCreate"]
    assert made["errors"] == [] and made["adminInviteCode"]
    assert made["tenant"]["domains"]["edges"][0]["node"] == {
        "domain": "delta.test",
        "isPrimary": True,
    }
    assert schema_exists("tenant_delta")
    listed = operator_api.ok("{ tenants(first: 10) { totalCount edges { node { schemaName } } } }")
    names = [e["node"]["schemaName"] for e in listed["tenants"]["edges"]]
    assert "tenant_delta" in names and "public" not in names


def test_bad_input_comes_back_as_typed_errors(operator_api):
    result = operator_api.ok(
        CREATE,
        {
            "input": {
                "name": "Bad",
                "domain": "under_score.test",
                "businessModel": "PAYMENT",
                "adminEmail": "x@bad.test",
            }
        },
    )["tenantCreate"]
    assert result["tenant"] is None
    assert (
        result["errors"][0]["field"] == "domain" and result["errors"][0]["code"] == "DOMAIN_INVALID"
    )


def test_only_operators_may_call_the_platform_api(world):
    tenant_admin_token = token_for(world.user("a", "admin"), world.a)
    response = Api(settings.PUBLIC_DOMAIN, tenant_admin_token).raw("{ tenants { totalCount } }")
    assert response.status_code == 401  # a tenant's token is worthless on the platform host
    non_staff_platform_token = token_for(world.user("a", "admin"), None)
    response = Api(settings.PUBLIC_DOMAIN, non_staff_platform_token).raw(
        "{ tenants { totalCount } }"
    )
    assert response.status_code == 401 and error_codes(response.json()) == ["UNAUTHENTICATED"]


def test_a_platform_token_is_worthless_on_a_tenant_host(world):
    response = Api(HOST_A, token_for(world.operator, None)).raw("{ me { role } }")
    assert response.status_code == 401


def test_suspension_stops_the_tenant_api_and_reactivation_restores_it(operator_api, api, world):
    member = api("a", "analyst")
    tenant_id = operator_api.ok("{ tenants(first: 10) { edges { node { id schemaName } } } }")
    gid = next(
        e["node"]["id"]
        for e in tenant_id["tenants"]["edges"]
        if e["node"]["schemaName"] == "tenant_a"
    )
    suspended = operator_api.ok(
        'mutation($id: ID!) { tenantSuspend(input: {id: $id, reason: "unpaid"}) '
        "{ tenant { status suspendedReason } errors { code } } }",
        {"id": gid},
    )
    assert suspended["tenantSuspend"]["tenant"] == {
        "status": "SUSPENDED",
        "suspendedReason": "unpaid",
    }

    response = member.raw("mutation { diagnosticsRun { job { id } errors { code } } }")
    assert response.status_code == 403 and error_codes(response.json()) == ["TENANT_SUSPENDED"]
    from django_tenants.utils import schema_context

    from apps.core.models import Job

    with schema_context("tenant_a"):
        assert Job.objects.count() == 0  # nothing was written
    again = operator_api.ok(
        'mutation($id: ID!) { tenantSuspend(input: {id: $id, reason: "x"}) { errors { code } } }',
        {"id": gid},
    )
    assert again["tenantSuspend"]["errors"][0]["code"] == "INVALID_TRANSITION"

    operator_api.ok(
        "mutation($id: ID!) { tenantReactivate(input: {id: $id}) { errors { code } } }", {"id": gid}
    )
    assert member.ok("{ me { role } }")["me"]["role"] == "ANALYST"
    assert Tenant.objects.get(schema_name="tenant_a").status == "active"


def test_operator_adds_a_domain_and_it_serves_the_tenant(operator_api, world, api):
    gid = next(
        e["node"]["id"]
        for e in operator_api.ok("{ tenants { edges { node { id schemaName } } } }")["tenants"][
            "edges"
        ]
        if e["node"]["schemaName"] == "tenant_b"
    )
    added = operator_api.ok(
        'mutation($id: ID!) { domainAdd(input: {tenantId: $id, domain: "b-alias.test"}) '
        "{ domain { domain isPrimary } errors { code } } }",
        {"id": gid},
    )
    assert added["domainAdd"]["domain"] == {"domain": "b-alias.test", "isPrimary": False}
    b_admin = api("b", "admin")
    alias = Api("b-alias.test", b_admin.token)
    assert alias.ok("{ me { user { email } } }")["me"]["user"]["email"] == "admin@b.test"
