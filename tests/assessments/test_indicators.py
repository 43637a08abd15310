"""A finished run publishes its figures as observations of built-in indicators (created on
first use through the early-warning services), and a rule on one raises a signal."""

from datetime import timedelta

from django.utils import timezone

from apps.assessments.models import Scorecard
from apps.assessments.services.execute import execute
from apps.assessments.services.runs import run_create
from apps.early_warning.models import Indicator, Observation, WarningSignal
from apps.early_warning.services.indicators import rule_save
from apps.early_warning.services.scans import scan


def test_a_liquidity_run_feeds_the_coverage_and_survival_indicators_and_a_signal(upload):
    flows = upload(
        "cash_flows",
        "maturity_days,inflow,outflow,counterparty",
        "0,0,100,A",
        "5,50,0,B",
        "20,0,200,A",
        "60,300,50,C",
        "400,0,100,B",
    )
    assert not Indicator.objects.filter(code="liquidity_coverage_ratio").exists()
    run = run_create(
        kind="liquidity",
        cash_flows=flows.pk,
        parameters={"liquid_assets": "250", "haircut": 0.2, "inflow_rate": 0.5},
    )
    execute(run.job)
    values = dict(Observation.objects.values_list("indicator__code", "value"))
    # the hand-worked ladder: 200 / 275 = 72.73%, out of cash on day 20, HHI 41/81
    assert abs(values["liquidity_coverage_ratio"] - 72.7272727) < 1e-6
    assert values["survival_horizon_days"] == 20.0
    assert abs(values["funding_concentration_hhi"] - 0.5061728) < 1e-6
    coverage = Indicator.objects.get(code="liquidity_coverage_ratio")
    assert (coverage.category.code, coverage.direction, coverage.data_source) == (
        "liquidity",
        "lower_is_worse",
        "assessment",
    )
    rule_save(indicator_id=coverage.pk, kind="threshold", params={})
    scan(indicator_ids=[coverage.pk], now=timezone.now() + timedelta(minutes=1))
    signal = WarningSignal.objects.get(indicator=coverage)
    assert signal.severity == "red"  # 72.7% is under the red line of 100%


def test_a_scoring_run_publishes_psi_and_portfolio_pd(loan_book):
    development = run_create(kind="scorecard_development", loan_book=loan_book.pk, seed=3)
    execute(development.job)
    assert not Observation.objects.filter(indicator__code="portfolio_pd").exists()
    scoring = run_create(
        kind="credit_scoring",
        loan_book=loan_book.pk,
        scorecard_id=Scorecard.objects.get(run=development).pk,
    )
    execute(scoring.job)
    codes = set(Observation.objects.values_list("indicator__code", flat=True))
    assert {"psi_scorecard", "portfolio_pd"} <= codes
    pd = Observation.objects.get(indicator__code="portfolio_pd").value
    figure = scoring.figures.get(code="portfolio_pd").value
    assert abs(pd - float(figure) * 100) < 1e-6  # a percentage of the run's EAD-weighted PD
