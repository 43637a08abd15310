"""Scans in the background: due ones from the tenant's tick, and one after each bulk ingestion."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.core import services as jobs
from apps.core.background import TenantOnlyTask, run_job
from apps.core.models import Job
from apps.core.transactions import enqueue_on_commit
from apps.early_warning.module import JOB_SCAN


def scan_enqueue(*, indicator_ids: list | None = None, created_by=None, every: bool = False) -> Job:
    """A scan job (of these indicators; without ids, of every due one, or with `every` of every
    active one), started after commit."""
    job = jobs.job_create(
        kind=JOB_SCAN,
        created_by=created_by,
        input={
            "indicator_ids": [str(i) for i in indicator_ids] if indicator_ids is not None else None,
            "every": every,
        },
    )
    enqueue_on_commit(run_scan, str(job.pk))
    return job


def scans_if_due() -> dict:
    """Tick handler: one scan of the due indicators, unless one is already queued or running, or
    nothing is due (no job without work: the tick runs every minute)."""
    from apps.early_warning.selectors import due_indicators

    # Stale jobs (a killed worker's) do not count: the core sweep fails and re-runs them.
    busy = jobs.jobs_active(kind=JOB_SCAN, input__indicator_ids=None).exists()
    if busy or not due_indicators(timezone.now()).exists():
        return {"started": False}
    with transaction.atomic():
        job = scan_enqueue()
    return {"started": True, "job": str(job.pk)}


# Idempotent (a re-run converges on the same signals): the jobs' sweep runs a lost one again.
@shared_task(name="early_warning.run_scan", base=TenantOnlyTask, bind=True, rerun_when_lost=True)
def run_scan(self, job_id: str) -> dict:
    from apps.early_warning.services.scans import scan

    def work(job: Job) -> dict:
        return scan(
            indicator_ids=job.input.get("indicator_ids"),
            every=bool(job.input.get("every")),
            progress=lambda pct: jobs.job_progress(job_id=job.pk, progress=pct),
        )

    return run_job(self, job_id, work)
