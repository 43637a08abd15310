"""Platform-wide background tasks: the per-tenant tick fan-out and worker diagnostics."""

import logging
import random
import socket

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core import services
from apps.core.audit import acting_as
from apps.core.background import TenantOnlyTask, run_job
from apps.core.periodic import tick_handlers
from apps.core.transactions import BrokerUnavailable, enqueue_on_commit, send_now

log = logging.getLogger(__name__)


@shared_task(name="core.dispatch_tenant_ticks", acks_late=True)
def dispatch_tenant_ticks() -> int:
    """Beat's one entry: send each active tenant its tick, spread over a random delay."""
    from apps.accounts.services import tokens_purge
    from apps.tenants.selectors import active_tenant_schemas

    if cache.add("platform:tokens-purged-today", True, timeout=24 * 3600):  # once a day
        tokens_purge()
    schemas = active_tenant_schemas()
    for schema_name in schemas:
        with schema_context(schema_name):  # the message carries this schema
            tenant_tick.apply_async(
                countdown=random.uniform(0, settings.FENGKONG_TICK_JITTER_SECONDS)
            )
    return len(schemas)


@shared_task(name="core.tenant_tick", base=TenantOnlyTask, bind=True)
def tenant_tick(self) -> dict:
    outcome = {}
    for name, handler in tick_handlers().items():
        try:
            with acting_as(system=f"system: tick {name}"):
                outcome[name] = handler()
        except Exception:  # one module's failure must not starve the others
            log.exception("tick handler %s failed in %s", name, connection.schema_name)
            outcome[name] = {"error": True}
    return outcome


def fail_stale_jobs() -> dict:
    """Tick handler, the jobs' sweep: fail the jobs no worker will finish (a killed worker's: no
    heartbeat; a lost message's), run again those whose task is idempotent (`rerun_when_lost`,
    e.g. scans) as a new job, and send the queued jobs the broker refused at commit (outbox)."""
    from datetime import timedelta

    from config.celery import app

    lost = services.jobs_lost(
        older_than=settings.FENGKONG_JOB_STALE_AFTER,
        heartbeat_older_than=timedelta(seconds=settings.FENGKONG_JOB_HEARTBEAT_STALE_SECONDS),
    )
    rerun = []
    for job in lost:
        task = app.tasks.get(job.task_name)
        if not job.was_running or not getattr(task, "rerun_when_lost", False):
            continue
        if services.jobs_active(kind=job.kind, input=job.input).exists():
            continue  # the same work is already on its way (another handler started it)
        try:
            with transaction.atomic():
                again = services.job_create(
                    kind=job.kind,
                    created_by=job.created_by,
                    input=job.input,
                    checkpoint=job.checkpoint,  # go on where the lost one stopped
                )
                enqueue_on_commit(task, str(again.pk))
        except BrokerUnavailable:
            pass  # committed and unsent: the outbox part below sends it on a later tick
        rerun.append(str(again.pk))
    sent = 0
    unsent_after = timedelta(seconds=settings.FENGKONG_JOB_UNSENT_AFTER_SECONDS)
    for job in services.jobs_unsent(older_than=unsent_after):
        if (task := app.tasks.get(job.task_name)) is not None:
            try:
                send_now(task, str(job.pk))
            except BrokerUnavailable:
                break  # still down: the next tick tries again
            sent += 1
    return {"failed": len(lost), "rerun": rerun, "sent": sent}


@shared_task(name=services.DIAGNOSTICS_TASK, base=TenantOnlyTask, bind=True)
def run_diagnostics(self, job_id: str) -> dict:
    """Prove the background path works for this tenant: which worker, which schema, when."""

    def work(job) -> dict:
        return {
            "schema": connection.schema_name,
            "worker": socket.gethostname(),
            "task_id": self.request.id,
            "checked_at": timezone.now().isoformat(),
        }

    return run_job(self, job_id, work)
