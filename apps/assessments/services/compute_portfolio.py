"""Credit-portfolio runs: concentration of a loan book by industry, maturity, grade and segment,
past-due and NPL rates; vintages and roll rates from a monthly performance history."""

from collections.abc import Callable

import numpy as np

from apps.assessments.models import AssessmentRun, ConcentrationDimension, DpdBucket, LadderBucket
from apps.assessments.models import FigureCode as F
from apps.assessments.quant import liquidity, portfolio
from apps.assessments.selectors import version_arrays
from apps.assessments.services.results import Results, cents_to_money

SEGMENT_MAX = 120


def _dimensions(loans: dict) -> dict[str, np.ndarray]:
    """The dimensions this book can be cut by (a column left blank everywhere is none)."""
    found = {}
    for name in ("industry", "grade", "segment"):
        if name in loans and (loans[name] != "").any():
            found[name] = loans[name]
    if "maturity_days" in loans:
        buckets = np.array(LadderBucket.values)
        found[ConcentrationDimension.MATURITY] = buckets[
            liquidity.bucket_index(loans["maturity_days"])
        ]
    return found


def _concentration(results: Results, loans: dict, p: dict) -> None:
    ead = loans["ead"].astype(float)
    dpd = loans.get("days_past_due")
    results.figure(F.ROWS, len(ead))
    results.figure(F.EXPOSURE, cents_to_money(int(np.round(ead * 100).sum())))
    if dpd is not None:
        whole = np.zeros(len(ead), dtype=np.int64)
        overdue = portfolio.weighted_rate(dpd > 0, ead, whole, 1)[0]
        npl = portfolio.weighted_rate(dpd > p["npl_days"], ead, whole, 1)[0]
        results.figure(F.OVERDUE_RATE, overdue)
        results.figure(F.NPL_RATE, npl)
        results.points["npl_ratio"] = npl * 100
    for dimension, labels in _dimensions(loans).items():
        cut = portfolio.segments(labels, ead, dpd, p["npl_days"])
        results.figure(F.CONCENTRATION_HHI, cut.hhi, dimension)
        results.figure(F.TOP_SHARE, cut.top_share(p["top_n"]), dimension)
        for rank, label in enumerate(cut.labels):
            name = f"{dimension}:{label}"[:SEGMENT_MAX]
            results.figure(F.SEGMENT_SHARE, float(cut.share[rank]), name)
            results.concentration.append(
                {
                    "dimension": dimension,
                    "segment": str(label)[:SEGMENT_MAX],
                    "rank": rank + 1,
                    "loans": int(cut.count[rank]),
                    "exposure": cents_to_money(int(round(cut.exposure[rank] * 100))),
                    "share": float(cut.share[rank]),
                    "overdue_rate": None if cut.overdue is None else float(cut.overdue[rank]),
                    "npl_rate": None if cut.npl is None else float(cut.npl[rank]),
                }
            )


def _history(results: Results, history: dict, p: dict) -> None:
    balance = history.get("balance")
    found = portfolio.vintages(
        history["origination_date"],
        history["as_of"],
        history["days_past_due"],
        balance,
        p["npl_days"],
    )
    for i in range(len(found.vintage)):
        results.vintages.append(
            {
                "vintage": np.datetime64(int(found.vintage[i]), "M").astype("datetime64[D]").item(),
                "months_on_book": int(found.mob[i]),
                "loans": int(found.loans[i]),
                "balance": cents_to_money(int(round(found.balance[i] * 100)))
                if balance is not None
                else cents_to_money(0),
                "overdue_rate": float(found.overdue[i]),
                "npl_rate": float(found.npl[i]),
            }
        )
    counts = portfolio.roll_counts(history["loan_id"], history["as_of"], history["days_past_due"])
    buckets = list(DpdBucket.values)
    for i, source in enumerate(buckets):
        total = int(counts[i].sum())
        for j, target in enumerate(buckets):
            results.roll_rates.append(
                {
                    "from_bucket": source,
                    "to_bucket": target,
                    "loans": int(counts[i, j]),
                    "rate": counts[i, j] / total if total else 0.0,
                }
            )
    # the latest month of the history, the whole book: its NPL rate
    latest = portfolio.months(history["as_of"]) == portfolio.months(history["as_of"]).max()
    weight = np.ones(len(latest)) if balance is None else balance.astype(float)
    whole = np.zeros(int(latest.sum()), dtype=np.int64)
    npl = portfolio.weighted_rate(
        history["days_past_due"][latest] > p["npl_days"], weight[latest], whole, 1
    )[0]
    results.figure(F.NPL_RATE, npl, "latest_month")
    results.points.setdefault("npl_ratio", npl * 100)


def credit_portfolio(run: AssessmentRun, progress: Callable[[int], None]) -> Results:
    p = run.parameters
    results = Results()
    if run.loan_book_id:
        _concentration(results, version_arrays(run.loan_book_id), p)
    progress(50)
    if run.loan_performance_id:
        _history(results, version_arrays(run.loan_performance_id), p)
    progress(90)
    return results
