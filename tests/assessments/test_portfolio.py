"""Loan-book concentration, past-due/NPL rates, vintages and roll rates, on books worked by hand
(the arithmetic is in the comments), through upload, run and storage."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from apps.assessments.models import RunFigure
from apps.assessments.quant import portfolio
from apps.assessments.services.execute import execute
from apps.assessments.services.runs import run_create
from apps.core.tabular import RowsRejected

# EAD 1,000 in all. Industry: property 500, retail 400, energy 100. Past due (dpd > 0): L3, L4,
# L6 = 550; NPL (dpd > 90): L3 = 400.
BOOK = (
    "loan_id,ead,industry,grade,maturity_days,days_past_due",
    "L1,100,retail,A,10,0",
    "L2,300,retail,B,200,0",
    "L3,400,property,A,400,95",
    "L4,100,property,C,40,45",
    "L5,50,energy,B,0,0",
    "L6,50,energy,A,1000,10",
)
HISTORY = (
    "loan_id,origination_date,as_of,days_past_due,balance",
    "A,2024-01-15,2024-02-29,0,100",
    "A,2024-01-15,2024-03-31,15,90",
    "A,2024-01-15,2024-04-30,45,80",
    "B,2024-01-03,2024-02-29,0,200",
    "B,2024-01-03,2024-03-31,0,190",
    "B,2024-01-03,2024-05-31,100,180",  # April missing: no roll from March
    "C,2024-02-10,2024-03-31,0,50",
    "C,2024-02-10,2024-04-30,95,50",
)


def test_segments_shares_hhi_and_top_share_by_hand():
    cut = portfolio.segments(
        np.array(["retail", "retail", "property", "property", "energy", "energy"]),
        np.array([100.0, 300, 400, 100, 50, 50]),
        np.array([0, 0, 95, 45, 0, 10]),
    )
    assert list(cut.labels) == ["property", "retail", "energy"]
    assert list(cut.share) == pytest.approx([0.5, 0.4, 0.1])
    assert cut.hhi == pytest.approx(0.25 + 0.16 + 0.01)
    assert cut.top_share(2) == pytest.approx(0.9)
    assert list(cut.overdue) == pytest.approx([1.0, 0.0, 0.5])  # 500/500, 0, 50/100
    assert list(cut.npl) == pytest.approx([0.8, 0.0, 0.0])  # 400/500


def test_roll_counts_need_consecutive_months():
    counts = portfolio.roll_counts(
        np.array(["A", "A", "A", "B", "B"]),
        np.array(["2024-01-31", "2024-02-29", "2024-04-30", "2024-01-31", "2024-02-29"], "M8[D]"),
        np.array([0, 30, 61, 31, 91]),
    )
    expected = np.zeros((5, 5), dtype=int)
    expected[0, 1] = 1  # A: current → 1–30 (January → February); February → April is no roll
    expected[2, 4] = 1  # B: 31–60 → over 90
    assert np.array_equal(counts, expected)


@pytest.fixture
def book(upload):
    return upload("loan_book", *BOOK, name="book")


@pytest.fixture
def history(upload):
    return upload("loan_performance", *HISTORY, name="history")


def _figures(run) -> dict:
    return {(f.code, f.segment): f.value for f in RunFigure.objects.filter(run=run)}


def test_a_credit_portfolio_run_on_the_hand_worked_book_and_history(book, history):
    run = run_create(
        kind="credit_portfolio",
        loan_book=book.pk,
        loan_performance=history.pk,
        parameters={"top_n": 2},
    )
    execute(run.job)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    found = _figures(run)
    assert found[("exposure", "")] == Decimal("1000.00")
    assert found[("overdue_rate", "")] == Decimal("0.55")
    assert found[("npl_rate", "")] == Decimal("0.4")
    assert found[("concentration_hhi", "industry")] == Decimal("0.42")
    assert found[("top_share", "industry")] == Decimal("0.9")
    # grades A 550, B 350, C 100: .3025 + .1225 + .01
    assert found[("concentration_hhi", "grade")] == Decimal("0.435")
    # maturity buckets: >1y 450 (L3, L6), 181–365 300, 8–30 100, 31–90 100, ≤1 50
    assert found[("concentration_hhi", "maturity")] == Decimal("0.315")
    rows = [
        (r.segment, r.rank, r.loans, r.exposure, r.share)
        for r in run.concentration.filter(dimension="maturity")
    ]
    assert rows == [
        ("d999", 1, 2, Decimal("450.00"), 0.45),
        ("d365", 2, 1, Decimal("300.00"), 0.3),
        ("d030", 3, 1, Decimal("100.00"), 0.1),
        ("d090", 4, 1, Decimal("100.00"), 0.1),
        ("d001", 5, 1, Decimal("50.00"), 0.05),
    ]
    property_row = run.concentration.get(dimension="industry", segment="property")
    assert (property_row.overdue_rate, property_row.npl_rate) == (1.0, 0.8)
    # vintages: Jan 2024 at MOB 1 (A 100 + B 200, both current), MOB 2 (A 90 at 15 dpd of 280),
    # MOB 3 (A 80 at 45 dpd), MOB 4 (B 180 at 100 dpd); Feb 2024 at MOB 1 (C 50), MOB 2 (C 95 dpd)
    vintages = [
        (v.vintage, v.months_on_book, v.loans, v.balance, round(v.overdue_rate, 7), v.npl_rate)
        for v in run.vintages.all()
    ]
    january, february = date(2024, 1, 1), date(2024, 2, 1)
    assert vintages == [
        (january, 1, 2, Decimal("300.00"), 0.0, 0.0),
        (january, 2, 2, Decimal("280.00"), 0.3214286, 0.0),
        (january, 3, 1, Decimal("80.00"), 1.0, 0.0),
        (january, 4, 1, Decimal("180.00"), 1.0, 1.0),
        (february, 1, 1, Decimal("50.00"), 0.0, 0.0),
        (february, 2, 1, Decimal("50.00"), 1.0, 1.0),
    ]
    # rolls: A current→1–30, 1–30→31–60; B current→current (March→May is no roll); C current→90+
    rolls = {(r.from_bucket, r.to_bucket): (r.loans, r.rate) for r in run.roll_rates.all()}
    assert len(rolls) == 25
    assert rolls[("current", "current")] == (1, pytest.approx(1 / 3))
    assert rolls[("current", "dpd_1_30")] == (1, pytest.approx(1 / 3))
    assert rolls[("current", "dpd_90_plus")] == (1, pytest.approx(1 / 3))
    assert rolls[("dpd_1_30", "dpd_31_60")] == (1, 1.0)
    assert sum(loans for loans, _ in rolls.values()) == 4
    assert found[("npl_rate", "latest_month")] == Decimal("1")  # May: B alone, 100 dpd


def test_a_repeated_loan_month_and_no_input_are_refused(upload):
    with pytest.raises(RowsRejected) as rejected:
        upload(
            "loan_performance",
            "loan_id,origination_date,as_of,days_past_due",
            "A,2024-01-01,2024-02-10,0",
            "A,2024-01-01,2024-02-29,0",
        )
    assert [(e.row, e.column, e.message) for e in rejected.value.errors] == [
        (3, "loan_id", "Same as row 2.")
    ]
    with pytest.raises(ValidationError) as refused:
        run_create(kind="credit_portfolio")
    assert "loan book or a performance history" in str(refused.value)
