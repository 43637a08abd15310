"""Host → tenant is cached per process: no SQL for it per request, never a stale answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.tenants import services
from apps.tenants.host_cache import HostCache, host_cache
from apps.tenants.models import Domain, Tenant
from tests.conftest import HOST_A, error_codes

ME = "{ me { user { email } role } }"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _statements(client) -> list[str]:
    client.ok(ME)  # warm: the host is cached, the token's last use written
    with CaptureQueriesContext(connection) as captured:
        client.ok(ME)
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET ")]


def test_a_request_spends_no_statement_on_its_host(api):
    statements = _statements(api("a", "admin"))
    assert not [sql for sql in statements if "tenants_domain" in sql], statements
    assert len(statements) == 2, statements  # the token and the membership, nothing else


def test_suspension_refuses_the_very_next_request(api, world):
    admin = api("a", "admin")
    admin.ok(ME)  # tenant A is now cached as active
    services.tenant_suspend(tenant_id=world.a.pk, reason="unpaid invoices")
    body = admin(ME)
    assert error_codes(body) == ["TENANT_SUSPENDED"]
    services.tenant_reactivate(tenant_id=world.a.pk)
    assert admin.ok(ME)["me"]["role"] == "ADMIN"


def test_another_process_learns_of_a_suspension_through_the_redis_version(
    world, django_capture_on_commit_callbacks
):
    clock = FakeClock()
    other = HostCache(ttl=30, check_every=1, clock=clock)  # stands for another process
    assert other.tenant_for_host(HOST_A).status == "active"
    with django_capture_on_commit_callbacks(execute=True):  # the commit bumps the version
        services.tenant_suspend(tenant_id=world.a.pk, reason="fraud inquiry")
    clock.now += 1.0  # its next version check
    with CaptureQueriesContext(connection) as captured:
        assert other.tenant_for_host(HOST_A).status == "suspended"
    assert len(captured.captured_queries) == 1  # reloaded from the database


def test_without_a_bump_another_process_keeps_its_entry_until_the_ttl(world):
    clock = FakeClock()
    other = HostCache(ttl=30, check_every=0, clock=clock)
    other.tenant_for_host(HOST_A)
    Tenant.objects.filter(pk=world.a.pk).update(name="Renamed behind the cache's back")
    assert other.tenant_for_host(HOST_A).name == "Tenant A"  # cached: no statement
    clock.now += 30
    assert other.tenant_for_host(HOST_A).name == "Renamed behind the cache's back"


def test_a_version_check_every_request_sees_a_bump_at_once(
    world, django_capture_on_commit_callbacks
):
    other = HostCache(ttl=30, check_every=0)
    assert other.tenant_for_host(HOST_A).status == "active"
    with django_capture_on_commit_callbacks(execute=True):
        services.tenant_suspend(tenant_id=world.a.pk, reason="fraud inquiry")
    assert other.tenant_for_host(HOST_A).status == "suspended"


def test_domains_added_changed_and_deleted_are_seen_at_once(world, api):
    client = api("a", "admin")
    client.ok(ME)
    services.domain_add(tenant_id=world.a.pk, domain="second-a.test")
    second = api("a", "admin")
    second.host = "second-a.test"
    second.client.defaults["HTTP_HOST"] = "second-a.test"
    assert second.ok(ME)["me"]["role"] == "ADMIN"

    domain = Domain.objects.get(domain="second-a.test")
    domain.domain = "third-a.test"
    domain.save()
    assert second.raw(ME).status_code == 404  # the old name leads nowhere

    Domain.objects.get(domain=HOST_A).delete()
    assert client.raw(ME).status_code == 404


def test_requests_never_share_a_tenant_instance(api, world):
    first = host_cache.tenant_for_host(HOST_A)
    first.cors_allowed_origins.append("https://evil.example")
    first.name = "changed by a request"
    second = host_cache.tenant_for_host(HOST_A)
    assert second is not first
    assert second.name == "Tenant A" and "https://evil.example" not in second.cors_allowed_origins
    assert second.pk == world.a.pk and not second._state.adding


def test_when_redis_is_unreadable_every_lookup_asks_the_database(world, settings):
    settings.TENANT_CACHE_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    blind = HostCache(ttl=30, check_every=0)
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert blind.tenant_for_host(HOST_A).pk == world.a.pk
        assert len(captured.captured_queries) == 1


@pytest.mark.parametrize("ttl", [0])
def test_a_zero_ttl_turns_the_cache_off(world, ttl):
    off = HostCache(ttl=ttl, check_every=0)
    off.tenant_for_host(HOST_A)
    with CaptureQueriesContext(connection) as captured:
        off.tenant_for_host(HOST_A)
    assert len(captured.captured_queries) == 1
