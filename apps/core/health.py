"""/healthz: database, cache and broker, checked by django-health-check, answered as JSON.

    {"status": "up", "checks": {"database": "up", "cache": "up", "broker": "up"}}   200
    {"status": "down", "checks": {..., "broker": "down"}}                            503

The names are fixed, so monitoring keyed on them works in every deployment (the library's own
keys are its checks' reprs, e.g. `Redis(db=0, host=…, port=44383)`). Anyone may ask; only
platform operators (staff) also get `details`: what each check probed, its error and its time.
Every `?format=` and `Accept` gets this JSON: the library's HTML, text, feed and OpenMetrics
answers would name the servers to anonymous callers.
"""

import asyncio
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import JsonResponse
from health_check.checks import Cache, Database
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

# Stable name → check. The broker is Celery's, which may be another Redis than the cache.
CHECKS = {
    "database": (Database, {}),
    "cache": (Cache, {}),
    "broker": (Redis, {"client_factory": lambda: RedisClient.from_url(settings.CELERY_BROKER_URL)}),
}


def _is_operator(request) -> bool:
    user = request.user  # a session user is loaded lazily, from the database: not in the loop
    return user.is_authenticated and user.is_active and user.is_staff


class HealthView(HealthCheckView):
    checks = tuple(CHECKS.values())

    async def get(self, request, *args, **kwargs):
        results = await asyncio.gather(*(check.get_result() for check in self.get_checks()))
        named = dict(zip(CHECKS, results, strict=True))
        down = any(result.error for result in named.values())
        body: dict[str, Any] = {
            "status": "down" if down else "up",
            "checks": {name: "down" if r.error else "up" for name, r in named.items()},
        }
        if await sync_to_async(_is_operator)(request):
            body["details"] = {
                name: {
                    "check": repr(r.check),
                    "error": str(r.error) if r.error else None,
                    "seconds": round(r.time_taken, 6),
                }
                for name, r in named.items()
            }
        # The library's dispatch adds the no-cache headers.
        return JsonResponse(body, status=503 if down else 200)
