"""Who may subscribe, and what a subscription may send: the same role rules as HTTP.

Every Subscription root field has a probe here (tests/test_schema_guards.py checks it) and is
opened by each role over a real socket; events are re-read as `node(id:)` reads them, through
the types' minimum roles (the last test shows that path with a type only admins may read)."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from strawberry import relay

from apps.accounts import services as accounts
from apps.accounts.models import ApiToken, User
from apps.core import services as jobs
from apps.core.models import Job
from apps.core.module import JOB_DIAGNOSTICS
from apps.early_warning.models import Indicator
from apps.notifications import services as notifications
from apps.subscriptions.access import LiveRequest
from apps.subscriptions.consumer import LiveContext
from apps.tenants.models import Tenant
from config.schema import schema
from tests.conftest import HOST_A
from tests.kit.registry import SUBSCRIPTION_MINIMUM_ROLE
from tests.kit.roles import ROLES
from tests.subscriptions.client import Closed, LiveClient, signed_in
from tests.subscriptions.test_events import _raise_signal

PROBES = {
    "jobProgress": "subscription($id: ID!) { jobProgress(id: $id) { status } }",
    "warningSignalEvents": "subscription { warningSignalEvents { kind signal { severity } } }",
    "activationTimeline": "subscription($id: ID!) { activationTimeline(id: $id) { kind } }",
}


@pytest.fixture
def committed(django_db_blocker):
    made: list = []

    def token(user_email: str, tenant_key: str = "a") -> str:
        tenant = Tenant.objects.get(schema_name=f"tenant_{tenant_key}")
        issued = accounts.token_issue(
            user=User.objects.get(email=user_email), tenant=tenant, name="live roles"
        )
        made.append(issued.token.pk)
        return issued.secret

    with django_db_blocker.unblock():
        with schema_context("tenant_a"):
            job = jobs.job_create(kind=JOB_DIAGNOSTICS)
        yield token, str(relay.GlobalID("Job", str(job.pk)))
        ApiToken.objects.filter(pk__in=made).delete()
        with schema_context("tenant_a"):
            Job.objects.filter(pk=job.pk).delete()
            Indicator.objects.filter(code__startswith="live_").delete()
        connection.set_schema_to_public()


@pytest.mark.worker
def test_every_role_from_the_minimum_up_may_subscribe(asgi_server, committed):
    token, job_id = committed
    assert SUBSCRIPTION_MINIMUM_ROLE == {
        "jobProgress": "viewer",
        "warningSignalEvents": "viewer",
        "activationTimeline": "viewer",  # its role probe: tests/emergency/test_live.py
    }
    signal_sockets = []
    for role in ROLES:
        client = signed_in(HOST_A, asgi_server, token(f"{role}@a.test"))
        client.subscribe(PROBES["jobProgress"], {"id": job_id}, id="job")
        assert client.receive() == {
            "id": "job",
            "type": "next",
            "payload": {"data": {"jobProgress": {"status": "QUEUED"}}},
        }
        client.subscribe(PROBES["warningSignalEvents"], id="signals")
        signal_sockets.append(client)
    _raise_signal("tenant_a", "live_roles")
    for client in signal_sockets:
        assert client.receive() == {
            "id": "signals",
            "type": "next",
            "payload": {
                "data": {"warningSignalEvents": {"kind": "RAISED", "signal": {"severity": "RED"}}}
            },
        }
        client.close()


@pytest.mark.worker
def test_a_token_for_this_tenant_held_by_a_non_member_is_refused(asgi_server, committed):
    token, _ = committed
    outsider = token("admin@b.test", tenant_key="a")  # B's admin is no member of A
    outcome = LiveClient(HOST_A, asgi_server).init({"authorization": f"Bearer {outsider}"})
    assert outcome == Closed(4403, "Forbidden: you are not a member of this tenant.")


def test_events_are_read_through_the_types_minimum_role(in_a):
    """The subscriptions re-read each object with `resolve_node`, as `node(id:)` does, with the
    socket's LiveRequest as the request: a type only admins read is null for a viewer."""
    webhook = notifications.webhook_create(name="Ops", url="https://hooks.example.com/x")
    query = "query($id: ID!) { node(id: $id) { id } }"
    gid = str(relay.GlobalID("Webhook", str(webhook.pk)))
    seen = {}
    for role in ("viewer", "admin"):
        user = User.objects.get(email=f"{role}@a.test")
        request = LiveRequest(
            tenant=in_a.a, user=user, membership=user.memberships.get(tenant=in_a.a)
        )
        result = schema.execute_sync(
            query, {"id": gid}, context_value=LiveContext(request=request, ws=None)
        )
        assert not result.errors, result.errors
        seen[role] = result.data["node"]
    assert seen == {"viewer": None, "admin": {"id": gid}}
