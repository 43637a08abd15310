"""The early-warning API as a tenant's frontend and data pipelines use it."""

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.early_warning.models import Observation, WarningSignal
from apps.early_warning.services.scans import scan
from apps.risks.models import RiskCategory
from tests.early_warning.conftest import MONTH

SAVE = """mutation($i: IndicatorCreateInput!) { indicatorCreate(input: $i) {
  indicator { id code status thresholdsInForce } errors { field code message } } }"""


def credit(world) -> str:
    with schema_context(world.a.schema_name):
        pk = RiskCategory.objects.get(code="credit").pk
    connection.set_schema_to_public()
    return to_base64("RiskCategory", pk)


def make(api, world, **extra) -> str:
    body = api("a", "risk_manager").ok(
        SAVE,
        {
            "i": {
                "code": "overdue_rate",
                "name": "30+ days overdue rate",
                "category": credit(world),
                "unit": "%",
                "amber": 3.0,
                "red": 5.0,
                "frequencyMinutes": 60,
                **extra,
            }
        },
    )["indicatorCreate"]
    assert body["errors"] == [], body
    indicator = body["indicator"]["id"]
    rule = api("a", "risk_manager").ok(
        """mutation($i: ID!) { ruleCreate(input: {indicator: $i, kind: THRESHOLD})
        { rule { kind parameters { periods } } errors { code } } }""",
        {"i": indicator},
    )["ruleCreate"]
    assert rule["errors"] == []
    return indicator


INGEST = """mutation($p: [ObservationInput!]!) { observationsIngest(input: {points: $p}) {
  count scan { id status kind } errors { index field code } } }"""


def test_ingest_scan_and_read_status(api, world):
    indicator = make(api, world)
    analyst = api("a", "analyst")
    points = [
        {"indicator": "overdue_rate", "observedAt": f"{MONTH}-0{d}T00:00:00Z", "value": v}
        for d, v in ((1, 1.0), (2, 2.0), (3, 6.5))
    ]
    ingested = analyst.ok(INGEST, {"p": points})["observationsIngest"]
    assert ingested["count"] == 3 and ingested["scan"]["kind"] == "WARNING_SCAN"
    with schema_context(world.a.schema_name):
        scan()  # what the queued job does, run here (the worker test runs it for real)
    connection.set_schema_to_public()
    data = analyst.ok(
        """query($id: ID!) { indicator(id: $id) { status latestValue }
        warningSignals(filter: {severities: [RED]}) { totalCount edges { node { id severity status
        observedValue threshold indicator { code } } } } }""",
        {"id": indicator},
    )
    assert data["indicator"] == {"status": "RED", "latestValue": 6.5}
    signal = data["warningSignals"]["edges"][0]["node"]
    assert (signal["severity"], signal["observedValue"], signal["threshold"]) == ("RED", 6.5, 5.0)

    moved = analyst.ok(
        """mutation($id: ID!) { signalTransition(input: {id: $id, to: ACKNOWLEDGED}) {
        signal { status assignee { email } } errors { code } } }""",
        {"id": signal["id"]},
    )
    assert moved["signalTransition"]["signal"] == {
        "status": "ACKNOWLEDGED",
        "assignee": {"email": "analyst@a.test"},
    }
    refused = analyst.ok(
        """mutation($id: ID!) { signalTransition(input: {id: $id, to: DISMISSED}) {
        errors { field code } } }""",
        {"id": signal["id"]},
    )
    assert refused["signalTransition"]["errors"] == [{"field": "comment", "code": "INVALID"}]


def test_bad_points_come_back_by_position(api, world):
    make(api, world)
    body = api("a", "analyst").ok(
        INGEST,
        {
            "p": [
                {"indicator": "overdue_rate", "observedAt": f"{MONTH}-01T00:00:00Z", "value": 1.0},
                {"indicator": "ghost", "observedAt": f"{MONTH}-01T00:00:00Z", "value": 1.0},
            ]
        },
    )
    assert body["observationsIngest"]["errors"] == [
        {"index": 1, "field": "indicator", "code": "NOT_FOUND"}
    ]
    with schema_context(world.a.schema_name):
        assert not Observation.objects.exists()


def test_csv_ingestion(api, world):
    make(api, world)
    body = api("a", "analyst").ok(
        """mutation($c: String!) { observationsIngestCsv(input: {csv: $c, scan: false})
        { count errors { index code } } }""",
        {
            "c": "indicator,observed_at,value,channel\n"
            f"overdue_rate,{MONTH}-01T00:00:00+08:00,2.5,app\n"
        },
    )
    assert body["observationsIngestCsv"] == {"count": 1, "errors": []}


