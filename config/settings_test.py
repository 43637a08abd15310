"""Test settings: the real PostgreSQL and Redis, a separate Redis database, fast hashing."""

import os

os.environ.setdefault("FENGKONG_ENV", "test")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_of_this_process(url: str, worker: str) -> str:
    """Under pytest-xdist each test process has its own test database, and so its own Redis
    database: caches hold ids of that database's tenants (every process has a `tenant_a`).
    gw0 keeps the configured database, gwN takes the N-th one below it."""
    head, _, db = url.rpartition("/")
    index = int(worker.removeprefix("gw"))
    if int(db) - index < 0:
        raise RuntimeError(f"REDIS_URL {url}: no Redis database left for xdist worker {worker}")
    return f"{head}/{int(db) - index}"


if _xdist_worker := os.environ.get("PYTEST_XDIST_WORKER"):
    # Derived from the configured URL kept aside, so the worker and ASGI subprocesses a test
    # starts (which inherit both variables and load these settings too) land on the same one.
    os.environ["REDIS_URL"] = _redis_of_this_process(
        os.environ.setdefault("FENGKONG_TEST_REDIS_BASE", os.environ["REDIS_URL"]), _xdist_worker
    )

from config.settings import *  # noqa: E402,F403

# Argon2 is the production hasher (tested in tests/accounts); MD5 keeps fixtures fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = [".test", "testserver", ".localhost", "localhost"]
PUBLIC_DOMAIN = "platform.test"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
FENGKONG_TICK_JITTER_SECONDS = 0.0
# Provisioning clones in its own transaction; tests/tenants/test_spares.py turns the spares on.
TENANT_SPARE_SCHEMAS = 0
# A queue of this run's own: test workers never take a developer's tasks, nor the reverse.
# Set in the environment so the worker subprocess a test starts inherits the same name.
CELERY_TASK_DEFAULT_QUEUE = os.environ.setdefault(
    "FENGKONG_TEST_QUEUE", f"fengkong-test-{os.getpid()}"
)
# Every kind of work has its own queue, all named after this run (routes as in production).
FENGKONG_QUEUES = celery_queues(f"{CELERY_TASK_DEFAULT_QUEUE}-", CELERY_TASK_DEFAULT_QUEUE)  # noqa: F405
CELERY_TASK_ROUTES = celery_routes(FENGKONG_QUEUES)  # noqa: F405
# Live updates of this run only (pub/sub is shared by every database of a Redis); the ASGI server
# and worker a test starts inherit it.
CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = os.environ.setdefault(  # noqa: F405
    "FENGKONG_LIVE_PREFIX", CELERY_TASK_DEFAULT_QUEUE
)

# `FENGKONG_TEST_CLOCK_SHIFT_DAYS=365 bin/test` runs the whole suite — and the worker processes
# it starts, which load these settings too — with the clock a year ahead (negative: behind), to
# prove that no test depends on the date it runs on.
if _shift := float(os.environ.get("FENGKONG_TEST_CLOCK_SHIFT_DAYS") or 0):
    from datetime import UTC, datetime, timedelta

    import time_machine

    time_machine.travel(datetime.now(UTC) + timedelta(days=_shift), tick=True).start()
