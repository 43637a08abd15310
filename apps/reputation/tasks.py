"""Background entry points: the scoring job (sentiment queue) and the tick's two handlers."""

from celery import shared_task

from apps.core import services as jobs
from apps.core.background import TenantOnlyTask, run_job
from apps.core.models import Job
from apps.reputation.services.complaint_import import IMPORT_TASK
from apps.reputation.services.scoring import SCORE_TASK
from apps.reputation.services.topics import TOPICS_TASK


# Idempotent (a re-run scores what is still stale, to the same values): rerun when lost.
@shared_task(name=SCORE_TASK, base=TenantOnlyTask, bind=True, rerun_when_lost=True)
def score_mentions(self, job_id: str) -> dict:
    from datetime import date

    from apps.reputation.services.scoring import score_stale

    def work(job: Job) -> dict:
        return score_stale(
            progress=lambda pct: jobs.job_progress(job_id=job.pk, progress=pct),
            days=[date.fromisoformat(day) for day in (job.input or {}).get("days", [])],
        )

    return run_job(self, job_id, work)


# Idempotent (the topic's tags are replaced in one transaction): rerun when lost.
@shared_task(name=TOPICS_TASK, base=TenantOnlyTask, bind=True, rerun_when_lost=True)
def match_topics(self, job_id: str) -> dict:
    from apps.reputation.services.topics import topic_rematch

    def work(job: Job) -> dict:
        return topic_rematch(
            topic_id=(job.input or {}).get("topic"),
            progress=lambda pct: jobs.job_progress(job_id=job.pk, progress=pct),
        )

    return run_job(self, job_id, work)


# Not rerun when lost: all or nothing in one transaction, idempotent on references (a retry by
# hand adds nothing twice).
@shared_task(name=IMPORT_TASK, base=TenantOnlyTask, bind=True)
def import_complaints(self, job_id: str) -> dict:
    from apps.reputation.services.complaint_import import import_as_job

    return import_as_job(task=self, job_id=job_id)


def complaint_sla_if_due() -> dict:
    """Tick handler `reputation.complaint_sla`: stamp and notify new SLA breaches (each once)."""
    from apps.reputation.services.complaints import sla_breaches_detect

    return sla_breaches_detect()


def daily_index_if_due() -> dict:
    """Tick handler `reputation.daily_index`: yesterday's and today's figures, hourly."""
    from apps.reputation.services.index import daily_index_if_due as run

    return run()
