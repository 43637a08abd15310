"""Host → tenant, cached in each process, so a request spends no SQL statement on it.

Every request used to cost one `SELECT domain JOIN tenant` before its own work. The answer
changes only when a tenant or a domain does (suspension, reactivation, a domain added, changed
or deleted), so each process keeps host → the tenant's field values, and throws them away when:

- the process itself made the change: the cache is cleared at once (inside the transaction,
  so the change's own requests see it) and again after the commit;
- another process made it: after the commit the change increments a version number in Redis;
  every process reads that number at most once per `TENANT_CACHE_VERSION_CHECK_SECONDS`
  (1 s by default, 0 = every request) and clears its cache when the number moved;
- `TENANT_CACHE_TTL_SECONDS` have passed (30 s): a bound even if a bump was lost.

Read the version before the database and tag each entry with it: a reload that raced a
change is then never kept under the newer version. When Redis cannot be read, nothing is
cached (every request asks the database), never stale answers.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "fengkong:tenant-routing:version"
UNKNOWN = object()  # the version could not be read: cache nothing


@dataclass(frozen=True)
class _Entry:
    field_names: tuple[str, ...]
    values: tuple
    version: object
    loaded_at: float


def _redis():
    import redis

    return redis.Redis.from_url(
        getattr(settings, "TENANT_CACHE_REDIS_URL", None) or settings.REDIS_URL,
        socket_timeout=0.5,
        socket_connect_timeout=0.5,
    )


class HostCache:
    """One per process (`host_cache`); tests make more to stand for other processes."""

    def __init__(
        self,
        *,
        ttl: float | None = None,
        check_every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._check_every = check_every
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._version: object = UNKNOWN
        self._checked_at: float | None = None
        self._client = None
        self._lock = threading.Lock()

    @property
    def ttl(self) -> float:
        return self._ttl if self._ttl is not None else settings.TENANT_CACHE_TTL_SECONDS

    @property
    def check_every(self) -> float:
        if self._check_every is not None:
            return self._check_every
        return settings.TENANT_CACHE_VERSION_CHECK_SECONDS

    # --- reading ------------------------------------------------------------------------
    def tenant_for_host(self, hostname: str):
        """The tenant (a fresh model instance) of `hostname`; raises Domain.DoesNotExist."""
        from apps.tenants.models import Domain, Tenant

        if self.ttl <= 0:
            return Domain.objects.select_related("tenant").get(domain=hostname).tenant
        now = self._clock()
        version = self._current_version(now)
        entry = self._entries.get(hostname)
        if (
            entry is not None
            and version is not UNKNOWN
            and entry.version == version
            and now - entry.loaded_at < self.ttl
        ):
            # A new instance per request: nothing a request sets on it leaks into the next.
            return Tenant.from_db("default", entry.field_names, _copied(entry.values))
        tenant = Domain.objects.select_related("tenant").get(domain=hostname).tenant
        if version is not UNKNOWN:
            names = tuple(f.attname for f in Tenant._meta.concrete_fields)
            values = tuple(getattr(tenant, name) for name in names)
            self._entries[hostname] = _Entry(names, _copied(values), version, now)
        return tenant

    def _current_version(self, now: float) -> object:
        if self._checked_at is not None and now - self._checked_at < self.check_every:
            return self._version
        with self._lock:
            try:
                version = self._redis_client().get(VERSION_KEY) or b"0"
            except Exception:  # noqa: BLE001 (Redis down: answer from the database)
                logger.warning("tenant routing version unreadable; host cache bypassed")
                version = UNKNOWN
            if version != self._version:
                self._entries.clear()
            self._version = version
            self._checked_at = now
        return version

    def _redis_client(self):
        if self._client is None:
            self._client = _redis()
        return self._client

    # --- invalidation -------------------------------------------------------------------
    def clear(self) -> None:
        self._entries.clear()
        self._checked_at = None  # the next request reads the version again

    def bump(self) -> None:
        """Tell every process (this one included) that routing changed."""
        self.clear()
        try:
            self._redis_client().incr(VERSION_KEY)
        except Exception:  # noqa: BLE001
            logger.exception("tenant routing version not bumped: other processes keep their TTL")


host_cache = HostCache()


def _copied(values: tuple) -> tuple:
    # cors_allowed_origins is a list: each tenant instance gets its own.
    return tuple(list(v) if isinstance(v, list) else v for v in values)


def routing_changed() -> None:
    """A tenant or domain changed: clear this process now, every process after the commit."""
    host_cache.clear()
    transaction.on_commit(host_cache.bump)


def _on_model_change(sender, **kwargs) -> None:
    routing_changed()


def connect_signals() -> None:
    """Every save or delete of a Tenant or Domain, whoever makes it (services, admin, shell)."""
    from django.db.models.signals import post_delete, post_save

    from apps.tenants.models import Domain, Tenant

    for model in (Tenant, Domain):
        post_save.connect(_on_model_change, sender=model, dispatch_uid=f"host_cache_{model}")
        post_delete.connect(_on_model_change, sender=model, dispatch_uid=f"host_cache_d_{model}")
