"""/healthz: database and Redis (cache and broker), answered by django-health-check."""

from django.conf import settings
from health_check.checks import Cache, Database
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient


class HealthView(HealthCheckView):
    # Database, the Redis cache, and the Celery broker (which may be another Redis).
    checks = (
        Database,
        Cache,
        (Redis, {"client_factory": lambda: RedisClient.from_url(settings.CELERY_BROKER_URL)}),
    )

    def get(self, request, *args, **kwargs):
        # JSON by default: probes and curl rarely send an Accept header worth honouring.
        if "format" not in request.GET and "text/html" not in request.headers.get("accept", ""):
            request.GET = request.GET.copy()
            request.GET["format"] = "json"
        return super().get(request, *args, **kwargs)
