from enum import Enum
from typing import TYPE_CHECKING

import strawberry
import strawberry_django
from strawberry.scalars import JSON

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.core.graphql.errors import choices_enum
from apps.core.graphql.nodes import TenantNode
from apps.notifications import events
from apps.notifications import models as m

if TYPE_CHECKING:  # the model's enum to the checker; a described GraphQL enum at run time
    WebhookDeliveryStatusEnum = m.WebhookDeliveryStatus
else:
    WebhookDeliveryStatusEnum = choices_enum(
        m.WebhookDeliveryStatus, "WebhookDeliveryStatus", "Where a delivery stands."
    )


def _event_enum() -> type[Enum]:
    """Every event of the manifests (and `ping`), named like `WARNINGS_SIGNAL_RAISED` with its
    wire name `warnings.signal_raised` as the value; each described by its manifest."""
    names = {**events.EVENT_TYPES, events.PING: "Sent by webhookTest only."}
    enum = Enum(  # type: ignore[misc]
        "WebhookEvent", {name.upper().replace(".", "_"): name for name in names}
    )
    strawberry.enum(
        enum,
        name="WebhookEvent",
        description="An event webhooks receive (its name on the wire, in the payload's `event`, "
        "is the lower-case dotted one, e.g. warnings.signal_raised).",
    )
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = names[enum[value.name].value]
    return enum


if TYPE_CHECKING:  # its members come from the manifests: a plain Enum to the checker
    WebhookEventEnum = Enum
else:
    WebhookEventEnum = _event_enum()


def _events(names) -> list:
    known = {e.value: e for e in WebhookEventEnum}
    return [known[n] for n in names if n in known]  # a name no manifest declares any more: left out


@strawberry_django.type(
    m.Webhook,
    name="Webhook",
    description="An endpoint of the tenant's that receives events, signed with its secret "
    "(the secret is shown only by webhookCreate and webhookRotateSecret).",
)
class WebhookType(TenantNode):
    min_role = Role.ADMIN  # a webhook's URL and its deliveries' payloads are for admins only

    name: str = strawberry_django.field(description="Unique, for people.")
    url: str = strawberry_django.field(description="Where events are POSTed.")
    event_types: list[str] = strawberry_django.field(
        description="Subscribed event names; empty means every event.",
        deprecation_reason="Read `events` (an enum).",
    )

    @strawberry_django.field(
        only=["event_types"], description="The events it subscribes to; empty means every event."
    )
    def events(self) -> list[WebhookEventEnum]:
        return _events(self.event_types)

    is_active: bool = strawberry_django.field(description="False: paused, nothing is sent.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was added.")
    updated_at: strawberry.auto = strawberry_django.field(description="Last change.")
    created_by: UserType | None = strawberry_django.field(description="Who added it.")


@strawberry_django.type(
    m.WebhookDelivery,
    name="WebhookDelivery",
    description="One event sent to one webhook, and the outcome of its latest attempt.",
)
class WebhookDeliveryType(TenantNode):
    min_role = Role.ADMIN

    event: str = strawberry_django.field(
        description="The event's name.", deprecation_reason="Read `eventType` (an enum)."
    )

    @strawberry_django.field(only=["event"], description="The event sent.")
    def event_type(self) -> WebhookEventEnum | None:
        found = _events([self.event])
        return found[0] if found else None

    payload: JSON = strawberry_django.field(description="The JSON body sent.")
    status: WebhookDeliveryStatusEnum = strawberry_django.field(
        description="Pending, delivered or given up."
    )
    attempts: int = strawberry_django.field(description="POSTs tried so far.")
    last_status_code: int | None = strawberry_django.field(
        description="HTTP status of the latest attempt; null when no answer came."
    )
    last_error: str = strawberry_django.field(
        description="Why the latest attempt failed; empty otherwise."
    )
    next_attempt_at: strawberry.auto = strawberry_django.field(
        description="When it is tried again; null when done."
    )
    delivered_at: strawberry.auto = strawberry_django.field(description="When it was delivered.")
    created_at: strawberry.auto = strawberry_django.field(description="When the event was sent.")
    webhook: WebhookType = strawberry_django.field(description="The webhook it went to.")


@strawberry.type(name="WebhookEventType", description="An event a webhook can subscribe to.")
class WebhookEventTypeType:
    name: str = strawberry.field(description="Its wire name, e.g. warnings.signal_raised.")
    description: str = strawberry.field(description="What it means.")

    @strawberry.field(description="The same as an enum value.")
    def event(self) -> WebhookEventEnum:
        return WebhookEventEnum(self.name)
