"""The two ways any module tells the outside world something; a module calls both as needed.

- `notify(recipients=…)` is for people: one e-mail per responsible member. It is idempotent — a
  (recipient, dedup_key) pair is stored once, so a job that runs twice never mails twice.
- `publish(event=…, payload=…)` is for systems: one signed POST per active webhook of the tenant
  that subscribes to the event (see apps/notifications/events.py and webhooks.py).

They stay separate on purpose: a person wants a sentence once, a system wants structured data,
and neither choice should force the other. Both deliver after commit, in retried tasks, and
record every delivery as a row with its status.
"""

import json
import secrets
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import live
from apps.core.transactions import enqueue_task_on_commit
from apps.notifications import events, webhooks
from apps.notifications.errors import NotificationErrorCode as Code
from apps.notifications.errors import invalid
from apps.notifications.models import Notification, Webhook, WebhookDelivery

# Delivery (one attempt and its outcome) lives next door; re-exported for the tasks and callers.
from apps.notifications.services.delivery import (  # noqa: F401
    BACKOFF_MAX_SECONDS,
    MAX_ATTEMPTS,
    DeliveryAttempt,
    backoff_seconds,
    deliver_email,
    mark_failed,
    webhook_deliver,
    webhook_deliveries_stalled,
)

# Sent by name: the tasks module imports this one.
DELIVER_TASK = "notifications.deliver"
DELIVER_WEBHOOK_TASK = "notifications.deliver_webhook"


def notify(
    *, recipients: Iterable, event: str, subject: str, body: str, dedup_key: str
) -> list[Notification]:
    created = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        notification, is_new = Notification.objects.get_or_create(
            recipient=user,
            dedup_key=dedup_key[:200],
            defaults={"event": event, "subject": subject[:200], "body": body},
        )
        if is_new:
            enqueue_task_on_commit(DELIVER_TASK, str(notification.pk))
            created.append(notification)
    return created


# --- Webhooks: configuration ---------------------------------------------------------------


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _clean_url(url: str) -> str:
    url = url.strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise invalid(
            "url", "The URL may not contain spaces or control characters.", Code.INVALID_URL
        )
    try:
        parts = urlsplit(url)  # raises on an unclosed or invalid [IPv6] host
    except ValueError:
        raise invalid("url", "The URL does not parse.", Code.INVALID_URL) from None
    schemes = webhooks.allowed_schemes()
    if parts.scheme.lower() not in schemes:
        needed = "https://" if schemes == {"https"} else "http:// or https://"
        raise invalid("url", f"The URL must start with {needed}.", Code.INVALID_URL)
    if parts.username is not None or parts.password is not None:
        raise invalid(
            "url",
            "Credentials in the URL are not allowed: requests are authenticated by signature.",
            Code.INVALID_URL,
        )
    if not parts.hostname:
        raise invalid("url", "The URL has no host.", Code.INVALID_URL)
    try:
        parts.port  # noqa: B018 - raises on a malformed or out-of-range port
    except ValueError:
        raise invalid("url", "The URL's port is not valid.", Code.INVALID_URL) from None
    if settings.PRODUCTION and _names_private_host(parts.hostname):
        raise invalid("url", "Private and loopback addresses are refused.", Code.INVALID_URL)
    return url


