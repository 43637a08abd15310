"""The websocket end of the tenant API: GraphQL subscriptions over graphql-transport-ws.

One consumer per socket (strawberry's GraphQLWSConsumer under Django Channels), served by the
ASGI process only (config/asgi.py; the HTTP API stays on the sync view under gunicorn).

- Tenant: from the Host header through the same host cache as HTTP; an unknown host or the
  platform host is refused at the handshake (HTTP 403), a suspended tenant with close code 4403.
- Credentials: the token in connection_init's payload (`{"authorization": "Bearer …"}`, what
  browser clients can send) or the handshake's Authorization header; checked as HTTP checks
  them (apps/subscriptions/access.py), else close 4401 / 4403. Sessions are not accepted.
- Every event re-checks the credentials before anything is read (`read`), and a revoked
  token's sockets are closed at once: revocation publishes to the token's own group.
- Only subscriptions: a query or mutation sent over the socket gets an error, because
  resolvers here run in the event loop's process, where HTTP's guarantees are not set up.
- Database work runs on one thread per socket (asgiref ThreadSensitiveContext), whose
  connection is set to the socket's tenant: a lazily resolved field of an event reads this
  tenant's schema and no other, whatever other sockets of this process are doing.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import ThreadSensitiveContext
from channels.db import database_sync_to_async
from django.db import connection
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from strawberry.channels import GraphQLWSConsumer
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types.unset import UNSET

from apps.core import live
from apps.core.schemas import tenant_connection
from apps.subscriptions import access
from apps.subscriptions.access import LiveRequest, Refused

SUBSCRIPTIONS_ONLY = (
    "Only subscriptions are served on this socket: send queries and mutations over HTTP "
    "(/graphql/)."
)


@dataclass
class LiveContext:
    """`info.context` of a subscription: `request` reads as HTTP's does (tenant, user,
    membership), `ws` is the consumer (listen, read)."""

    request: LiveRequest
    ws: "LiveConsumer"
    connection_params: dict[str, Any] = field(default_factory=dict)


class LiveTransportHandler(BaseGraphQLTransportWSHandler):
    async def handle_connection_init(self, message) -> None:
        try:
            await super().handle_connection_init(message)
        except Refused as refused:
            await self.websocket.close(code=refused.code, reason=refused.reason)

    async def handle_subscribe(self, message) -> None:
        if self.connection_acknowledged and not _is_subscription(message.get("payload") or {}):
            error = GraphQLError(SUBSCRIPTIONS_ONLY, extensions={"code": "SUBSCRIPTIONS_ONLY"})
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return
        await super().handle_subscribe(message)


def _is_subscription(payload: dict) -> bool:
    """False for a query or mutation; True otherwise (a syntax error is the base's to answer)."""
    try:
        document = parse(payload.get("query") or "")
    except GraphQLError:
        return True
    operation = get_operation_ast(document, payload.get("operationName"))
    return operation is None or operation.operation == OperationType.SUBSCRIPTION


class LiveConsumer(GraphQLWSConsumer):
    graphql_transport_ws_handler_class = LiveTransportHandler

    def __init__(self, schema, **kwargs) -> None:
        kwargs.setdefault("subscription_protocols", (GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        super().__init__(schema, **kwargs)
        self.live_request: LiveRequest | None = None
        self.token_group: str | None = None

    async def __call__(self, scope, receive, send) -> None:
        # One executor thread (and so one database connection) for this socket's sync work.
        async with ThreadSensitiveContext():
            await super().__call__(scope, receive, send)

    # --- handshake, connection_init, disconnect -----------------------------------------------
    async def connect(self) -> None:
        host = self.headers().get("host", "").rsplit(":", 1)[0].strip().lower()
        tenant = await database_sync_to_async(access.tenant_for_host)(host) if host else None
        if tenant is None:
            await self.close()  # before accepting: the handshake is answered 403
            return
        self.live_request = LiveRequest(tenant=tenant)
        await super().connect()

    def headers(self) -> dict[str, str]:
        return dict(self.get_websocket_headers(self))

    def is_websocket_origin_allowed(self, request, origin: str) -> bool:
        # Browser pages on another origin: those the tenant allows for CORS (apps/tenants/cors).
        tenant = self.live_request.tenant if self.live_request else None
        return bool(tenant is not None and origin in (tenant.cors_allowed_origins or []))

    # strawberry's base types the context as None (it builds none); ours is a LiveContext
    async def get_context(self, request, response) -> LiveContext:  # type: ignore[override]
        assert self.live_request is not None
        return LiveContext(request=self.live_request, ws=self)

    async def on_ws_connect(self, context: LiveContext):  # type: ignore[override]  # as above
        params = context.connection_params or {}
        secret = access.bearer_secret(
            params.get("authorization") or params.get("Authorization")
        ) or access.bearer_secret(self.headers().get("authorization"))
        await self._db(access.authenticate, request=context.request, secret=secret)
        token = context.request.api_token
        assert token is not None  # authenticate set it, or raised Refused
        self.token_group = live.group_name(f"token.{token.pk}", schema_name=live.PLATFORM)
        await self._layer().group_add(self.token_group, self.channel_name)
        return UNSET  # a plain connection_ack

    async def disconnect(self, code: int) -> None:
        try:
            await super().disconnect(code)
        finally:
            if self.token_group:
                await self._layer().group_discard(self.token_group, self.channel_name)
            await database_sync_to_async(_close_connection)()  # this socket's own connection

    async def dispatch(self, message) -> None:
        if message.get("type") == live.MESSAGE_TYPE and message.get("topic", "").startswith(
            "token."
        ):
            await self.close(code=access.UNAUTHORIZED, reason="Unauthorized: token revoked.")
            return
        await super().dispatch(message)

    # --- what subscriptions use ---------------------------------------------------------------
    @asynccontextmanager
    async def listen(self, *topics: str) -> AsyncIterator[AsyncIterator[tuple[str, dict]]]:
        """(topic, payload) as published on `topics` in this socket's tenant, from now on."""
        assert self.live_request is not None
        schema_name = self.live_request.tenant.schema_name
        groups = [live.group_name(topic, schema_name=schema_name) for topic in topics]
        async with self.listen_to_channel(live.MESSAGE_TYPE, groups=groups) as messages:

            async def payloads() -> AsyncIterator[tuple[str, dict]]:
                async for message in messages:
                    if message.get("topic") in topics:
                        yield message["topic"], message.get("payload") or {}

            yield payloads()

    async def read(self, function: Callable[..., Any], *args: Any) -> Any:
        """`function(*args)` in this tenant's schema, after re-checking the credentials; a
        refusal closes the socket (and ends the subscription)."""
        assert self.live_request is not None
        try:
            return await self._db(_checked, self.live_request, function, *args)
        except Refused as refused:
            await self.close(code=refused.code, reason=refused.reason)
            raise

    async def release(self) -> None:
        """After an event is sent: close the connection its lazily resolved fields opened, so
        an idle socket holds no database connection (CONN_MAX_AGE is 0)."""
        await database_sync_to_async(_close_connection)()

    async def _db(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        assert self.live_request is not None  # connect() set it before any message
        return await database_sync_to_async(_in_tenant)(
            self.live_request.tenant, function, *args, **kwargs
        )

    def _layer(self) -> Any:
        assert self.channel_layer is not None  # CHANNEL_LAYERS is configured (Redis)
        return self.channel_layer


def _in_tenant(tenant, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    # This thread serves this socket only: it stays on the tenant (see the module docstring).
    tenant_connection().set_tenant(tenant)
    return function(*args, **kwargs)


def _checked(request: LiveRequest, function: Callable[..., Any], *args: Any) -> Any:
    access.recheck(request=request)
    return function(*args)


def _close_connection() -> None:
    connection.close()  # read in the executor thread: its own connection, not the loop's
