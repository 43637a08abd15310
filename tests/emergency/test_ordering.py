"""`orderBy: [XOrder!]` on the emergency lists: null is the list's default order, a DESC key
reverses it, a second key breaks the first one's ties; nested lists too, for a whole page."""

from django.db import connection
from django_tenants.utils import schema_context

from tests.emergency.conftest import level, make_plan, org_people
from tests.kit.sql import sql_count

ROOT = """query($o: [ActivationOrder!]) { activations(orderBy: $o) {
  edges { node { title } } } }"""
LEVELS = """query($o: [SeverityLevelOrder!]) { severityLevels(orderBy: $o) {
  edges { node { code } } } }"""


def test_a_root_list_takes_a_desc_key_and_two_keys(api, world):
    """Three activations declared in turn: a at level I, then b and c at level III."""
    from apps.emergency.services.activations import activation_declare

    with schema_context(world.a.schema_name):
        org = org_people(world)
        for title, code in (("a", "I"), ("b", "III"), ("c", "III")):
            plan = make_plan(world, org, code=f"p{title}")
            activation_declare(plan_id=plan.pk, level_id=level(code).pk, title=title)
    connection.set_schema_to_public()
    client = api("a", "viewer")

    def titles(order):
        edges = client.ok(ROOT, {"o": order})["activations"]["edges"]
        return [e["node"]["title"] for e in edges]

    assert titles(None) == ["c", "b", "a"]  # latest declared first
    assert titles([]) == ["c", "b", "a"]
    assert titles([{"field": "DECLARED"}]) == ["a", "b", "c"]  # a key is ASC unless told
    assert titles([{"field": "LEVEL"}, {"field": "DECLARED", "direction": "DESC"}]) == [
        "a", "c", "b",
    ]  # fmt: skip
    assert titles([{"field": "LEVEL", "direction": "DESC"}, {"field": "DECLARED"}]) == [
        "b", "c", "a",
    ]  # fmt: skip
    levels = client.ok(LEVELS, {"o": [{"field": "RANK", "direction": "DESC"}]})
    assert [e["node"]["code"] for e in levels["severityLevels"]["edges"]] == [
        "IV", "III", "II", "I",
    ]  # fmt: skip


NESTED = """query($o: [PlanStepOrder!]) { emergencyPlans(filter: {search: "Plan"}) { edges { node { code
  versions { edges { node { number steps(orderBy: $o) { edges { node { position } } } } } }
} } } }"""


def test_a_nested_list_takes_a_desc_key_and_two_keys_for_the_whole_page(api, world):
    """Two plans, each with one draft of three steps whose time targets are 60, 30, 60."""
    from apps.emergency.services import plans

    with schema_context(world.a.schema_name):
        org = org_people(world)
        for code in ("one", "two"):
            plan = make_plan(world, org, code=code, approve=False)
            steps = [
                {"phase": "response", "action": f"Step {n}", "responsible_role": "deputy",
                 "time_target_minutes": minutes, "depends_on": []}
                for n, minutes in ((1, 60), (2, 30), (3, 60))
            ]  # fmt: skip
            plans.version_update(version_id=plan.versions.get().pk, steps=steps)
    connection.set_schema_to_public()
    client = api("a", "viewer")

    def positions(order):
        edges = client.ok(NESTED, {"o": order})["emergencyPlans"]["edges"]
        assert [e["node"]["code"] for e in edges] == ["one", "two"]
        found = set()
        for edge in edges:
            (version,) = edge["node"]["versions"]["edges"]
            found.add(tuple(s["node"]["position"] for s in version["node"]["steps"]["edges"]))
        (only,) = found  # both plans alike
        return list(only)

    assert positions(None) == [1, 2, 3]
    assert positions([{"field": "POSITION", "direction": "DESC"}]) == [3, 2, 1]
    two_keys = [{"field": "TIME_TARGET"}, {"field": "POSITION", "direction": "DESC"}]
    assert positions(two_keys) == [2, 3, 1]
    # One statement per list for the page, whatever the order.
    assert sql_count(client, NESTED, {"o": two_keys}) == sql_count(client, NESTED, {"o": None})
