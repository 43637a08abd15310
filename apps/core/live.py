"""Live updates: what a service tells the subscribers of one tenant, after its commit.

    live.publish("core.job", {"id": str(job.pk), "kind": "progress"})

sends the payload to every open subscription of this tenant listening to `core.job` once the
transaction commits (never for a rolled-back write). The group is named by the tenant's schema
(`<schema>.<topic>`), so a subscriber of tenant A can never be in a group of tenant B. Payloads
carry ids and what happened, not data: each subscription reads the object again, through the
type's role rules, as its subscriber may see it (apps/subscriptions).

Topics in use:
- `<app_label>.<model_name>` (e.g. `core.job`, `early_warning.warningsignal`): every status
  change made through apps.core.lifecycle, `{"id", "kind": "transitioned", "from", "to"}`;
- `core.job` also `{"id", "kind": "progress"}` for each progress tick;
- `events`: every webhook event of the tenant, `{"event", "data"}` (apps.notifications);
- platform topics (no tenant): `token.<id>` when a token is revoked (open sockets close).

Delivery is best effort, like any live feed: a publish that Redis refuses is logged and
dropped, never an error for the write that caused it (clients re-read on reconnect).
"""

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

log = logging.getLogger(__name__)

MESSAGE_TYPE = "live.event"  # what the subscriptions listen for (the channel layer's "type")
PLATFORM = "platform"  # the group prefix of topics that belong to no tenant


def group_name(topic: str, *, schema_name: str) -> str:
    """The channel-layer group of `topic` in one tenant (letters, digits, `-_.` only)."""
    return f"{schema_name}.{topic}"


def publish(topic: str, payload: dict[str, Any]) -> None:
    """Send `payload` to this tenant's subscribers of `topic` after commit (see the module)."""
    publish_many(topic, [payload])


def publish_many(topic: str, payloads: list[dict[str, Any]]) -> None:
    """`publish` for several payloads of one topic: one message to the broker for all."""
    schema_name = connection.schema_name
    if not payloads or schema_name == get_public_schema_name():
        return  # tenant topics only exist in a tenant (a public write has no subscribers)
    _after_commit(group_name(topic, schema_name=schema_name), topic, payloads)


def publish_platform(topic: str, payload: dict[str, Any]) -> None:
    """A topic that belongs to no tenant (a token's revocation), after commit."""
    _after_commit(group_name(topic, schema_name=PLATFORM), topic, [payload])


def _after_commit(group: str, topic: str, payloads: list[dict[str, Any]]) -> None:
    if not getattr(settings, "CHANNEL_LAYERS", None):
        return
    # JSON-safe now (UUIDs, Decimals, datetimes as strings): the layer serialises with msgpack.
    payloads = [_json_safe(p) for p in payloads]
    transaction.on_commit(partial(_send, group, topic, payloads))


def _json_safe(payload: dict[str, Any]) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def _send(group: str, topic: str, payloads: list[dict[str, Any]]) -> None:
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        for payload in payloads:
            await layer.group_send(
                group, {"type": MESSAGE_TYPE, "topic": topic, "payload": payload}
            )

    try:
        async_to_sync(send_all)()
    except Exception:  # noqa: BLE001 - a live feed never fails the write that fed it
        log.warning("live update to %s not sent", group, exc_info=True)
