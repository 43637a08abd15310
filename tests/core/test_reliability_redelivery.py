"""A message delivered again is either a no-op or the same job going on where it stopped.

Real processes (a prefork worker with two children, as in production):
- while one child runs a scan, the broker delivers its message again (what Redis does after its
  visibility timeout, or a duplicate publish): the other child sees the job running on a live,
  beating process and does nothing — one job never runs twice at once;
- the running child is killed (SIGKILL, an OOM kill): Celery requeues its message at once
  (acks_late + reject_on_worker_lost), the other child resumes the same job from its
  checkpoint, and the job's result counts the whole scan, not only the last attempt.
"""

import os
import signal
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from apps.core.models import Job
from apps.early_warning.models import Indicator, WarningSignal
from apps.early_warning.services import indicators
from apps.early_warning.services.ingestion import PointIn, ingest
from apps.early_warning.services.jobs import RUN_SCAN, scan_enqueue
from apps.risks.models import RiskCategory
from config.celery import app
from tests.early_warning.conftest import T0
from tests.kit.worker import start_worker, stop_worker, wait_for

pytestmark = pytest.mark.worker
SCHEMA = "tenant_b"
PREFIX = "redelivery_test_"
COUNT = 16


def test_the_tenant_exists(world):  # makes the test database (see tests/core/test_worker.py)
    assert world.b.schema_name == SCHEMA


@pytest.fixture
def red_indicators(django_db_blocker):
    """16 indicators whose latest value (19 % 7 = 5) is at red: a scan raises one signal each."""
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        credit = RiskCategory.objects.get(code="credit").pk
        made = []
        for n in range(COUNT):
            code = f"{PREFIX}{n:02d}"
            indicator = indicators.indicator_save(
                code=code, name=code, category_id=credit, amber=3.0, red=5.0, frequency_minutes=60
            )
            indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
            ingest([PointIn(code, T0 + timedelta(hours=i), float(i % 7)) for i in range(20)])
            made.append(indicator.pk)
    yield made
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        Job.objects.filter(kind="warning_scan").delete()
        Indicator.objects.filter(code__startswith=PREFIX).delete()
    connection.set_schema_to_public()


def _pid(job: Job) -> int:
    return int(job.worker.split(":")[1])


def test_a_duplicate_is_dropped_and_a_killed_child_resumes_with_whole_job_counters(
    red_indicators, django_db_blocker
):
    with django_db_blocker.unblock():
        worker = start_worker(
            concurrency=2,
            FENGKONG_SCAN_CHUNK="2",
            FENGKONG_SCAN_PAUSE_SECONDS="0.5",
            FENGKONG_JOB_HEARTBEAT_SECONDS="0.5",
        )
        try:
            with schema_context(SCHEMA):
                with transaction.atomic():
                    job_id = scan_enqueue(indicator_ids=red_indicators).pk

                def checkpointed(done: int):
                    return lambda: Job.objects.get(pk=job_id).checkpoint.get("done", 0) >= done

                assert wait_for(checkpointed(4)), "the scan never committed a chunk"
                first = Job.objects.get(pk=job_id)

                # The broker hands the same message out again while the first child runs it.
                duplicate = app.send_task(RUN_SCAN, args=[str(job_id)]).get(timeout=30)
                assert duplicate == {"status": "running", "skipped": True}, duplicate
                assert Job.objects.get(pk=job_id).attempts == 1

                # The child running the job is killed mid-scan; its message comes back at once.
                os.kill(_pid(first), signal.SIGKILL)

                def finished() -> bool:
                    return Job.objects.get(pk=job_id).status in ("succeeded", "failed")

                assert wait_for(finished, 60), "the requeued scan never finished"
                job = Job.objects.get(pk=job_id)
                assert job.status == "succeeded", job.error
                assert job.attempts == 2 and _pid(job) != _pid(first)
                assert job.result == {
                    "indicators": 16,
                    "raised": 16,
                    "updated": 0,
                    "resolved": 0,
                    "escalated": 0,
                }
                signals = WarningSignal.objects.filter(indicator__code__startswith=PREFIX)
                assert signals.count() == 16  # each raised once, by one attempt or the other
        finally:
            stop_worker(worker)
    connection.set_schema_to_public()