def _names_private_host(host: str) -> bool:
    """A literal private address or localhost (names are checked again, resolved, when sent)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = webhooks.literal_address(host)  # None for a name, not an address
    return address is not None and not webhooks.is_public_address(address)


def _clean_event_types(event_types: Iterable[str]) -> list[str]:
    if isinstance(event_types, str):
        event_types = [event_types]
    names = sorted({name.strip() for name in event_types})
    unknown = [name for name in names if not events.is_known(name)]
    if unknown:
        raise invalid(
            "event_types",
            f"Unknown event type: {', '.join(unknown)}. Known: {', '.join(events.EVENT_TYPES)}.",
            Code.UNKNOWN_EVENT_TYPE,
        )
    return names


def _check_name(name: str, *, exclude_id=None) -> str:
    name = name.strip()
    if name and Webhook.objects.filter(name=name).exclude(pk=exclude_id).exists():
        raise invalid("name", "A webhook with this name exists.", Code.NAME_TAKEN)
    return name


def check_webhook_fields(
    *,
    name: str | None = None,
    url: str | None = None,
    event_types: Iterable[str] | None = None,
    exclude_id=None,
) -> dict:
    """The cleaned values of the fields given; every refusal at once, by field."""
    checks: dict[str, tuple[Any, Callable[[Any], Any]]] = {
        "name": (name, lambda value: _check_name(value, exclude_id=exclude_id)),
        "url": (url, _clean_url),
        "event_types": (event_types, _clean_event_types),
    }
    cleaned, errors = {}, {}
    for field, (value, clean) in checks.items():
        if value is None:
            continue
        try:
            cleaned[field] = clean(value)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _get_for_update(webhook_id) -> Webhook:
    rows = Webhook.objects.select_for_update()
    webhook = rows.filter(pk=webhook_id).first() if webhook_id else None
    if webhook is None:
        raise invalid("id", "No such webhook.", Code.NOT_FOUND)
    return webhook


def webhook_create(
    *,
    name: str,
    url: str,
    event_types: Iterable[str] = (),
    is_active: bool = True,
    created_by=None,
) -> Webhook:
    """A new webhook with a server-made secret; its caller shows `webhook.secret` once."""
    cleaned = check_webhook_fields(name=name, url=url, event_types=event_types)
    webhook = Webhook(**cleaned, is_active=is_active, secret=_new_secret(), created_by=created_by)
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_update(
    *,
    webhook_id,
    name: str | None = None,
    url: str | None = None,
    event_types: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> Webhook:
    """Change what is given (None leaves a field as it is); the secret changes only by rotation."""
    webhook = _get_for_update(webhook_id)
    cleaned = check_webhook_fields(
        name=name, url=url, event_types=event_types, exclude_id=webhook.pk
    )
    for field, value in cleaned.items():
        setattr(webhook, field, value)
    if is_active is not None:
        webhook.is_active = is_active
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, webhook_id) -> None:
    """The webhook and its delivery history; queued attempts find nothing and stop."""
    _get_for_update(webhook_id).delete()


@transaction.atomic
def webhook_rotate_secret(*, webhook_id) -> Webhook:
    """A new secret, effective at once (the next attempt of a pending delivery is signed with
    it); its caller shows `webhook.secret` once."""
    webhook = _get_for_update(webhook_id)
    webhook.secret = _new_secret()
    webhook.save(update_fields=["secret", "updated_at"])
    return webhook


# --- Webhooks: events ----------------------------------------------------------------------


def _envelope(*, delivery_id, event: str, data: dict, at) -> dict:
    envelope = {"id": str(delivery_id), "event": event, "created_at": at.isoformat(), "data": data}
    # The schema name is internal; receivers see the tenant's name, when this runs for one.
    tenant_name = getattr(getattr(connection, "tenant", None), "name", None)
    if tenant_name:
        envelope["tenant"] = tenant_name
    return envelope


def _json_data(payload: dict) -> dict:
    # UUIDs, Decimals and datetimes become strings now, so every attempt sends the same body.
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def _create_deliveries(
    hooks: Iterable[Webhook], *, event: str, data: dict, dedup_key: str = ""
) -> list[WebhookDelivery]:
    at = timezone.now()
    deliveries = []
    for webhook in hooks:
        delivery = WebhookDelivery(webhook=webhook, event=event, dedup_key=dedup_key)
        delivery.payload = _envelope(delivery_id=delivery.pk, event=event, data=data, at=at)
        deliveries.append(delivery)
    if dedup_key:
        # Rows whose (webhook, key) exists already are skipped; keep those actually inserted.
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        inserted = set(
            WebhookDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).values_list(
                "pk", flat=True
            )
        )
        deliveries = [d for d in deliveries if d.pk in inserted]
    else:
        WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        enqueue_task_on_commit(DELIVER_WEBHOOK_TASK, str(delivery.pk))
    return deliveries


def publish(*, event: str, payload: dict, dedup_key: str = "") -> list[WebhookDelivery]:
    """One delivery per active webhook of this tenant subscribed to `event`, sent after commit.

    `event` must be in events.EVENT_TYPES (a name missing there is a programming error);
    `payload` is the event's data: ids and values a receiver needs, JSON-serialisable.
    `dedup_key` (like notify's) makes a re-run publish nothing new: a webhook receives each
    key once; the deliveries made now are returned.
    """
    if not events.is_known(event):
        raise ValueError(f"Unknown event {event!r}: add it to apps.notifications.events first.")
    _publish_live(event, [payload])
    hooks = Webhook.objects.filter(is_active=True).filter(
        Q(event_types__len=0) | Q(event_types__contains=[event])
    )
    return _create_deliveries(
        hooks, event=event, data=_json_data(payload), dedup_key=dedup_key[:200]
    )


def publish_many(*, event: str, items: list[tuple[dict, str]]) -> int:
    """`publish` for many (payload, dedup_key) pairs of one event: the subscribed webhooks are
    looked up once (a scan raising hundreds of signals paid one lookup each). Returns how many
    deliveries were made."""
    if not events.is_known(event):
        raise ValueError(f"Unknown event {event!r}: add it to apps.notifications.events first.")
    _publish_live(event, [payload for payload, _key in items])
    hooks = list(
        Webhook.objects.filter(is_active=True).filter(
            Q(event_types__len=0) | Q(event_types__contains=[event])
        )
    )
    if not hooks:
        return 0
    return sum(
        len(
            _create_deliveries(
                hooks, event=event, data=_json_data(payload), dedup_key=dedup_key[:200]
            )
        )
        for payload, dedup_key in items
    )


def _publish_live(event: str, payloads: list[dict]) -> None:
    """Every event also reaches the tenant's live subscribers (topic `events`, after commit)."""
    live.publish_many("events", [{"event": event, "data": _json_data(p)} for p in payloads])


def webhook_test(*, webhook_id) -> WebhookDelivery:
    """Send a `ping` to one webhook (active or not), to check the endpoint and its secret."""
    webhook = Webhook.objects.filter(pk=webhook_id).first() if webhook_id else None
    if webhook is None:
        raise invalid("id", "No such webhook.", Code.NOT_FOUND)
    data = {"webhook": {"id": str(webhook.pk), "name": webhook.name}}
    return _create_deliveries([webhook], event=events.PING, data=data)[0]
