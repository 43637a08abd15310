"""The API: upload with row errors, runs with typed refusals, typed results, comparison, the
register's view, and tenant isolation."""

import base64
from decimal import Decimal

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.assessments.models import AssessmentRun
from apps.assessments.services.execute import execute

UPLOAD = """mutation($input: AssessmentDatasetUploadInput!) { assessmentDatasetUpload(input: $input) {
  errors { field message code ... on AssessmentImportError { row column } }
  version { id number status rowCount dataset { id name kind } } } }"""
RUN = """mutation($input: AssessmentRunCreateInput!) { assessmentRunCreate(input: $input) {
  errors { field message code } run { id status kind seed modelVersion } } }"""
LADDER = "maturity_days,inflow,outflow,counterparty\n0,0,100,A\n5,50,0,B\n20,0,200,A\n"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def upload(client, text: str, **fields) -> dict:
    return client.ok(UPLOAD, {"input": {"format": "CSV", "contentBase64": b64(text), **fields}})[
        "assessmentDatasetUpload"
    ]


def finish(world, run_gid: str) -> None:
    """Run the job as the worker would (the worker path itself: test_worker.py)."""
    from strawberry.relay import from_base64

    with schema_context(world.a.schema_name):
        execute(AssessmentRun.objects.get(pk=from_base64(run_gid)[1]).job)
    connection.set_schema_to_public()


POSITIONS = "instrument,asset_class,exposure,currency\nX,equity,100,CNY\n"


def test_datasets_sort_by_a_descending_key_and_by_two_keys(api):
    analyst = api("a", "analyst")
    for name, kind, text in [
        ("d", "POSITIONS", POSITIONS),
        ("a", "CASH_FLOWS", LADDER),
        ("c", "CASH_FLOWS", LADDER),
        ("b", "POSITIONS", POSITIONS),
    ]:
        assert upload(analyst, text, name=name, kind=kind)["errors"] == []
    query = """query($o: [AssessmentDatasetOrder!]) { assessmentDatasets(orderBy: $o) {
      edges { node { name } } } }"""

    def names(order):
        answer = analyst.ok(query, {"o": order})["assessmentDatasets"]
        return "".join(edge["node"]["name"] for edge in answer["edges"])

    assert names(None) == names([]) == "abcd"  # the default: by name
    assert names([{"field": "NAME", "direction": "DESC"}]) == "dcba"
    # kind (cash_flows before positions), then name newest-letter first within a kind
    assert names([{"field": "KIND"}, {"field": "NAME", "direction": "DESC"}]) == "cadb"
    runs = analyst.ok(
        "{ assessmentRuns(orderBy: [{field: FINISHED, direction: DESC}, {field: CREATED}]) "
        "{ totalCount } }"
    )
    assert runs["assessmentRuns"]["totalCount"] == 0


def test_an_upload_with_bad_rows_reports_them_and_stores_nothing(api):
    analyst = api("a", "analyst")
    answer = upload(analyst, "maturity_days,inflow\n-1,5\n3,x\n", name="flows", kind="CASH_FLOWS")
    assert answer["version"] is None
    assert answer["errors"] == [
        {"field": "contentBase64", "message": "A whole number, zero or more.",
         "code": "INVALID", "row": 2, "column": "maturity_days"},
        {"field": "contentBase64", "message": "A number.", "code": "INVALID", "row": 3,
         "column": "inflow"},
    ]  # fmt: skip
    assert analyst.ok("{ assessmentDatasets { totalCount } }")["assessmentDatasets"] == {
        "totalCount": 0
    }
    taken = upload(analyst, LADDER, name="flows", kind="CASH_FLOWS")
    assert taken["errors"] == []
    again = upload(analyst, LADDER, name="flows", kind="CASH_FLOWS")
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("name", "NAME_TAKEN")]


