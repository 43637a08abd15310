"""The register's daily run: one per tenant per day, started from the tenant's tick."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from apps.core.background import TenantOnlyTask, run_job
from apps.risks.services.daily import DAILY_TASK, daily_run_claim, run_daily
from apps.risks.services.transfer_import import import_as_job
from apps.risks.services.transfer_submit import IMPORT_TASK


def daily_register_if_due() -> dict:
    """Tick handler: start today's run unless it has started already."""
    job = daily_run_claim()
    return {"started": True, "job": str(job.pk)} if job else {"started": False}


@shared_task(name=DAILY_TASK, base=TenantOnlyTask, bind=True)
def daily_register(self, job_id: str) -> dict:
    return run_job(
        self,
        job_id,
        lambda job: run_daily(
            since=job.created_at - timedelta(days=1), today=timezone.localdate(job.created_at)
        ),
    )


@shared_task(name=IMPORT_TASK, base=TenantOnlyTask, bind=True)
def import_file(self, job_id: str) -> dict:
    """A large import, all or nothing as inline. The file leaves the job row when it is done."""
    return import_as_job(task=self, job_id=job_id)
