"""Platform-wide background tasks: the per-tenant tick fan-out and worker diagnostics."""

import logging
import random
import socket

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.core import services
from apps.core.audit import acting_as
from apps.core.background import TenantOnlyTask, run_job
from apps.core.periodic import tick_handlers
from apps.core.schemas import tenant_connection
from apps.core.transactions import BrokerUnavailable, enqueue_on_commit, send_now

log = logging.getLogger(__name__)


@shared_task(name="core.dispatch_tenant_ticks", acks_late=True)
def dispatch_tenant_ticks() -> int:
    """Beat's one entry: every active tenant's tick, in batches spread over the jitter window.

    One message per FENGKONG_TICK_BATCH tenants, not per tenant (a message costs a worker more
    than a tenant with nothing due), and batch i is due in the i-th slice of the window plus a
    random part of it: evenly spread, never bunched, whatever the number of tenants.
    """
    from apps.accounts.services import tokens_purge
    from apps.tenants.selectors import active_tenant_schemas
    from apps.tenants.spares import send_refill, spares_short

    if cache.add("platform:tokens-purged-today", True, timeout=24 * 3600):  # once a day
        tokens_purge()
    if spares_short():  # provisioning's clones made ahead (a refill the broker refused, a release)
        send_refill()
    schemas = active_tenant_schemas()
    for delay, batch in tick_batches(schemas):
        tenant_ticks.apply_async(args=[batch], countdown=delay)
    return len(schemas)


def tick_batches(schemas: list[str]) -> list[tuple[float, list[str]]]:
    """(countdown, schemas) of each batch: FENGKONG_TICK_BATCH tenants each, the batches spread
    evenly over FENGKONG_TICK_JITTER_SECONDS (each at a random point of its own slice)."""
    size = max(int(settings.FENGKONG_TICK_BATCH), 1)
    batches = [schemas[i : i + size] for i in range(0, len(schemas), size)]
    slot = settings.FENGKONG_TICK_JITTER_SECONDS / max(len(batches), 1)
    return [(slot * (i + random.random()), batch) for i, batch in enumerate(batches)]


@shared_task(name="core.tenant_ticks", acks_late=True)
def tenant_ticks(schemas: list[str]) -> dict:
    """One batch of the tick (sent from public): each tenant still active, in its own schema.
    One tenant's failure never stops the batch; a tenant suspended since is skipped."""
    from apps.tenants.selectors import active_tenants

    done = {}
    try:
        for tenant in active_tenants(schemas):
            tenant_connection().set_tenant(tenant)
            try:
                done[tenant.schema_name] = _run_tick_handlers()
            except Exception:  # e.g. its schema is gone: the next tenants still get their tick
                log.exception("tick failed in %s", tenant.schema_name)
                done[tenant.schema_name] = {"error": True}
    finally:
        tenant_connection().set_schema_to_public()
    return done


@shared_task(name="core.tenant_tick", base=TenantOnlyTask, bind=True)
def tenant_tick(self) -> dict:
    """The tick of the tenant the message was sent from (one tenant: tests, operators)."""
    return _run_tick_handlers()


def _run_tick_handlers() -> dict:
    outcome = {}
    for name, handler in tick_handlers().items():
        try:
            with acting_as(system=f"system: tick {name}"):
                outcome[name] = handler()
        except Exception:  # one module's failure must not starve the others
            log.exception("tick handler %s failed in %s", name, tenant_connection().schema_name)
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
            "schema": tenant_connection().schema_name,
            "worker": socket.gethostname(),
            "task_id": self.request.id,
            "checked_at": timezone.now().isoformat(),
        }

    return run_job(self, job_id, work)
