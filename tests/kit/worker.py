"""A real Celery worker as a subprocess of the test run, on the test database and queue."""

import os
import signal
import subprocess
import sys
import time
import uuid

from django.conf import settings

WAIT = 60  # seconds a worker test waits for the worker before it fails


def all_queues() -> list[str]:
    """This run's queues, one per kind of work (config/settings_test.py)."""
    return list(dict.fromkeys(settings.FENGKONG_QUEUES.values()))


def start_worker(
    *, queues: list[str] | None = None, concurrency: int = 0, purge: bool = True, **env_extra: str
) -> subprocess.Popen:
    """A worker on `queues` (default: all of this run's, as bin/dev's single worker); one
    process (solo pool), or `concurrency` prefork children as in production."""
    # A fresh worker starts on empty queues: a message an earlier test's worker left behind
    # (a scan a tick enqueued just before that worker stopped) must not run in this test.
    if purge:
        purge_queue()
    db = settings.DATABASES["default"]
    assert db["NAME"].startswith("test_"), "a worker must never run on a non-test database"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        # The worker must use the test database this session created.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **env_extra,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            *(
                ["--pool=prefork", f"--concurrency={concurrency}"]
                if concurrency
                else ["--pool=solo"]
            ),
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            ",".join(queues or all_queues()),
            "-n",
            f"test-{uuid.uuid4().hex[:8]}@%h",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_worker(process: subprocess.Popen, *, kill: bool = False) -> None:
    """Stop it gracefully, or kill it as a crash would (SIGKILL: no clean-up at all). Then drop
    what it left in the queue (e.g. tenant ticks a test's fan-out sent), so the next test's worker
    starts on an empty queue and runs only what that test sends."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    purge_queue()


def purge_queue() -> int:
    from config.celery import app

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        return sum(channel.queue_purge(queue) or 0 for queue in all_queues())


def wait_for(predicate, seconds: float = WAIT, every: float = 0.1) -> bool:
    """Poll `predicate` until it is true (→ True) or `seconds` pass (→ False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False
