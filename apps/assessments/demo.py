"""Sample assessments for the demo tenant (`manage.py demo_setup`): a generated cash-loan book
and a small trading book with daily returns, and one finished run of each model a risk officer
opens first — a scorecard fitted on the book, the book scored with it, VaR of the trading
book. Through the services; fixed seeds (the same numbers on every machine); idempotent
(nothing is added once the loan-book dataset exists).

The runs are computed here, through the run task's own path (`run.apply`: the job succeeds
with its typed result), so the demo shows results without waiting for a worker; no message is
sent for them (`send=False`)."""

import numpy as np

from apps.assessments.models import Dataset, Scorecard
from apps.assessments.services.datasets import dataset_version_from_arrays
from apps.assessments.services.runs import run_create

BOOK = "Demo cash-loan book"
LOANS = 400
DAYS = 300  # 250 backtest days after a 50-day window
INSTRUMENTS = (
    ("CGB-10Y", "rates", 5_000_000.0),
    ("CSI300-ETF", "equity", 2_000_000.0),
    ("AAA-CORP-3Y", "credit", 3_000_000.0),
    ("USDCNY-FWD", "fx", -1_000_000.0),
    ("GOLD-AU9999", "commodity", 500_000.0),
)


def loan_book(seed: int = 2026) -> dict[str, np.ndarray]:
    """Applicants where income lowers and the debt ratio raises the chance of default (≈ 12 %)."""
    rng = np.random.default_rng(seed)
    income = np.round(rng.normal(8_000, 2_500, LOANS).clip(2_000), 0)  # monthly, CNY
    debt = rng.uniform(0, 1, LOANS)
    age = rng.integers(22, 60, LOANS)
    logit = -2.2 - 0.0003 * (income - 8_000) + 2.0 * (debt - 0.5)
    default = (rng.uniform(0, 1, LOANS) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    return {
        "loan_id": np.array([f"CL{i:05}" for i in range(LOANS)]),
        "ead": np.round(rng.uniform(5_000, 50_000, LOANS), 2),
        "segment": np.array(["online", "branch"])[rng.integers(0, 2, LOANS)],
        "default": default,
        "income": income.astype(float),
        "debt_ratio": debt,
        "age": age.astype(float),
    }


def trading_book(seed: int = 2026) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Five positions and their daily returns: one common factor plus each one's own noise."""
    rng = np.random.default_rng(seed)
    names = np.array([name for name, _, _ in INSTRUMENTS])
    vols = np.array([0.003, 0.015, 0.004, 0.003, 0.010])
    factor = rng.normal(0, 1, (DAYS, 1))
    returns = vols * (0.5 * factor + 0.85 * rng.normal(0, 1, (DAYS, len(names))))
    start = np.datetime64("2025-01-01")
    positions = {
        "instrument": names,
        "asset_class": np.array([cls for _, cls, _ in INSTRUMENTS]),
        "exposure": np.array([exposure for _, _, exposure in INSTRUMENTS]),
        "currency": np.array(["CNY", "CNY", "CNY", "USD", "CNY"]),
    }
    history = {
        "date": np.repeat(np.arange(start, start + DAYS), len(names)),
        "instrument": np.tile(names, DAYS),
        "return": returns.ravel(),
    }
    return positions, history


def _finish(run) -> None:
    from apps.assessments.tasks import run as run_task

    run_task.apply(args=[str(run.job_id)], throw=True)


def demo(*, admin) -> int:
    if Dataset.objects.filter(name=BOOK).exists():
        return 0
    book = dataset_version_from_arrays(arrays=loan_book(), name=BOOK, kind="loan_book", actor=admin)
    positions_data, returns_data = trading_book()
    positions = dataset_version_from_arrays(
        arrays=positions_data, name="Demo trading book", kind="positions", actor=admin
    )
    returns = dataset_version_from_arrays(
        arrays=returns_data, name="Demo daily returns", kind="returns", actor=admin
    )
    fit = run_create(
        kind="scorecard_development",
        loan_book=book.pk,
        parameters={"name": "cash_loan_2026"},
        seed=1,
        actor=admin,
        send=False,
    )
    _finish(fit)
    scoring = run_create(
        kind="credit_scoring",
        loan_book=book.pk,
        scorecard_id=Scorecard.objects.get(run=fit).pk,
        seed=1,
        actor=admin,
        send=False,
    )
    _finish(scoring)
    var = run_create(
        kind="market_var",
        positions=positions.pk,
        returns=returns.pk,
        parameters={"backtest_days": 250, "backtest_window": 50},
        seed=1,
        actor=admin,
        send=False,
    )
    _finish(var)
    return 3 + 3  # datasets, runs
