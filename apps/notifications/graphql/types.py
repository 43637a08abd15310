import strawberry
import strawberry_django
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.notifications import models as m

WebhookDeliveryStatusEnum = strawberry.enum(m.WebhookDeliveryStatus, name="WebhookDeliveryStatus")


def _admin_only(queryset, info: Info):
    # Also guards the Relay `node` lookup, which any member may call: a webhook's URL and its
    # deliveries' payloads are for the tenant's admins only.
    membership = getattr(info.context.request, "membership", None)
    if membership is None or membership.role != Role.ADMIN:
        return queryset.none()
    return queryset


@strawberry_django.type(
    m.Webhook,
    name="Webhook",
    description="An endpoint of the tenant's that receives events, signed with its secret "
    "(the secret is shown only by webhookCreate and webhookRotateSecret).",
)
class WebhookType(relay.Node):
    name: str
    url: str
    event_types: list[str] = strawberry_django.field(
        description="Subscribed event names; empty means every event."
    )
    is_active: bool
    created_at: strawberry.auto
    updated_at: strawberry.auto
    created_by: UserType | None

    @classmethod
    def get_queryset(cls, queryset, info: Info, **kwargs):
        return _admin_only(queryset, info)


@strawberry_django.type(
    m.WebhookDelivery,
    name="WebhookDelivery",
    description="One event sent to one webhook, and the outcome of its latest attempt.",
)
class WebhookDeliveryType(relay.Node):
    event: str
    payload: JSON = strawberry_django.field(description="The JSON body sent.")
    status: WebhookDeliveryStatusEnum
    attempts: int
    last_status_code: int | None = strawberry_django.field(
        description="HTTP status of the latest attempt; null when no answer came."
    )
    last_error: str
    next_attempt_at: strawberry.auto
    delivered_at: strawberry.auto
    created_at: strawberry.auto
    webhook: WebhookType

    @classmethod
    def get_queryset(cls, queryset, info: Info, **kwargs):
        return _admin_only(queryset, info)


@strawberry.type(name="WebhookEventType", description="An event a webhook can subscribe to.")
class WebhookEventTypeType:
    name: str
    description: str
