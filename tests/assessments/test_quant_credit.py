"""Credit math against values worked out by hand (each comment shows the arithmetic)."""

import math

import numpy as np
import pytest

from apps.assessments.quant import credit, validation

X = np.arange(1, 11, dtype=float)
Y = np.array([1, 1, 0, 1, 0, 0, 1, 0, 0, 0], dtype=float)


def test_woe_and_iv_of_a_ten_row_table():
    # edges 3, 6: bins {1,2,3} 2 bad 1 good; {4,5,6} 1 bad 2 good; {7..10} 1 bad 3 good.
    # 4 bads, 6 goods. WoE = ln((good/6)/(bad/4)):
    #   ln((1/6)/(2/4)) = ln(1/3) = −1.0986123; ln((2/6)/(1/4)) = ln(4/3) = 0.2876821;
    #   ln((3/6)/(1/4)) = ln 2 = 0.6931472.
    # IV parts: (1/6−2/4)·−1.0986123 = 0.3662041; (2/6−1/4)·0.2876821 = 0.0239735;
    #   (3/6−1/4)·0.6931472 = 0.1732868; IV = 0.5634644.
    table = credit.woe_table(X, Y, np.array([3.0, 6.0]))
    assert table.count.tolist() == [3, 3, 4]
    assert table.bads.tolist() == [2, 1, 1]
    assert table.woe == pytest.approx([-1.0986123, 0.2876821, 0.6931472], abs=1e-7)
    assert table.iv_parts == pytest.approx([0.3662041, 0.0239735, 0.1732868], abs=1e-7)
    assert table.iv == pytest.approx(0.5634644, abs=1e-7)


def test_a_bin_without_goods_gets_half_a_count_each_way():
    # edges 2: {1,2} both bad → 0.5 good, 2.5 bad; {3,4} 0 bad 2 good → 2.5 good, 0.5 bad.
    # shares: good 0.5/3, 2.5/3; bad 2.5/3, 0.5/3 → WoE ln(0.2) = −1.6094379, ln 5 = 1.6094379.
    table = credit.woe_table(np.array([1.0, 2, 3, 4]), np.array([1.0, 1, 0, 0]), np.array([2.0]))
    assert table.woe == pytest.approx([-1.6094379, 1.6094379], abs=1e-7)


def test_quantile_edges_are_values_of_the_sample():
    # thirds of 1..10, inverted CDF: the ⌈10/3⌉ = 4th and ⌈20/3⌉ = 7th values.
    assert credit.quantile_edges(X, 3).tolist() == [4.0, 7.0]
    assert credit.assign_bins(X, np.array([4.0, 7.0])).tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_monotonic_binning_merges_the_bin_that_breaks_the_trend():
    # edges 2, 4 on 1..6 with y 1,0 | 1,1 | 0,0: rates 0.5, 1, 0 — falling overall, the rise
    # 0.5 → 1 breaks it: the edge 2 goes; {1..4} 0.75, {5,6} 0.
    x = np.arange(1, 7, dtype=float)
    y = np.array([1, 0, 1, 1, 0, 0], dtype=float)
    assert credit.monotonic_edges(x, y, np.array([2.0, 4.0])).tolist() == [4.0]


def test_points_scaling_base_600_at_50_to_1_pdo_20():
    # factor = 20 / ln 2 = 28.8539008; offset = 600 − 28.8539008 · ln 50 = 487.1228762.
    factor, offset = credit.points_scale(600, 50, 20)
    assert factor == pytest.approx(28.8539008, abs=1e-6)
    assert offset == pytest.approx(487.1228762, abs=1e-6)
    # odds 100:1 → 620, 25:1 → 580; a score of 600 means PD 1/51.
    assert offset + factor * math.log(100) == pytest.approx(620.0)
    assert offset + factor * math.log(25) == pytest.approx(580.0)
    assert credit.pd_from_score(np.array([600.0]), factor, offset)[0] == pytest.approx(1 / 51)


def test_bin_points_add_up_to_the_score():
    # One feature, β = −1, intercept −ln 50 (odds 50:1 at WoE 0): WoE ln 2 doubles the odds,
    # so that bin is worth 600 + 20 = 620 points and WoE 0 is worth 600.
    factor, offset = credit.points_scale(600, 50, 20)
    points = credit.bin_points(np.array([0.0, math.log(2)]), -1.0, -math.log(50), 1, factor, offset)
    assert points == pytest.approx([600.0, 620.0])


def test_grades_split_the_population_best_scores_first():
    scores = np.array([500.0, 510, 520, 530, 540, 550, 560, 570, 580, 590])
    # fifths, inverted CDF at 0.8, 0.6, 0.4, 0.2: the 8th, 6th, 4th and 2nd values.
    cutoffs = credit.grade_cutoffs(scores, 5)
    assert cutoffs.tolist() == [570.0, 550.0, 530.0, 510.0]
    assert credit.assign_grades(scores, cutoffs).tolist() == [4, 3, 3, 2, 2, 1, 1, 0, 0, 0]


def test_auc_and_ks_of_a_four_row_sample():
    # risk 0.1 good, 0.35 bad, 0.4 good, 0.8 bad: of the 4 (bad, good) pairs, 3 rank the bad
    # riskier → AUC 0.75. Cumulative shares (bad, good) at each cut-off: (0, ½), (½, ½),
    # (½, 1), (1, 1) → KS = ½.
    risk = np.array([0.1, 0.4, 0.35, 0.8])
    y = np.array([0, 0, 1, 1])
    assert validation.auc(risk, y) == pytest.approx(0.75)
    assert validation.ks(risk, y) == pytest.approx(0.5)


def test_auc_counts_ties_as_one_half():
    # one bad, one good, same risk: AUC ½.
    assert validation.auc(np.array([0.3, 0.3]), np.array([1, 0])) == pytest.approx(0.5)


def test_psi_of_a_shifted_population():
    # expected ¼ each; actual 0.1, 0.2, 0.3, 0.4:
    # −0.15·ln 0.4 + −0.05·ln 0.8 + 0.05·ln 1.2 + 0.15·ln 1.6
    #   = 0.1374436 + 0.0111572 + 0.0091161 + 0.0705005 = 0.2282174
    assert validation.psi([0.25] * 4, [0.1, 0.2, 0.3, 0.4]) == pytest.approx(0.2282174, abs=1e-7)
    assert validation.psi([0.5, 0.5], [0.5, 0.5]) == 0.0


def test_hosmer_lemeshow_of_two_grades():
    # grade 1: 100 loans, PD 0.1, 15 defaults: (15−10)² / (10·0.9) = 2.7777778
    # grade 2: 200 loans, PD 0.05, 8 defaults: (8−10)² / (10·0.95) = 0.4210526 → 3.1988304
    statistic, _ = validation.hosmer_lemeshow(
        np.array([100, 200]), np.array([15, 8]), np.array([0.1, 0.05])
    )
    assert statistic == pytest.approx(3.1988304, abs=1e-6)


def test_expected_loss_is_pd_times_lgd_times_ead():
    # 0.02·0.5·1000 = 10; 0.1·0.4·500 = 20
    assert credit.expected_loss(
        np.array([0.02, 0.1]), np.array([0.5, 0.4]), np.array([1000.0, 500.0])
    ).tolist() == pytest.approx([10.0, 20.0])
