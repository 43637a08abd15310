"""The Job lifecycle every long-running operation shares."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.core import services
from apps.core.background import run_job
from apps.core.models import Job, JobStatus
from apps.core.module import JOB_DIAGNOSTICS
from apps.early_warning.module import JOB_SCAN


class FakeTask:
    """Stands in for the bound Celery task: run_job only reads its retry counters."""

    max_retries = 3

    class request:  # noqa: N801 - mirrors celery's attribute
        retries = 0


def test_a_job_runs_from_queued_to_succeeded(in_a):
    job = services.job_create(kind=JOB_DIAGNOSTICS)
    outcome = run_job(FakeTask(), job.pk, lambda j: {"rows": 3})
    job.refresh_from_db()
    assert outcome["status"] == JobStatus.SUCCEEDED
    assert (job.status, job.progress, job.result, job.attempts) == (
        "succeeded",
        100,
        {"rows": 3},
        1,
    )
    assert job.started_at <= job.finished_at


def test_a_failing_job_records_its_error(in_a):
    job = services.job_create(kind=JOB_DIAGNOSTICS)

    def explode(j):
        raise ZeroDivisionError("no data")

    with pytest.raises(ZeroDivisionError):
        run_job(FakeTask(), job.pk, explode)
    job.refresh_from_db()
    assert job.status == "failed" and "ZeroDivisionError: no data" in job.error


def test_a_redelivered_message_does_not_run_a_finished_job_again(in_a):
    job = services.job_create(kind=JOB_DIAGNOSTICS)
    calls = []
    run_job(FakeTask(), job.pk, lambda j: calls.append(1) or {})
    assert run_job(FakeTask(), job.pk, lambda j: calls.append(1) or {})["skipped"] is True
    assert calls == [1]


def test_finished_jobs_never_change_state(in_a):
    job = services.job_create(kind=JOB_DIAGNOSTICS)
    services.job_start(job_id=job.pk)
    services.job_succeed(job_id=job.pk)
    with pytest.raises(ValidationError):
        services.job_start(job_id=job.pk)
    with pytest.raises(ValidationError):
        services.job_fail(job_id=job.pk, error="late")


def test_progress_is_clamped_and_only_for_running_jobs(in_a):
    job = services.job_create(kind=JOB_DIAGNOSTICS)
    services.job_progress(job_id=job.pk, progress=50)
    assert Job.objects.get(pk=job.pk).progress == 0  # queued: ignored
    services.job_start(job_id=job.pk)
    services.job_progress(job_id=job.pk, progress=150)
    assert Job.objects.get(pk=job.pk).progress == 100


def test_stale_running_jobs_are_failed(in_a):
    stale = services.job_create(kind=JOB_DIAGNOSTICS)
    services.job_start(job_id=stale.pk)
    Job.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(hours=7))
    fresh = services.job_create(kind=JOB_DIAGNOSTICS)
    services.job_start(job_id=fresh.pk)
    assert services.jobs_fail_stale(older_than=timedelta(hours=6)) == 1
    assert Job.objects.get(pk=stale.pk).status == "failed"
    assert Job.objects.get(pk=fresh.pk).status == "running"


def test_jobs_are_listed_newest_first_and_readable_by_id(api, world):
    with schema_context(world.a.schema_name):
        first = services.job_create(kind=JOB_DIAGNOSTICS)
        second = services.job_create(kind=JOB_DIAGNOSTICS)
    viewer = api("a", "viewer")
    listed = viewer.ok("{ jobs(first: 10) { edges { node { id status kind } } } }")["jobs"]["edges"]
    assert [e["node"]["id"] for e in listed] == [
        to_base64("Job", second.pk),
        to_base64("Job", first.pk),
    ]
    one = viewer.ok(
        "query($id: ID!) { job(id: $id) { status progress kind } }",
        {"id": to_base64("Job", first.pk)},
    )
    assert one["job"] == {"status": "QUEUED", "progress": 0, "kind": "DIAGNOSTICS"}


def test_a_malformed_job_id_names_nothing(api):
    assert api("a", "viewer").ok('{ job(id: "Sm9iOm5vdC1hLXV1aWQ=") { id } }')["job"] is None


JOBS = """query($f: JobFilter, $o: [JobOrder!]) { jobs(first: 10, filter: $f, orderBy: $o) {
  totalCount edges { node { id } } } }"""


def test_jobs_are_filtered_by_kind_status_and_creation_time_and_ordered(api, world):
    now = timezone.now()
    with schema_context(world.a.schema_name):
        old_scan = services.job_create(kind=JOB_SCAN)
        new_scan = services.job_create(kind=JOB_SCAN)
        running = services.job_create(kind=JOB_DIAGNOSTICS)
        services.job_start(job_id=running.pk)
        for job, hours_ago in ((old_scan, 5), (new_scan, 1), (running, 3)):
            Job.objects.filter(pk=job.pk).update(created_at=now - timedelta(hours=hours_ago))
    viewer = api("a", "viewer")

    def ids(variables: dict) -> list:
        edges = viewer.ok(JOBS, variables)["jobs"]["edges"]
        return [e["node"]["id"] for e in edges]

    gid = {job: to_base64("Job", job.pk) for job in (old_scan, new_scan, running)}
    assert ids({}) == [gid[new_scan], gid[running], gid[old_scan]]  # newest first by default
    assert ids({"f": {"kinds": ["WARNING_SCAN"]}}) == [gid[new_scan], gid[old_scan]]
    assert ids({"f": {"statuses": ["RUNNING"]}}) == [gid[running]]
    assert ids({"f": {"kinds": ["DIAGNOSTICS"], "statuses": ["QUEUED"]}}) == []
    window = {"createdFrom": (now - timedelta(hours=4)).isoformat(), "createdTo": now.isoformat()}
    assert ids({"f": window}) == [gid[new_scan], gid[running]]
    assert ids({"o": [{"field": "CREATED", "direction": "ASC"}]}) == [
        gid[old_scan],
        gid[running],
        gid[new_scan],
    ]
    by_status = ids(
        {"o": [{"field": "STATUS", "direction": "DESC"}, {"field": "CREATED", "direction": "DESC"}]}
    )
    assert by_status == [gid[running], gid[new_scan], gid[old_scan]]  # running > queued; newest
