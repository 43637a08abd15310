"""The activation timeline, live: each event as it is appended (apps.core.live, after commit).

Events are re-read as `node(id:)` reads them over HTTP, with the subscriber's current role, so
the socket never sends what the same member could not query (docs/subscriptions.md)."""

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import resolve_node
from apps.core.graphql.permissions import IsViewer
from apps.emergency.graphql.types_response import TimelineEventType
from apps.emergency.services.common import TIMELINE_TOPIC
from apps.subscriptions.access import Refused


def _node(info: Info, gid: relay.GlobalID, type_name: str):
    return resolve_node(info, gid) if gid.type_name == type_name else None


def _opening(info: Info, gid: relay.GlobalID):
    """(the activation, its newest event) as this member reads them; (None, None): no such
    activation here."""
    activation = _node(info, gid, "Activation")
    if activation is None:
        return None, None
    newest = activation.timeline.order_by("-created_at").values_list("pk", flat=True).first()
    if newest is None:
        return activation, None
    return activation, _node(info, relay.GlobalID("TimelineEvent", str(newest)), "TimelineEvent")


@strawberry.type
class EmergencySubscription:
    @strawberry.subscription(
        permission_classes=[IsViewer],
        description="An activation's timeline as it grows: first its newest event so far (the "
        "subscription is live from then on), then each new event once committed, until the "
        "activation is closed (its CLOSED event is the last message). One null and complete "
        "when the id names no activation here. Viewers and up. Over the websocket only "
        "(docs/subscriptions.md).",
    )
    async def activation_timeline(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="An Activation id.")],
    ) -> AsyncGenerator[TimelineEventType | None, None]:
        ws = info.context.ws
        try:
            async with ws.listen(TIMELINE_TOPIC) as published:  # listening before the read
                activation, newest = await ws.read(_opening, info, id)
                yield newest
                await ws.release()
                if activation is None or activation.status == "closed":
                    return
                wanted = str(activation.pk)
                async for _topic, payload in published:
                    if payload.get("activation") != wanted:
                        continue
                    gid = relay.GlobalID("TimelineEvent", payload.get("id", ""))
                    event = await ws.read(_node, info, gid, "TimelineEvent")
                    if event is None:
                        continue  # not readable by this member (now)
                    yield event
                    await ws.release()
                    if event.kind == "closed":
                        return
        except Refused:
            return
