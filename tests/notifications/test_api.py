"""Webhooks through GraphQL, as a tenant admin's console uses them."""

import json
import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.notifications import services
from apps.notifications.models import Webhook, WebhookDelivery
from apps.notifications.webhooks import verify_signature
from tests.conftest import error_codes
from tests.kit.roles import ROLES
from tests.notifications.conftest import KNOWN_EVENTS

FIELDS = "id name url events isActive createdBy { email }"
CREATE = f"""mutation($input: WebhookCreateInput!) {{ webhookCreate(input: $input) {{
  secret webhook {{ {FIELDS} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($input: WebhookUpdateInput!) {{ webhookUpdate(input: $input) {{
  webhook {{ {FIELDS} }} errors {{ field code message }} }} }}"""
ROTATE = """mutation($id: ID!) { webhookRotateSecret(input: {id: $id}) {
  secret webhook { id } errors { field code } } }"""
TEST = """mutation($id: ID!) { webhookTest(input: {id: $id}) {
  delivery { id event status payload webhook { name } } errors { field code } } }"""
DELETE = (
    """mutation($id: ID!) { webhookDelete(input: {id: $id}) { deletedId errors { field code } } }"""
)
LIST = f"{{ webhooks(first: 100) {{ totalCount edges {{ node {{ {FIELDS} }} }} }} }}"
DELIVERIES = """query($webhook: ID) { webhookDeliveries(first: 100, webhook: $webhook) {
  totalCount edges { node { id event status attempts lastStatusCode lastError deliveredAt
  payload webhook { name } } } } }"""
NODE = """query($id: ID!) { node(id: $id) { ... on Webhook { name url } } }"""


def create(client, **fields) -> dict:
    values = {"name": "SIEM", "url": "https://hooks.example.com/fengkong", **fields}
    return client.ok(CREATE, {"input": values})["webhookCreate"]


def test_an_admin_creates_a_webhook_and_sees_the_secret_once(api):
    admin = api("a", "admin")
    created = create(admin, events=["RISKS_REVIEW_OVERDUE", "WARNINGS_SIGNAL_RAISED"])
    assert created["errors"] == []
    assert created["secret"].startswith("whsec_")
    webhook = created["webhook"]
    assert webhook["name"] == "SIEM" and webhook["isActive"] is True
    assert webhook["events"] == ["RISKS_REVIEW_OVERDUE", "WARNINGS_SIGNAL_RAISED"]
    assert webhook["createdBy"] == {"email": "admin@a.test"}

    # Afterwards: no field shows it, and no answer contains it.
    listed = admin.raw(LIST).content.decode()
    assert webhook["id"] in listed and created["secret"] not in listed
    asked = admin("{ webhooks(first: 1) { edges { node { secret } } } }")
    assert "Cannot query field 'secret'" in asked["errors"][0]["message"]

    rotated = admin.ok(ROTATE, {"id": webhook["id"]})["webhookRotateSecret"]
    assert rotated["errors"] == [] and rotated["secret"] not in (None, created["secret"])

    # The audit trail records the rotation without the secret (neither old nor new).
    trail = admin.raw(
        '{ auditEntries(first: 10, objectType: "notifications.webhook") '
        "{ edges { node { action changes } } } }"
    )
    assert created["secret"] not in trail.content.decode()
    assert rotated["secret"] not in trail.content.decode()
    entries = [e["node"] for e in trail.json()["data"]["auditEntries"]["edges"]]
    assert [e["action"] for e in entries] == ["UPDATE", "CREATE"]
    assert entries[0]["changes"] == {"secret": ["********", "********"]}


def test_update_and_delete(api, world):
    admin = api("a", "admin")
    webhook = create(admin)["webhook"]
    updated = admin.ok(
        UPDATE,
        {
            "input": {
                "id": webhook["id"],
                "isActive": False,
                "events": ["RISKS_ACCEPTANCE_EXPIRED"],
            }
        },
    )["webhookUpdate"]
    assert updated["errors"] == []
    assert updated["webhook"]["isActive"] is False
    assert updated["webhook"]["events"] == ["RISKS_ACCEPTANCE_EXPIRED"]
    assert updated["webhook"]["url"] == webhook["url"]

    deleted = admin.ok(DELETE, {"id": webhook["id"]})["webhookDelete"]
    assert deleted == {"deletedId": webhook["id"], "errors": []}
    assert admin.ok(LIST)["webhooks"]["totalCount"] == 0
    again = admin.ok(DELETE, {"id": webhook["id"]})["webhookDelete"]
    assert again["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


@pytest.mark.parametrize(
    "fields,field,code",
    [
        ({"url": "ftp://hooks.example.com/x"}, "url", "INVALID_URL"),
        ({"url": "https://user:pw@hooks.example.com/x"}, "url", "INVALID_URL"),
        ({"url": "https://"}, "url", "INVALID_URL"),
        ({"events": ["RISKS_REVIEW_OVERDUE", "PING"]}, "events", "UNKNOWN_EVENT_TYPE"),
        ({"name": "  "}, "name", "INVALID"),
    ],
)
def test_invalid_input_is_a_typed_error_and_writes_nothing(api, world, fields, field, code):
    admin = api("a", "admin")
    refused = create(admin, **fields)
    assert refused["webhook"] is None and refused["secret"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [(field, code)]
    assert refused["errors"][0]["message"]
    with schema_context(world.a.schema_name):
        assert not Webhook.objects.exists()


def test_an_event_no_module_declares_is_refused_by_its_type_and_writes_nothing(api, world):
    body = api("a", "admin")(
        CREATE, {"input": {"name": "X", "url": "https://h.example.com/", "events": ["RISKS_NOPE"]}}
    )
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    with schema_context(world.a.schema_name):
        assert not Webhook.objects.exists()


def test_a_taken_name_is_a_typed_error(api):
    admin = api("a", "admin")
    create(admin)
    refused = create(admin)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("name", "NAME_TAKEN")]


OPERATIONS = [
    LIST,
    "{ webhookDeliveries(first: 5) { totalCount } }",
    "{ webhookEventTypes { name } }",
    'mutation { webhookCreate(input: {name: "x", url: "https://x.example.com"}) { errors { code } } }',
]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op[:30])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_webhooks_are_for_admins_only(api, world, operation, role):
    body = api("a", role)(operation)
    assert error_codes(body) == ["FORBIDDEN"] and body["data"] is None
    with schema_context(world.a.schema_name):
        assert not Webhook.objects.exists()


