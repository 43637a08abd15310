"""Two tenants for the whole session, built through the real provisioning service.

Schemas are created once (committed) when the test database is made; each test then runs in a
transaction that is rolled back, so tests stay fast and independent (DESIGN pitfall 9).
"""

import json
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import setup_databases, teardown_databases
from django_tenants.utils import schema_context

from apps.accounts import services as accounts
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.tenants import services as tenants
from apps.tenants.host_cache import host_cache
from apps.tenants.models import BusinessModel, Tenant

PASSWORD = "Correct-Horse-Battery-9"
HOST_A = "tenant-a.test"
HOST_B = "tenant-b.test"


@dataclass
class World:
    a: Tenant
    b: Tenant
    public: Tenant
    operator: User

    def user(self, tenant: str, role: str) -> User:
        return User.objects.get(email=f"{role}@{tenant}.test")


def _build_world() -> World:
    public = tenants.public_tenant_ensure(domain=settings.PUBLIC_DOMAIN)
    operator = User.objects.create_superuser("operator@platform.test", PASSWORD)
    made = {}
    for key, host in (("a", HOST_A), ("b", HOST_B)):
        made[key] = tenants.tenant_create(
            name=f"Tenant {key.upper()}",
            domain=host,
            schema_name=f"tenant_{key}",
            business_model=BusinessModel.CONSUMER_FINANCE,
            admin_email=f"admin@{key}.test",
            admin_password=PASSWORD,
        ).tenant
        for role in (Role.VIEWER, Role.ANALYST, Role.RISK_MANAGER):
            invitation = accounts.member_invite(
                tenant=made[key], email=f"{role}@{key}.test", role=role
            )
            accounts.user_set_password(user=invitation.membership.user, password=PASSWORD)
    return World(a=made["a"], b=made["b"], public=public, operator=operator)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # pytest-django makes the test database only when a selected test asks for `db`; worker
    # tests cannot (they commit outside the per-test transaction), so when only they are
    # selected the database is made here. Never build the world in a non-test database.
    made = None
    with django_db_blocker.unblock():
        if not settings.DATABASES["default"]["NAME"].startswith("test_"):
            made = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        _build_world()
    yield
    if made is not None:
        with django_db_blocker.unblock():
            teardown_databases(made, verbosity=0)


@pytest.fixture
def world(db) -> World:
    return World(
        a=Tenant.objects.get(schema_name="tenant_a"),
        b=Tenant.objects.get(schema_name="tenant_b"),
        public=Tenant.objects.get(schema_name="public"),
        operator=User.objects.get(email="operator@platform.test"),
    )


@pytest.fixture
def in_a(world):
    """Run the test body in tenant A's schema (services are called as a task or request would)."""
    with schema_context(world.a.schema_name):
        yield world


@pytest.fixture(scope="module")
def worker(django_db_setup):
    """A real Celery worker for the tests of one module, on the test database (made by
    django_db_setup even when no selected test asks for `db`). Tests that use it commit their
    data through `django_db_blocker.unblock()` and remove it afterwards."""
    from tests.kit.worker import start_worker, stop_worker

    process = start_worker()
    try:
        yield process
    finally:
        stop_worker(process)


@pytest.fixture(autouse=True)
def _committed_rows_removed(request, django_db_blocker):
    """Tests marked `removes_committed` (real-worker tests: a worker's jobs, audit entries,
    notices…): the rows they leave in the tenant schemas are deleted after each of them
    (tests/kit/committed.py), so no test sees another file's committed rows. Module-scoped
    fixtures' rows were there before: they stay. Opt-in, and public is left alone: a test that
    deletes and re-creates a shared row (a membership) would lose it."""
    if request.node.get_closest_marker("removes_committed") is None:
        yield
        return
    from tests.kit.committed import CommittedRows

    request.getfixturevalue("django_db_setup")  # the test database exists before the listing
    with django_db_blocker.unblock():
        rows = CommittedRows()
        rows.before()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            try:
                rows.remove_new()
            finally:
                rows.close()


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    # A request leaves the connection on its tenant's schema; the next test starts in public.
    # The host cache is cleared too: a rolled-back test's tenants and domains must not linger.
    host_cache.clear()
    yield
    connection.set_schema_to_public()
    host_cache.clear()


class Api:
    """Posts GraphQL to a host, as a client of the real HTTP stack would."""

    def __init__(self, host: str, token: str | None = None) -> None:
        self.host = host
        self.token = token
        self.client = Client(HTTP_HOST=host)

    def raw(self, query: str, variables: dict | None = None, **headers):
        if self.token:
            headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return self.client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )

    def __call__(self, query: str, variables: dict | None = None, **headers) -> dict:
        response = self.raw(query, variables, **headers)
        assert response.status_code in (200, 401, 403), response.content[:500]
        return response.json()

    def ok(self, query: str, variables: dict | None = None) -> dict:
        body = self(query, variables)
        assert not body.get("errors"), body
        return body["data"]


def token_for(user: User, tenant: Tenant | None, **kwargs) -> str:
    return accounts.token_issue(user=user, tenant=tenant, name="test", **kwargs).secret


@pytest.fixture
def api(world):
    """api("a", "admin") → an Api on tenant A's host, signed in as A's admin."""

    def make(tenant_key: str = "a", role: str | None = "admin") -> Api:
        tenant = getattr(world, tenant_key)
        host = HOST_A if tenant_key == "a" else HOST_B
        token = token_for(world.user(tenant_key, role), tenant) if role else None
        return Api(host, token)

    return make


@pytest.fixture
def operator_api(world) -> Api:
    return Api(settings.PUBLIC_DOMAIN, token_for(world.operator, None))


def error_codes(body: dict) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
