"""Every problem of one call comes back at once, and inputs that mean nothing are refused."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.early_warning.models import Indicator, Observation, Rule
from tests.early_warning.conftest import MONTH
from tests.early_warning.test_api import SAVE, credit, make

ROWS = """mutation($r: JSON!) { observationsIngestRows(input: {rows: $r, scan: false})
  { count errors { index field code } } }"""
AT = f"{MONTH}-01T00:00:00Z"


def test_bad_values_and_bad_shapes_of_one_batch_are_reported_together(api, world):
    make(api, world)
    rows = [
        ["overdue_rate", AT, 1.0],  # good
        ["overdue_rate", AT, "many"],  # 1: value
        ["overdue_rate", "yesterday", 1.0],  # 2: time
        ["ghost", AT, 1.0],  # 3: indicator
        ["overdue_rate", AT, None],  # 4: value
        ["overdue_rate", AT, 1.0, {"channel": 7}],  # 5: dimensions
        ["overdue_rate", AT],  # 6: shape
        "x",  # 7: shape
    ]
    body = api("a", "analyst").ok(ROWS, {"r": rows})["observationsIngestRows"]
    assert body["count"] == 0
    assert [(e["index"], e["field"], e["code"]) for e in body["errors"]] == [
        (1, "value", "INVALID"),
        (2, "observedAt", "INVALID"),
        (3, "indicator", "NOT_FOUND"),
        (4, "value", "INVALID"),
        (5, "dimensions", "INVALID"),
        (6, None, "INVALID"),
        (7, None, "INVALID"),
    ]
    with schema_context(world.a.schema_name):
        assert not Observation.objects.exists()


@pytest.mark.parametrize("value", [True, False, pytest.param(10**400, id="huge")])
def test_a_boolean_or_an_overflowing_integer_is_not_an_observation_value(api, world, value):
    make(api, world)
    body = api("a", "analyst").ok(ROWS, {"r": [["overdue_rate", AT, value]]})
    assert body["observationsIngestRows"]["errors"] == [
        {"index": 0, "field": "value", "code": "INVALID"}
    ]


def _save(api, world, **fields) -> list[tuple]:
    body = api("a", "risk_manager").ok(
        SAVE, {"i": {"code": "kri", "name": "KRI", "category": credit(world), **fields}}
    )["indicatorCreate"]
    assert body["indicator"] is None
    return sorted((e["field"], e["code"]) for e in body["errors"])


def test_every_problem_of_an_indicator_is_reported_at_once(api, world):
    make(api, world)  # takes the code overdue_rate
    errors = _save(
        api,
        world,
        code="overdue_rate",
        frequencyMinutes=0,
        amber=5.0,
        red=3.0,
        dynamicWindow=2,
        resolveAfterGreen=0,
    )
    assert errors == [
        ("code", "CODE_TAKEN"),
        ("dynamicWindow", "INVALID"),
        ("frequencyMinutes", "INVALID"),
        ("red", "INVALID"),
        ("resolveAfterGreen", "INVALID"),
    ]
    with schema_context(world.a.schema_name):
        assert Indicator.objects.count() == 1


@pytest.mark.parametrize("minutes", [0, -5])
def test_a_frequency_is_at_least_a_minute(api, world, minutes):
    assert _save(api, world, amber=3.0, frequencyMinutes=minutes) == [
        ("frequencyMinutes", "INVALID")
    ]
    assert _save(api, world, amber=3.0, staleAfterMinutes=minutes) == [
        ("staleAfterMinutes", "INVALID")
    ]


RULE = """mutation($i: ID!, $k: RuleKind!, $p: RuleParamsInput) { ruleCreate(input: {indicator: $i,
  kind: $k, params: $p}) { rule { id } errors { field code } } }"""


def test_a_second_identical_rule_is_refused(api, world):
    indicator = make(api, world)  # has a threshold rule already
    manager = api("a", "risk_manager")

    def save(kind: str, params: dict | None) -> list:
        return manager.ok(RULE, {"i": indicator, "k": kind, "p": params})["ruleCreate"]["errors"]

    assert save("THRESHOLD", None) == [{"field": "kind", "code": "DUPLICATE"}]
    assert save("ZSCORE", {"window": 20}) == []
    # The same once defaults are filled in: the same rule.
    assert save("ZSCORE", {"window": 20, "amberZ": 2, "redZ": 3.0}) == [
        {"field": "kind", "code": "DUPLICATE"}
    ]
    assert save("ZSCORE", {"window": 30}) == []
    connection.set_schema_to_public()
    with schema_context(world.a.schema_name):
        assert Rule.objects.count() == 3


def test_every_problem_of_rule_parameters_is_reported_at_once(api, world):
    indicator = make(api, world)
    body = api("a", "risk_manager").ok(
        RULE, {"i": indicator, "k": "EWMA", "p": {"alpha": 5, "warmup": 1, "periods": 4}}
    )["ruleCreate"]
    assert body["rule"] is None and len(body["errors"]) == 3  # periods is SUSTAINED's
    assert {e["code"] for e in body["errors"]} == {"INVALID_PARAMS"}
    # A parameter of the wrong type never reaches the service: the schema refuses it.
    huge = api("a", "risk_manager")(
        RULE, {"i": indicator, "k": "ZSCORE", "p": {"amberZ": 10**400, "window": True}}
    )
    assert [e["extensions"]["code"] for e in huge["errors"]] == ["BAD_USER_INPUT"] * 2