def test_a_liquidity_run_end_to_end_with_typed_results(api, world):
    analyst = api("a", "analyst")
    version = upload(analyst, LADDER, name="flows", kind="CASH_FLOWS")["version"]
    assert (version["status"], version["rowCount"]) == ("READY", 3)
    refused = analyst.ok(
        RUN,
        {"input": {"kind": "LIQUIDITY", "cashFlows": version["id"],
                   "parameters": {"liquidAssets": "250", "haircut": 1.5}}},
    )["assessmentRunCreate"]  # fmt: skip
    assert refused["errors"] == [
        {"field": "parameters.haircut", "message": "Between 0 and 1.", "code": "OUT_OF_RANGE"}
    ]
    started = analyst.ok(
        RUN,
        {"input": {"kind": "LIQUIDITY", "cashFlows": version["id"], "seed": "9007199254740993",
                   "parameters": {"liquidAssets": "250", "haircut": 0.2}}},
    )["assessmentRunCreate"]  # fmt: skip
    assert started["errors"] == []
    run = started["run"]
    assert (run["status"], run["seed"], run["modelVersion"]) == (
        "QUEUED",
        "9007199254740993",
        "ladder-coverage/1",
    )  # a 64-bit seed survives as text
    finish(world, run["id"])
    viewer = api("a", "viewer")
    answer = viewer.ok(
        """query($id: ID!) { assessmentRun(id: $id) { status
        ladder { bucket inflow outflow gap cumulativeGap }
        figures { code segment value } } }""",
        {"id": run["id"]},
    )["assessmentRun"]
    assert answer["status"] == "SUCCEEDED"  # the job row itself: test_worker.py
    assert answer["ladder"][:3] == [
        {"bucket": "D001", "inflow": "0.00", "outflow": "100.00", "gap": "-100.00",
         "cumulativeGap": "-100.00"},
        {"bucket": "D007", "inflow": "50.00", "outflow": "0.00", "gap": "50.00",
         "cumulativeGap": "-50.00"},
        {"bucket": "D030", "inflow": "0.00", "outflow": "200.00", "gap": "-200.00",
         "cumulativeGap": "-250.00"},
    ]  # fmt: skip
    figures = {f["code"]: f["value"] for f in answer["figures"]}
    # 30 days: out 300, in 50 × 0.5 = 25 → 275; 200 / 275; day 20: 200 − 100 + 25 − 200 < 0
    assert figures["NET_OUTFLOWS_30D"] == "275.00000000"
    assert figures["COVERAGE_RATIO"] == "0.72727273"
    assert figures["SURVIVAL_DAYS"] == "20.00000000"


def test_two_runs_compare_figure_by_figure(api, world):
    analyst = api("a", "analyst")
    version = upload(analyst, LADDER, name="flows", kind="CASH_FLOWS")["version"]
    ids = []
    for assets in ("250", "500"):
        run = analyst.ok(
            RUN,
            {"input": {"kind": "LIQUIDITY", "cashFlows": version["id"],
                       "parameters": {"liquidAssets": assets}}},
        )["assessmentRunCreate"]["run"]  # fmt: skip
        finish(world, run["id"])
        ids.append(run["id"])
    compared = analyst.ok(
        """query($a: ID!, $b: ID!) { assessmentCompare(a: $a, b: $b) { sameInputs
        figures { code segment a b change } } }""",
        {"a": ids[0], "b": ids[1]},
    )["assessmentCompare"]
    assert compared["sameInputs"] is False
    liquid = next(f for f in compared["figures"] if f["code"] == "LIQUID_ASSETS")
    # no haircut: 250 → 500
    assert (liquid["a"], liquid["b"], liquid["change"]) == (
        "250.00000000",
        "500.00000000",
        "250.00000000",
    )
    unknown = to_base64("AssessmentRun", "00000000-0000-0000-0000-000000000000")
    assert analyst.ok(
        "query($a: ID!, $b: ID!) { assessmentCompare(a: $a, b: $b) { sameInputs } }",
        {"a": ids[0], "b": unknown},
    ) == {"assessmentCompare": None}


