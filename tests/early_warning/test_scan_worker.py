"""A scan killed halfway (SIGKILL of a real worker) and run again gives exactly the signals of
one uninterrupted scan: nothing doubled, nothing lost."""

from datetime import timedelta

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.core.models import Job
from apps.early_warning.models import Indicator, WarningSignal
from apps.early_warning.services import indicators
from apps.early_warning.services.ingestion import PointIn, ingest
from apps.early_warning.services.scans import scan
from apps.early_warning.tasks import run_scan
from apps.risks.models import RiskCategory
from tests.early_warning.conftest import T0
from tests.kit.worker import start_worker, stop_worker, wait_for

pytestmark = pytest.mark.worker
SCHEMA = "tenant_b"
INDICATORS = 24


def _snapshot() -> list[tuple]:
    return sorted(
        WarningSignal.objects.values_list(
            "indicator__code",
            "rule__kind",
            "dimensions_key",
            "severity",
            "status",
            "occurrences",
            "observed_value",
            "threshold",
            "green_streak",
        )
    )


@pytest.fixture
def data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        credit = RiskCategory.objects.get(code="credit").pk
        for n in range(INDICATORS):
            code = f"kill_test_{n:02d}"
            indicator = indicators.indicator_save(
                code=code, name=code, category_id=credit, amber=3.0, red=5.0, frequency_minutes=60
            )
            indicators.indicator_save(indicator_id=indicator.pk)
            indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
            indicators.rule_save(indicator_id=indicator.pk, kind="zscore", params={"window": 20})
            values = [1.0 + (i % 4) * 0.1 for i in range(40)] + [float(n % 8)]
            ingest(
                [
                    PointIn(code, T0 + timedelta(hours=i), v, {"channel": ch})
                    for i, v in enumerate(values)
                    for ch in ("app", "web")
                ]
            )
    yield
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        Job.objects.filter(kind="warning_scan").delete()
        Indicator.objects.filter(code__startswith="kill_test_").delete()
    connection.set_schema_to_public()


def test_an_interrupted_scan_rerun_equals_an_uninterrupted_one(data, django_db_blocker):
    from apps.core import services as jobs

    with django_db_blocker.unblock():
        # A slow worker: 2 indicators per committed chunk, a pause after each.
        slow = start_worker(FENGKONG_SCAN_CHUNK="2", FENGKONG_SCAN_PAUSE_SECONDS="0.4")
        try:
            with schema_context(SCHEMA):
                job = jobs.job_create(kind="warning_scan", input={"indicator_ids": None})
                run_scan.apply_async(args=[str(job.pk)])
                # Kill as soon as some of its work is committed (chunks are in random pk order).
                assert wait_for(WarningSignal.objects.exists), "scan never committed anything"
        finally:
            stop_worker(slow, kill=True)
        with schema_context(SCHEMA):
            half = WarningSignal.objects.count()
            assert Job.objects.get(pk=job.pk).status == "running"  # the crash left it so
            assert half > 0, "nothing was committed before the kill"

            fresh = start_worker()
            try:
                again = jobs.job_create(kind="warning_scan", input={"indicator_ids": None})
                run_scan.apply_async(args=[str(again.pk)])
                assert wait_for(lambda: Job.objects.get(pk=again.pk).status == "succeeded")
            finally:
                stop_worker(fresh)
            resumed = _snapshot()
            assert len(resumed) > half > 0

            # The reference: the same data scanned once, without interruption.
            WarningSignal.objects.all().delete()
            Indicator.objects.update(last_scanned_at=None)
            scan()
            assert _snapshot() == resumed
    connection.set_schema_to_public()
