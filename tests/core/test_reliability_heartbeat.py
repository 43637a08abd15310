"""A worker killed with SIGKILL mid-scan: its job stops beating, the next tick fails it and runs
the scan again at once, going on where the lost one stopped, instead of leaving it RUNNING (and
the tenant's scans switched off) for the broker's one-hour visibility timeout and the six-hour
stale sweep. The re-run's result counts the whole scan; the late redelivery of the killed
worker's message (the visibility timeout) does nothing.

Real processes: a slow worker killed mid-scan, then a fresh worker that runs the tenant's tick
with a 3 s heartbeat staleness (production: FENGKONG_JOB_HEARTBEAT_STALE_SECONDS, 5 min).
"""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.core.models import Job
from apps.core.tasks import tenant_tick
from apps.early_warning.models import Indicator, WarningSignal
from apps.early_warning.services import indicators
from apps.early_warning.services.ingestion import PointIn, ingest
from apps.early_warning.services.jobs import RUN_SCAN
from apps.early_warning.tasks import scans_if_due
from apps.risks.models import RiskCategory
from config.celery import app
from tests.early_warning.conftest import T0
from tests.kit.worker import start_worker, stop_worker

pytestmark = pytest.mark.worker
SCHEMA = "tenant_b"
STALE_SECONDS = 3


def test_the_tenant_exists(world):  # makes the test database (see tests/core/test_worker.py)
    assert world.b.schema_name == SCHEMA


def _wait(predicate, seconds=60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def due_indicators(django_db_blocker):
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        credit = RiskCategory.objects.get(code="credit").pk
        for n in range(16):
            code = f"heartbeat_test_{n:02d}"
            indicator = indicators.indicator_save(
                code=code, name=code, category_id=credit, amber=3.0, red=5.0, frequency_minutes=60
            )
            indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
            ingest([PointIn(code, T0 + timedelta(hours=i), float(i % 7)) for i in range(20)])
    yield
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        Job.objects.filter(kind="warning_scan").delete()
        Indicator.objects.filter(code__startswith="heartbeat_test_").delete()
    connection.set_schema_to_public()


def test_the_tick_after_a_killed_scan_fails_it_and_scans_again(due_indicators, django_db_blocker):
    with django_db_blocker.unblock():
        # A slow worker (2 indicators per committed chunk, a pause after each) that beats often.
        slow = start_worker(
            FENGKONG_SCAN_CHUNK="2",
            FENGKONG_SCAN_PAUSE_SECONDS="0.4",
            FENGKONG_JOB_HEARTBEAT_SECONDS="0.5",
        )
        try:
            with schema_context(SCHEMA):
                started = scans_if_due()  # the tick's own full scan
                assert started["started"], started
                lost_id = started["job"]
                assert _wait(WarningSignal.objects.exists), "the scan never committed anything"
        finally:
            stop_worker(slow, kill=True)
        killed_at = time.monotonic()

        with schema_context(SCHEMA):
            lost = Job.objects.get(pk=lost_id)
            assert lost.status == "running" and lost.heartbeat_at is not None

            fresh = start_worker(FENGKONG_JOB_HEARTBEAT_STALE_SECONDS=str(STALE_SECONDS))
            try:
                time.sleep(STALE_SECONDS + 0.5)
                tick = tenant_tick.apply_async().get(timeout=30)  # the next tick

                def scanned_again() -> bool:
                    return Job.objects.filter(kind="warning_scan", status="succeeded").exists()

                assert _wait(scanned_again, 45), "no scan ran after the killed one"
                # An hour later Redis's visibility timeout hands the killed worker's message out
                # again: the sweep has long decided, so it does nothing.
                late = app.send_task(RUN_SCAN, args=[str(lost_id)]).get(timeout=30)
                assert late == {"status": "failed", "skipped": True}, late
            finally:
                stop_worker(fresh)
            lost.refresh_from_db()
            assert lost.status == "failed" and "stopped answering" in lost.error
            (again,) = Job.objects.filter(kind="warning_scan", status="succeeded")
            # The sweep re-ran the lost scan (the due-scan handler then found it on its way).
            assert tick["core.stale_jobs"]["rerun"] == [str(again.pk)], tick
            # The re-run went on where the lost scan stopped, and counts the whole scan: 16
            # indicators at red (19 % 7 = 5), one signal each, whichever job raised it.
            assert again.result == {
                "indicators": 16,
                "raised": 16,
                "updated": 0,
                "resolved": 0,
                "escalated": 0,
            }
            # The lost job keeps what it had committed (its checkpoint's totals).
            assert lost.result["indicators"] == 16
            assert 2 <= lost.result["raised"] == lost.checkpoint["done"] < 16
            assert not Indicator.objects.filter(
                code__startswith="heartbeat_test_", last_scanned_at__isnull=True
            ).exists(), "the re-run did not finish the scan"
    assert time.monotonic() - killed_at < 60
    connection.set_schema_to_public()
