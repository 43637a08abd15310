"""Scans in the background: due ones from the tenant's tick, and one after each bulk ingestion."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.core import services as jobs
from apps.core.background import TenantOnlyTask, run_job
from apps.core.models import Job
from apps.early_warning.module import JOB_SCAN
from apps.early_warning.selectors import due_indicators
from apps.early_warning.services import retention
from apps.early_warning.services.jobs import RUN_SCAN, scan_enqueue
from apps.early_warning.services.scans import scan


def scans_if_due() -> dict:
    """Tick handler: one scan of the due indicators, unless one is already queued or running, or
    nothing is due (no job without work: the tick runs every minute)."""
    # Stale jobs (a killed worker's) do not count: the core sweep fails and re-runs them.
    busy = jobs.jobs_active(kind=JOB_SCAN, input__indicator_ids=None).exists()
    if busy or not due_indicators(timezone.now()).exists():
        return {"started": False}
    with transaction.atomic():
        job = scan_enqueue()
    return {"started": True, "job": str(job.pk)}


def partitions_if_due() -> dict:
    """Tick handler: once a day, the observation partitions ahead, retention, the default
    partition watched (services/retention.py)."""
    now = timezone.now()
    if not retention.claim_today(now):
        return {"kept": False}
    return {"kept": True, **retention.keep_partitions(now)}


# Idempotent (a re-run converges on the same signals): the jobs' sweep runs a lost one again.
@shared_task(name=RUN_SCAN, base=TenantOnlyTask, bind=True, rerun_when_lost=True)
def run_scan(self, job_id: str) -> dict:
    def work(job: Job) -> dict:
        return scan(
            indicator_ids=job.input.get("indicator_ids"),
            every=bool(job.input.get("every")),
            progress=lambda pct: jobs.job_progress(job_id=job.pk, progress=pct),
            # a next attempt (lost worker) or the sweep's re-run goes on where this one stopped
            resume=job.checkpoint,
            checkpoint=lambda state: jobs.job_checkpoint(job_id=job.pk, checkpoint=state),
        )

    return run_job(self, job_id, work)
