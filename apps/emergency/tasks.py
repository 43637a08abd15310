"""Background entry points of the emergency module: the tick handlers (they call services)."""

from django.core.cache import cache
from django.db import connection
from django.utils import timezone


def response_tick() -> dict:
    """Tick handler `emergency.response`, every tick: automatic activations from red signals,
    then overdue task notices. Both are idempotent (constraint / marker + dedup key)."""
    from apps.emergency.services.activations import activate_automatically
    from apps.emergency.services.response import overdue_sweep

    now = timezone.now()
    return {"activated": activate_automatically(now=now), "overdue": overdue_sweep(now=now)}


def daily_if_due() -> dict:
    """Tick handler `emergency.daily`: once a day per tenant (a cache claim; the work itself is
    idempotent, so a second run on the same day changes nothing)."""
    from django.db import transaction

    from apps.emergency.services.drills import daily

    today = timezone.localdate()
    key = f"emergency:daily:{getattr(connection, 'schema_name', '')}:{today}"
    if not cache.add(key, True, 26 * 3600):
        return {"skipped": True}
    try:
        with transaction.atomic():
            return daily(today=today)
    except Exception:
        cache.delete(key)  # the next tick tries again
        raise
