"""Market, liquidity and stress math against values worked out by hand."""

import numpy as np
import pytest
from scipy import stats

from apps.assessments.quant import liquidity, market, stress

LOSSES = np.arange(1, 101, dtype=float)  # one loss of each size 1 … 100


def test_historical_var_and_es_of_one_to_a_hundred():
    # ⌈100·0.95⌉ = 95th smallest → 95; ES the mean of the 5 above it: (96+…+100)/5 = 98.
    assert market.historical_var_es(LOSSES, 0.95) == (95.0, 98.0)
    # ⌈100·0.99⌉ = 99 → 99; ES the largest alone: 100.
    assert market.historical_var_es(LOSSES, 0.99) == (99.0, 100.0)
    # ten days: × √10 = 3.1622777
    var, _ = market.historical_var_es(LOSSES, 0.99, horizon=10)
    assert var == pytest.approx(99 * 3.1622777, abs=1e-5)


def test_historical_var_from_positions_and_returns():
    # one position of 100 whose returns are −0.01 … −1.00: the same losses 1 … 100.
    returns = -(LOSSES / 100).reshape(-1, 1)
    losses = -market.portfolio_pnl(np.array([100.0]), returns)
    assert market.historical_var_es(losses, 0.95)[0] == pytest.approx(95.0)


def test_parametric_var_is_z_sigma_root_h():
    # P&L 2, −2, 2, −2: sample σ = √(16/3) = 2.3094011; z(99%) = 2.3263479, φ(z) = 0.0266521.
    # VaR = 2.3263479 · 2.3094011 = 5.3724780; ES = 2.3094011 · 0.0266521 / 0.01 = 6.1549935.
    sigma = float(np.std([2.0, -2, 2, -2], ddof=1))
    var, es = market.parametric_var_es(sigma, 0.99)
    assert var == pytest.approx(5.3724780, abs=1e-5)
    assert es == pytest.approx(6.1549935, abs=1e-4)
    # 95%, 4 days: z = 1.6448536, × 2.3094011 = 3.7986267, × √4 = 7.5972535
    assert market.parametric_var_es(sigma, 0.95, horizon=4)[0] == pytest.approx(7.5972535, abs=1e-5)


def test_student_t_var_and_es_against_the_table_and_an_integral():
    # ν = 5, scale 1: t₀.₉₉,₅ = 3.365 (published t tables); ES = ∫_q^∞ x f(x) dx / 0.01, by
    # numerical integration of the density (independent of the closed form in the code).
    from scipy import integrate

    var, es = market.student_t_var_es(1.0, 5.0, 0.99)
    assert var == pytest.approx(3.365, abs=5e-4)
    tail, _ = integrate.quad(lambda x: x * stats.t.pdf(x, 5), 3.3649300, np.inf)
    assert es == pytest.approx(tail / 0.01, rel=1e-6)
    # ν = 10 at 95 %, scale 2, 4 days: t₀.₉₅,₁₀ = 1.812 → 2 · 1.812 · √4 = 7.248
    assert market.student_t_var_es(2.0, 10.0, 0.95, horizon=4)[0] == pytest.approx(7.248, abs=3e-3)


def test_student_t_fit_recovers_the_degrees_of_freedom_and_scale():
    # 20,000 draws of 0.01 · t₄: the MLE of ν is within ±0.5 of 4, the scale within 3 % of 0.01
    # (maximum-likelihood standard errors at this n are about 0.15 and 0.6 %).
    draws = 0.01 * np.random.default_rng(2).standard_t(4, size=20_000)
    dof, scale = market.student_t_fit(draws)
    assert dof == pytest.approx(4, abs=0.5)
    assert scale == pytest.approx(0.01, rel=0.03)
    given, _ = market.student_t_fit(draws, 6.0)
    assert given == 6.0
    # a normal sample fits a large ν: the t VaR comes to the normal one (z₀.₉₉ = 2.3263)
    normal = np.random.default_rng(4).normal(0, 1, 20_000)
    dof, scale = market.student_t_fit(normal)
    assert dof > 30
    assert market.student_t_var_es(scale, dof, 0.99)[0] == pytest.approx(2.3263, rel=0.03)


def test_monte_carlo_converges_to_the_parametric_value_for_normal_returns():
    # Two positions of 100 and 50 with σ 1% and 2%, correlation 0.5: σ_p² = 1 + 1 + 2·0.5·1·1 = 3
    # → σ_p = 1.7320508, VaR 99% = 2.3263479 · 1.7320508 = 4.0293766. 100,000 scenarios: the
    # quantile's standard error is about 0.6%, so 2% is a safe bound.
    rng = np.random.default_rng(7)
    cov = np.array([[1e-4, 1e-4], [1e-4, 4e-4]])
    returns = rng.multivariate_normal([0, 0], cov, size=5000)
    exposures = np.array([100.0, 50.0])
    losses = market.monte_carlo_losses(exposures, returns, 100_000, seed=11)
    sample_sigma = float(np.sqrt(exposures @ np.cov(returns, rowvar=False) @ exposures))
    assert sample_sigma == pytest.approx(1.7320508, rel=0.03)
    var, _ = market.historical_var_es(losses, 0.99)
    assert var == pytest.approx(2.3263479 * sample_sigma, rel=0.02)
    again = market.monte_carlo_losses(exposures, returns, 100_000, seed=11)
    assert np.array_equal(losses, again)  # the same seed, the same scenarios


def test_component_var_adds_up_to_the_parametric_var():
    rng = np.random.default_rng(3)
    returns = rng.normal(0, 0.01, size=(300, 3))
    exposures = np.array([100.0, 200.0, -50.0])
    sigma = float(np.std(returns @ exposures, ddof=1))
    parts = market.component_var(exposures, returns, 0.99)
    assert parts.sum() == pytest.approx(2.3263479 * sigma, rel=1e-6)


