"""Background work of the platform's tenants app (public schema)."""

from celery import shared_task

from apps.tenants.spares import REFILL_TASK, spares_refill


@shared_task(name=REFILL_TASK, acks_late=True)
def refill_spares() -> dict:
    """Keep TENANT_SPARE_SCHEMAS template clones ready for the next provisionings."""
    return spares_refill()
