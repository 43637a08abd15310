"""Each tenant lists the origins of its own frontends; no other origin is allowed."""

from tests.conftest import HOST_A, HOST_B


def _preflight(client, host, origin):
    return client.options(
        "/graphql/", HTTP_HOST=host, HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )


def test_a_tenant_origin_is_allowed_on_its_host_only(client, world):
    world.a.cors_allowed_origins = ["https://risk.tenant-a.example"]
    world.a.save()
    allowed = _preflight(client, HOST_A, "https://risk.tenant-a.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://risk.tenant-a.example"
    assert "Access-Control-Allow-Origin" not in _preflight(
        client, HOST_B, "https://risk.tenant-a.example"
    )
    assert "Access-Control-Allow-Origin" not in _preflight(client, HOST_A, "https://evil.example")
