"""apps.core.live: published after commit only, on the tenant's own group, in the layer's format."""

import asyncio
import uuid

import pytest
import redis
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubLoopLayer
from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import schema_context

from apps.core import live


def test_the_channel_name_is_the_pubsub_layers_own():
    async def layers_name() -> str:
        return RedisPubSubLoopLayer(prefix="pfx")._get_group_channel_name("tenant_a.core.job")

    assert live.channel_name("tenant_a.core.job", prefix="pfx") == asyncio.run(layers_name())
    assert live.channel_name("tenant_a.core.job", prefix="pfx") == "pfx__group__tenant_a.core.job"


def test_groups_are_named_by_the_tenants_schema():
    assert live.group_name("core.job", schema_name="tenant_a") == "tenant_a.core.job"
    assert live.group_name("core.job", schema_name="tenant_b") == "tenant_b.core.job"


def test_nothing_is_sent_before_commit_nor_for_a_rolled_back_write(
    in_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        live.publish("core.job", {"id": "1"})
        with pytest.raises(RuntimeError), transaction.atomic():
            live.publish("core.job", {"id": "2"})
            raise RuntimeError("rolled back")
    assert len(callbacks) == 1  # the rolled-back savepoint's publish is dropped with it


def test_the_public_schema_publishes_no_tenant_topic(db, django_capture_on_commit_callbacks):
    connection.set_schema_to_public()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        live.publish("core.job", {"id": "1"})
    assert callbacks == []


def test_a_published_payload_reaches_the_groups_redis_channel(
    db, django_capture_on_commit_callbacks
):
    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    listener = redis.Redis.from_url(
        settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    ).pubsub()
    listener.subscribe(live.channel_name("tenant_a.core.job", prefix=prefix))
    assert listener.get_message(timeout=5)["type"] == "subscribe"
    job_id = uuid.uuid4()
    with schema_context("tenant_a"), django_capture_on_commit_callbacks(execute=True):
        live.publish("core.job", {"id": job_id, "kind": "progress"})
    message = listener.get_message(timeout=5)
    listener.close()
    assert get_channel_layer().deserialize(message["data"]) == {
        "type": "live.event",
        "topic": "core.job",
        "payload": {"id": str(job_id), "kind": "progress"},
    }
