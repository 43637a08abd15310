"""Indicators and rules through create / update / archive: omitted fields unchanged, null clears;
lookup by code; filters and sort keys; typed rule parameters; an indicator's series listed."""

from datetime import timedelta

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.early_warning.models import Indicator, Rule
from apps.early_warning.services.scans import scan
from apps.risks.models import RiskCategory
from apps.risks.services import register
from tests.early_warning.conftest import T0, feed
from tests.early_warning.test_api import credit, make

UPDATE = """mutation($i: IndicatorUpdateInput!) { indicatorUpdate(input: $i) {
  indicator { code name unit amber red staleAfterMinutes description } errors { field code } } }"""


def test_an_update_leaves_omitted_fields_and_clears_nulls(api, world):
    indicator = make(api, world, description="Loans 30+ days late.", staleAfterMinutes=120)
    manager = api("a", "risk_manager")
    renamed = manager.ok(UPDATE, {"i": {"id": indicator, "name": "Overdue rate"}})
    assert renamed["indicatorUpdate"] == {
        "indicator": {
            "code": "overdue_rate",
            "name": "Overdue rate",
            "unit": "%",
            "amber": 3.0,
            "red": 5.0,
            "staleAfterMinutes": 120,
            "description": "Loans 30+ days late.",
        },
        "errors": [],
    }
    cleared = manager.ok(
        UPDATE, {"i": {"id": indicator, "amber": None, "staleAfterMinutes": None, "unit": None}}
    )["indicatorUpdate"]
    assert cleared["errors"] == []
    assert {k: cleared["indicator"][k] for k in ("amber", "red", "staleAfterMinutes", "unit")} == {
        "amber": None,
        "red": 5.0,
        "staleAfterMinutes": None,
        "unit": "",
    }
    refused = manager.ok(UPDATE, {"i": {"id": indicator, "name": None, "red": None}})
    assert sorted((e["field"], e["code"]) for e in refused["indicatorUpdate"]["errors"]) == [
        ("amber", "INVALID"),
        ("name", "INVALID"),
    ]  # no threshold left; a name is required
    with schema_context(world.a.schema_name):
        assert Indicator.objects.get(code="overdue_rate").red == 5.0
    connection.set_schema_to_public()


def test_an_unknown_or_malformed_id_is_a_typed_error(api, world):
    make(api, world)
    manager = api("a", "risk_manager")
    for bad in (to_base64("Indicator", "00000000-0000-0000-0000-000000000000"), "bm9wZQ=="):
        body = manager.ok(UPDATE, {"i": {"id": bad, "name": "x"}})["indicatorUpdate"]
        assert body == {"indicator": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}


RULES = """query($code: String!) { indicator(code: $code) { code
  rules(orderBy: [{field: KIND, direction: DESC}]) { totalCount edges { node { kind isActive
  archivedAt indicator { code } parameters { window amberZ redZ periods } } } } } }"""


def test_rules_have_typed_parameters_and_their_parent(api, world):
    indicator = make(api, world)  # with a THRESHOLD rule
    manager = api("a", "risk_manager")
    created = manager.ok(
        """mutation($i: ID!) { ruleCreate(input: {indicator: $i, kind: ZSCORE,
        params: {window: 20}}) { rule { id } errors { field code } } }""",
        {"i": indicator},
    )["ruleCreate"]
    assert created["errors"] == []
    rule = created["rule"]["id"]
    updated = manager.ok(
        """mutation($id: ID!) { ruleUpdate(input: {id: $id, params: {window: 40, redZ: 4}}) {
        rule { parameters { window amberZ redZ } isActive } errors { code } } }""",
        {"id": rule},
    )["ruleUpdate"]
    assert updated == {
        "rule": {"parameters": {"window": 40, "amberZ": 2.0, "redZ": 4.0}, "isActive": True},
        "errors": [],
    }
    found = manager.ok(RULES, {"code": "OVERDUE_RATE "})["indicator"]
    assert found["rules"]["totalCount"] == 2
    assert [e["node"]["kind"] for e in found["rules"]["edges"]] == ["ZSCORE", "THRESHOLD"]
    assert found["rules"]["edges"][0]["node"]["indicator"] == {"code": "overdue_rate"}
    assert found["rules"]["edges"][1]["node"]["parameters"] == {
        "window": None,
        "amberZ": None,
        "redZ": None,
        "periods": None,
    }
    assert manager.ok(RULES, {"code": "ghost"})["indicator"] is None