def test_series_for_charts(api, world):
    indicator = make(api, world)
    points = [
        {"indicator": "overdue_rate", "observedAt": f"{MONTH}-01T{h:02d}:30:00Z", "value": float(h)}
        for h in range(6)
    ]
    api("a", "analyst").ok(INGEST, {"p": points})
    series = api("a", "viewer").ok(
        """query($id: ID!, $start: DateTime!, $end: DateTime!) { indicatorSeries(indicator: $id,
        start: $start, end: $end, bucketSeconds: 7200, aggregate: MAX)
        { at value } }""",
        {"id": indicator, "start": f"{MONTH}-01T00:00:00Z", "end": f"{MONTH}-01T06:00:00Z"},
    )["indicatorSeries"]
    assert [p["value"] for p in series] == [1.0, 3.0, 5.0]
    defaults = api("a", "viewer").ok(  # null bucketSeconds and aggregate: hourly averages
        """query($id: ID!, $start: DateTime!, $end: DateTime!) { indicatorSeries(indicator: $id,
        start: $start, end: $end, bucketSeconds: null, aggregate: null) { value } }""",
        {"id": indicator, "start": f"{MONTH}-01T00:00:00Z", "end": f"{MONTH}-01T06:00:00Z"},
    )["indicatorSeries"]
    assert [p["value"] for p in defaults] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    too_many = api("a", "viewer")(
        """query($id: ID!) { indicatorSeries(indicator: $id,
        start: "2020-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z", bucketSeconds: 60) { at } }""",
        {"id": indicator},
    )
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_ARGUMENT"


def test_bad_indicator_and_rule_input_is_typed(api, world):
    bad = api("a", "risk_manager").ok(
        SAVE, {"i": {"code": "x", "name": "x", "category": credit(world), "amber": 5.0, "red": 3.0}}
    )["indicatorCreate"]
    assert bad["errors"][0]["field"] == "red"
    indicator = make(api, world)
    rule = api("a", "risk_manager").ok(
        """mutation($i: ID!) { ruleCreate(input: {indicator: $i, kind: ZSCORE,
        params: {window: 1}}) { errors { field code message } } }""",
        {"i": indicator},
    )
    assert rule["ruleCreate"]["errors"][0]["code"] == "INVALID_PARAMS"


def test_signals_of_a_are_invisible_from_b(api, world):
    make(api, world)
    api("a", "analyst").ok(
        INGEST,
        {"p": [{"indicator": "overdue_rate", "observedAt": f"{MONTH}-01T00:00:00Z", "value": 9.0}]},
    )
    with schema_context(world.a.schema_name):
        scan()
        signal_id = to_base64("WarningSignal", WarningSignal.objects.get().pk)
    connection.set_schema_to_public()
    b = api("b", "admin")
    assert b.ok("{ warningSignals { totalCount } indicators { totalCount } }") == {
        "warningSignals": {"totalCount": 0},
        "indicators": {"totalCount": 0},
    }
    assert b.ok("query($id: ID!) { node(id: $id) { id } }", {"id": signal_id})["node"] is None
    moved = b.ok(
        """mutation($id: ID!) { signalTransition(input: {id: $id, to: RESOLVED}) { errors { code } } }""",
        {"id": signal_id},
    )
    assert moved["signalTransition"]["errors"][0]["code"] == "NOT_FOUND"
    # B cannot push points into A's indicator either: codes are per tenant.
    pushed = b.ok(
        INGEST,
        {"p": [{"indicator": "overdue_rate", "observedAt": f"{MONTH}-02T00:00:00Z", "value": 1.0}]},
    )["observationsIngest"]
    assert pushed["errors"][0]["code"] == "NOT_FOUND"


def test_run_scan_returns_a_job(api, world):
    make(api, world)
    job = api("a", "analyst").ok(
        "mutation { scanRun(input: {}) { job { kind status } errors { code } } }"
    )
    assert job["scanRun"]["job"] == {"kind": "WARNING_SCAN", "status": "QUEUED"}


def test_compact_rows_ingestion(api, world):
    make(api, world)
    rows = [
        ["overdue_rate", f"{MONTH}-01T00:00:00Z", 1.5, {"channel": "app"}],
        ["overdue_rate", f"{MONTH}-01T01:00:00Z", 2.5],
    ]
    body = api("a", "analyst").ok(
        """mutation($r: JSON!) { observationsIngestRows(input: {rows: $r, scan: false})
        { count errors { index code } } }""",
        {"r": rows},
    )
    assert body["observationsIngestRows"] == {"count": 2, "errors": []}
    bad = api("a", "analyst").ok(
        """mutation($r: JSON!) { observationsIngestRows(input: {rows: $r})
        { count errors { index code } } }""",
        {"r": [["overdue_rate", f"{MONTH}-01T00:00:00Z"], "x"]},
    )
    assert bad["observationsIngestRows"]["errors"] == [
        {"index": 0, "code": "INVALID"},
        {"index": 1, "code": "INVALID"},
    ]
