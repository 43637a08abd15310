from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsTenantAdmin
from apps.core.graphql.resolvers import run_service
from apps.notifications import services
from apps.notifications.graphql.errors import NotificationError, NotificationErrorCode
from apps.notifications.graphql.types import WebhookDeliveryType, WebhookEventEnum, WebhookType
from apps.notifications.models import Webhook

Errors = list[NotificationError]  # type: ignore[valid-type]


def _run(payload: type, call, *, input: Any = None, fields: dict | None = None) -> Any:
    return run_service(
        payload, NotificationError, NotificationErrorCode, call, input=input, fields=fields
    )


# The service's `event_types` is the inputs' `events` (the service keeps the wire names).
EVENT_FIELD: dict[str, str | None] = {"event_types": "events"}


def _wire_names(events: list[Enum] | None) -> list[str] | None:
    return None if events is None else [event.value for event in events]


def _webhook_pk(gid: relay.GlobalID) -> Any:
    return pk_or_nothing(gid, "Webhook", Webhook)


@strawberry.input(description="A new webhook.")
class WebhookCreateInput:
    name: str = strawberry.field(description="Unique, for people.")
    url: str = strawberry.field(description="https:// (http:// is accepted outside production).")
    events: list[WebhookEventEnum] = strawberry.field(
        default_factory=list,
        description="The events it receives; empty (the default) means every event. `PING` is "
        "refused (UNKNOWN_EVENT_TYPE): webhookTest sends it.",
    )
    is_active: bool = strawberry.field(default=True, description="False: created paused.")


@strawberry.type(description="The webhook and its secret (shown once), or why not.")
class WebhookCreatePayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    webhook: WebhookType | None = strawberry.field(default=None, description="As saved.")
    secret: str | None = strawberry.field(
        default=None, description="The signing secret: shown once, never again."
    )


@strawberry.input(description="Changes to a webhook; only the fields sent change.")
class WebhookUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The Webhook.")
    name: str | None = strawberry.field(default=None, description="New name.")
    url: str | None = strawberry.field(default=None, description="New URL.")
    events: list[WebhookEventEnum] | None = strawberry.field(
        default=None, description="Replaces the subscription; [] means every event."
    )
    is_active: bool | None = strawberry.field(default=None, description="Pause or resume.")


@strawberry.type(description="The webhook as changed, or why not.")
class WebhookPayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    webhook: WebhookType | None = strawberry.field(default=None, description="As saved.")


@strawberry.input(description="One webhook.")
class WebhookIdInput:
    id: relay.GlobalID = strawberry.field(description="The Webhook.")


@strawberry.type(description="The deleted webhook's id, or why not.")
class WebhookDeletePayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    deleted_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The Webhook id that was deleted."
    )


@strawberry.type(description="The webhook and its new secret, or why not.")
class WebhookRotateSecretPayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    webhook: WebhookType | None = strawberry.field(default=None, description="As saved.")
    secret: str | None = strawberry.field(
        default=None,
        description="The new signing secret, effective at once: shown once, never again.",
    )


@strawberry.type(description="The ping delivery, or why not.")
class WebhookTestPayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    delivery: WebhookDeliveryType | None = strawberry.field(
        default=None, description="The `ping` delivery: poll it for the outcome."
    )


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="A webhook with a new secret, returned this once.",
    )
    def webhook_create(
        self,
        info: Info,
        input: Annotated[WebhookCreateInput, strawberry.argument(description="The new webhook.")],
    ) -> WebhookCreatePayload:
        def call() -> dict:
            webhook = services.webhook_create(
                name=input.name,
                url=input.url,
                event_types=[event.value for event in input.events],
                is_active=input.is_active,
                created_by=info.context.request.user,
            )
            return {"webhook": webhook, "secret": webhook.secret}

        return _run(WebhookCreatePayload, call, input=input, fields=EVENT_FIELD)

    @strawberry.mutation(permission_classes=[IsTenantAdmin])
    def webhook_update(
        self,
        input: Annotated[
            WebhookUpdateInput, strawberry.argument(description="The webhook and the changes.")
        ],
    ) -> WebhookPayload:
        return _run(
            WebhookPayload,
            lambda: {
                "webhook": services.webhook_update(
                    webhook_id=_webhook_pk(input.id),
                    name=input.name,
                    url=input.url,
                    event_types=_wire_names(input.events),
                    is_active=input.is_active,
                )
            },
            input=input,
            fields=EVENT_FIELD,
        )

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin], description="The webhook and its delivery history."
    )
    def webhook_delete(
        self, input: Annotated[WebhookIdInput, strawberry.argument(description="The webhook.")]
    ) -> WebhookDeletePayload:
        def call() -> dict:
            services.webhook_delete(webhook_id=_webhook_pk(input.id))
            return {"deleted_id": input.id}

        return _run(WebhookDeletePayload, call, input=input)

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Replace the signing secret (the old one stops working at once).",
    )
    def webhook_rotate_secret(
        self, input: Annotated[WebhookIdInput, strawberry.argument(description="The webhook.")]
    ) -> WebhookRotateSecretPayload:
        def call() -> dict:
            webhook = services.webhook_rotate_secret(webhook_id=_webhook_pk(input.id))
            return {"webhook": webhook, "secret": webhook.secret}

        return _run(WebhookRotateSecretPayload, call, input=input)

    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Send a signed `ping` event to the webhook, even an inactive one.",
    )
    def webhook_test(
        self, input: Annotated[WebhookIdInput, strawberry.argument(description="The webhook.")]
    ) -> WebhookTestPayload:
        return _run(
            WebhookTestPayload,
            lambda: {"delivery": services.webhook_test(webhook_id=_webhook_pk(input.id))},
            input=input,
        )
