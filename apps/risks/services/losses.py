"""Loss events on risks, recorded by the modules that saw the loss (emergency activations)."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from apps.risks.errors import RiskErrorCode as Code
from apps.risks.models import Risk
from apps.risks.models.losses import RiskLossEvent
from apps.risks.services.common import invalid


@transaction.atomic
def loss_event_record(
    *,
    risk_ids: list,
    occurred_at: datetime,
    amount: Decimal | None,
    currency: str,
    description: str,
    source: str,
    reference: str,
    actor=None,
) -> list[RiskLossEvent]:
    """One loss event per risk for (source, reference); recording it again changes nothing."""
    risks = list(Risk.objects.filter(pk__in=risk_ids))
    if len(risks) != len(set(map(str, risk_ids))):
        raise invalid("risk_ids", "Some risks do not exist.", Code.NOT_FOUND)
    events = []
    for risk in risks:
        event, _ = RiskLossEvent.objects.get_or_create(
            risk=risk,
            source=source,
            reference=reference,
            defaults={
                "occurred_at": occurred_at,
                "amount": amount,
                "currency": currency,
                "description": description,
                "recorded_by": actor,
            },
        )
        events.append(event)
    return events