def test_kupiec_for_8_exceptions_in_250_days_at_99_percent():
    # −2·[242·ln 0.99 + 8·ln 0.01 − 242·ln 0.968 − 8·ln 0.032] = 7.7335 (p ≈ 0.0054)
    statistic, p = market.kupiec_pof(8, 250, 0.99)
    assert statistic == pytest.approx(7.7335, abs=1e-3)
    assert p == pytest.approx(0.0054, abs=2e-4)
    assert market.kupiec_pof(0, 250, 0.99)[0] == pytest.approx(-2 * 250 * np.log(0.99))


def test_christoffersen_independence_of_a_short_sequence():
    # 0 1 1 1 0 0 0 0: transitions n00 3, n01 1, n10 1, n11 2 → π0 1/4, π1 2/3, π 3/7.
    # ln L(independent) = 4·ln(4/7) + 3·ln(3/7) = −4.7803569
    # ln L(Markov) = 3·ln(3/4) + ln(1/4) + ln(1/3) + 2·ln(2/3) = −4.1588832 → LR = 1.2429474
    statistic, _ = market.christoffersen_independence(np.array([0, 1, 1, 1, 0, 0, 0, 0]))
    assert statistic == pytest.approx(1.2429474, abs=1e-6)
    # 0 0 1 1 0 0 0 1 0 0: π0 = π1 = π = 1/3 → no evidence of clustering
    even = market.christoffersen_independence(np.array([0, 0, 1, 1, 0, 0, 0, 1, 0, 0]))
    assert even[0] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("exceptions", "zone"), [(0, "green"), (4, "green"), (5, "yellow"), (9, "yellow"), (10, "red")]
)
def test_basel_traffic_light(exceptions, zone):
    assert market.traffic_light(exceptions) == zone


def test_backtest_counts_losses_above_the_previous_windows_var():
    # window of 100 losses 1 … 100 (VaR 99% = 99), then days with losses 50, 100, 99.5:
    # 100 > 99 is an exception; for the third day the window is 2 … 100, 50, 100 → ⌈99⌉ = 99th
    # smallest = 100; 99.5 < 100.
    losses = np.concatenate([LOSSES, [50.0, 100.0, 99.5]])
    excess = market.backtest(losses, window=100, days=3, confidence=0.99)
    assert excess.tolist() == pytest.approx([50 - 99, 100 - 99, 99.5 - 100])
    assert int((excess > 0).sum()) == 1


# A ladder worked by hand: liquid assets 250, haircut 20% → 200; run-off 100%, inflows at 50%.
DAYS = np.array([0, 5, 20, 60, 400])
INFLOW = np.array([0.0, 50, 0, 300, 0])
OUTFLOW = np.array([100.0, 0, 200, 50, 100])


def test_maturity_ladder_and_cumulative_gap():
    ins, outs, gap, cumulative = liquidity.ladder(DAYS, INFLOW, OUTFLOW)
    assert ins.tolist() == [0, 50, 0, 300, 0, 0, 0]
    assert outs.tolist() == [100, 0, 200, 50, 0, 0, 100]
    assert gap.tolist() == [-100, 50, -200, 250, 0, 0, -100]
    assert cumulative.tolist() == [-100, -50, -250, 0, 0, 0, -100]


def test_coverage_ratio_and_survival_horizon():
    # 30 days: outflows 300 × 1 = 300, inflows 50 × 0.5 = 25 (under the cap 225) → net 275;
    # 200 / 275 = 0.7272727.
    buffer, net, ratio = liquidity.coverage_ratio(250, 0.2, DAYS, INFLOW, OUTFLOW, 1.0, 0.5)
    assert (buffer, net) == (200.0, 275.0)
    assert ratio == pytest.approx(0.7272727, abs=1e-7)
    # day 0: 200 − 100 = 100; day 5: +25 = 125; day 20: −200 = −75 → out of cash on day 20.
    assert liquidity.survival_days(250, 0.2, DAYS, INFLOW, OUTFLOW, 1.0, 0.5, 365) == 20
    # with 1,000 of liquid assets it never runs out within the horizon.
    assert liquidity.survival_days(1000, 0.2, DAYS, INFLOW, OUTFLOW, 1.0, 0.5, 365) == 365


def test_funding_concentration():
    # outflows by counterparty: A 300, C 50, B 100 of 450 → (2/3)² + (1/9)² + (2/9)² = 41/81
    groups = np.array(["A", "B", "A", "C", "B"])
    assert liquidity.hhi(OUTFLOW, groups) == pytest.approx(41 / 81)


def test_a_scenario_shocks_credit_and_positions():
    found = stress.scenarios(
        np.array(["severe", "severe", "severe", "severe"]),
        np.array(["pd_multiplier", "lgd_addon", "price_shock", "price_shock"]),
        np.array(["", "", "equity", ""]),
        np.array([2.0, 0.1, -0.3, -0.1]),
    )
    (severe,) = found
    # 0.04·0.6·1000 = 24 and 0.2·0.5·500 = 50 → 74 (baseline 10 + 20 = 30)
    pd, lgd, ead = np.array([0.02, 0.1]), np.array([0.5, 0.4]), np.array([1000.0, 500.0])
    assert stress.stressed_credit_loss(severe, pd, lgd, ead) == pytest.approx(74.0)
    assert stress.stressed_credit_loss(stress.Scenario("base"), pd, lgd, ead) == pytest.approx(30)
    # equity −30% of 100 = 30, the bond the all-positions −10% of 200 = 20 → 50
    loss = stress.price_shock_loss(severe, np.array([100.0, 200]), np.array(["equity", "bond"]))
    assert loss == pytest.approx(50.0)
