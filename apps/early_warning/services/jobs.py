"""Scan jobs: made here, sent by task name after commit (services never import tasks.py)."""

from django.db import transaction

from apps.core import services as jobs
from apps.core.models import Job
from apps.core.transactions import enqueue_task_on_commit
from apps.early_warning.module import JOB_SCAN
from apps.early_warning.services import ingestion

RUN_SCAN = "early_warning.run_scan"


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
    enqueue_task_on_commit(RUN_SCAN, str(job.pk))
    return job


def ingest_then_scan(
    points: list[ingestion.PointIn], *, positions: list[int] | None, scan: bool, actor
) -> tuple[ingestion.Ingested, Job | None]:
    """Store the points and (asked, and something was stored) a scan of their indicators:
    together or not at all. Raises IngestRejected."""
    with transaction.atomic():
        done = ingestion.ingest(points, positions=positions)
        job = (
            scan_enqueue(indicator_ids=done.indicator_ids, created_by=actor)
            if scan and done.count
            else None
        )
    return done, job
