"""Cache, live updates, Celery (queues, beat, the tick) and the jobs' timings."""

import os
from datetime import timedelta
from typing import Any

from config.settings.env import BASE_DIR

# --- cache and background work ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",  # per-tenant keys (pitfall 12)
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# Live updates (apps.core.live → GraphQL subscriptions): Redis pub/sub, fire and forget. Pub/sub
# channels ignore the Redis database number, so the prefix keeps installations (and test runs)
# sharing one Redis apart.
CHANNEL_LAYERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [os.environ.get("FENGKONG_LIVE_REDIS_URL", REDIS_URL)],
            "prefix": os.environ.get("FENGKONG_LIVE_PREFIX", "fengkong"),
        },
    }
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
# Who re-runs a killed worker's job (docs/decisions.md "Redelivery"): a message is acknowledged
# after its task (acks_late); a prefork child that dies has its message requeued at once
# (reject_on_worker_lost) and the next attempt resumes the job from its checkpoint; a worker
# killed outright leaves its message unacknowledged, and the tick's sweep fails and re-runs the
# job once its heartbeat is FENGKONG_JOB_HEARTBEAT_STALE_SECONDS old (minutes).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
# A broker that is down must cost a request seconds, not ~20: connect quickly, retry a publish
# once, and the result backend's reconnect policy is bounded too. The caller then answers
# BROKER_UNAVAILABLE and the job's outbox row (Job.enqueued_at null) is re-sent by the tick.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("FENGKONG_BROKER_TIMEOUT_SECONDS", "2"))
# Redis hands an unacknowledged message out again after this long. A last resort, never what
# retries a killed worker's job (the sweep did, long before): run_job drops the late copy of a
# finished job, and a copy of a job a live worker is still running (a job longer than this).
FENGKONG_BROKER_VISIBILITY_TIMEOUT_SECONDS = int(
    os.environ.get("FENGKONG_BROKER_VISIBILITY_TIMEOUT_SECONDS", "3600")
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": FENGKONG_BROKER_VISIBILITY_TIMEOUT_SECONDS,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "timeout": 2}
}
# One queue per kind of work, each with its own worker in production (Procfile, compose), so a
# flood of one kind (webhook deliveries, a big scan) never delays another (an interactive job).
# Unrouted tasks (the ticks) stay on the default queue, which the interactive worker consumes.
FENGKONG_QUEUE_PREFIX = os.environ.get("FENGKONG_QUEUE_PREFIX", "")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")


def celery_queues(prefix: str, default: str) -> dict[str, str]:
    """Kind of work -> queue name; `prefix` keeps parallel test runs apart."""
    return {
        "default": default,
        "interactive": f"{prefix}interactive",
        "scans": f"{prefix}scans",
        "deliveries": f"{prefix}deliveries",
        "heavy": f"{prefix}heavy",
        # Sentiment models hold ~400 MB per process and score ~100 texts/s (SnowNLP): their own
        # worker, so a flood of mentions never delays a scan or an import.
        "sentiment": f"{prefix}sentiment",
    }


def celery_routes(queues: dict[str, str]) -> dict[str, dict]:
    kinds = {
        "core.run_diagnostics": "interactive",
        "risks.import_file": "interactive",
        "people.import_file": "interactive",
        "early_warning.run_scan": "scans",
        "notifications.deliver": "deliveries",
        "notifications.deliver_webhook": "deliveries",
        "risks.daily_register": "heavy",
        "reputation.score_mentions": "sentiment",
        "reputation.match_topics": "sentiment",  # jieba's dictionary, loaded once there
        "reputation.import_complaints": "interactive",
        "assessments.run": "heavy",
        "assessments.parse_dataset": "heavy",
    }
    return {task: {"queue": queues[kind]} for task, kind in kinds.items()}


FENGKONG_QUEUES = celery_queues(FENGKONG_QUEUE_PREFIX, CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_ROUTES = celery_routes(FENGKONG_QUEUES)
CELERY_TASK_TENANT_CACHE_SECONDS = 30
# Sentiment scorers (apps/reputation/scoring): name → class, and the default per language. A
# tenant may pick another registered name (ReputationSettings); models ship in their packages.
FENGKONG_SENTIMENT_SCORERS = {
    "snownlp": "apps.reputation.scoring.snow:SnowNlpScorer",
    "vader": "apps.reputation.scoring.vader:VaderScorer",
}
FENGKONG_SENTIMENT_DEFAULTS = {"zh": "snownlp", "en": "vader"}
# Mentions scored per batch (one read, one UPDATE); a job commits after each batch.
FENGKONG_SENTIMENT_BATCH = int(os.environ.get("FENGKONG_SENTIMENT_BATCH", "500"))
# Beat sends one tick; the dispatcher fans out per active tenant, and each tenant's data says
# what is due (DESIGN "Background work").
CELERY_BEAT_SCHEDULE = {
    "tenant-tick": {
        "task": "core.dispatch_tenant_ticks",
        "schedule": float(os.environ.get("FENGKONG_TICK_SECONDS", "60")),
    }
}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / ".data" / "celerybeat-schedule")
)
# The window the dispatcher spreads the tick's batches over (thundering herd; each batch at a
# random point of its own slice of it).
FENGKONG_TICK_JITTER_SECONDS = float(os.environ.get("FENGKONG_TICK_JITTER_SECONDS", "10"))
# Tenants per tick message: one worker runs a batch's tenants in turn (core.tenant_ticks).
FENGKONG_TICK_BATCH = int(os.environ.get("FENGKONG_TICK_BATCH", "25"))
# Scans commit this many indicators at a time (a crash loses at most one chunk of work), and may
# pause between chunks so one tenant's big scan does not monopolise the database. A chunk of
# 1,000 indicators is one short transaction (~0.1 s: bench/warning_scan.py).
FENGKONG_SCAN_CHUNK = int(os.environ.get("FENGKONG_SCAN_CHUNK", "1000"))
FENGKONG_SCAN_PAUSE_SECONDS = float(os.environ.get("FENGKONG_SCAN_PAUSE_SECONDS", "0"))
# A job still "running" after this long was lost with its worker: the tick marks it failed.
FENGKONG_JOB_STALE_AFTER = timedelta(hours=int(os.environ.get("FENGKONG_JOB_STALE_HOURS", "6")))
# Running jobs beat every FENGKONG_JOB_HEARTBEAT_SECONDS; one silent for longer than
# FENGKONG_JOB_HEARTBEAT_STALE_SECONDS lost its worker (SIGKILL, OOM): the tick fails it and
# re-runs it if its task is idempotent (scans). A queued job never sent (broker down at commit)
# is re-sent by the tick after FENGKONG_JOB_UNSENT_AFTER_SECONDS.
FENGKONG_JOB_HEARTBEAT_SECONDS = float(os.environ.get("FENGKONG_JOB_HEARTBEAT_SECONDS", "30"))
FENGKONG_JOB_HEARTBEAT_STALE_SECONDS = float(
    os.environ.get("FENGKONG_JOB_HEARTBEAT_STALE_SECONDS", "300")
)
FENGKONG_JOB_UNSENT_AFTER_SECONDS = float(os.environ.get("FENGKONG_JOB_UNSENT_AFTER_SECONDS", "20"))
# Webhook deliveries of one tenant running at once; its others are deferred to the tick's sweep,
# so one tenant's flood leaves the delivery workers to the others.
FENGKONG_WEBHOOK_TENANT_IN_FLIGHT = int(os.environ.get("FENGKONG_WEBHOOK_TENANT_IN_FLIGHT", "2"))
