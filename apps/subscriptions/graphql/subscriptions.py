"""The tenant Subscription root: live job progress and warning-signal events.

Each event re-reads its object as `node(id:)` does over HTTP — through the type's minimum role
and row rules, for the subscriber's current role — so a subscription never sends what the same
member could not query. What is published, and where, is apps.core.live's (payloads hold ids).
"""

from collections.abc import AsyncGenerator
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import resolve_node
from apps.core.graphql.permissions import IsViewer
from apps.core.graphql.types import JobType
from apps.core.lifecycle import live_topic
from apps.core.models import Job, JobStatus
from apps.early_warning.graphql.types import SignalStatusEnum, WarningSignalType
from apps.subscriptions.access import Refused

JOB_TOPIC = live_topic(Job)
# the model behind the GraphQL type (set by strawberry_django.type): no import of the model
SIGNAL_TOPIC = live_topic(WarningSignalType.__strawberry_django_definition__.model)  # type: ignore[attr-defined]
EVENTS_TOPIC = "events"  # every webhook event of the tenant (apps.notifications)

FINISHED = {JobStatus.SUCCEEDED, JobStatus.FAILED}
RAISED_EVENT = "warnings.signal_raised"
SIGNAL_EVENT_PREFIX = "warnings.signal_"
# Webhook events that name a status change: the lifecycle already publishes the transition.
STATUS_EVENTS = {
    f"{SIGNAL_EVENT_PREFIX}{status}"
    for status in ("acknowledged", "escalated", "resolved", "dismissed")
}


@strawberry.enum(name="WarningSignalEventKind", description="What happened to a signal.")
class WarningSignalEventKind(Enum):
    RAISED = strawberry.enum_value(
        "raised", description="A scan raised it, or its severity worsened to red."
    )
    TRANSITIONED = strawberry.enum_value(
        "transitioned",
        description="Its status changed (by a member, or by a scan: escalation, auto-resolve); "
        "`fromStatus` says from what.",
    )
    CHANGED = strawberry.enum_value(
        "changed", description="Another change the module announces for a signal."
    )


@strawberry.type(
    name="WarningSignalEvent", description="One change of a warning signal of this tenant."
)
class WarningSignalEvent:
    kind: WarningSignalEventKind = strawberry.field(description="What happened.")
    signal: WarningSignalType = strawberry.field(description="The signal, as it is now.")
    from_status: SignalStatusEnum | None = strawberry.field(
        description="The status it left (TRANSITIONED only; null otherwise)."
    )


def _node(info: Info, gid: relay.GlobalID, type_name: str):
    """What `node(id:)` answers this member over HTTP, when the id names a `type_name`."""
    return resolve_node(info, gid) if gid.type_name == type_name else None


@strawberry.type
class LiveSubscription:
    @strawberry.subscription(
        permission_classes=[IsViewer],
        description="The job now, then again at each progress tick and status change, until it "
        "succeeds or fails (then the subscription completes). One null and complete when the "
        "id names no job here. Viewers and up. Over the websocket only (docs/subscriptions.md).",
    )
    async def job_progress(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The job's global id.")],
    ) -> AsyncGenerator[JobType | None, None]:
        ws = info.context.ws
        try:
            async with ws.listen(JOB_TOPIC) as published:  # listening before the first read
                job = await ws.read(_node, info, id, "Job")
                yield job
                await ws.release()
                if job is None or job.status in FINISHED:
                    return
                sent = _state(job)
                async for _topic, payload in published:
                    if payload.get("id") != str(job.pk):
                        continue
                    job = await ws.read(_node, info, id, "Job")
                    if job is None:
                        return
                    if _state(job) == sent:
                        continue  # ticks that arrived together: this state was sent already
                    sent = _state(job)
                    yield job
                    await ws.release()
                    if job.status in FINISHED:
                        return
        except Refused:
            return  # the consumer closed the socket, saying why

    @strawberry.subscription(
        permission_classes=[IsViewer],
        description="Warning signals of this tenant as they are raised, change status or "
        "otherwise change, each with the signal as it is now. Viewers and up. Over the "
        "websocket only (docs/subscriptions.md).",
    )
    async def warning_signal_events(self, info: Info) -> AsyncGenerator[WarningSignalEvent, None]:
        ws = info.context.ws
        try:
            async with ws.listen(SIGNAL_TOPIC, EVENTS_TOPIC) as published:
                async for topic, payload in published:
                    parsed = (
                        _from_transition(payload) if topic == SIGNAL_TOPIC else _from_event(payload)
                    )
                    if parsed is None:
                        continue
                    kind, signal_id, before = parsed
                    signal = await ws.read(
                        _node, info, relay.GlobalID("WarningSignal", signal_id), "WarningSignal"
                    )
                    if signal is None:
                        continue  # gone, or not readable by this member
                    yield WarningSignalEvent(
                        kind=kind,
                        signal=signal,
                        from_status=SignalStatusEnum(before) if before else None,
                    )
                    await ws.release()
        except Refused:
            return


def _state(job: Job) -> tuple:
    return job.status, job.progress, job.updated_at


def _from_transition(payload: dict):
    if payload.get("kind") != "transitioned" or not payload.get("id"):
        return None
    return WarningSignalEventKind.TRANSITIONED, payload["id"], payload.get("from")


def _from_event(payload: dict):
    event, data = payload.get("event", ""), payload.get("data") or {}
    if not event.startswith(SIGNAL_EVENT_PREFIX) or event in STATUS_EVENTS:
        return None
    if not isinstance(data.get("signal"), str):
        return None
    kind = (
        WarningSignalEventKind.RAISED if event == RAISED_EVENT else WarningSignalEventKind.CHANGED
    )
    return kind, data["signal"], None
