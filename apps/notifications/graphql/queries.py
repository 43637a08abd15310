import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.ids import decode_pk, pk_or_nothing
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsTenantAdmin
from apps.notifications import events, selectors
from apps.notifications.graphql import types as t
from apps.notifications.models import Webhook


@strawberry.type
class NotificationsQuery:
    @strawberry_django.connection(
        BoundedConnection[t.WebhookType],
        permission_classes=[IsTenantAdmin],
        description="This tenant's webhooks, by name.",
    )
    def webhooks(self) -> list[t.WebhookType]:
        return selectors.webhooks()  # type: ignore[return-value]

    @strawberry_django.field(permission_classes=[IsTenantAdmin])
    def webhook(self, id: relay.GlobalID) -> t.WebhookType | None:
        pk = decode_pk(id, "Webhook", Webhook)
        return selectors.webhooks().filter(pk=pk).first()  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[t.WebhookDeliveryType],
        permission_classes=[IsTenantAdmin],
        description="Deliveries, newest first: of one webhook, or of all.",
    )
    def webhook_deliveries(
        self,
        webhook: relay.GlobalID | None = None,
        status: t.WebhookDeliveryStatusEnum | None = None,  # type: ignore[valid-type]
    ) -> list[t.WebhookDeliveryType]:
        return selectors.webhook_deliveries(  # type: ignore[return-value]
            webhook_id=pk_or_nothing(webhook, "Webhook", Webhook),
            status=status.value if status else None,
        )

    @strawberry.field(
        permission_classes=[IsTenantAdmin],
        description="The events a webhook can subscribe to.",
    )
    def webhook_event_types(self) -> list[t.WebhookEventTypeType]:
        return [
            t.WebhookEventTypeType(name=name, description=description)
            for name, description in events.EVENT_TYPES.items()
        ]
