"""Credit runs: scorecard development, and scoring a loan book with a stored scorecard."""

from collections.abc import Callable
from typing import Any

import numpy as np

from apps.assessments.models import AssessmentRun
from apps.assessments.models import FigureCode as F
from apps.assessments.quant import credit, validation
from apps.assessments.selectors import version_arrays
from apps.assessments.services.results import Results, cents_to_money, sum_cents_by
from apps.assessments.tables import feature_columns

SCORE_BINS = 10  # deciles of the development scores: the bins PSI compares


def _score(spec: dict, arrays: dict[str, np.ndarray], bins: dict | None = None) -> np.ndarray:
    """Each row's score; `bins` (when given) receives each feature's bin of every row."""
    score = np.zeros(len(next(iter(arrays.values()))))
    for feature in spec["features"]:
        index = credit.assign_bins(
            arrays[feature["name"]].astype(float), np.array(feature["edges"])
        )
        score += np.take(np.array(feature["points"]), index)
        if bins is not None:
            bins[feature["name"]] = index
    return score


def _grades(spec: dict, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Grade index and grade PD of each score."""
    cutoffs = np.array([g["min_score"] for g in spec["grades"][:-1]], dtype=float)
    index = credit.assign_grades(score, cutoffs)
    return index, np.array([g["pd"] for g in spec["grades"]])[index]


def _validation_figures(
    results: Results, spec: dict, score: np.ndarray, y: np.ndarray, segment: str
) -> None:
    risk = -score
    area = validation.auc(risk, y)
    results.figure(F.AUC, area, segment)
    results.figure(F.GINI, 2 * area - 1, segment)
    results.figure(F.KS, validation.ks(risk, y), segment)


def _grade_rows(
    results: Results,
    spec: dict,
    index: np.ndarray,
    y: np.ndarray | None,
    ead_cents: np.ndarray,
    el_cents: np.ndarray,
) -> None:
    grades = spec["grades"]
    k = len(grades)
    count = np.bincount(index, minlength=k)
    exposure = sum_cents_by(index, ead_cents, k)
    loss = sum_cents_by(index, el_cents, k)
    defaults = np.bincount(index, weights=y, minlength=k).astype(int) if y is not None else None
    for g, grade in enumerate(grades):
        observed = binomial = None
        if defaults is not None and count[g]:
            observed = float(defaults[g] / count[g])
            binomial = validation.binomial_p(int(defaults[g]), int(count[g]), grade["pd"])
        results.grades.append(
            {
                "grade": grade["grade"],
                "min_score": grade["min_score"],
                "count": int(count[g]),
                "defaults": None if defaults is None else int(defaults[g]),
                "pd": grade["pd"],
                "observed_rate": observed,
                "binomial_p": binomial,
                "exposure": cents_to_money(exposure[g]),
                "expected_loss": cents_to_money(loss[g]),
            }
        )
    if defaults is not None:
        filled = count > 0
        pds = np.array([g["pd"] for g in grades])[filled]
        statistic, p = validation.hosmer_lemeshow(count[filled], defaults[filled], pds)
        results.figure(F.HOSMER_LEMESHOW, statistic)
        results.figure(F.HOSMER_LEMESHOW_P, p)


def _loss_columns(
    results: Results, spec: dict, arrays: dict, lgd_default: float, score: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-loan PD, LGD × EAD expected loss in cents (rounded per loan, summed exactly)."""
    index, pd = _grades(spec, score)
    ead = arrays["ead"]
    lgd = arrays["lgd"] if "lgd" in arrays else np.full(len(ead), lgd_default)
    el = credit.expected_loss(pd, lgd, ead)
    ead_cents = np.round(ead * 100).astype(np.int64)
    el_cents = np.round(el * 100).astype(np.int64)
    results.columns.update(
        {
            "loan_id": arrays["loan_id"],
            "score": score,
            "grade": index.astype(np.int8),
            "pd": pd,
            "el_cents": el_cents,
        }
    )
    total_ead = int(ead_cents.sum())
    results.figure(F.ROWS, len(ead))
    results.figure(F.EXPOSURE, cents_to_money(total_ead))
    results.figure(F.EXPECTED_LOSS, cents_to_money(int(el_cents.sum())))
    portfolio_pd = float((pd * ead).sum() / ead.sum()) if total_ead else 0.0
    results.figure(F.PORTFOLIO_PD, portfolio_pd)
    results.points["portfolio_pd"] = portfolio_pd * 100
    return index, ead_cents, el_cents


def develop(run: AssessmentRun, progress: Callable[[int], None]) -> Results:
    p = run.parameters
    arrays = version_arrays(run.loan_book_id)
    y = arrays["default"].astype(float)
    names = feature_columns(list(arrays))
    n = len(y)
    order = np.random.default_rng(run.seed).permutation(n)
    held = order[: int(round(n * p["validation_share"]))]
    keep = np.ones(n, dtype=bool)
    keep[held] = False
    dev = np.flatnonzero(keep)  # (setdiff1d sorted via a hash table: a second a 100k rows)
    results = Results()
    tables, used, bins = {}, [], {}  # bins: each feature's bin of every row, found once
    y_dev = y[dev]
    for name in names:
        x = arrays[name].astype(float)
        x_dev = x[dev]
        edges = credit.quantile_edges(x_dev, p["bins"])
        if p["binning"] == "monotonic":
            edges = credit.monotonic_edges(x_dev, y_dev, edges)
        bins[name] = credit.assign_bins(x, edges)
        tables[name] = credit.woe_table(x_dev, y_dev, edges, index=bins[name][dev])
        results.figure(F.INFORMATION_VALUE, tables[name].iv, name)
        if len(edges):
            used.append(name)
    progress(30)
    woe = np.column_stack([np.take(tables[f].woe, bins[f]) for f in used])
    coefficients, intercept = credit.fit_logistic(woe[dev], y[dev], p["c"])
    progress(60)
    factor, offset = credit.points_scale(p["base_score"], p["base_odds"], p["pdo"])
    features = []
    for name, beta in zip(used, coefficients, strict=True):
        table = tables[name]
        points = credit.bin_points(table.woe, beta, intercept, len(used), factor, offset)
        features.append(
            {
                "name": name,
                "edges": table.edges.tolist(),
                "woe": table.woe.tolist(),
                "points": points.tolist(),
                "coefficient": float(beta),
            }
        )
        upper = [*table.edges.tolist(), None]
        for i in range(len(table.count)):
            results.bins.append(
                {
                    "feature": name,
                    "index": i,
                    "upper": upper[i],
                    "count": int(table.count[i]),
                    "defaults": int(table.bads[i]),
                    "woe": float(table.woe[i]),
                    "iv": float(table.iv_parts[i]),
                    "points": float(points[i]),
                }
            )
    spec: dict[str, Any] = {
        "features": features,
        "intercept": intercept,
        "factor": factor,
        "offset": offset,
    }
    score = np.zeros(n)
    for feature in features:  # as _score does, on the bins found above
        score += np.take(np.array(feature["points"]), bins[feature["name"]])
    cutoffs = credit.grade_cutoffs(score[dev], p["grades"])
    index = credit.assign_grades(score, cutoffs)
    model_pd = credit.pd_from_score(score, factor, offset)
    spec["grades"] = [
        {
            "grade": credit.GRADE_LABELS[g],
            "min_score": float(cutoffs[g]) if g < len(cutoffs) else None,
            # the grade's PD: the model's mean PD over its development loans
            "pd": float(model_pd[dev][index[dev] == g].mean()),
        }
        for g in range(len(cutoffs) + 1)
    ]
    score_edges = credit.quantile_edges(score[dev], SCORE_BINS)
    spec["score_edges"] = score_edges.tolist()
    spec["score_shares"] = validation.shares(score[dev], score_edges).tolist()
    spec["feature_shares"] = {  # validation.shares of the development rows' bins
        f["name"]: (
            np.bincount(bins[f["name"]][dev], minlength=len(f["edges"]) + 1) / len(dev)
        ).tolist()
        for f in features
    }
    progress(80)
    _validation_figures(results, spec, score[dev], y[dev], "development")
    check = held if len(held) else dev
    if len(held):
        _validation_figures(results, spec, score[held], y[held], "validation")
        psi = validation.psi(spec["score_shares"], validation.shares(score[held], score_edges))
        results.figure(F.PSI, psi, "validation")
    fpr, tpr = validation.roc_points(-score[check], y[check])
    results.curves["roc"] = (fpr, tpr)
    index_all, ead_cents, el_cents = _loss_columns(results, spec, arrays, p["lgd"], score)
    mask = np.zeros(n, dtype=bool)
    mask[check] = True
    _grade_rows(results, spec, index_all[mask], y[mask], ead_cents[mask], el_cents[mask])
    results.figure(F.DEFAULTS, int(y.sum()))
    results.points.pop("portfolio_pd")  # a development sample is not the book to watch
    results.scorecard = spec
    return results


def score_book(run: AssessmentRun, progress: Callable[[int], None]) -> Results:
    assert run.scorecard is not None  # a scoring run always names one (run_create)
    spec = run.scorecard.specification
    arrays = version_arrays(run.loan_book_id)
    results = Results()
    bins: dict[str, np.ndarray] = {}
    score = _score(spec, arrays, bins)
    progress(40)
    y = arrays["default"].astype(float) if "default" in arrays else None
    index, ead_cents, el_cents = _loss_columns(results, spec, arrays, run.parameters["lgd"], score)
    _grade_rows(results, spec, index, y, ead_cents, el_cents)
    psi = validation.psi(
        spec["score_shares"], validation.shares(score, np.array(spec["score_edges"]))
    )
    results.figure(F.PSI, psi)
    results.points["psi_scorecard"] = psi
    for feature in spec["features"]:  # validation.shares, on the bins _score found
        counts = np.bincount(bins[feature["name"]], minlength=len(feature["edges"]) + 1)
        actual = counts / counts.sum()
        results.figure(
            F.PSI, validation.psi(spec["feature_shares"][feature["name"]], actual), feature["name"]
        )
    if y is not None and 0 < y.sum() < len(y):
        _validation_figures(results, spec, score, y, "")
        fpr, tpr = validation.roc_points(-score, y)
        results.curves["roc"] = (fpr, tpr)
        results.figure(F.DEFAULTS, int(y.sum()))
    progress(90)
    return results
