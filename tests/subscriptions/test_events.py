"""Live events end to end: a real uvicorn process, real websocket clients, a real Celery worker;
the writes are committed, as in production, and removed afterwards."""

from datetime import timedelta

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from strawberry import relay

from apps.accounts import services as accounts
from apps.accounts.models import ApiToken, Membership, User
from apps.core import services as jobs
from apps.core.models import Job
from apps.early_warning.models import Indicator, WarningSignal
from apps.early_warning.services import indicators, signals
from apps.early_warning.services.ingestion import PointIn, ingest
from apps.early_warning.services.scans import scan
from apps.risks.models import RiskCategory
from apps.tenants.models import Tenant
from tests.conftest import HOST_A, HOST_B
from tests.early_warning.conftest import T0
from tests.subscriptions.client import Closed, signed_in
from tests.subscriptions.test_connect import until_complete

pytestmark = pytest.mark.worker

SIGNALS = (
    "subscription { warningSignalEvents { kind fromStatus "
    "signal { id status severity indicator { code } } } }"
)
# Nested fields resolved lazily, each a query of its own: they must read the socket's tenant.
NESTED = (
    "subscription { warningSignalEvents { signal { rule { kind } "
    "indicator { code category { code } rules(first: 5) { totalCount } } } } }"
)
NOW = T0 + timedelta(days=30)


@pytest.fixture
def committed(django_db_blocker):
    made: dict[str, list] = {"tokens": [], "jobs": []}

    def token(tenant_key: str, role: str) -> tuple[str, ApiToken]:
        tenant = Tenant.objects.get(schema_name=f"tenant_{tenant_key}")
        user = User.objects.get(email=f"{role}@{tenant_key}.test")
        issued = accounts.token_issue(user=user, tenant=tenant, name="live test")
        made["tokens"].append(issued.token.pk)
        return issued.secret, issued.token

    with django_db_blocker.unblock():
        yield made, token
        ApiToken.objects.filter(pk__in=made["tokens"]).delete()
        for schema_name in ("tenant_a", "tenant_b"):
            with schema_context(schema_name):
                Indicator.objects.filter(code__startswith="live_").delete()
                Job.objects.filter(
                    pk__in=[pk for s, pk in made["jobs"] if s == schema_name]
                ).delete()
        connection.set_schema_to_public()


def _raise_signal(schema_name: str, code: str) -> WarningSignal:
    """An indicator over its red line (9 against 5), scanned: one RED signal, committed."""
    with schema_context(schema_name):
        credit = RiskCategory.objects.get(code="credit").pk
        indicator = indicators.indicator_save(
            code=code, name=code, category_id=credit, amber=3.0, red=5.0, frequency_minutes=60
        )
        indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
        ingest([PointIn(code, T0, 9.0, None)])
        scan(indicator_ids=[indicator.pk], now=NOW)
        return WarningSignal.objects.get(indicator=indicator)


def _gid(signal: WarningSignal) -> str:
    return str(relay.GlobalID("WarningSignal", str(signal.pk)))


def _event(client) -> dict:
    message = client.receive()
    assert message.get("type") == "next", message
    return message["payload"]["data"]["warningSignalEvents"]


def _events(client, count: int) -> tuple[dict, ...]:
    """The next `count` events of a socket with two subscriptions, "1" first, then "nested"."""
    by_id = {}
    for _ in range(count):
        message = client.receive()
        assert message.get("type") == "next", message
        by_id[message["id"]] = message["payload"]["data"]["warningSignalEvents"]
    return by_id["1"], by_id["nested"]


