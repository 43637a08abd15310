"""Webhooks as services: configuration checks, publishing, and delivery to a real HTTP server."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.notifications import services
from apps.notifications.events import EVENT_TYPES, PING
from apps.notifications.models import Webhook, WebhookDelivery, WebhookDeliveryStatus
from apps.notifications.tasks import deliver_webhook, redeliver_stalled_webhooks
from apps.notifications.webhooks import verify_signature

EVENT = "risks.review_overdue"


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


@pytest.fixture
def hook(in_a, receiver) -> Webhook:
    return services.webhook_create(name="SIEM", url=receiver.url, event_types=[EVENT])


def deliver(delivery: WebhookDelivery) -> services.DeliveryAttempt:
    attempt = services.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return attempt


def assert_signed(request, secret: str, delivery: WebhookDelivery) -> dict:
    headers = request.headers
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Fengkong-Event"] == delivery.event
    assert headers["X-Fengkong-Delivery"] == str(delivery.pk)
    assert verify_signature(
        secret, headers["X-Fengkong-Timestamp"], request.body, headers["X-Fengkong-Signature"]
    )
    return json.loads(request.body)


# --- configuration ---------------------------------------------------------------------------


def test_a_webhook_gets_a_server_made_secret(in_a, receiver):
    first = services.webhook_create(name="One", url=receiver.url)
    second = services.webhook_create(name="Two", url=receiver.url)
    assert first.secret.startswith("whsec_") and len(first.secret) > 40
    assert first.secret != second.secret
    assert first.event_types == [] and first.is_active


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/x",
        "hooks.example.com/x",
        "https://user:pass@hooks.example.com/x",
        "https:///no-host",
        "https://hooks.example.com:99999/x",
        "https://hooks.example.com/a b",
    ],
)
def test_a_bad_url_is_refused(in_a, url):
    with pytest.raises(ValidationError) as refused:
        services.webhook_create(name="Bad", url=url)
    assert codes(refused.value) == {"url": ["invalid_url"]}
    assert not Webhook.objects.exists()


def test_production_needs_https_and_a_public_host(in_a, settings):
    settings.PRODUCTION = True
    for url in (
        "http://hooks.example.com/x",
        "https://127.0.0.1/x",
        "https://10.1.2.3/x",
        "https://169.254.169.254/latest",
        "https://[::1]/x",
        "https://localhost/x",
    ):
        with pytest.raises(ValidationError) as refused:
            services.webhook_create(name="Bad", url=url)
        assert codes(refused.value) == {"url": ["invalid_url"]}, url
    assert services.webhook_create(name="Good", url="https://hooks.example.com/x").pk


def test_event_types_come_from_the_registry(in_a, receiver):
    with pytest.raises(ValidationError) as refused:
        services.webhook_create(
            name="Typo", url=receiver.url, event_types=[EVENT, "risks.review_overdew"]
        )
    assert codes(refused.value) == {"event_types": ["unknown_event_type"]}
    assert "risks.review_overdew" in str(refused.value)
    # Every refusal at once.
    with pytest.raises(ValidationError) as refused:
        services.webhook_create(name="Typo", url="ftp://x", event_types=["nope"])
    assert codes(refused.value) == {"url": ["invalid_url"], "event_types": ["unknown_event_type"]}


def test_names_are_unique_and_updates_change_only_what_is_given(hook, receiver):
    with pytest.raises(ValidationError) as refused:
        services.webhook_create(name="SIEM", url=receiver.url)
    assert codes(refused.value) == {"name": ["name_taken"]}
    updated = services.webhook_update(webhook_id=hook.pk, event_types=[], is_active=False)
    assert (updated.name, updated.url, updated.event_types, updated.is_active) == (
        "SIEM",
        receiver.url,
        [],
        False,
    )
    assert updated.secret == hook.secret


def test_rotation_replaces_the_secret(hook):
    rotated = services.webhook_rotate_secret(webhook_id=hook.pk)
    assert rotated.secret != hook.secret
    assert Webhook.objects.get(pk=hook.pk).secret == rotated.secret


def test_unknown_ids_are_not_found(in_a):
    for call in (
        lambda: services.webhook_update(webhook_id=None, name="x"),
        lambda: services.webhook_delete(webhook_id="00000000-0000-0000-0000-000000000000"),
        lambda: services.webhook_rotate_secret(webhook_id=None),
        lambda: services.webhook_test(webhook_id=None),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert codes(refused.value) == {"id": ["not_found"]}


# --- publishing ------------------------------------------------------------------------------


def test_publish_makes_one_delivery_per_active_matching_webhook(
    in_a, receiver, django_capture_on_commit_callbacks
):
    subscribed = services.webhook_create(name="Subscribed", url=receiver.url, event_types=[EVENT])
    everything = services.webhook_create(name="Everything", url=receiver.url)
    services.webhook_create(
        name="Other event", url=receiver.url, event_types=["warnings.signal_raised"]
    )
    services.webhook_create(name="Inactive", url=receiver.url, is_active=False)

    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        deliveries = services.publish(event=EVENT, payload={"risk": "r1", "due": "2026-01-01"})

    assert {d.webhook_id for d in deliveries} == {subscribed.pk, everything.pk}
    # One task each, sent on commit; the other callback is the event's live update (core.live).
    assert sorted(c.func.__name__ for c in enqueued) == ["_send", "_send_by_name", "_send_by_name"]
    assert WebhookDelivery.objects.count() == 2
    for delivery in WebhookDelivery.objects.all():
        assert delivery.status == WebhookDeliveryStatus.PENDING and delivery.attempts == 0
        assert delivery.payload["id"] == str(delivery.pk)
        assert delivery.payload["event"] == EVENT
        assert delivery.payload["data"] == {"risk": "r1", "due": "2026-01-01"}
        assert "tenant" not in delivery.payload  # no tenant object here (schema_context)
    assert receiver.requests == []  # nothing is sent before commit


def test_a_dedup_key_makes_a_rerun_publish_nothing_new(in_a, receiver):
    first = services.webhook_create(name="First", url=receiver.url)
    assert len(services.publish(event=EVENT, payload={"n": 1}, dedup_key="overdue:r1:day1")) == 1
    assert services.publish(event=EVENT, payload={"n": 1}, dedup_key="overdue:r1:day1") == []
    # A webhook added since gets the event on the re-run; the first does not get it twice.
    second = services.webhook_create(name="Second", url=receiver.url)
    (late,) = services.publish(event=EVENT, payload={"n": 1}, dedup_key="overdue:r1:day1")
    assert late.webhook_id == second.pk
    assert WebhookDelivery.objects.filter(webhook=first).count() == 1
    # Without a key, every call is a new event.
    assert len(services.publish(event=EVENT, payload={})) == 2
    assert len(services.publish(event=EVENT, payload={})) == 2


def test_publish_refuses_an_unregistered_event(in_a):
    with pytest.raises(ValueError, match="apps.notifications.events"):
        services.publish(event="risks.made_up", payload={})
    assert PING not in EVENT_TYPES and len(EVENT_TYPES) >= 6


def test_publish_makes_values_json(in_a, receiver):
    from decimal import Decimal
    from uuid import UUID

    services.webhook_create(name="All", url=receiver.url)
    (delivery,) = services.publish(
        event=EVENT,
        payload={"id": UUID(int=1), "value": Decimal("1.50"), "at": timezone.now()},
    )
    delivery.refresh_from_db()
    data = delivery.payload["data"]
    assert data["id"] == "00000000-0000-0000-0000-000000000001" and data["value"] == "1.50"


# --- delivery, against a real HTTP server on loopback ----------------------------------------


def test_a_delivery_posts_the_signed_event(hook, receiver):
    (delivery,) = services.publish(event=EVENT, payload={"risk": "r1"})
    attempt = deliver(delivery)

    assert attempt.retry_in is None
    assert delivery.status == WebhookDeliveryStatus.SUCCEEDED
    assert delivery.attempts == 1 and delivery.last_status_code == 200
    assert delivery.delivered_at is not None and delivery.last_error == ""
    (request,) = receiver.requests
    assert request.path == "/hooks/fengkong"
    body = assert_signed(request, hook.secret, delivery)
    assert body == delivery.payload
    assert set(body) == {"id", "event", "created_at", "data"}
    assert body["data"] == {"risk": "r1"}


def test_a_succeeded_delivery_is_never_sent_again(hook, receiver):
    (delivery,) = services.publish(event=EVENT, payload={})
    deliver(delivery)
    again = deliver(delivery)  # a redelivered task
    assert again.retry_in is None and again.delivery.status == WebhookDeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 1 and delivery.attempts == 1


def test_an_error_answer_is_retried_with_backoff_then_succeeds(hook, receiver):
    receiver.answer(500)
    (delivery,) = services.publish(event=EVENT, payload={})

    first = deliver(delivery)
    assert first.retry_in == 2  # 2^1 seconds
    assert delivery.status == WebhookDeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_status_code == 500
    assert delivery.last_error == "HTTP 500: receiver says no"
    assert delivery.next_attempt_at > timezone.now()

    second = deliver(delivery)  # what the retried task does
    assert second.retry_in is None
    assert delivery.status == WebhookDeliveryStatus.SUCCEEDED and delivery.attempts == 2
    assert delivery.last_status_code == 200 and delivery.next_attempt_at is None

    first_request, second_request = receiver.requests
    assert first_request.body == second_request.body  # the same event, the same bytes
    for request in receiver.requests:
        assert_signed(request, hook.secret, delivery)


def test_the_task_retries_eagerly_until_success(hook, receiver):
    receiver.answer(503, 500)
    (delivery,) = services.publish(event=EVENT, payload={})
    result = deliver_webhook.apply(args=[str(delivery.pk)])
    assert result.get(timeout=30) == "succeeded"
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and len(receiver.requests) == 3


def test_a_delivery_fails_after_the_last_attempt(hook, receiver):
    receiver.answer(*[500] * (services.MAX_ATTEMPTS + 2))
    (delivery,) = services.publish(event=EVENT, payload={})
    waits = []
    for _ in range(services.MAX_ATTEMPTS + 2):  # more calls than attempts: the extra do nothing
        waits.append(deliver(delivery).retry_in)
    assert waits[: services.MAX_ATTEMPTS - 1] == [2, 4, 8, 16, 32]
    assert waits[services.MAX_ATTEMPTS - 1 :] == [None, None, None]
    assert delivery.status == WebhookDeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert delivery.last_status_code == 500 and delivery.next_attempt_at is None
    assert len(receiver.requests) == services.MAX_ATTEMPTS


def test_the_task_gives_up_after_the_last_attempt(hook, receiver):
    receiver.answer(*[500] * services.MAX_ATTEMPTS)
    (delivery,) = services.publish(event=EVENT, payload={})
    result = deliver_webhook.apply(args=[str(delivery.pk)])
    assert result.get(timeout=30) == "failed"
    assert len(receiver.requests) == services.MAX_ATTEMPTS


def test_a_redirect_is_not_followed(hook, receiver, other_receiver):
    receiver.answer(307, Location=other_receiver.url)
    (delivery,) = services.publish(event=EVENT, payload={})
    deliver(delivery)
    assert delivery.status == WebhookDeliveryStatus.PENDING
    assert delivery.last_status_code == 307
    assert "redirects are not followed" in delivery.last_error
    assert other_receiver.url in delivery.last_error
    assert other_receiver.requests == []


def test_an_unreachable_receiver_is_retried(in_a, receiver):
    import socket

    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    services.webhook_create(name="Down", url=f"http://127.0.0.1:{port}/x")
    (delivery,) = services.publish(event=EVENT, payload={})
    attempt = deliver(delivery)
    assert attempt.retry_in == 2 and delivery.last_status_code is None
    assert "ConnectionRefusedError" in delivery.last_error


def test_production_refuses_private_targets_when_sending(hook, receiver, settings):
    port = receiver.url.split(":")[2].split("/")[0]
    # Made before production rules applied (or a name that now resolves to loopback).
    Webhook.objects.filter(pk=hook.pk).update(url=f"https://localhost:{port}/x")
    settings.PRODUCTION = True
    (delivery,) = services.publish(event=EVENT, payload={})
    attempt = deliver(delivery)
    assert attempt.retry_in is None  # retrying cannot help
    assert delivery.status == WebhookDeliveryStatus.FAILED
    assert "non-public address" in delivery.last_error
    Webhook.objects.filter(pk=hook.pk).update(url=receiver.url)
    (plain_http,) = services.publish(event=EVENT, payload={})
    deliver(plain_http)
    assert plain_http.status == WebhookDeliveryStatus.FAILED
    assert "scheme http is not allowed" in plain_http.last_error
    assert receiver.requests == []


def test_a_disabled_webhook_sends_nothing_pending(hook, receiver):
    (delivery,) = services.publish(event=EVENT, payload={})
    services.webhook_update(webhook_id=hook.pk, is_active=False)
    deliver(delivery)
    assert delivery.status == WebhookDeliveryStatus.FAILED
    assert delivery.last_error == "The webhook is disabled."
    assert receiver.requests == []


def test_a_ping_reaches_even_an_inactive_webhook(hook, receiver):
    services.webhook_update(webhook_id=hook.pk, is_active=False)
    delivery = services.webhook_test(webhook_id=hook.pk)
    deliver(delivery)
    assert delivery.status == WebhookDeliveryStatus.SUCCEEDED
    body = assert_signed(receiver.requests[0], hook.secret, delivery)
    assert body["event"] == PING and body["data"]["webhook"]["id"] == str(hook.pk)


def test_a_rotated_secret_signs_the_next_attempt(hook, receiver):
    receiver.answer(500)
    (delivery,) = services.publish(event=EVENT, payload={})
    deliver(delivery)
    rotated = services.webhook_rotate_secret(webhook_id=hook.pk)
    deliver(delivery)
    old, new = receiver.requests
    assert_signed(old, hook.secret, delivery)
    assert_signed(new, rotated.secret, delivery)
    assert not verify_signature(
        hook.secret,
        new.headers["X-Fengkong-Timestamp"],
        new.body,
        new.headers["X-Fengkong-Signature"],
    )


def test_a_deleted_webhook_takes_its_queued_deliveries(hook, receiver):
    (delivery,) = services.publish(event=EVENT, payload={})
    services.webhook_delete(webhook_id=hook.pk)
    assert services.webhook_deliver(delivery_id=delivery.pk) is None
    assert deliver_webhook.apply(args=[str(delivery.pk)]).get(timeout=30) == "gone"
    assert receiver.requests == []


def test_the_tick_sends_again_what_a_lost_message_left_pending(hook, receiver):
    from apps.core.periodic import tick_handlers

    (lost,) = services.publish(event=EVENT, payload={})
    (recent,) = services.publish(event=EVENT, payload={})
    WebhookDelivery.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    assert services.webhook_deliveries_stalled() == [str(lost.pk)]  # `recent`'s task is on its way

    assert tick_handlers()["notifications.redeliver_webhooks"] is redeliver_stalled_webhooks
    conf = deliver_webhook.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, True  # no broker in this test
    try:
        assert redeliver_stalled_webhooks() == {"requeued": 1}
    finally:
        conf.task_always_eager = eager
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == WebhookDeliveryStatus.SUCCEEDED
    assert recent.status == WebhookDeliveryStatus.PENDING
    assert [r.headers["X-Fengkong-Delivery"] for r in receiver.requests] == [str(lost.pk)]


# --- IPv6 transition addresses: the IPv4 they embed decides ---------------------------------

METADATA_IN_IPV6 = {
    "NAT64 (64:ff9b::/96)": "64:ff9b::a9fe:a9fe",
    "NAT64 local-use (64:ff9b:1::/48)": "64:ff9b:1::a9fe:a9fe",
    "6to4 (2002::/16)": "2002:a9fe:a9fe::",
    "IPv4-compatible (::/96)": "::169.254.169.254",
    "IPv4-translated (::ffff:0:0:0/96)": "::ffff:0:a9fe:a9fe",
    "IPv4-mapped (::ffff:0:0/96)": "::ffff:169.254.169.254",
    # Teredo: the client's IPv4 is stored inverted (0x5601 = ~0xa9fe)
    "Teredo (2001::/32)": "2001:0:4136:e378:8000:63bf:5601:5601",
    "6to4 of loopback": "2002:7f00:1::",
    "NAT64 of a private address": "64:ff9b::a00:1",
}


@pytest.mark.parametrize("address", METADATA_IN_IPV6.values(), ids=METADATA_IN_IPV6.keys())
def test_transition_addresses_embedding_a_private_ipv4_are_not_public(address):
    from apps.notifications.webhooks import is_public_address

    assert is_public_address(address) is False


def test_transition_addresses_of_a_public_ipv4_stay_public():
    from apps.notifications.webhooks import is_public_address

    for address in ("64:ff9b::808:808", "2002:808:808::1", "2606:4700:4700::1111", "8.8.8.8"):
        assert is_public_address(address) is True, address


@pytest.mark.parametrize("address", METADATA_IN_IPV6.values(), ids=METADATA_IN_IPV6.keys())
def test_production_refuses_transition_addresses_at_creation(in_a, settings, address):
    settings.PRODUCTION = True
    with pytest.raises(ValidationError) as refused:
        services.webhook_create(name="Metadata", url=f"https://[{address}]/latest")
    assert codes(refused.value) == {"url": ["invalid_url"]}
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "127.1", "0251.0376.0251.0376"])
def test_production_refuses_legacy_ipv4_spellings_at_creation(in_a, settings, host):
    settings.PRODUCTION = True
    with pytest.raises(ValidationError) as refused:
        services.webhook_create(name="Loopback", url=f"https://{host}/x")
    assert codes(refused.value) == {"url": ["invalid_url"]}


def test_production_refuses_transition_addresses_when_sending(hook, receiver, settings):
    # Made before the guard knew these forms: refused again when sent, and nothing connects.
    Webhook.objects.filter(pk=hook.pk).update(url="https://[64:ff9b::a9fe:a9fe]/latest")
    settings.PRODUCTION = True
    (delivery,) = services.publish(event=EVENT, payload={})
    attempt = deliver(delivery)
    assert attempt.retry_in is None
    assert delivery.status == WebhookDeliveryStatus.FAILED
    assert "non-public address (64:ff9b::a9fe:a9fe)" in delivery.last_error
