"""Background entry points: the scoring job (sentiment queue) and the tick's two handlers."""

from celery import shared_task

from apps.core import services as jobs
from apps.core.background import TenantOnlyTask, run_job
from apps.core.models import Job
from apps.reputation.services.scoring import SCORE_TASK


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


def complaint_sla_if_due() -> dict:
    """Tick handler `reputation.complaint_sla`: stamp and notify new SLA breaches (each once)."""
    from apps.reputation.services.complaints import sla_breaches_detect

    return sla_breaches_detect()


def daily_index_if_due() -> dict:
    """Tick handler `reputation.daily_index`: yesterday's and today's figures, hourly."""
    from apps.reputation.services.index import daily_index_if_due as run

    return run()
