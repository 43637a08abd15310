"""Who may open a subscription socket: the host names the tenant, the token must be a member's
of that tenant (as over HTTP), and only subscriptions run on it. A real uvicorn process, a real
websocket client."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from websockets.exceptions import InvalidStatus

from apps.accounts import services as accounts
from apps.accounts.models import ApiToken, User
from apps.core import services as jobs
from apps.core.models import Job
from apps.core.module import JOB_DIAGNOSTICS
from apps.tenants import services as tenants
from apps.tenants.models import Tenant
from tests.conftest import HOST_A, HOST_B
from tests.subscriptions.client import Closed, LiveClient, signed_in

pytestmark = pytest.mark.worker  # commits its data, like the worker tests

JOB = "subscription($id: ID!) { jobProgress(id: $id) { id status progress } }"


@pytest.fixture
def committed(django_db_blocker):
    """Tokens and jobs the server process must see: committed, and removed afterwards."""
    made: dict[str, list] = {"tokens": [], "jobs": []}

    def token(tenant_key: str, role: str) -> str:
        tenant = Tenant.objects.get(schema_name=f"tenant_{tenant_key}")
        user = User.objects.get(email=f"{role}@{tenant_key}.test")
        issued = accounts.token_issue(user=user, tenant=tenant, name="live test")
        made["tokens"].append(issued.token.pk)
        return issued.secret

    with django_db_blocker.unblock():
        yield made, token
        ApiToken.objects.filter(pk__in=made["tokens"]).delete()
        for schema_name, pk in made["jobs"]:
            with schema_context(schema_name):
                Job.objects.filter(pk=pk).delete()
        connection.set_schema_to_public()


def _job_in(made, schema_name: str) -> str:
    with schema_context(schema_name):
        job = jobs.job_create(kind=JOB_DIAGNOSTICS)
    made["jobs"].append((schema_name, job.pk))
    from strawberry import relay

    return str(relay.GlobalID("Job", str(job.pk)))


def test_an_unknown_host_is_refused_at_the_handshake(asgi_server):
    with pytest.raises(InvalidStatus) as refused:
        LiveClient("nobody.test", asgi_server)
    assert refused.value.response.status_code == 403


def test_no_token_an_invalid_one_or_another_tenants_is_refused_with_4401(asgi_server, committed):
    _, token = committed
    b_token = token("b", "admin")
    for payload in (
        {},
        {"authorization": "Bearer fk_not-a-real-token"},
        {"authorization": f"Bearer {b_token}"},
    ):
        client = LiveClient(HOST_A, asgi_server)
        outcome = client.init(payload)
        assert isinstance(outcome, Closed) and outcome.code == 4401, (payload, outcome)
    # The same token of B is good on B's own host.
    signed_in(HOST_B, asgi_server, b_token).close()


def test_the_authorization_header_works_too(asgi_server, committed):
    _, token = committed
    client = LiveClient(
        HOST_A, asgi_server, headers={"Authorization": f"Bearer {token('a', 'viewer')}"}
    )
    assert client.init() == {"type": "connection_ack"}
    client.close()


def test_a_subscription_before_connection_init_is_refused(asgi_server):
    client = LiveClient(HOST_A, asgi_server)
    client.subscribe(JOB, {"id": "Sm9iOjA="})
    outcome = client.receive()
    assert isinstance(outcome, Closed) and outcome.code == 4401


def test_a_suspended_tenant_is_refused_with_4403(asgi_server, committed):
    _, token = committed
    secret = token("b", "admin")
    b = Tenant.objects.get(schema_name="tenant_b")
    tenants.tenant_suspend(tenant_id=b.pk, reason="live test")
    try:
        outcome = LiveClient(HOST_B, asgi_server).init({"authorization": f"Bearer {secret}"})
    finally:
        tenants.tenant_reactivate(tenant_id=b.pk)
    assert outcome == Closed(4403, "Forbidden: this tenant is suspended.")


def test_queries_and_mutations_are_refused_on_the_socket(asgi_server, committed):
    _, token = committed
    client = signed_in(HOST_A, asgi_server, token("a", "admin"))
    client.subscribe("mutation { diagnosticsRun { job { id } } }", id="m")
    refused = client.receive()
    assert refused["type"] == "error" and refused["id"] == "m"
    assert refused["payload"][0]["extensions"]["code"] == "SUBSCRIPTIONS_ONLY"
    client.subscribe("{ jobs(first: 1) { totalCount } }", id="q")
    assert client.receive()["payload"][0]["extensions"]["code"] == "SUBSCRIPTIONS_ONLY"
    client.close()


def test_a_job_of_tenant_b_names_nothing_on_tenant_a(asgi_server, committed):
    made, token = committed
    b_job = _job_in(made, "tenant_b")
    client = signed_in(HOST_A, asgi_server, token("a", "admin"))
    client.subscribe(JOB, {"id": b_job})
    assert client.receive() == {
        "id": "1",
        "type": "next",
        "payload": {"data": {"jobProgress": None}},
    }
    assert client.receive() == {"id": "1", "type": "complete"}
    client.close()


def test_job_progress_follows_the_job_until_it_finishes(asgi_server, committed):
    made, token = committed
    a_job = _job_in(made, "tenant_a")
    client = signed_in(HOST_A, asgi_server, token("a", "viewer"))
    client.subscribe(JOB, {"id": a_job})
    first = client.receive()
    assert first["payload"]["data"]["jobProgress"] == {
        "id": a_job,
        "status": "QUEUED",
        "progress": 0,
    }
    pk = made["jobs"][-1][1]
    with schema_context("tenant_a"):
        jobs.job_start(job_id=pk)
        jobs.job_progress(job_id=pk, progress=40)
        jobs.job_succeed(job_id=pk, result={"rows": 3})
    states = until_complete(client)
    # Each event re-reads the job, so ticks that arrive together may show one state; the
    # last is always the finished job, and then the subscription completes.
    assert states[-1] == {"id": a_job, "status": "SUCCEEDED", "progress": 100}
    assert all(s["status"] in ("RUNNING", "SUCCEEDED") for s in states)
    client.close()


def until_complete(client, field: str = "jobProgress") -> list[dict]:
    states = []
    while (message := client.receive())["type"] != "complete":
        assert message["type"] == "next" and message["payload"]["data"], message
        states.append(message["payload"]["data"][field])
    return states
