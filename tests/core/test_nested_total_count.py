"""A nested connection's `totalCount` selected without `edges` is counted with its parents
(core's `ordered_connection`): no statement per parent, for a root page or a prefetched one.

Risk R<i> (i = 0…99) is linked to i % 4 of the controls K0, K1, K2 (K0 to every risk with
i % 4 ≥ 1, K1 to those with i % 4 ≥ 2, K2 to those with i % 4 = 3); activation j has the two
tasks of its plan's two steps.
"""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.risks.models import RiskCategory
from apps.risks.services import controls, register
from tests.kit.sql import PAGES, sql_count

RISKS = 100
ACTIVATIONS = 12

COUNT_ONLY = """{ risks(first: PAGE, orderBy: [{field: TITLE}]) { edges { node { title
  controls { totalCount } } } } }"""
BARE = "{ risks(first: PAGE, orderBy: [{field: TITLE}]) { edges { node { title } } } }"
WITH_EDGES = """{ risks(first: PAGE, orderBy: [{field: TITLE}]) { edges { node { title
  controls(first: 1) { totalCount edges { node { name } } } } } } }"""


@pytest.fixture
def linked(world):
    with schema_context(world.a.schema_name):
        category = RiskCategory.objects.get(code="operational")
        risks = [
            register.risk_create(title=f"R{i:03}", category_id=category.pk, status="open")
            for i in range(RISKS)
        ]
        for k in range(3):
            chosen = [r.pk for i, r in enumerate(risks) if i % 4 > k]
            controls.control_save(
                name=f"K{k}", control_type="detective", kind="audit", risk_ids=chosen
            )
    connection.set_schema_to_public()


def _counts(page: list) -> list[int]:
    return [edge["node"]["controls"]["totalCount"] for edge in page]


def test_counts_are_right_and_cost_no_statement_per_risk(api, linked):
    viewer = api("a", "viewer")
    small, large = (COUNT_ONLY.replace("PAGE", str(size)) for size in PAGES)
    pages = [viewer.ok(q)["risks"]["edges"] for q in (small, large)]
    assert [len(p) for p in pages] == [10, 100]
    assert _counts(pages[1]) == [i % 4 for i in range(RISKS)]
    assert _counts(pages[0]) == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1]
    bare = [sql_count(viewer, BARE.replace("PAGE", str(size))) for size in PAGES]
    # the same statements as the page of risks alone, for 10 risks as for 100
    assert [sql_count(viewer, q) for q in (small, large)] == bare
    assert bare[0] == bare[1]


def test_with_edges_the_window_prefetch_still_counts(api, linked):
    viewer = api("a", "viewer")
    small, large = (WITH_EDGES.replace("PAGE", str(size)) for size in PAGES)
    page = viewer.ok(large)["risks"]["edges"]
    assert _counts(page) == [i % 4 for i in range(RISKS)]
    assert [len(e["node"]["controls"]["edges"]) for e in page[:4]] == [0, 1, 1, 1]
    # the page and one window query for every risk's controls
    bare = sql_count(viewer, BARE.replace("PAGE", "10"))
    assert [sql_count(viewer, q) for q in (small, large)] == [bare + 1] * 2


def test_an_alias_with_edges_and_one_without_agree(api, linked):
    query = """{ risks(first: 4, orderBy: [{field: TITLE}]) { edges { node {
      n: controls { totalCount } e: controls(first: 5) { totalCount edges { node { name } } } } } } }"""
    page = api("a", "viewer").ok(query)["risks"]["edges"]
    assert [(e["node"]["n"]["totalCount"], e["node"]["e"]["totalCount"]) for e in page] == [
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 3),
    ]


def test_one_risk_by_node_counts_its_controls(api, linked):
    viewer = api("a", "viewer")
    ids = viewer.ok("{ risks(first: 4, orderBy: [{field: TITLE}]) { edges { node { id } } } }")
    risk_id = ids["risks"]["edges"][3]["node"]["id"]  # R003
    found = viewer.ok(
        "query($id: ID!) { node(id: $id) { ... on Risk { controls { totalCount } } } }",
        {"id": risk_id},
    )
    assert found["node"]["controls"]["totalCount"] == 3


def test_another_tenant_counts_nothing_of_ours(api, linked):
    page = api("b", "admin").ok(COUNT_ONLY.replace("PAGE", "100"))["risks"]["edges"]
    assert all(e["node"]["controls"]["totalCount"] == 0 for e in page)
    assert not any(e["node"]["title"].startswith("R0") for e in page)


@pytest.fixture
def declared(world):
    from apps.emergency.services import activations
    from tests.emergency.conftest import level, make_plan, org_people

    with schema_context(world.a.schema_name):
        org = org_people(world)
        for j in range(ACTIVATIONS):
            plan = make_plan(world, org, code=f"p{j:02}")
            activations.activation_declare(plan_id=plan.pk, level_id=level("III").pk)
    connection.set_schema_to_public()


TASKS = "{ activations(first: PAGE) { edges { node { title tasks { totalCount } } } } }"
TASKS_BARE = "{ activations(first: PAGE) { edges { node { title } } } }"
# plans are a prefetched (not joined) parent here: their versions counted in that prefetch
VERSIONS = """{ activations(first: PAGE) { edges { node { title
  plan { code versions { totalCount } } } } } }"""
VERSIONS_BARE = "{ activations(first: PAGE) { edges { node { title plan { code } } } } }"


def test_tasks_of_a_page_of_activations_cost_nothing_per_activation(api, declared):
    viewer = api("a", "viewer")
    small, large = (TASKS.replace("PAGE", str(size)) for size in PAGES)
    pages = [viewer.ok(q)["activations"]["edges"] for q in (small, large)]
    assert [len(p) for p in pages] == [10, ACTIVATIONS]
    assert {e["node"]["tasks"]["totalCount"] for e in pages[1]} == {2}
    bare = [sql_count(viewer, TASKS_BARE.replace("PAGE", str(size))) for size in PAGES]
    assert [sql_count(viewer, q) for q in (small, large)] == bare


def test_a_to_one_parent_counts_in_its_own_statement(api, declared):
    viewer = api("a", "viewer")
    small, large = (VERSIONS.replace("PAGE", str(size)) for size in PAGES)
    page = viewer.ok(large)["activations"]["edges"]
    assert {e["node"]["plan"]["versions"]["totalCount"] for e in page} == {1}
    bare = sql_count(viewer, VERSIONS_BARE.replace("PAGE", "10"))
    # the plans move from a join to one prefetch that carries the counts: at most one more
    assert [sql_count(viewer, q) for q in (small, large)] in ([bare] * 2, [bare + 1] * 2)
