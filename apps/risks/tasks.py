"""The register's daily run: one per tenant per day, started from the tenant's tick."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import services as jobs
from apps.core.background import TenantOnlyTask, run_job
from apps.core.transactions import enqueue_on_commit
from apps.risks.models import RegisterSettings
from apps.risks.module import JOB_DAILY


def daily_register_if_due() -> dict:
    """Tick handler: start today's run unless it has started already (one UPDATE decides)."""
    from apps.risks.services.configuration import register_settings

    today = timezone.localdate()
    settings = register_settings()
    with transaction.atomic():
        claimed = (
            RegisterSettings.objects.filter(pk=settings.pk)
            .filter(Q(daily_run_on__isnull=True) | Q(daily_run_on__lt=today))
            .update(daily_run_on=today)
        )
        if not claimed:
            return {"started": False}
        job = jobs.job_create(kind=JOB_DAILY)
        enqueue_on_commit(daily_register, str(job.pk))
    return {"started": True, "job": str(job.pk)}


@shared_task(name="risks.daily_register", base=TenantOnlyTask, bind=True)
def daily_register(self, job_id: str) -> dict:
    from apps.risks.services.daily import run_daily

    return run_job(
        self,
        job_id,
        lambda job: run_daily(
            since=job.created_at - timedelta(days=1), today=timezone.localdate(job.created_at)
        ),
    )


@shared_task(name="risks.import_file", base=TenantOnlyTask, bind=True)
def import_file(self, job_id: str) -> dict:
    """A large import, all or nothing as inline. The file leaves the job row when it is done."""
    from apps.risks.services.transfer_import import import_as_job

    return import_as_job(task=self, job_id=job_id)
