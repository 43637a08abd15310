"""Webhooks in the tenant admin: created through the service, the secret never displayed again."""

import pytest
from django_tenants.utils import schema_context

from apps.notifications import services
from apps.notifications.models import Webhook
from tests.conftest import HOST_A
from tests.notifications.conftest import KNOWN_EVENTS


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.user("a", "admin"))
    return client


def test_a_webhook_made_in_the_admin_gets_a_secret_shown_once(admin_client, world):
    response = admin_client.post(
        "/admin/notifications/webhook/add/",
        {
            "name": "Ops",
            "url": "https://hooks.example.com/ops",
            "event_types": ["risks.review_overdue", "warnings.signal_raised"],
            "is_active": "on",
        },
        HTTP_HOST=HOST_A,
        follow=True,
    )
    assert response.status_code == 200
    with schema_context(world.a.schema_name):
        webhook = Webhook.objects.get(name="Ops")
    assert webhook.secret.startswith("whsec_")
    assert webhook.created_by_id == world.user("a", "admin").pk
    assert webhook.event_types == ["risks.review_overdue", "warnings.signal_raised"]
    assert webhook.secret in response.content.decode()  # the one time

    page = admin_client.get(f"/admin/notifications/webhook/{webhook.pk}/change/", HTTP_HOST=HOST_A)
    assert page.status_code == 200 and webhook.secret not in page.content.decode()
    listing = admin_client.get("/admin/notifications/webhook/", HTTP_HOST=HOST_A)
    assert webhook.secret not in listing.content.decode()


def test_the_admin_form_applies_the_service_checks(admin_client, world):
    response = admin_client.post(
        "/admin/notifications/webhook/add/",
        {"name": "Bad", "url": "https://u:p@hooks.example.com/x", "event_types": ["risks.nope"]},
        HTTP_HOST=HOST_A,
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Credentials in the URL are not allowed" in text
    # Event types are picked from the registry: a name outside it is not a choice.
    assert response.context["adminform"].form.errors["event_types"]
    with schema_context(world.a.schema_name):
        assert not Webhook.objects.exists()


def test_event_types_are_offered_from_the_registry(admin_client):
    page = admin_client.get("/admin/notifications/webhook/add/", HTTP_HOST=HOST_A)
    field = page.context["adminform"].form.fields["event_types"]
    assert [name for name, _ in field.choices] == KNOWN_EVENTS
    assert 'type="checkbox" name="event_types" value="warnings.signal_raised"' in (
        page.content.decode()
    )


def test_deliveries_are_read_only_in_the_admin(admin_client, world):
    with schema_context(world.a.schema_name):
        webhook = services.webhook_create(name="Ops", url="https://hooks.example.com/ops")
        (delivery,) = services.publish(event="risks.review_overdue", payload={"risk": "r1"})
    listing = admin_client.get("/admin/notifications/webhookdelivery/", HTTP_HOST=HOST_A)
    assert listing.status_code == 200 and "risks.review_overdue" in listing.content.decode()
    detail = admin_client.get(
        f"/admin/notifications/webhookdelivery/{delivery.pk}/change/", HTTP_HOST=HOST_A
    )
    assert detail.status_code == 200 and webhook.secret not in detail.content.decode()
    add = admin_client.get("/admin/notifications/webhookdelivery/add/", HTTP_HOST=HOST_A)
    assert add.status_code == 403


def test_other_roles_cannot_see_webhooks_in_the_admin(client, world):
    client.force_login(world.user("a", "risk_manager"))
    assert client.get("/admin/notifications/webhook/", HTTP_HOST=HOST_A).status_code == 302


def test_secrets_are_rotated_and_webhooks_pinged_and_deleted_through_the_services(
    admin_client, world
):
    from apps.notifications.models import WebhookDelivery

    with schema_context(world.a.schema_name):
        webhook = services.webhook_create(name="Ops", url="https://hooks.example.com/ops")
    listing = "/admin/notifications/webhook/"
    chosen = {"_selected_action": [webhook.pk]}
    rotated = admin_client.post(
        listing, {**chosen, "action": "rotate_secret"}, HTTP_HOST=HOST_A, follow=True
    )
    with schema_context(world.a.schema_name):
        new_secret = Webhook.objects.get().secret
    assert new_secret != webhook.secret and new_secret in rotated.content.decode()
    pinged = admin_client.post(
        listing, {**chosen, "action": "send_test"}, HTTP_HOST=HOST_A, follow=True
    )
    assert "1 webhook pinged." in pinged.content.decode()
    with schema_context(world.a.schema_name):
        assert WebhookDelivery.objects.get().event == "ping"
    deleted = admin_client.post(
        f"/admin/notifications/webhook/{webhook.pk}/delete/", {"post": "yes"}, HTTP_HOST=HOST_A
    )
    assert deleted.status_code == 302
    with schema_context(world.a.schema_name):
        assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()
