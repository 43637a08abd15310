"""Market, liquidity and stress runs."""

from collections.abc import Callable
from decimal import Decimal

import numpy as np

from apps.assessments.models import AssessmentRun, LadderBucket, VarMethod
from apps.assessments.models import FigureCode as F
from apps.assessments.quant import liquidity, market, stress
from apps.assessments.selectors import version_arrays
from apps.assessments.services.results import Results, cents_to_money, money, sum_cents_by

BACKTEST_CONFIDENCE = 0.99


class InputProblem(ValueError):
    """The inputs do not fit together (a position without returns): the run is refused."""


def returns_matrix(positions: dict, returns: dict) -> tuple[np.ndarray, np.ndarray]:
    """(dates, returns as days × positions, in the positions' order); every position needs a
    return on every date of the history."""
    dates, day = np.unique(returns["date"], return_inverse=True)
    names, column = np.unique(returns["instrument"], return_inverse=True)
    wanted = np.searchsorted(names, positions["instrument"])
    wanted = np.minimum(wanted, len(names) - 1)
    missing = names[wanted] != positions["instrument"]
    if missing.any():
        listed = ", ".join(positions["instrument"][missing][:5])
        raise InputProblem(f"No return history for: {listed}.")
    grid = np.full((len(dates), len(names)), np.nan)
    grid[day, column] = returns["return"]
    matrix = grid[:, wanted]
    if np.isnan(matrix).any():
        raise InputProblem("Every position needs a return on every date of the history.")
    return dates, matrix


def _market_inputs(run: AssessmentRun) -> tuple[dict, np.ndarray]:
    positions = version_arrays(run.positions_id)
    _, matrix = returns_matrix(positions, version_arrays(run.returns_id))
    return positions, matrix


def value_at_risk(run: AssessmentRun, progress: Callable[[int], None]) -> Results:
    p = run.parameters
    positions, matrix = _market_inputs(run)
    exposures = positions["exposure"].astype(float)
    losses = -market.portfolio_pnl(exposures, matrix)
    horizon = p["horizon_days"]
    sigma = float(np.std(losses, ddof=1))
    results = Results()
    results.figure(F.ROWS, len(losses))
    simulated = None
    covariance = np.atleast_2d(np.cov(matrix, rowvar=False))  # once, for Monte Carlo and parts
    if p["mc_scenarios"]:
        simulated = market.monte_carlo_losses(
            exposures, matrix, p["mc_scenarios"], run.seed, covariance=covariance
        )
    dof, scale = market.student_t_fit(losses, p["t_dof"])
    results.figure(F.T_DOF, dof)
    progress(40)
    for confidence in p["confidences"]:
        rows = [
            (VarMethod.HISTORICAL, market.historical_var_es(losses, confidence, horizon)),
            (VarMethod.PARAMETRIC, market.parametric_var_es(sigma, confidence, horizon)),
            (VarMethod.STUDENT_T, market.student_t_var_es(scale, dof, confidence, horizon)),
        ]
        if simulated is not None:
            rows.append(
                (VarMethod.MONTE_CARLO, market.historical_var_es(simulated, confidence, horizon))
            )
        for method, (var, es) in rows:
            results.var_rows.append(
                {
                    "method": method,
                    "confidence": Decimal(str(confidence)),
                    "horizon_days": horizon,
                    "var": money(var),
                    "es": money(es),
                }
            )
    var99, _ = market.historical_var_es(losses, 0.99)
    results.points["var_99_1d"] = var99
    results.figure(F.VAR_99, money(var99))
    results.points["es_975_1d"] = market.historical_var_es(losses, 0.975)[1]
    parts = market.component_var(exposures, matrix, 0.99, covariance=covariance)
    for asset_class in np.unique(positions["asset_class"]):
        share = parts[positions["asset_class"] == asset_class].sum()
        results.figure(F.COMPONENT_VAR, money(share), str(asset_class))
    if p["var_limit"] is not None:
        utilisation = var99 / float(p["var_limit"]) * 100
        results.figure(F.VAR_LIMIT_UTILISATION, utilisation)
        results.points["var_limit_utilisation"] = utilisation
    progress(70)
    if p["backtest_days"]:
        excess = market.backtest(
            losses, p["backtest_window"], p["backtest_days"], BACKTEST_CONFIDENCE
        )
        exceptions = int((excess > 0).sum())
        statistic, pvalue = market.kupiec_pof(exceptions, p["backtest_days"], BACKTEST_CONFIDENCE)
        results.figure(F.BACKTEST_EXCEPTIONS, exceptions)
        results.figure(F.BACKTEST_DAYS, p["backtest_days"])
        results.figure(F.KUPIEC_LR, statistic)
        results.figure(F.KUPIEC_P, pvalue)
        clustered, clustered_p = market.christoffersen_independence(excess > 0)
        results.figure(F.CHRISTOFFERSEN_LR, clustered)
        results.figure(F.CHRISTOFFERSEN_P, clustered_p)
        results.curves["backtest"] = (np.arange(len(excess)), excess)
        if p["backtest_days"] == 250:
            results.points["var_backtest_exceptions_250d"] = exceptions
    return results


