"""The names of the events modules publish to webhooks, with what each one means.

A webhook subscribes to names from this registry (or to all of them, with an empty list), so a
typo in a subscription is refused instead of silently never firing. A module that publishes a
new event declares it in its manifest (`apps/<app>/module.py`, `events`).
"""

from apps.core.modules import EVENTS

# Not subscribable: sent on demand to one webhook by `webhookTest`, whatever it subscribes to.
PING = "ping"


# Every module's events, name → meaning: filled from the manifests as the apps become ready.
EVENT_TYPES: dict[str, str] = EVENTS


def is_known(event: str) -> bool:
    return event in EVENT_TYPES
