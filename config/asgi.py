"""The ASGI process: websockets only, for GraphQL subscriptions (Procfile `ws`).

The HTTP API stays on the sync view under gunicorn (config/wsgi.py, DESIGN pitfall 2); this
process answers `/healthz` over HTTP (for probes) and nothing else. Tenant and credentials are
the consumer's own business, as no Django middleware runs here (apps/subscriptions/consumer.py).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
get_asgi_application()  # sets Django up before the imports below

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from apps.subscriptions.consumer import LiveConsumer  # noqa: E402
from config.schema import schema  # noqa: E402


async def http(scope, receive, send) -> None:
    """`/healthz` → 200; anything else → 404 naming where the HTTP API is."""
    if scope["type"] != "http":
        return
    ok = scope["path"].rstrip("/") == "/healthz"
    body = b"ok\n" if ok else b"This process serves GraphQL subscriptions over websockets only.\n"
    await send(
        {
            "type": "http.response.start",
            "status": 200 if ok else 404,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


application = ProtocolTypeRouter(
    {
        "http": http,
        "websocket": URLRouter([re_path(r"^graphql/?$", LiveConsumer.as_asgi(schema=schema))]),
    }
)
