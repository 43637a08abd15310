"""The daily upkeep of the observation partitions (apps/early_warning/partitions.py): the months
ahead made, the tenant's retention applied by dropping whole months, the default watched."""

import logging
from datetime import datetime

from django.db import transaction

from apps.early_warning import partitions
from apps.early_warning.models import WarningSettings
from apps.early_warning.selectors import warning_settings

log = logging.getLogger(__name__)


def claim_today(now: datetime) -> bool:
    """True once a day per tenant (one UPDATE decides, whichever tick gets there first)."""
    warning_settings()  # the row exists
    today = now.date()
    return bool(
        WarningSettings.objects.exclude(partitions_checked_on=today).update(
            partitions_checked_on=today
        )
    )


@transaction.atomic
def keep_partitions(now: datetime) -> dict:
    """Make this month's and the next months' partitions, drop the months retention no longer
    keeps, and report rows in the default partition (there should be none)."""
    made = partitions.ensure_ahead(now)
    months = warning_settings().retention_months
    dropped = []
    if months:
        keep_from = partitions.add_months(partitions.month_of(now), -months)
        dropped = partitions.drop_older_than(keep_from)
    stray = partitions.default_rows()
    if stray:
        log.error("observations in the default partition: make their month's partition")
    return {"made": len(made), "dropped": len(dropped), "default_rows": stray}
