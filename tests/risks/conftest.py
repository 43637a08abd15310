import pytest


@pytest.fixture
def credit(in_a):
    from apps.risks.models import RiskCategory

    return RiskCategory.objects.get(code="credit")
