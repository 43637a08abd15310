"""The register's lists, and one risk with all its nested lists, cost their pinned SQL count
(tests/kit/registry.py) for 10 rows as for 100."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.early_warning.services import indicators
from apps.risks import selectors
from apps.risks.models import RiskCategory
from apps.risks.services import (
    acceptance,
    assessments,
    configuration,
    controls,
    register,
    reviews,
)
from apps.risks.services.losses import loss_event_record
from tests.early_warning.conftest import indicator_new
from tests.kit.registry import DETAIL_PINS
from tests.kit.sql import PAGES, sql_count
from tests.risks.people import person_for

CONNECTIONS = {
    # Per request: domain, token, membership (3), then risks with category and owner joined and
    # the total count (1), and the first five controls of every risk on the page in one window
    # query (1).
    "risks": """{ risks(first: PAGE) { totalCount edges { node {
      id title status category { code nameEn } owner { fullName user { email } }
      inherent { level score } residual { level score } currentLevel
      controls(first: 5) { edges { node { name effectiveness } } }
    } } } }""",
    "riskCategories": "{ riskCategories(first: PAGE) { totalCount edges { node { code nameEn path parent { code } } } } }",
    "riskMatrices": "{ riskMatrices(first: PAGE) { totalCount edges { node { name version isActive grid } } } }",
    "controls": "{ controls(first: PAGE) { totalCount edges { node { name controlType owner { fullName user { email } } risks(first: 5) { edges { node { title } } } } } } }",
    "riskAppetites": "{ riskAppetites(first: PAGE) { totalCount edges { node { maxLevel statement category { code } } } } }",
    "riskLimits": "{ riskLimits(first: PAGE) { totalCount edges { node { name cap utilisation breached category { code } } } } }",
    "actions": """{ actions(first: PAGE) { totalCount edges { node {
      title dueDate overdue owner { fullName user { email } } risk { title } control { name } } } } }""",
    "acceptances": """{ acceptances(first: PAGE) { totalCount
      edges { node { status requestedBy { email } risk { title category { code } } } } } }""",
}
DETAIL = """query($id: ID!) { risk(id: $id) {
  id title category { code } owner { fullName user { email } } inherent { level } residual { level } currentLevel
  assessments(first: PAGE) { totalCount edges { node { kind level assessor { email } } } }
  controls(first: PAGE) { totalCount edges { node { name effectiveness owner { fullName user { email } } } } }
  actions(first: PAGE) { totalCount edges { node { title status owner { fullName user { email } } control { name } } } }
  reviews(first: PAGE) { totalCount edges { node { notes reviewer { email } } } }
  acceptances(first: PAGE) { totalCount edges { node { status requestedBy { email } } } }
  relatedRisks(first: PAGE) { totalCount edges { node { title } } }
  limits(first: PAGE) { totalCount edges { node { name risk { title } } } }
  indicators(first: PAGE) { totalCount edges { node { code status } } }
  signals(first: PAGE) { totalCount edges { node { severity indicator { code } } } }
  history(first: PAGE) { totalCount edges { node { action objectType actorEmail } } }
  lossEvents(first: PAGE, orderBy: [{field: AMOUNT, direction: DESC}]) { totalCount
    edges { node { amount currency occurredAt source reference recordedBy { email } } } }
} }"""
NESTED = (
    "assessments",
    "controls",
    "actions",
    "reviews",
    "limits",
    "indicators",
    "history",
    "lossEvents",
)
ROWS = 15


@pytest.fixture
def seeded(world):
    with schema_context(world.a.schema_name):
        category = RiskCategory.objects.get(code="operational")
        owner = world.user("a", "analyst")
        person = person_for(owner)
        due = timezone.localdate() + timedelta(days=7)
        for i in range(ROWS):
            risk = register.risk_create(
                title=f"R{i}", category_id=category.pk, owner_id=person.pk, status="open"
            )
            assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=3, impact=3)
            assessments.assessment_record(risk_id=risk.pk, kind="residual", likelihood=2, impact=2)
            for j in range(2):
                control = controls.control_save(
                    name=f"C{i}.{j}", control_type="detective", kind="audit", risk_ids=[risk.pk]
                )
            controls.action_create(
                risk_id=risk.pk,
                title=f"A{i}",
                owner_id=person.pk,
                due_date=due,
                control_id=control.pk,
            )
            acceptance.acceptance_request(
                risk_id=risk.pk, actor=owner, justification="Small", expires_on=due
            )
            extra = configuration.category_create(code=f"extra_{i}", name_en=f"Extra {i}")
            configuration.appetite_set(category_id=extra.pk, max_level="medium")
            configuration.limit_create(name=f"L{i}", cap=100, category_id=extra.pk)
            configuration.matrix_create(
                name=f"M{i}", definition=selectors.active_matrix().definition
            )
    connection.set_schema_to_public()


@pytest.mark.parametrize("field", CONNECTIONS)
def test_pinned_sql_count_for_10_and_100_rows(api, seeded, field):
    from tests.kit.sql import assert_pinned

    assert_pinned(api("a", "viewer"), field, CONNECTIONS[field])


@pytest.fixture
def busy_risk(world):
    """One risk with more of each nested list than the small page holds."""
    with schema_context(world.a.schema_name):
        category = RiskCategory.objects.get(code="credit")
        analyst = world.user("a", "analyst")
        person = person_for(analyst)
        risk = register.risk_create(title="Busy", category_id=category.pk, owner_id=person.pk)
        other = register.risk_create(title="Neighbour", category_id=category.pk)
        for i in range(ROWS):
            assessments.assessment_record(
                risk_id=risk.pk, kind="inherent", likelihood=1 + i % 5, impact=3, actor=analyst
            )
            control = controls.control_save(
                name=f"K{i}", control_type="preventive", kind="audit", risk_ids=[risk.pk, other.pk]
            )
            controls.action_create(
                risk_id=risk.pk, title=f"A{i}", owner_id=person.pk, control_id=control.pk
            )
            reviews.review_record(risk_id=risk.pk, actor=analyst, notes=f"n{i}")
            configuration.limit_create(name=f"L{i}", cap=100, risk_id=risk.pk)
            loss_event_record(
                risk_ids=[risk.pk],
                occurred_at=timezone.now() - timedelta(days=i),
                amount=Decimal(1000 + i),
                currency="CNY",
                description=f"Incident {i}",
                source="test",
                reference=f"incident-{i}",
                actor=analyst,
            )
            kri = indicator_new(code=f"kri_{i}")
            indicators.indicator_save(indicator_id=kri.pk, risk_ids=[risk.pk])
    connection.set_schema_to_public()
    return to_base64("Risk", risk.pk)


def test_a_risk_with_its_nested_lists_costs_its_pin(api, busy_risk):
    viewer = api("a", "viewer")
    small, large = (DETAIL.replace("PAGE", str(size)) for size in PAGES)
    pages = [viewer.ok(q, {"id": busy_risk})["risk"] for q in (small, large)]
    for name in NESTED:
        assert len(pages[1][name]["edges"]) > len(pages[0][name]["edges"]), name
    counts = [sql_count(viewer, q, {"id": busy_risk}) for q in (small, large)]
    assert counts == [DETAIL_PINS["risk"]] * 2, counts


IN_LIST = """{ risks(first: PAGE) { edges { node { title
  assessments(first: 3) { totalCount edges { node { level } } }
  actions(first: 3) { totalCount edges { node { title risk { title } } } }
  acceptances(first: 3) { totalCount edges { node { status allowedTransitions } } }
  reviews(first: 3) { totalCount edges { node { levelAtReview } } }
  relatedRisks(first: 3) { totalCount edges { node { title } } }
  limits(first: 3) { totalCount edges { node { name } } }
  indicators(first: 3) { totalCount edges { node { code status } } }
  allowedTransitions viewerCanEdit
} } } }"""
# token and membership (2), the page of risks (1), and one window query per nested list for the
# whole page (7): the same for 10 risks as for 100.
IN_LIST_PIN = 10


def test_nested_lists_of_a_page_of_risks_cost_one_query_each_whatever_the_page(api, seeded):
    viewer = api("a", "viewer")
    small, large = (IN_LIST.replace("PAGE", str(size)) for size in PAGES)
    pages = [viewer.ok(q)["risks"]["edges"] for q in (small, large)]
    assert len(pages[1]) > len(pages[0]) == PAGES[0]
    assert pages[0][0]["node"]["actions"]["totalCount"] == 1
    assert [sql_count(viewer, q) for q in (small, large)] == [IN_LIST_PIN] * 2


SIGNALS_IN_LIST = """{ risks(first: PAGE, orderBy: [{field: TITLE}]) { edges { node { title
  signals(first: 2) { totalCount edges { node { severity indicator { code } } } } } } } }"""
# token and membership (2), the page of risks (1), the indicators watching the page's risks (1)
# and their signals with each signal's indicator joined (1): the same for 10 risks as for 30.
SIGNALS_IN_LIST_PIN = 5


@pytest.fixture
def watched(world):
    """30 risks; risk i is watched by indicator i % 3, and W00 by all three, each red once."""
    from apps.early_warning.services.scans import scan
    from tests.early_warning.conftest import T0, feed

    with schema_context(world.a.schema_name):
        credit = RiskCategory.objects.get(code="credit")
        made = [register.risk_create(title=f"W{i:02d}", category_id=credit.pk) for i in range(30)]
        codes = ("kri_a", "kri_b", "kri_c")
        watching = []
        for n, code in enumerate(codes):
            kri = indicator_new(code=code)
            ids = {r.pk for r in made[n::3]} | {made[0].pk}
            indicators.indicator_save(indicator_id=kri.pk, risk_ids=list(ids))
            indicators.rule_save(indicator_id=kri.pk, kind="threshold", params={})
            feed(code, [9])
            watching.append(kri.pk)
        scan(indicator_ids=watching, now=T0 + timedelta(days=30))
    connection.set_schema_to_public()


def test_signals_of_a_page_of_risks_cost_the_same_for_10_risks_as_for_30(api, watched):
    viewer = api("a", "viewer")
    small, large = (SIGNALS_IN_LIST.replace("PAGE", str(size)) for size in (10, 30))
    page = viewer.ok(large)["risks"]["edges"]
    assert len(page) == 30
    totals = {e["node"]["title"]: e["node"]["signals"]["totalCount"] for e in page}
    assert (totals["W00"], totals["W01"], totals["W29"]) == (3, 1, 1)
    w01 = page[1]["node"]["signals"]["edges"]
    assert w01 == [{"node": {"severity": "RED", "indicator": {"code": "kri_b"}}}]  # 1 % 3
    assert len(page[0]["node"]["signals"]["edges"]) == 2  # first: 2 of W00's three
    assert [sql_count(viewer, q) for q in (small, large)] == [SIGNALS_IN_LIST_PIN] * 2
