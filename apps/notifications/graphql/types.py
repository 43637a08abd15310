import strawberry
import strawberry_django
from strawberry.scalars import JSON

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.notifications import models as m

WebhookDeliveryStatusEnum = strawberry.enum(m.WebhookDeliveryStatus, name="WebhookDeliveryStatus")


@strawberry_django.type(
    m.Webhook,
    name="Webhook",
    description="An endpoint of the tenant's that receives events, signed with its secret "
    "(the secret is shown only by webhookCreate and webhookRotateSecret).",
)
class WebhookType(TenantNode):
    min_role = Role.ADMIN  # a webhook's URL and its deliveries' payloads are for admins only

    name: str
    url: str
    event_types: list[str] = strawberry_django.field(
        description="Subscribed event names; empty means every event."
    )
    is_active: bool
    created_at: strawberry.auto
    updated_at: strawberry.auto
    created_by: UserType | None


@strawberry_django.type(
    m.WebhookDelivery,
    name="WebhookDelivery",
    description="One event sent to one webhook, and the outcome of its latest attempt.",
)
class WebhookDeliveryType(TenantNode):
    min_role = Role.ADMIN

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


@strawberry.type(name="WebhookEventType", description="An event a webhook can subscribe to.")
class WebhookEventTypeType:
    name: str
    description: str
