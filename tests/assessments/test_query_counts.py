"""Each assessments list costs the same SQL for 10 rows as for 100, nested results included."""

import numpy as np
import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.assessments.services.datasets import dataset_version_from_arrays
from apps.assessments.services.execute import execute
from apps.assessments.services.runs import run_create
from apps.assessments.services.schedules import schedule_create
from tests.assessments.conftest import loan_book_arrays
from tests.kit.sql import assert_pinned

CONNECTIONS = {
    "assessmentDatasets": """{ assessmentDatasets(first: PAGE) { totalCount edges { node {
  id name kind latestNumber } } } }""",
    "assessmentDatasetVersions": """{ assessmentDatasetVersions(first: PAGE) { totalCount
  edges { node { id number status rowCount columns dataset { name kind } job { id } } } } }""",
    "scorecards": """{ scorecards(first: PAGE) { totalCount edges { node {
  id name version offset factor grades { grade pd } features { name bins { woe points } } } } } }""",
    "assessmentRuns": """{ assessmentRuns(first: PAGE) { totalCount edges { node {
  id kind status seed modelVersion job { progress } loanBook { number dataset { name } }
  scorecard { name } parameters { name value } riskIds backtest { zone }
  figures { code segment value } grades { grade expectedLoss } bins { feature woe }
  varRows { method var } ladder { bucket gap } curvePoints { curve x y } } } } }""",
    "assessmentRunSchedules": """{ assessmentRunSchedules(first: PAGE) { totalCount edges {
  node { id name cadence active lastPeriod template { id kind status } } } } }""",
    "reserveFunds": """{ reserveFunds(first: PAGE) { totalCount edges { node {
  id name currency target balance targetGap } } } }""",
    "reserveMovements": """{ reserveMovements(first: PAGE) { totalCount edges { node {
  id kind amount status balanceAfter fund { name } madeBy { email } decidedBy { email } } } } }""",
    "reserveAdequacies": """{ reserveAdequacies(first: PAGE) { totalCount edges { node {
  id scenario stressedLoss coverageRatio shortfall fund { name } run { id kind }
  assessedBy { email } } } } }""",
}
ROWS = 12


def _schedules() -> None:
    """Schedules of queued liquidity runs: cheap, and all a schedule page reads."""
    flows = dataset_version_from_arrays(
        arrays={"maturity_days": np.array([1, 40]), "outflow": np.array([10.0, 5.0])},
        name="flows",
        kind="cash_flows",
    )
    for i in range(ROWS):
        run = run_create(kind="liquidity", cash_flows=flows.pk, parameters={"liquid_assets": 1})
        schedule_create(name=f"schedule {i}", template_id=run.pk, cadence="monthly")


def _reserve(world) -> None:
    """Funds, each with an approved contribution and an adequacy check of one stress run."""
    from apps.assessments.services import reserve
    from apps.assessments.services.datasets import dataset_upload

    def csv(kind, *lines):
        content = ("\n".join(lines) + "\n").encode()
        return dataset_upload(content=content, file_format="csv", name=kind, kind=kind)

    book = csv("loan_book", "loan_id,ead,pd", "L1,1000,0.02")
    scenarios = csv("scenarios", "scenario,shock,asset_class,value", "s,pd_multiplier,,2")
    run = run_create(kind="stress_test", scenarios=scenarios.pk, loan_book=book.pk)
    execute(run.job)
    maker, checker = world.user("a", "analyst"), world.user("a", "risk_manager")
    for i in range(ROWS):
        fund = reserve.reserve_fund_create(name=f"fund {i}", currency="CNY", target="100")
        move = reserve.reserve_movement_create(
            fund_id=fund.pk, kind="contribution", amount="10", reason="r", actor=maker
        )
        reserve.reserve_movement_transition(
            movement_id=move.pk, to="approved", actor=checker, actor_role="risk_manager"
        )
        reserve.reserve_adequacy_assess(fund_id=fund.pk, run_id=run.pk, actor=maker)


@pytest.fixture
def seeded(world, request):
    with schema_context(world.a.schema_name):
        if request.node.callspec.params["field"] == "assessmentRunSchedules":
            _schedules()
            connection.set_schema_to_public()
            return
        if request.node.callspec.params["field"].startswith("reserve"):
            _reserve(world)
            connection.set_schema_to_public()
            return
        for i in range(ROWS):
            book = dataset_version_from_arrays(
                arrays=loan_book_arrays(120, seed=i), name=f"book {i}", kind="loan_book"
            )
            run = run_create(
                kind="scorecard_development",
                loan_book=book.pk,
                seed=i,
                parameters={"name": f"card {i}", "bins": 3, "grades": 3},
            )
            execute(run.job)
    connection.set_schema_to_public()


@pytest.mark.parametrize("field", CONNECTIONS)
def test_pinned_sql_count_for_10_and_100_rows(api, seeded, field):
    assert_pinned(api("a", "viewer"), field, CONNECTIONS[field])
