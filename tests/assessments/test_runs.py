"""Runs through the services: checked inputs, the computation as the job does it, typed
results, reproducibility and cancellation. Expected values are the hand-worked examples of
test_quant_*.py, here through upload, run and storage."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.assessments.graphql.job_results import AssessmentRunResult
from apps.assessments.models import AssessmentRun, RunFigure, Scorecard
from apps.assessments.services.execute import execute
from apps.assessments.services.runs import run_cancel, run_create, run_repeat
from apps.assessments.tasks import run as run_task


def figures(run) -> dict:
    return {(f.code, f.segment): f.value for f in RunFigure.objects.filter(run=run)}


def done(run) -> AssessmentRun:
    execute(run.job)
    run.refresh_from_db()
    return run


@pytest.fixture
def ladder(upload):
    return upload(
        "cash_flows",
        "maturity_days,inflow,outflow,counterparty",
        "0,0,100,A",
        "5,50,0,B",
        "20,0,200,A",
        "60,300,50,C",
        "400,0,100,B",
    )


def test_liquidity_run_on_the_hand_worked_ladder(ladder):
    run = done(
        run_create(
            kind="liquidity",
            cash_flows=ladder.pk,
            parameters={"liquid_assets": "250", "haircut": 0.2, "inflow_rate": 0.5},
        )
    )
    assert run.status == "succeeded" and run.model_version == "ladder-coverage/1"
    rows = [(r.bucket, r.inflow, r.outflow, r.gap, r.cumulative_gap) for r in run.ladder.all()]
    assert rows == [
        ("d001", Decimal("0.00"), Decimal("100.00"), Decimal("-100.00"), Decimal("-100.00")),
        ("d007", Decimal("50.00"), Decimal("0.00"), Decimal("50.00"), Decimal("-50.00")),
        ("d030", Decimal("0.00"), Decimal("200.00"), Decimal("-200.00"), Decimal("-250.00")),
        ("d090", Decimal("300.00"), Decimal("50.00"), Decimal("250.00"), Decimal("0.00")),
        ("d180", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ("d365", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ("d999", Decimal("0.00"), Decimal("100.00"), Decimal("-100.00"), Decimal("-100.00")),
    ]
    found = figures(run)
    assert found[("liquid_assets", "")] == Decimal("200.00")
    assert found[("net_outflows_30d", "")] == Decimal("275.00")
    assert found[("coverage_ratio", "")] == Decimal("0.72727273")  # 200 / 275
    assert found[("survival_days", "")] == Decimal("20")
    assert found[("funding_hhi", "")] == Decimal("0.50617284")  # 41 / 81


def test_market_run_on_losses_one_to_a_hundred(upload):
    positions = upload("positions", "instrument,asset_class,exposure", "X,equity,100")
    lines = ["date,instrument,return"]
    lines += [f"2020-{1 + i // 28:02}-{1 + i % 28:02},X,{-(i + 1) / 100}" for i in range(100)]
    returns = upload("returns", *lines)
    run = done(
        run_create(
            kind="market_var",
            positions=positions.pk,
            returns=returns.pk,
            parameters={"backtest_days": 0, "mc_scenarios": 0, "var_limit": "198", "t_dof": 5},
        )
    )
    rows = {(r.method, str(r.confidence)): (r.var, r.es) for r in run.var_rows.all()}
    # losses 1 … 100: VaR 95% = 95, ES = 98; 97.5%: ⌈97.5⌉ = 98th → 98, ES (99+100)/2; 99%: 99, 100
    assert rows[("historical", "0.9500")] == (Decimal("95.00"), Decimal("98.00"))
    assert rows[("historical", "0.9750")] == (Decimal("98.00"), Decimal("99.50"))
    assert rows[("historical", "0.9900")] == (Decimal("99.00"), Decimal("100.00"))
    assert figures(run)[("var_limit_utilisation", "")] == Decimal("50")  # 99 / 198
    assert figures(run)[("var_99", "")] == Decimal("99.00")
    # Student-t with ν = 5 given: whatever scale the fit finds, ES ÷ VaR at 99% is
    # (∫ x f₅ over the tail ÷ 0.01) ÷ t₀.₉₉,₅ = 4.4524291 / 3.3649300 = 1.3231846
    assert figures(run)[("t_dof", "")] == 5
    t_var, t_es = rows[("student_t", "0.9900")]
    assert float(t_es / t_var) == pytest.approx(1.3231846, abs=2e-4)  # cents rounding


def test_a_backtest_with_five_isolated_spikes_is_yellow(upload):
    # 270 days of loss 1 (return −1% on 100), but 5 on days 25, 75, 125, 175, 225. On a 20-day
    # window the VaR 99% is the window's largest loss, so each spike (none in the 20 days
    # before it) is an exception and nothing else is: 5 of 250 → yellow. Kupiec:
    # −2·[245·(−0.0100503) + 5·(−4.6051702) − 245·(−0.0202027) − 5·(−3.9120230)]
    #   = −2·[−25.4881841 + 24.5097783] = 1.9568098.
    from datetime import date, timedelta

    positions = upload("positions", "instrument,asset_class,exposure", "X,equity,100")
    start = date(2021, 1, 1)
    lines = ["date,instrument,return"] + [
        f"{start + timedelta(days=d)},X,{-0.05 if d in (25, 75, 125, 175, 225) else -0.01}"
        for d in range(270)
    ]
    returns = upload("returns", *lines)
    run = done(
        run_create(
            kind="market_var",
            positions=positions.pk,
            returns=returns.pk,
            parameters={"backtest_window": 20, "mc_scenarios": 0},
        )
    )
    found = figures(run)
    assert found[("backtest_exceptions", "")] == 5
    assert found[("backtest_days", "")] == 250
    assert abs(found[("kupiec_lr", "")] - Decimal("1.9568098")) < Decimal("0.000001")
    assert run.curve_points.filter(curve="backtest").count() == 250


def test_too_few_days_for_the_confidence_is_refused(upload):
    positions = upload("positions", "instrument,asset_class,exposure", "X,equity,100")
    returns = upload("returns", "date,instrument,return", "2020-01-01,X,0.01", "2020-01-02,X,0")
    with pytest.raises(ValidationError) as refused:
        run_create(kind="market_var", positions=positions.pk, returns=returns.pk)
    (error,) = refused.value.error_dict["returns"]
    assert error.code == "too_few_observations"
    assert error.message == "2 days of returns; a 99.00% VaR needs at least 100."
    assert not AssessmentRun.objects.exists()


def test_a_parameter_out_of_range_and_a_missing_column_are_refused(upload, loan_book):
    with pytest.raises(ValidationError) as refused:
        run_create(kind="scorecard_development", loan_book=loan_book.pk, parameters={"bins": 50})
    assert refused.value.error_dict["parameters.bins"][0].code == "out_of_range"
    no_outcome = upload("loan_book", "loan_id,ead,income", "L1,100,3")
    with pytest.raises(ValidationError) as refused:
        run_create(kind="scorecard_development", loan_book=no_outcome.pk)
    (error,) = refused.value.error_dict["loan_book"]
    assert (error.code, error.message) == ("missing_column", "Missing columns: default.")
    with pytest.raises(ValidationError) as refused:
        run_create(kind="liquidity", cash_flows=loan_book.pk, parameters={"liquid_assets": 1})
    assert refused.value.error_dict["cash_flows"][0].code == "wrong_dataset_kind"


def test_scorecard_development_then_scoring_with_the_stored_version(loan_book):
    run = done(
        run_create(
            kind="scorecard_development",
            loan_book=loan_book.pk,
            seed=42,
            parameters={"name": "retail", "bins": 4, "grades": 4},
        )
    )
    assert run.status == "succeeded", run.error
    card = Scorecard.objects.get(run=run)
    assert (card.name, card.version) == ("retail", 1)
    assert [g["grade"] for g in card.specification["grades"]] == ["A", "B", "C", "D"]
    pds = [g["pd"] for g in card.specification["grades"]]
    assert pds == sorted(pds)  # A is the safest grade
    found = figures(run)
    # generated with income and debt ratio both driving defaults: each carries information,
    # and the fitted card separates defaults clearly better than chance on held-out loans.
    assert found[("information_value", "income")] > Decimal("0.1")
    assert found[("information_value", "debt_ratio")] > Decimal("0.05")
    assert Decimal("0.6") < found[("auc", "validation")] < Decimal("1")
    assert found[("gini", "validation")] == 2 * found[("auc", "validation")] - 1
    assert run.bins.filter(feature="income").count() >= 2

    scoring = done(run_create(kind="credit_scoring", loan_book=loan_book.pk, scorecard_id=card.pk))
    assert scoring.status == "succeeded", scoring.error
    scored = figures(scoring)
    # the same population as the development sample: stable (PSI of the development part
    # against itself is 0; the held-out 30% moves it only a little)
    assert scored[("psi", "")] < Decimal("0.1")
    total = sum(g.expected_loss for g in scoring.grades.all())
    assert total == scored[("expected_loss", "")]  # exact: Decimal cents, loan by loan


def test_the_same_seed_reproduces_a_run(loan_book):
    first = done(run_create(kind="scorecard_development", loan_book=loan_book.pk, seed=7))
    again = done(run_repeat(run_id=first.pk))
    assert again.seed == 7 and again.parameters == first.parameters
    assert figures(again) == figures(first)
    assert list(again.bins.values_list("woe", "points")) == list(
        first.bins.values_list("woe", "points")
    )


def test_a_run_cancelled_before_it_starts_fails_its_job(ladder):
    run = run_create(kind="liquidity", cash_flows=ladder.pk, parameters={"liquid_assets": 1})
    run_cancel(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "cancelled" and run.job.status == "failed"
    assert run.job.result == {"cancelled": True, "run": str(run.pk)}  # the job names its run
    with pytest.raises(ValidationError) as refused:
        run_cancel(run_id=run.pk)
    assert refused.value.error_dict["run_id"][0].code == "invalid_transition"


def test_a_run_cancelled_while_running_stores_nothing(ladder, monkeypatch):
    from apps.assessments.services import execute as module

    real = module.COMPUTE["liquidity"]

    def cancelled_midway(run, progress):
        outcome = real(run, lambda percent: None)
        run_cancel(run_id=run.pk)  # someone cancels while it computes
        progress(90)
        return outcome

    monkeypatch.setitem(module.COMPUTE, "liquidity", cancelled_midway)
    run = run_create(kind="liquidity", cash_flows=ladder.pk, parameters={"liquid_assets": 1})
    run_task.apply(args=[str(run.job_id)])  # the task's own path: run_job stores the result
    run.refresh_from_db()
    assert run.status == "cancelled" and not run.figures.exists() and not run.ladder.exists()
    assert run.job.status == "failed"
    # the job's typed result still leads to its run (AssessmentRunResult.run), input gone
    assert run.job.input == {}
    result = AssessmentRunResult.from_job(run.job)
    assert result.cancelled and result.run_id == str(run.pk)


def test_stress_scenarios_side_by_side_with_the_baseline(upload):
    book = upload("loan_book", "loan_id,ead,pd,lgd", "L1,1000,0.02,0.5", "L2,500,0.1,0.4")
    positions = upload("positions", "instrument,asset_class,exposure", "E,equity,100", "B,bond,200")
    scenarios = upload(
        "scenarios",
        "scenario,shock,asset_class,value",
        "severe,pd_multiplier,,2",
        "severe,lgd_addon,,0.1",
        "severe,price_shock,equity,-0.3",
        "severe,price_shock,,-0.1",
    )
    run = done(
        run_create(
            kind="stress_test", scenarios=scenarios.pk, loan_book=book.pk, positions=positions.pk
        )
    )
    found = figures(run)
    assert found[("expected_loss", "baseline")] == Decimal("30.00")
    assert found[("expected_loss", "severe")] == Decimal("74.00")
    assert found[("stress_loss", "baseline")] == Decimal("0.00")
    assert found[("stress_loss", "severe")] == Decimal("50.00")
