from datetime import UTC, datetime, timedelta

import pytest
from django_tenants.utils import schema_context

from apps.early_warning.services import indicators
from apps.early_warning.services.ingestion import PointIn, ingest

T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def in_a(world):
    with schema_context(world.a.schema_name):
        yield world


@pytest.fixture
def make_indicator(in_a):
    from apps.risks.models import RiskCategory

    def make(code="npl_ratio", **fields):
        defaults = dict(
            code=code,
            name=code.replace("_", " ").title(),
            category_id=RiskCategory.objects.get(code="credit").pk,
            amber=3.0,
            red=5.0,
            frequency_minutes=60,
            unit="%",
        )
        defaults.update(fields)
        return indicators.indicator_save(**defaults)

    return make


def feed(code: str, values: list[float], *, start=T0, step=timedelta(hours=1), dims=None) -> None:
    ingest([PointIn(code, start + i * step, v, dims) for i, v in enumerate(values)])
