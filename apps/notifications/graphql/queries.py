from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.ids import decode_pk, pk_or_nothing
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, OrderKey, apply_order, order_input
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsTenantAdmin
from apps.notifications import events, selectors
from apps.notifications.graphql import types as t
from apps.notifications.models import Webhook


@strawberry.enum(name="WebhookOrderField", description="What webhooks sort by.")
class WebhookOrderField(Enum):
    NAME = strawberry.enum_value("name", description="The name.")
    CREATED = strawberry.enum_value("created_at", description="When it was added.")


if TYPE_CHECKING:
    WebhookOrder = OrderKey
    WebhookDeliveryOrder = OrderKey
else:
    WebhookOrder = order_input("WebhookOrder", WebhookOrderField, description="One sort key.")


@strawberry.enum(name="WebhookDeliveryOrderField", description="What deliveries sort by.")
class WebhookDeliveryOrderField(Enum):
    CREATED = strawberry.enum_value("created_at", description="When the event was sent.")
    STATUS = strawberry.enum_value("status", description="The status code.")
    DELIVERED = strawberry.enum_value("delivered_at", description="When it was delivered.")


if not TYPE_CHECKING:
    WebhookDeliveryOrder = order_input(
        "WebhookDeliveryOrder", WebhookDeliveryOrderField, description="One sort key."
    )


@strawberry.type
class NotificationsQuery:
    @strawberry_django.connection(
        BoundedConnection[t.WebhookType],
        permission_classes=[IsTenantAdmin],
        description="This tenant's webhooks, by name.",
    )
    def webhooks(
        self,
        order_by: Annotated[
            list[WebhookOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by name")),
        ] = None,
    ) -> list[t.WebhookType]:
        return apply_order(selectors.webhooks(), order_by, default=("name",))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsTenantAdmin], description="One webhook; null when none has the id."
    )
    def webhook(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A Webhook.")]
    ) -> t.WebhookType | None:
        pk = decode_pk(id, "Webhook", Webhook)
        return None if pk is None else selectors.webhooks().filter(pk=pk).first()  # type: ignore[return-value]  # served as a WebhookType

    @strawberry_django.connection(
        BoundedConnection[t.WebhookDeliveryType],
        permission_classes=[IsTenantAdmin],
        description="Deliveries, newest first: of one webhook, or of all.",
    )
    def webhook_deliveries(
        self,
        webhook: Annotated[
            relay.GlobalID | None, strawberry.argument(description="Only this Webhook's.")
        ] = None,
        status: Annotated[
            t.WebhookDeliveryStatusEnum | None,
            strawberry.argument(description="Only those with this status."),
        ] = None,
        order_by: Annotated[
            list[WebhookDeliveryOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="newest first")),
        ] = None,
    ) -> list[t.WebhookDeliveryType]:
        rows = selectors.webhook_deliveries(
            webhook_id=pk_or_nothing(webhook, "Webhook", Webhook),
            status=status.value if status else None,
        )
        return apply_order(rows, order_by, default=("-created_at",))  # type: ignore[return-value]

    @strawberry.field(
        permission_classes=[IsTenantAdmin],
        description="The events a webhook can subscribe to.",
    )
    def webhook_event_types(self) -> list[t.WebhookEventTypeType]:
        return [
            t.WebhookEventTypeType(name=name, description=description)
            for name, description in events.EVENT_TYPES.items()
        ]
