from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from apps.early_warning.services import indicators
from apps.early_warning.services.ingestion import PointIn, ingest

# The first day of the month before last: always in the past, whatever the date the suite runs on.
_month_start = (
    timezone.now().astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
)
T0 = (_month_start - timedelta(days=32)).replace(day=1)
MONTH = T0.strftime("%Y-%m")  # "YYYY-MM" of T0, for ISO strings in GraphQL and CSV inputs


def indicator_new(code="npl_ratio", **fields):
    """A credit indicator through the service (amber 3, red 5, hourly), `fields` overriding.
    Call it inside a tenant's schema."""
    from apps.risks.models import RiskCategory

    defaults = dict(
        code=code,
        name=code.replace("_", " ").title(),
        category_id=RiskCategory.objects.get(code="credit").pk,
        amber=3.0,
        red=5.0,
        frequency_minutes=60,
        unit="%",
    )
    return indicators.indicator_save(**{**defaults, **fields})


@pytest.fixture
def make_indicator(in_a):
    return indicator_new


def feed(code: str, values: list[float], *, start=T0, step=timedelta(hours=1), dims=None) -> None:
    ingest([PointIn(code, start + i * step, v, dims) for i, v in enumerate(values)])
