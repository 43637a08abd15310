"""The register list costs the same SQL for 10 rows as for 100, nested controls included."""

from django.db import connection
from django_tenants.utils import schema_context

from apps.risks.models import RiskCategory
from apps.risks.services import assessments, controls, register
from tests.core.test_query_counts import _sql_count

LIST = """{ risks(first: PAGE) { totalCount edges { node {
  id title status category { code nameEn } owner { email }
  inherent { level score } residual { level score } currentLevel
  controls(first: 5) { edges { node { name effectiveness } } }
} } } }"""
# Per request: token, membership (2; the host's tenant is cached), then risks with category and owner joined and the
# total count (1), and the first five controls of every risk on the page in one window query (1).
PINNED = 4


def _seed(world, n: int) -> None:
    with schema_context(world.a.schema_name):
        category = RiskCategory.objects.get(code="operational")
        owner = world.user("a", "analyst")
        for i in range(n):
            risk = register.risk_create(title=f"R{i}", category_id=category.pk, owner_id=owner.pk)
            assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=3, impact=3)
            assessments.assessment_record(risk_id=risk.pk, kind="residual", likelihood=2, impact=2)
            for j in range(6):
                controls.control_save(
                    name=f"C{i}.{j}", control_type="detective", kind="audit", risk_ids=[risk.pk]
                )
    connection.set_schema_to_public()


def test_sql_count_is_the_same_for_10_and_100_rows(api, world):
    _seed(world, 100)
    viewer = api("a", "viewer")
    ten = _sql_count(viewer, LIST.replace("PAGE", "10"))
    hundred = _sql_count(viewer, LIST.replace("PAGE", "100"))
    assert ten == hundred == PINNED
