"""Scans in the background: due ones from the tenant's tick, and one after each bulk ingestion."""

from celery import shared_task
from django.db import transaction

from apps.core import services as jobs
from apps.core.background import TenantOnlyTask, run_job
from apps.core.models import Job, JobStatus
from apps.core.transactions import enqueue_on_commit
from apps.early_warning.module import JOB_SCAN


def scan_enqueue(*, indicator_ids: list | None = None, created_by=None) -> Job:
    """A scan job (of these indicators, or of every due one), started after commit."""
    job = jobs.job_create(
        kind=JOB_SCAN,
        created_by=created_by,
        input={
            "indicator_ids": [str(i) for i in indicator_ids] if indicator_ids is not None else None
        },
    )
    enqueue_on_commit(run_scan, str(job.pk))
    return job


def scans_if_due() -> dict:
    """Tick handler: one scan of the due indicators, unless one is already queued or running."""
    busy = Job.objects.filter(
        kind=JOB_SCAN,
        input__indicator_ids=None,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
    ).exists()
    if busy:
        return {"started": False}
    with transaction.atomic():
        job = scan_enqueue()
    return {"started": True, "job": str(job.pk)}


@shared_task(name="early_warning.run_scan", base=TenantOnlyTask, bind=True)
def run_scan(self, job_id: str) -> dict:
    from apps.early_warning.services.scans import scan

    def work(job: Job) -> dict:
        ids = job.input.get("indicator_ids")
        return scan(
            indicator_ids=ids, progress=lambda pct: jobs.job_progress(job_id=job.pk, progress=pct)
        )

    return run_job(self, job_id, work)