def test_archiving_hides_and_stops_and_restoring_brings_back(api, world):
    indicator = make(api, world)
    manager = api("a", "risk_manager")
    archive = """mutation($id: ID!, $a: Boolean!) { indicatorArchive(input: {id: $id, archived: $a})
      { indicator { isActive archivedAt } errors { field code } } }"""
    archived = manager.ok(archive, {"id": indicator, "a": True})["indicatorArchive"]
    assert archived["errors"] == [] and archived["indicator"]["isActive"] is False
    assert archived["indicator"]["archivedAt"] is not None
    listed = "query($f: IndicatorFilter) { indicators(filter: $f) { totalCount } }"
    assert manager.ok(listed)["indicators"]["totalCount"] == 0
    assert manager.ok(listed, {"f": {"archived": True}})["indicators"]["totalCount"] == 1
    switched_on = manager.ok(UPDATE, {"i": {"id": indicator, "isActive": True}})
    assert switched_on["indicatorUpdate"]["errors"] == [{"field": "isActive", "code": "ARCHIVED"}]
    restored = manager.ok(archive, {"id": indicator, "a": False})["indicatorArchive"]
    assert restored["indicator"] == {"isActive": False, "archivedAt": None}
    assert manager.ok(listed)["indicators"]["totalCount"] == 1
    with schema_context(world.a.schema_name):
        from auditlog.models import LogEntry

        changes = [
            e.changes.get("archived_at")
            for e in LogEntry.objects.get_for_object(Indicator.objects.get()).order_by("timestamp")
        ]
        assert [c is not None for c in changes] == [False, True, True]  # created, archived, back
    connection.set_schema_to_public()


def test_archiving_a_rule_stops_it(api, world):
    make(api, world)
    with schema_context(world.a.schema_name):
        rule = to_base64("Rule", str(Rule.objects.get().pk))
    connection.set_schema_to_public()
    body = api("a", "risk_manager").ok(
        """mutation($id: ID!) { ruleArchive(input: {id: $id}) { rule { isActive archivedAt }
        errors { code } } }""",
        {"id": rule},
    )["ruleArchive"]
    assert body["errors"] == [] and body["rule"]["isActive"] is False
    with schema_context(world.a.schema_name):
        feed("overdue_rate", [9.0])
        assert scan(now=T0 + timedelta(days=1))["raised"] == 0
    connection.set_schema_to_public()


FILTERED = """query($f: IndicatorFilter, $o: [IndicatorOrder!]) { indicators(filter: $f,
  orderBy: $o) { totalCount edges { node { code status } } } }"""


def test_indicators_filter_by_status_category_and_risk(api, world):
    make(api, world)  # overdue_rate: credit
    liquidity = _category(world, "liquidity")
    second = api("a", "risk_manager").ok(
        """mutation($c: ID!) { indicatorCreate(input: {code: "liquidity_gap", name: "Gap",
        category: $c, amber: 1, red: 2}) { indicator { id } errors { code } } }""",
        {"c": to_base64("RiskCategory", liquidity)},
    )["indicatorCreate"]
    assert second["errors"] == []
    with schema_context(world.a.schema_name):
        feed("overdue_rate", [9.0])  # red by its latest value, before any scan
        risk = register.risk_create(title="Run on deposits", category_id=liquidity)
        Indicator.objects.get(code="liquidity_gap").risks.add(risk)
    connection.set_schema_to_public()
    viewer = api("a", "viewer")

    def codes(f, o=None):
        edges = viewer.ok(FILTERED, {"f": f, "o": o})["indicators"]["edges"]
        return [e["node"]["code"] for e in edges]

    assert codes({"statuses": ["RED"]}) == ["overdue_rate"]
    assert codes({"statuses": ["UNKNOWN", "GREEN"]}) == ["liquidity_gap"]
    assert codes({"category": credit(world)}) == ["overdue_rate"]
    assert codes({"risk": to_base64("Risk", str(risk.pk))}) == ["liquidity_gap"]
    assert codes({"code": "LIQUIDITY_GAP"}) == ["liquidity_gap"]
    assert codes(None, [{"field": "CODE", "direction": "DESC"}]) == [
        "overdue_rate",
        "liquidity_gap",
    ]
    assert codes({"risk": "bm9wZQ=="}) == []


def _category(world, code: str) -> str:
    with schema_context(world.a.schema_name):
        pk = str(RiskCategory.objects.get(code=code).pk)
    connection.set_schema_to_public()
    return pk


def test_an_indicators_series_are_listed_in_the_format_the_chart_takes(api, world):
    indicator = make(api, world)
    with schema_context(world.a.schema_name):
        feed("overdue_rate", [1.0], dims={"region": "east", "channel": "app"})
        feed("overdue_rate", [2.0], dims={"channel": "web"})
        feed("overdue_rate", [3.0])
    connection.set_schema_to_public()
    series = api("a", "viewer").ok(
        """query($id: ID!) { indicator(id: $id) { series { dimensionsKey dimensions } } }""",
        {"id": indicator},
    )["indicator"]["series"]
    assert series == [
        {"dimensionsKey": "", "dimensions": {}},
        {
            "dimensionsKey": "channel=app;region=east",
            "dimensions": {"channel": "app", "region": "east"},
        },
        {"dimensionsKey": "channel=web", "dimensions": {"channel": "web"}},
    ]


def test_a_lookup_needs_exactly_one_of_id_and_code(api, world):
    body = api("a", "viewer")("{ indicator { code } }")
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_ARGUMENT"]
