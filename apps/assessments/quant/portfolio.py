"""Loan-book concentration and credit quality by vintage. Pure functions on arrays.

Conventions (docs/assessments.md):
- A segment's share is its EAD over the book's EAD; HHI = Σ share² (0 to 1); the top-N share is
  the sum of the N largest shares.
- Past due: days past due (dpd) > 0; non-performing (NPL): dpd > `npl_days` (90: Basel's
  "more than 90 days past due"). Rates are weighted by EAD (a book) or balance (a history; by
  count when the history has no balances).
- Vintage: the month of origination; months on book (MOB) = as-of month − origination month.
- Roll rates: a loan seen in two consecutive months moves from its dpd bucket in the first to
  its bucket in the second; a bucket's row is the share of its loans going to each bucket.
"""

from dataclasses import dataclass

import numpy as np

# dpd buckets of the roll-rate matrix: 0, 1–30, 31–60, 61–90, over 90 (upper bounds inclusive)
DPD_UPPER = np.array([0, 30, 60, 90])
DPD_BUCKETS = ("current", "dpd_1_30", "dpd_31_60", "dpd_61_90", "dpd_90_plus")


@dataclass(frozen=True)
class Segments:
    labels: np.ndarray
    count: np.ndarray
    exposure: np.ndarray
    share: np.ndarray
    overdue: np.ndarray | None  # rates per segment, when days past due are known
    npl: np.ndarray | None

    @property
    def hhi(self) -> float:
        return float((self.share**2).sum())

    def top_share(self, n: int) -> float:
        return float(np.sort(self.share)[::-1][:n].sum())


def weighted_rate(flag: np.ndarray, weight: np.ndarray, group: np.ndarray, k: int) -> np.ndarray:
    """Σ weight·flag ÷ Σ weight per group (0 where a group weighs nothing)."""
    total = np.bincount(group, weights=weight, minlength=k)
    hit = np.bincount(group, weights=weight * flag, minlength=k)
    return np.divide(hit, total, out=np.zeros(k), where=total > 0)


def segments(
    labels: np.ndarray, ead: np.ndarray, dpd: np.ndarray | None = None, npl_days: int = 90
) -> Segments:
    """Each label's loans, EAD, share of the book's EAD (largest first), and its past-due and
    NPL rates when `dpd` is given."""
    names, group = np.unique(labels, return_inverse=True)
    k = len(names)
    exposure = np.bincount(group, weights=ead, minlength=k)
    total = exposure.sum()
    share = exposure / total if total > 0 else np.zeros(k)
    overdue = npl = None
    if dpd is not None:
        overdue = weighted_rate(dpd > 0, ead, group, k)
        npl = weighted_rate(dpd > npl_days, ead, group, k)
    order = np.lexsort((names, -share))  # largest first, then by name
    return Segments(
        names[order],
        np.bincount(group, minlength=k)[order],
        exposure[order],
        share[order],
        None if overdue is None else overdue[order],
        None if npl is None else npl[order],
    )


def months(dates: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of each date (datetime64[D] in, int64 out)."""
    return dates.astype("datetime64[M]").astype(np.int64)


@dataclass(frozen=True)
class Vintages:
    vintage: np.ndarray  # origination month (months since 1970-01)
    mob: np.ndarray
    loans: np.ndarray
    balance: np.ndarray
    overdue: np.ndarray
    npl: np.ndarray


def vintages(
    origination: np.ndarray,
    as_of: np.ndarray,
    dpd: np.ndarray,
    balance: np.ndarray | None,
    npl_days: int = 90,
) -> Vintages:
    """Past-due and NPL rates per (vintage, months on book), from a long history with one row
    per loan and month."""
    start, seen = months(origination), months(as_of)
    mob = seen - start
    cells, group = np.unique(np.column_stack([start, mob]), axis=0, return_inverse=True)
    group = group.ravel()
    k = len(cells)
    weight = np.ones(len(dpd)) if balance is None else balance.astype(float)
    return Vintages(
        cells[:, 0],
        cells[:, 1],
        np.bincount(group, minlength=k),
        np.bincount(group, weights=weight, minlength=k),
        weighted_rate(dpd > 0, weight, group, k),
        weighted_rate(dpd > npl_days, weight, group, k),
    )


def dpd_bucket(dpd: np.ndarray) -> np.ndarray:
    return np.searchsorted(DPD_UPPER, dpd, side="left")


def roll_counts(loan_id: np.ndarray, as_of: np.ndarray, dpd: np.ndarray) -> np.ndarray:
    """5 × 5 counts of loans moving from bucket i (month m) to bucket j (month m + 1)."""
    seen = months(as_of)
    order = np.lexsort((seen, loan_id))
    ids, month, bucket = loan_id[order], seen[order], dpd_bucket(dpd[order])
    follows = (ids[1:] == ids[:-1]) & (month[1:] == month[:-1] + 1)
    k = len(DPD_BUCKETS)
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (bucket[:-1][follows], bucket[1:][follows]), 1)
    return counts
