from apps.core.modules import Module

# No tables: the websocket side of the API (consumer.py, served by config/asgi.py) and the
# tenant Subscription root. What is published, and when, is apps.core.live's.
MODULE = Module(
    label="subscriptions",
    audit=None,
    subscription="apps.subscriptions.graphql.subscriptions:LiveSubscription",
)
