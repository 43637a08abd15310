"""Each emergency list costs the same SQL for 10 rows as for 100, relations included."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

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


SUGGESTED = """{ warningSignals(first: PAGE) { edges { node { id
  suggestedPlans { plan { code } level { code } automatic } } } } }"""
BARE = "{ warningSignals(first: PAGE) { edges { node { id } } } }"


def test_suggested_plans_cost_the_same_for_5_and_20_signals(api, world):
    """20 red signals, one per indicator (i00…i19, all of category credit). Plan `by_ind`
    watches i00 (level III), plan `by_cat` the credit category (level II): every signal
    suggests by_cat; i00's suggests by_cat then by_ind (most severe level first)."""
    from apps.early_warning.services import indicators
    from apps.early_warning.services.ingestion import PointIn, ingest
    from apps.early_warning.services.scans import scan
    from apps.risks.models import RiskCategory
    from tests.emergency.conftest import level, make_plan, org_people
    from tests.kit.sql import sql_count

    with schema_context(world.a.schema_name):
        credit = RiskCategory.objects.get(code="credit")
        made = []
        for i in range(20):
            kri = indicators.indicator_save(
                code=f"i{i:02}", name=f"I{i}", category_id=credit.pk, amber=1.0, red=2.0,
                frequency_minutes=60,
            )  # fmt: skip
            indicators.rule_save(indicator_id=kri.pk, kind="threshold", params={})
            made.append(kri)
        hour_ago = timezone.now() - timedelta(hours=1)
        ingest([PointIn(kri.code, hour_ago, 9.0, None) for kri in made])
        scan(indicator_ids=[kri.pk for kri in made], now=timezone.now())
        org = org_people(world)
        watch = {"kind": "indicator", "indicator_id": made[0].pk, "level_id": level("III").pk}
        make_plan(world, org, code="by_ind", triggers=[watch])
        category = {"kind": "category", "category_id": credit.pk, "level_id": level("II").pk}
        make_plan(world, org, code="by_cat", triggers=[category])
        i00 = str(made[0].signals.get().pk)
    connection.set_schema_to_public()
    client = api("a", "viewer")
    edges = client.ok(SUGGESTED.replace("PAGE", "20"))["warningSignals"]["edges"]
    assert len(edges) == 20
    by_cat = {"plan": {"code": "by_cat"}, "level": {"code": "II"}, "automatic": False}
    by_ind = {"plan": {"code": "by_ind"}, "level": {"code": "III"}, "automatic": False}
    for edge in edges:
        node = edge["node"]
        expected = [by_cat, by_ind] if _pk(node["id"]) == i00 else [by_cat]
        assert node["suggestedPlans"] == expected
    bare = sql_count(client, BARE.replace("PAGE", "5"))
    counts = [sql_count(client, SUGGESTED.replace("PAGE", str(n))) for n in (5, 20)]
    # + the approved versions' triggers (plans and levels joined), + indicator → category.
    assert counts == [bare + 2, bare + 2]


def _pk(global_id: str) -> str:
    from uuid import UUID

    from strawberry.relay import from_base64

    return str(UUID(from_base64(global_id)[1]))


DETAIL = """query($id: ID!) { emergencyPlan(id: $id) { versions { edges { node {
  number roles { edges { node { role person { fullName } backup { fullName } } } }
  steps { totalCount edges { node { position action } } }
  triggers { edges { node { kind level { code } } } }
  strategies { edges { node { level { code } } } }
  resources { totalCount edges { node { id } } }
  communications { totalCount edges { node { id } } } } } } } }"""


def test_a_plans_versions_prefetch_their_lists(api, world):
    """A plan with one version and one with two (the draft copies the approved one) cost the
    same statements: each nested list is one prefetch for the page of versions (a list's
    `totalCount` alone is not prefetched: see apps/emergency/graphql/nested.py)."""
    from apps.emergency.services import plans
    from tests.emergency.conftest import make_plan, org_people
    from tests.kit.sql import sql_count

    with schema_context(world.a.schema_name):
        org = org_people(world)
        one, two = make_plan(world, org, code="one"), make_plan(world, org, code="two")
        plans.version_new_draft(plan_id=two.pk)
        ids = [to_base64("EmergencyPlan", plan.pk) for plan in (one, two)]
    connection.set_schema_to_public()
    client = api("a", "viewer")
    versions = client.ok(DETAIL, {"id": ids[1]})["emergencyPlan"]["versions"]["edges"]
    roles = [
        {"node": {"role": "COMMANDER", "person": {"fullName": "Person E1"},
                  "backup": {"fullName": "Person E3"}}},
        {"node": {"role": "DEPUTY", "person": {"fullName": "Person E2"}, "backup": None}},
    ]  # fmt: skip
    steps = {
        "totalCount": 2,
        "edges": [
            {"node": {"position": 1, "action": "Confirm the outage"}},
            {"node": {"position": 2, "action": "Switch to DR"}},
        ],
    }
    assert [v["node"]["number"] for v in versions] == [2, 1]
    for version in versions:
        assert sorted(version["node"]["roles"]["edges"], key=str) == sorted(roles, key=str)
        assert version["node"]["steps"] == steps
    assert sql_count(client, DETAIL, {"id": ids[0]}) == sql_count(client, DETAIL, {"id": ids[1]})
