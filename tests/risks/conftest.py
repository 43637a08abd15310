import pytest
from django_tenants.utils import schema_context


@pytest.fixture
def in_a(world):
    """Run the test body in tenant A's schema (services are called as a task or request would)."""
    with schema_context(world.a.schema_name):
        yield world


@pytest.fixture
def credit(in_a):
    from apps.risks.models import RiskCategory

    return RiskCategory.objects.get(code="credit")
