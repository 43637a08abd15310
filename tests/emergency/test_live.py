"""The live activation timeline over a real websocket (uvicorn, as Procfile `ws` runs it): A's
viewer hears each committed event of A's activation and the subscription ends at closing;
B's admin asking for A's activation gets one null. The data is committed and removed after."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from strawberry import relay

from tests.conftest import HOST_A, HOST_B
from tests.subscriptions.client import signed_in
from tests.subscriptions.conftest import asgi_server  # noqa: F401 - the server fixture

pytestmark = pytest.mark.worker
CODE = "live_timeline"
TIMELINE = (
    "subscription($id: ID!) { activationTimeline(id: $id) { kind text pinned level { code } } }"
)


def test_the_tenant_exists(world):  # makes the test database before the server starts
    assert world.a.schema_name == "tenant_a"


@pytest.fixture
def committed(django_db_blocker):
    from apps.accounts import services as accounts
    from apps.accounts.models import ApiToken, User
    from apps.emergency.models import Activation, Plan, Scenario, SeverityLevel, TimelineEvent
    from apps.emergency.services import activations, plans
    from apps.people.models import Person
    from apps.people.services.people import person_create
    from apps.tenants.models import Tenant

    tokens = []

    def token(tenant_key: str, role: str) -> str:
        tenant = Tenant.objects.get(schema_name=f"tenant_{tenant_key}")
        user = User.objects.get(email=f"{role}@{tenant_key}.test")
        issued = accounts.token_issue(user=user, tenant=tenant, name="live timeline")
        tokens.append(issued.token.pk)
        return issued.secret

    with django_db_blocker.unblock():
        with schema_context("tenant_a"):
            manager = User.objects.get(email="risk_manager@a.test")
            commander = person_create(employee_number="LIVE1", full_name="Live Commander")
            plan = plans.plan_create(
                code=CODE, name="Live", scenario_id=Scenario.objects.get(code="data_leak").pk
            )
            version = plan.versions.get()
            plans.version_update(
                version_id=version.pk,
                roles=[{"role": "commander", "person_id": commander.pk}],
                steps=[
                    {
                        "phase": "response",
                        "action": "Isolate",
                        "responsible_role": "commander",
                        "time_target_minutes": 15,
                    }
                ],
            )
            plans.version_transition(version_id=version.pk, to="in_review")
            plans.version_transition(
                version_id=version.pk, to="approved", actor=manager, actor_role="risk_manager"
            )
            activation = activations.activation_declare(
                plan_id=plan.pk, level_id=SeverityLevel.objects.get(code="III").pk
            )
        connection.set_schema_to_public()
        yield token, activation.pk
        ApiToken.objects.filter(pk__in=tokens).delete()
        with schema_context("tenant_a"):
            TimelineEvent.objects.filter(activation__plan__code=CODE).delete()
            Activation.objects.filter(plan__code=CODE).delete()
            Plan.objects.filter(code=CODE).delete()
            Person.objects.filter(employee_number="LIVE1").delete()
        connection.set_schema_to_public()


def _next(client) -> dict:
    message = client.receive()
    assert message.get("type") == "next", message
    return message["payload"]["data"]["activationTimeline"]


def test_a_viewer_hears_the_timeline_until_closing_and_another_tenant_nothing(
    asgi_server,  # noqa: F811
    committed,
    django_db_blocker,
):
    from apps.emergency.models import SeverityLevel
    from apps.emergency.services import activations, response

    token, activation_pk = committed
    gid = str(relay.GlobalID("Activation", str(activation_pk)))
    outsider = signed_in(HOST_B, asgi_server, token("b", "admin"))
    outsider.subscribe(TIMELINE, {"id": gid})
    assert outsider.receive() == {
        "id": "1",
        "type": "next",
        "payload": {"data": {"activationTimeline": None}},
    }
    assert outsider.receive() == {"id": "1", "type": "complete"}
    viewer = signed_in(HOST_A, asgi_server, token("a", "viewer"))
    viewer.subscribe(TIMELINE, {"id": gid})
    # The newest event so far first (declaration, then the commander's term): live from here.
    assert _next(viewer)["kind"] == "ROLE_ASSIGNED"
    # A write that rolls back is never heard; the next committed ones are, in order.
    with django_db_blocker.unblock(), schema_context("tenant_a"):
        with pytest.raises(Exception):  # noqa: B017, PT011 - refused: no text
            response.note_add(activation_id=activation_pk, text=" ")
        response.note_add(activation_id=activation_pk, text="隔离完成", pinned=True)
        activations.level_change(
            activation_id=activation_pk, level_id=SeverityLevel.objects.get(code="II").pk
        )
    assert _next(viewer) == {"kind": "NOTE", "text": "隔离完成", "pinned": True, "level": None}
    assert _next(viewer)["level"] == {"code": "II"}
    with django_db_blocker.unblock(), schema_context("tenant_a"):
        activations.activation_close(
            activation_id=activation_pk,
            root_cause="Phishing",
            lessons_learned="MFA",
            follow_up_actions="Roll out MFA",
        )
    assert _next(viewer) == {"kind": "CLOSED", "text": "Phishing", "pinned": False, "level": None}
    assert viewer.receive() == {"id": "1", "type": "complete"}
    viewer.close()
    outsider.close()