def _cash_flows(run: AssessmentRun) -> dict:
    return version_arrays(run.cash_flows_id)


def _liquidity_figures(
    results: Results, flows: dict, p: dict, *, segment: str = "", scenario=None
) -> None:
    scenario = scenario or stress.Scenario("baseline")
    runoff = p["runoff"] * scenario.outflow_multiplier
    inflow_rate = p["inflow_rate"] * scenario.inflow_multiplier
    haircut = min(p["haircut"] + scenario.haircut_addon, 1.0)
    assets = float(p["liquid_assets"] or 0)
    days, ins, outs = flows["maturity_days"], flows["inflow"], flows["outflow"]
    buffer, net, ratio = liquidity.coverage_ratio(
        assets, haircut, days, ins, outs, runoff, inflow_rate
    )
    survival = liquidity.survival_days(
        assets, haircut, days, ins, outs, runoff, inflow_rate, p["horizon_days"]
    )
    results.figure(F.LIQUID_ASSETS, money(buffer), segment)
    results.figure(F.NET_OUTFLOWS_30D, money(net), segment)
    if ratio is not None:
        results.figure(F.COVERAGE_RATIO, ratio, segment)
    results.figure(F.SURVIVAL_DAYS, survival, segment)
    if not segment:
        if ratio is not None:
            results.points["liquidity_coverage_ratio"] = ratio * 100
        results.points["survival_horizon_days"] = survival


def cash_ladder(run: AssessmentRun, progress: Callable[[int], None]) -> Results:
    flows = _cash_flows(run)
    results = Results()
    results.figure(F.ROWS, len(flows["maturity_days"]))
    index = liquidity.bucket_index(flows["maturity_days"])
    buckets = list(LadderBucket.values)
    sums = {}
    for name in ("inflow", "outflow"):  # in integer cents: exact sums of money
        cents = np.round(flows[name] * 100).astype(np.int64)
        sums[name] = sum_cents_by(index, cents, len(buckets))
    gap = sums["inflow"] - sums["outflow"]
    for i, bucket in enumerate(buckets):
        results.ladder.append(
            {
                "bucket": bucket,
                "inflow": cents_to_money(sums["inflow"][i]),
                "outflow": cents_to_money(sums["outflow"][i]),
                "gap": cents_to_money(gap[i]),
                "cumulative_gap": cents_to_money(gap[: i + 1].sum()),
            }
        )
    progress(50)
    _liquidity_figures(results, flows, run.parameters)
    by = flows["counterparty"] if (flows["counterparty"] != "").any() else flows["source"]
    if (by != "").any() and flows["outflow"].sum() > 0:
        concentration = liquidity.hhi(flows["outflow"], by)
        results.figure(F.FUNDING_HHI, concentration)
        results.points["funding_concentration_hhi"] = concentration
    return results


def stress_test(run: AssessmentRun, progress: Callable[[int], None]) -> Results:
    s = version_arrays(run.scenarios_id)
    if (s["scenario"] == "baseline").any():
        raise InputProblem("The scenario name 'baseline' is kept for the unshocked results.")
    found = [stress.Scenario("baseline")] + stress.scenarios(
        s["scenario"], s["shock"], s["asset_class"], s["value"]
    )
    p = run.parameters
    loans = version_arrays(run.loan_book_id) if run.loan_book_id else None
    positions = version_arrays(run.positions_id) if run.positions_id else None
    flows = _cash_flows(run) if run.cash_flows_id else None
    results = Results()
    for scenario in found:
        if loans is not None:
            lgd = loans["lgd"] if "lgd" in loans else np.full(len(loans["ead"]), 0.45)
            loss = stress.stressed_credit_loss(scenario, loans["pd"], lgd, loans["ead"])
            results.figure(F.EXPECTED_LOSS, money(loss), scenario.name)
        if positions is not None:
            loss = stress.price_shock_loss(
                scenario, positions["exposure"], positions["asset_class"]
            )
            results.figure(F.STRESS_LOSS, money(loss), scenario.name)
        if flows is not None:
            _liquidity_figures(results, flows, p, segment=scenario.name, scenario=scenario)
    progress(90)
    return results