def test_a_linked_risk_shows_its_latest_results_and_runs_filter_by_it(api, world):
    from apps.risks.services import register

    with schema_context(world.a.schema_name):
        from apps.risks.models import RiskCategory

        risk = register.risk_create(
            title="Funding squeeze", category_id=RiskCategory.objects.get(code="liquidity").pk
        )
    connection.set_schema_to_public()
    risk_gid = to_base64("Risk", risk.pk)
    analyst = api("a", "analyst")
    version = upload(analyst, LADDER, name="flows", kind="CASH_FLOWS")["version"]
    run = analyst.ok(
        RUN,
        {"input": {"kind": "LIQUIDITY", "cashFlows": version["id"], "risks": [risk_gid],
                   "parameters": {"liquidAssets": "250"}}},
    )["assessmentRunCreate"]["run"]  # fmt: skip
    assert analyst.ok(
        "query($r: ID!) { riskQuantitativeResults(risk: $r) { id } }", {"r": risk_gid}
    ) == {"riskQuantitativeResults": []}  # not finished yet
    finish(world, run["id"])
    shown = analyst.ok(
        "query($r: ID!) { riskQuantitativeResults(risk: $r) { id kind riskIds } }",
        {"r": risk_gid},
    )["riskQuantitativeResults"]
    assert shown == [{"id": run["id"], "kind": "LIQUIDITY", "riskIds": [risk_gid]}]
    listed = analyst.ok(
        """query($r: ID!) { assessmentRuns(filter: {risk: $r, kinds: [LIQUIDITY],
        statuses: [SUCCEEDED]}) { totalCount } }""",
        {"r": risk_gid},
    )
    assert listed["assessmentRuns"]["totalCount"] == 1


def test_another_tenant_sees_nothing_and_cannot_use_the_data(api):
    analyst = api("a", "analyst")
    version = upload(analyst, LADDER, name="flows", kind="CASH_FLOWS")["version"]
    other = api("b", "admin")
    assert other.ok("{ assessmentDatasets { totalCount } }")["assessmentDatasets"] == {
        "totalCount": 0
    }
    assert other.ok("query($id: ID!) { node(id: $id) { id } }", {"id": version["id"]}) == {
        "node": None
    }
    refused = other.ok(
        RUN,
        {"input": {"kind": "LIQUIDITY", "cashFlows": version["id"],
                   "parameters": {"liquidAssets": "1"}}},
    )["assessmentRunCreate"]  # fmt: skip
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("cashFlows", "NOT_FOUND")]


@pytest.mark.parametrize("role", ["viewer"])
def test_a_viewer_may_read_but_not_run(api, role):
    assert (
        api("a", role)(RUN, {"input": {"kind": "LIQUIDITY"}})["errors"][0]["extensions"]["code"]
        == "FORBIDDEN"
    )


def test_scored_loans_page_through_the_run(api, world):
    from apps.assessments.models import Scorecard
    from apps.assessments.services.datasets import dataset_version_from_arrays
    from apps.assessments.services.runs import run_create
    from tests.assessments.conftest import loan_book_arrays

    with schema_context(world.a.schema_name):
        book = dataset_version_from_arrays(arrays=loan_book_arrays(), name="b", kind="loan_book")
        development = run_create(kind="scorecard_development", loan_book=book.pk, seed=2)
        execute(development.job)
        scoring = run_create(
            kind="credit_scoring",
            loan_book=book.pk,
            scorecard_id=Scorecard.objects.get(run=development).pk,
        )
        execute(scoring.job)
        total = scoring.figures.get(code="expected_loss").value
    connection.set_schema_to_public()
    viewer = api("a", "viewer")
    query = """query($run: ID!, $offset: Int!) { assessmentLoanResults(run: $run,
      offset: $offset, first: 100) { loanId grade expectedLoss } }"""
    gid = to_base64("AssessmentRun", scoring.pk)
    loans = []
    for offset in range(0, 400, 100):
        loans += viewer.ok(query, {"run": gid, "offset": offset})["assessmentLoanResults"]
    assert [loan["loanId"] for loan in loans[:2]] == ["L00000", "L00001"]  # the book's order
    assert len(loans) == 400
    defaults = viewer.ok(
        "query($run: ID!) { assessmentLoanResults(run: $run, offset: null, first: null) "
        "{ loanId } }",
        {"run": gid},
    )["assessmentLoanResults"]
    assert [loan["loanId"] for loan in defaults] == [f"L{i:05}" for i in range(20)]
    # per-loan expected losses, to the cent, add up to the run's total exactly
    assert sum(Decimal(loan["expectedLoss"]) for loan in loans) == total
    refused = viewer(
        "query($run: ID!) { assessmentLoanResults(run: $run, first: 101) { loanId } }",
        {"run": gid},
    )
    assert refused["errors"][0]["extensions"]["code"] == "BAD_ARGUMENT"