def test_each_tenant_hears_only_its_own_signals(asgi_server, committed):
    _, token = committed
    a_viewer = signed_in(HOST_A, asgi_server, token("a", "viewer")[0])
    b_admin = signed_in(HOST_B, asgi_server, token("b", "admin")[0])
    a_viewer.subscribe(SIGNALS)
    b_admin.subscribe(SIGNALS)
    a_viewer.subscribe(NESTED, id="nested")
    b_admin.subscribe(NESTED, id="nested")
    # B's signal is raised first: were anything of B's sent to A, A's first event would be it.
    b_signal = _raise_signal("tenant_b", "live_b")
    a_signal = _raise_signal("tenant_a", "live_a")
    a_first, a_nested = _events(a_viewer, 2)
    b_first, b_nested = _events(b_admin, 2)
    for nested, code in ((a_nested, "live_a"), (b_nested, "live_b")):
        assert nested == {
            "signal": {
                "rule": {"kind": "THRESHOLD"},
                "indicator": {
                    "code": code,
                    "category": {"code": "credit"},
                    "rules": {"totalCount": 1},
                },
            }
        }
    assert a_first == {
        "kind": "RAISED",
        "fromStatus": None,
        "signal": {
            "id": _gid(a_signal),
            "status": "OPEN",
            "severity": "RED",
            "indicator": {"code": "live_a"},
        },
    }
    assert b_first == {
        "kind": "RAISED",
        "fromStatus": None,
        "signal": {
            "id": _gid(b_signal),
            "status": "OPEN",
            "severity": "RED",
            "indicator": {"code": "live_b"},
        },
    }
    # A status change, again B's first.
    with schema_context("tenant_b"):
        signals.signal_transition(signal_id=b_signal.pk, to="acknowledged")
    with schema_context("tenant_a"):
        signals.signal_transition(signal_id=a_signal.pk, to="escalated")
    a_event = _event(a_viewer)
    assert (
        a_event["kind"],
        a_event["fromStatus"],
        a_event["signal"]["id"],
        a_event["signal"]["status"],
    ) == ("TRANSITIONED", "OPEN", _gid(a_signal), "ESCALATED")
    b_event = _event(b_admin)
    assert (b_event["kind"], b_event["fromStatus"], b_event["signal"]["status"]) == (
        "TRANSITIONED",
        "OPEN",
        "ACKNOWLEDGED",
    )
    a_viewer.close()
    b_admin.close()


def test_a_revoked_token_has_its_socket_closed(asgi_server, committed):
    _, token = committed
    secret, api_token = token("a", "analyst")
    client = signed_in(HOST_A, asgi_server, secret)
    client.subscribe(SIGNALS)
    other = signed_in(
        HOST_A, asgi_server, token("a", "analyst")[0]
    )  # the same member's other token
    other.subscribe(SIGNALS)
    accounts.token_revoke_own(token=api_token)
    assert client.receive() == Closed(4401, "Unauthorized: token revoked.")
    # The other token still hears events.
    signal = _raise_signal("tenant_a", "live_revoked")
    assert _event(other)["signal"]["id"] == _gid(signal)
    other.close()


def test_a_member_removed_meanwhile_is_closed_at_the_next_event(asgi_server, committed):
    _, token = committed
    client = signed_in(HOST_A, asgi_server, token("a", "risk_manager")[0])
    client.subscribe(SIGNALS)
    membership = Membership.objects.get(
        user__email="risk_manager@a.test", tenant__schema_name="tenant_a"
    )
    role, user_id, tenant_id = membership.role, membership.user_id, membership.tenant_id
    membership.delete()
    try:
        _raise_signal("tenant_a", "live_removed")
        assert client.receive() == Closed(4403, "Forbidden: you are not a member of this tenant.")
    finally:
        Membership.objects.create(user_id=user_id, tenant_id=tenant_id, role=role)


def test_job_progress_from_a_real_worker(asgi_server, worker, committed):
    made, token = committed
    with schema_context("tenant_a"):
        job = jobs.diagnostics_request()  # sent to the worker after commit
        made["jobs"].append(("tenant_a", job.pk))
    gid = str(relay.GlobalID("Job", str(job.pk)))
    client = signed_in(HOST_A, asgi_server, token("a", "viewer")[0])
    client.subscribe(
        """subscription($id: ID!) { jobProgress(id: $id) { id status progress
        result { ... on DiagnosticsResult { schema } } } }""",
        {"id": gid},
    )
    states = until_complete(client)
    last = states[-1]
    assert (last["id"], last["status"], last["progress"]) == (gid, "SUCCEEDED", 100)
    assert last["result"]["schema"] == "tenant_a"  # the worker ran it in A's schema
    client.close()