def test_node_lookup_of_a_webhook_is_for_admins_only(api):
    webhook = create(api("a", "admin"))["webhook"]
    assert api("a", "admin").ok(NODE, {"id": webhook["id"]})["node"]["name"] == "SIEM"
    assert api("a", "viewer").ok(NODE, {"id": webhook["id"]})["node"] is None


def test_tenant_b_cannot_see_or_touch_tenant_a_webhooks(api, world):
    a_webhook = create(api("a", "admin"))["webhook"]
    b_admin = api("b", "admin")
    assert b_admin.ok(LIST)["webhooks"]["totalCount"] == 0
    assert b_admin.ok(NODE, {"id": a_webhook["id"]})["node"] is None
    assert (
        b_admin.ok(DELIVERIES, {"webhook": a_webhook["id"]})["webhookDeliveries"]["totalCount"] == 0
    )
    for mutation, name in (
        (ROTATE, "webhookRotateSecret"),
        (TEST, "webhookTest"),
        (DELETE, "webhookDelete"),
    ):
        answer = b_admin.ok(mutation, {"id": a_webhook["id"]})[name]
        assert answer["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    updated = b_admin.ok(UPDATE, {"input": {"id": a_webhook["id"], "name": "hijacked"}})
    assert updated["webhookUpdate"]["errors"] == [
        {"field": "id", "code": "NOT_FOUND", "message": "No such webhook."}
    ]
    # A's admin token is worthless on B's host.
    with schema_context(world.b.schema_name):
        services.publish(event="risks.review_overdue", payload={})
        assert not WebhookDelivery.objects.exists()
    connection.set_schema_to_public()
    a_list = api("a", "admin").ok(LIST)["webhooks"]
    assert a_list["totalCount"] == 1 and a_list["edges"][0]["node"]["name"] == "SIEM"


def test_webhook_test_sends_a_signed_ping(api, world, receiver):
    admin = api("a", "admin")
    created = create(admin, url=receiver.url, events=["WARNINGS_SIGNAL_RAISED"])
    webhook = created["webhook"]
    ping = admin.ok(TEST, {"id": webhook["id"]})["webhookTest"]
    assert ping["errors"] == []
    delivery = ping["delivery"]
    assert delivery["event"] == "ping" and delivery["status"] == "PENDING"
    assert delivery["payload"]["tenant"] == "Tenant A"  # the name, never the schema
    assert "tenant_a" not in json.dumps(delivery["payload"])

    # The task's work, after commit (the test transaction never commits).
    with schema_context(world.a.schema_name):
        (row,) = WebhookDelivery.objects.all()
        services.webhook_deliver(delivery_id=row.pk)
    connection.set_schema_to_public()
    (request,) = receiver.requests
    assert verify_signature(
        created["secret"],
        request.headers["X-Fengkong-Timestamp"],
        request.body,
        request.headers["X-Fengkong-Signature"],
    )
    assert json.loads(request.body)["data"]["webhook"]["name"] == "SIEM"

    listed = admin.ok(DELIVERIES, {"webhook": webhook["id"]})["webhookDeliveries"]
    assert listed["totalCount"] == 1
    node = listed["edges"][0]["node"]
    assert node["status"] == "SUCCEEDED" and node["attempts"] == 1
    assert node["lastStatusCode"] == 200 and node["deliveredAt"]
    assert node["webhook"] == {"name": "SIEM"}


def test_deliveries_are_newest_first_and_filtered_by_webhook(api, world):
    admin = api("a", "admin")
    first = create(admin, name="First")["webhook"]
    create(admin, name="Second", events=["RISKS_ACCEPTANCE_EXPIRED"])
    with schema_context(world.a.schema_name):
        services.publish(event="risks.review_overdue", payload={"n": 1})
        services.publish(event="risks.acceptance_expired", payload={"n": 2})
    connection.set_schema_to_public()
    everything = admin.ok(DELIVERIES)["webhookDeliveries"]
    assert [e["node"]["payload"]["data"]["n"] for e in everything["edges"]] == [2, 2, 1]
    only_first = admin.ok(DELIVERIES, {"webhook": first["id"]})["webhookDeliveries"]
    assert [e["node"]["event"] for e in only_first["edges"]] == [
        "risks.acceptance_expired",
        "risks.review_overdue",
    ]
    for wrong in (to_base64("Webhook", "not-a-uuid"), to_base64("Job", uuid.uuid4())):
        assert admin.ok(DELIVERIES, {"webhook": wrong})["webhookDeliveries"]["totalCount"] == 0


def test_the_event_registry_is_queryable(api):
    names = [
        e["name"]
        for e in api("a", "admin").ok("{ webhookEventTypes { name description } }")[
            "webhookEventTypes"
        ]
    ]
    assert names == KNOWN_EVENTS


def test_pages_are_bounded(api):
    body = api("a", "admin")("{ webhooks(first: 101) { totalCount } }")
    assert error_codes(body) == ["BAD_PAGINATION"]
