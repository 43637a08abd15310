"""Each emergency list costs the same SQL for 10 rows as for 100, relations included."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.kit.sql import assert_pinned

CONNECTIONS = {
    "emergencyScenarios": """{ emergencyScenarios(first: PAGE) { totalCount edges { node {
  id code name builtin } } } }""",
    "severityLevels": """{ severityLevels(first: PAGE) { totalCount edges { node {
  id code rank regulatorReportHours } } } }""",
    "emergencyPlans": """{ emergencyPlans(first: PAGE) { totalCount edges { node {
  id code name scenario { code } reviewDueOn reviewOverdue lastDrillFailed noDrillWithinCycle
  openFindings versionInForce { number status } } } } }""",
    "activations": """{ activations(first: PAGE) { totalCount edges { node {
  id title status declaredAt plan { code name } level { code } commander { fullName }
  openTaskCount } } } }""",
    "drills": """{ drills(first: PAGE) { totalCount edges { node {
  id kind scheduledOn status result plan { code } } } } }""",
}
# Pinned in tests/kit/registry.py.
ROWS = 15


@pytest.fixture
def seeded(world):
    from apps.emergency.services import activations, drills
    from apps.emergency.services.setup import level_create, scenario_create
    from tests.emergency.conftest import level, make_plan, org_people

    with schema_context(world.a.schema_name):
        org = org_people(world)
        for i in range(ROWS):
            scenario_create(code=f"s{i:02}", name=f"S{i}")
            level_create(code=f"L{i}", name=f"L{i}", rank=10 + i)
        plans = [make_plan(world, org, code=f"p{i:02}") for i in range(ROWS)]
        today = timezone.localdate()
        for i, plan in enumerate(plans):
            activations.activation_declare(plan_id=plan.pk, level_id=level("III").pk)
            drills.drill_schedule(plan_id=plan.pk, scheduled_on=today + timedelta(days=i))
    connection.set_schema_to_public()


@pytest.mark.parametrize("field", CONNECTIONS)
def test_pinned_sql_count_for_10_and_100_rows(api, seeded, field):
    assert_pinned(api("a", "viewer"), field, CONNECTIONS[field])
