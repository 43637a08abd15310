"""The jobs' sweep: what counts as lost (no heartbeat, a queued job never started), and that a
lost job no longer counts as "already on its way"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core import services
from apps.core.models import Job
from apps.core.module import JOB_DIAGNOSTICS

pytestmark = pytest.mark.django_db
STALE = timedelta(hours=6)
SILENT = timedelta(minutes=5)


@pytest.fixture
def in_a(world):
    from django_tenants.utils import schema_context

    with schema_context("tenant_a"):
        # Only this test's jobs (rolled back after it): a worker test elsewhere commits jobs of
        # its own, and one it left running turns "silent" here after a few minutes.
        Job.objects.all().delete()
        yield


def _job(status: str, *, age: timedelta, heartbeat_age: timedelta | None = None) -> Job:
    job = services.job_create(kind=JOB_DIAGNOSTICS)
    past = timezone.now() - age
    beat = timezone.now() - heartbeat_age if heartbeat_age is not None else None
    Job.objects.filter(pk=job.pk).update(
        status=status, created_at=past, updated_at=past, heartbeat_at=beat
    )
    return job


def test_a_silent_running_job_and_an_old_queued_one_are_failed(in_a):
    silent = _job("running", age=timedelta(minutes=10), heartbeat_age=timedelta(minutes=6))
    beating = _job("running", age=timedelta(hours=8), heartbeat_age=timedelta(seconds=10))
    never_beat = _job("running", age=timedelta(hours=7))
    old_queued = _job("queued", age=timedelta(hours=7))
    young_queued = _job("queued", age=timedelta(minutes=30))

    lost = services.jobs_lost(older_than=STALE, heartbeat_older_than=SILENT)

    assert {job.pk for job in lost} == {silent.pk, never_beat.pk, old_queued.pk}
    states = dict(Job.objects.values_list("pk", "status"))
    assert states[silent.pk] == states[never_beat.pk] == states[old_queued.pk] == "failed"
    assert states[beating.pk] == "running" and states[young_queued.pk] == "queued"
    assert "never started" in Job.objects.get(pk=old_queued.pk).error
    assert "stopped answering" in Job.objects.get(pk=silent.pk).error


def test_a_lost_job_is_not_on_its_way(in_a, settings):
    settings.FENGKONG_JOB_HEARTBEAT_STALE_SECONDS = 300
    silent = _job("running", age=timedelta(minutes=10), heartbeat_age=timedelta(minutes=6))
    beating = _job("running", age=timedelta(minutes=10), heartbeat_age=timedelta(seconds=5))
    old_queued = _job("queued", age=timedelta(hours=7))

    active = set(services.jobs_active(kind=JOB_DIAGNOSTICS).values_list("pk", flat=True))

    assert beating.pk in active
    assert silent.pk not in active and old_queued.pk not in active


def test_the_stale_count_keeps_its_meaning(in_a):
    _job("running", age=timedelta(hours=7))
    _job("queued", age=timedelta(hours=7))
    assert services.jobs_fail_stale(older_than=STALE) == 2
