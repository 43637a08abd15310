"""Background entry points of the assessments module (the heavy queue, config/settings.py)."""

from celery import shared_task

from apps.assessments.services.datasets import PARSE_TASK, parse_as_job
from apps.assessments.services.execute import execute
from apps.assessments.services.runs import RUN_TASK
from apps.core.background import TenantOnlyTask, run_job


@shared_task(name=RUN_TASK, base=TenantOnlyTask, bind=True, rerun_when_lost=True)
def run(self, job_id: str) -> dict:
    """One assessment run: compute and store its results (idempotent: a finished run is left).
    A job lost with its worker is run again by the tick's sweep as a new job, which takes the
    run over and computes it again from its stored inputs and seed (services/execute.py)."""
    return run_job(self, job_id, execute)


@shared_task(name=PARSE_TASK, base=TenantOnlyTask, bind=True)
def parse_dataset(self, job_id: str) -> dict:
    """A large or XLSX upload: parse, check and store the version, or reject it with its rows'
    problems (the file leaves the job row when it is done)."""
    return run_job(self, job_id, parse_as_job)


def scheduled_runs_if_due() -> dict:
    """Tick handler `assessments.scheduled_runs`: one run per schedule and period."""
    from apps.assessments.services.schedules import scheduled_runs_due

    return scheduled_runs_due()


def stale_uploads_dropped() -> dict:
    """Tick handler `assessments.stale_uploads`: chunked uploads left open for a day."""
    from apps.assessments.services.uploads import drop_stale_uploads

    return drop_stale_uploads()


def lost_runs_failed() -> dict:
    """Tick handler `assessments.lost_runs`: a run whose job the sweep failed and that no new
    job took over (a message never delivered) is failed too, not left queued or running."""
    from apps.assessments.services.runs import runs_fail_orphaned

    return runs_fail_orphaned()
