"""A real Celery worker (a subprocess on the real Redis) runs tenant tasks in their schema.

The worker has its own database connection, so these tests commit their data (outside the
per-test transaction) and remove it afterwards.
"""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core import services
from apps.core.models import Job
from apps.core.module import JOB_DIAGNOSTICS
from apps.core.tasks import dispatch_tenant_ticks, run_diagnostics
from tests.kit.worker import WAIT, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.removes_committed]


@pytest.fixture
def committed(django_db_blocker):
    """Autocommit access for data the worker process must see; cleaned up afterwards."""
    made: list[tuple[str, object]] = []
    with django_db_blocker.unblock():
        yield made
        for schema_name, pk in made:
            with schema_context(schema_name):
                Job.objects.filter(pk=pk).delete()
        connection.set_schema_to_public()


def test_a_task_sent_from_tenant_a_runs_in_a_schema(worker, committed):
    with schema_context("tenant_a"):
        job = services.job_create(kind=JOB_DIAGNOSTICS)
        committed.append(("tenant_a", job.pk))
        result = run_diagnostics.apply_async(args=[str(job.pk)])
    outcome = result.get(timeout=WAIT)
    assert outcome["schema"] == "tenant_a" and outcome["status"] == "succeeded"
    with schema_context("tenant_a"):
        job.refresh_from_db()
    assert job.status == "succeeded" and job.result["schema"] == "tenant_a"
    with schema_context("tenant_b"):
        assert not Job.objects.filter(pk=job.pk).exists()


def test_a_task_sent_without_a_tenant_is_refused(worker, committed):
    connection.set_schema_to_public()
    result = run_diagnostics.apply_async(args=[str(uuid.uuid4())])
    result.get(timeout=WAIT, propagate=False)
    assert result.state == "FAILURE"
    assert type(result.result).__name__ == "TenantRequired"
    assert "refuses to run in the public schema" in str(result.result)


def test_the_tick_reaches_every_active_tenant_in_its_own_schema(worker, committed):
    stale = {}
    for schema_name in ("tenant_a", "tenant_b"):
        with schema_context(schema_name):
            job = services.job_create(kind=JOB_DIAGNOSTICS)
            services.job_start(job_id=job.pk)
            Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(days=2))
            committed.append((schema_name, job.pk))
            stale[schema_name] = job.pk
    connection.set_schema_to_public()
    assert dispatch_tenant_ticks.apply_async().get(timeout=WAIT) >= 2

    def all_failed() -> bool:
        states = []
        for schema_name, pk in stale.items():
            with schema_context(schema_name):
                states.append(Job.objects.get(pk=pk).status)
        return states == ["failed", "failed"]

    assert wait_for(all_failed), "the tick did not reach both tenants"
