"""assessments: a scorecard fit on 100,000 loans and VaR of 1,000 positions × 500 days, each
next to its floor — the bare numpy / scikit-learn calls on the same arrays already in memory.

Data (generated with a fixed seed, stored once through `dataset_version_from_arrays` in the
bench tenant and kept): a loan book of 100,000 rows with 5 features and a default flag; 1,000
positions in 5 asset classes and their 500 daily returns (500,000 rows, long format).

Measured in this process (no HTTP, no worker), inside `schema_context`:
- fit: `compute_credit.develop(run)` — the run's dataset read from PostgreSQL (.npy columns),
  quantile + monotonic binning, WoE/IV, L2 logistic regression, points, grades, validation
  (AUC/KS/PSI/HL), expected loss per loan. Results are not written (that is one bulk insert).
- fit floor: on the arrays in memory, the run's development sample (the same seeded
  permutation, 70 % of the rows: the run fits on those and validates on the rest), per feature
  `np.quantile` + `np.searchsorted` + `np.bincount` (the WoE table), then
  `LogisticRegression(lbfgs).fit` on the WoE matrix.
- var: `compute_market.value_at_risk(run)` — read and pivot the history, historical,
  parametric (normal and Student-t) and Monte Carlo (10,000 scenarios) VaR/ES at
  95/97.5/99%, component VaR, a 250-day backtest with Kupiec.
- var floor: on the matrix in memory, `R @ w`, a sort per confidence, `np.std`, scipy's
  Student-t fit, the 10,000 × 1,000 normal draws times the loading vector — drawn as the run
  draws them (the run's seed, in `MC_CHUNK` blocks) — and 250 window sorts.
- read: the datasets' columns from PostgreSQL (text columns as codes + labels), next to
  `np.load` of the same arrays from local plain .npy files (text as UTF-32).
Each measured REPEATS times after a warm-up; medians.
"""

import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import stats

from bench import assessments_cases, harness

REPEATS = 3
LOANS, FEATURES = 100_000, 5
POSITIONS, DAYS = 1_000, 500


def _loan_book(seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (LOANS, FEATURES))
    logit = -2.2 + x @ np.array([0.8, -0.5, 0.3, 0.0, 0.6])
    default = (rng.uniform(0, 1, LOANS) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    book = {
        "loan_id": np.array([f"L{i:07}" for i in range(LOANS)]),
        "ead": np.round(rng.uniform(1_000, 50_000, LOANS), 2),
        "default": default,
    }
    book.update({f"f{j}": x[:, j] for j in range(FEATURES)})
    return book


def _market(seed: int = 2) -> tuple[dict, dict]:
    rng = np.random.default_rng(seed)
    classes = np.array(["equity", "rates", "credit", "fx", "commodity"])
    factor = rng.normal(0, 0.01, (DAYS, 1))
    matrix = 0.6 * factor + rng.normal(0, 0.01, (DAYS, POSITIONS))
    names = np.array([f"I{i:04}" for i in range(POSITIONS)])
    dates = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-01-01") + DAYS)
    positions = {
        "instrument": names,
        "asset_class": classes[np.arange(POSITIONS) % len(classes)],
        "exposure": np.round(rng.uniform(-1e6, 2e6, POSITIONS), 2),
    }
    returns = {
        "date": np.repeat(dates, POSITIONS),
        "instrument": np.tile(names, DAYS),
        "return": matrix.ravel(),
    }
    return positions, returns


def _version(name: str, kind: str, make) -> object:
    from apps.assessments.models import Dataset, DatasetVersion
    from apps.assessments.services.datasets import dataset_version_from_arrays

    dataset = Dataset.objects.filter(name=name).first()
    if dataset is not None:
        return DatasetVersion.objects.filter(dataset=dataset, status="ready").latest("number")
    return dataset_version_from_arrays(arrays=make(), name=name, kind=kind)


def _median_time(call, repeats: int) -> tuple[float, object]:
    call()  # warm-up
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def _development_rows(n: int, seed: int, validation_share: float) -> np.ndarray:
    """The rows the run fits on: its seeded permutation, the validation share held out."""
    held = np.random.default_rng(seed).permutation(n)[: int(round(n * validation_share))]
    keep = np.ones(n, dtype=bool)
    keep[held] = False
    return np.flatnonzero(keep)


def _fit_floor(arrays: dict, seed: int, validation_share: float) -> float:
    from sklearn.linear_model import LogisticRegression

    dev = _development_rows(len(arrays["default"]), seed, validation_share)
    y = arrays["default"][dev].astype(float)
    columns = []
    for j in range(FEATURES):
        x = arrays[f"f{j}"][dev]
        edges = np.unique(np.quantile(x, np.arange(1, 5) / 5, method="inverted_cdf"))
        index = np.searchsorted(edges, x, side="left")
        count = np.bincount(index, minlength=len(edges) + 1)
        bad = np.bincount(index, weights=y, minlength=len(edges) + 1)
        good = count - bad
        woe = np.log((good / good.sum()) / (bad / bad.sum()))
        columns.append(woe[index])
    model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000)
    model.fit(np.column_stack(columns), y)
    return float(model.intercept_[0])


def _var_floor(matrix: np.ndarray, exposures: np.ndarray, seed: int, scenarios: int) -> float:
    from apps.assessments.quant.market import MC_CHUNK

    losses = -(matrix @ exposures)
    for confidence in (0.95, 0.975, 0.99):
        ordered = np.sort(losses)
        k = int(np.ceil(len(losses) * confidence))
        ordered[k - 1], ordered[k:].mean()
    np.std(losses, ddof=1)
    stats.t.fit(losses, floc=0)  # the Student-t rows: ν and scale by maximum likelihood
    # 1,000 positions over 500 days: the covariance is singular, so (as the run) eigenvalues
    values, vectors = np.linalg.eigh(np.cov(matrix, rowvar=False))
    loading = (vectors * np.sqrt(np.clip(values, 0, None))).T @ exposures
    rng = np.random.default_rng(seed)
    simulated = np.empty(scenarios)
    for start in range(0, scenarios, MC_CHUNK):  # the run's draws: same seed, same blocks
        size = min(MC_CHUNK, scenarios - start)
        simulated[start : start + size] = -(rng.standard_normal((size, len(loading))) @ loading)
    np.sort(simulated)
    for t in range(DAYS - 250, DAYS):
        np.sort(losses[t - 250 : t])
    return float(losses.max())


def run(opts: harness.Options) -> harness.Result:
    from django_tenants.utils import schema_context

    from apps.assessments.selectors import version_arrays
    from apps.assessments.services import compute_credit, compute_market
    from apps.assessments.services.runs import run_create

    repeats = opts.requests if opts.requests != harness.Options().requests else REPEATS
    clock = harness.Clock()
    tenant = harness.bench_tenant()
    clock.lap("tenant")
    with schema_context(tenant.schema_name):
        book = _version("bench loans 100k v2", "loan_book", _loan_book)
        positions_data, returns_data = _market()
        positions = _version("bench positions 1k v2", "positions", lambda: positions_data)
        returns = _version("bench returns 500d v2", "returns", lambda: returns_data)
        clock.lap("data")
        fit_run = run_create(kind="scorecard_development", loan_book=book.pk, seed=1)
        var_run = run_create(kind="market_var", positions=positions.pk, returns=returns.pk, seed=1)
        noop = lambda percent: None  # noqa: E731 - progress is not measured
        fit_s, fitted = _median_time(lambda: compute_credit.develop(fit_run, noop), repeats)
        var_s, _ = _median_time(lambda: compute_market.value_at_risk(var_run, noop), repeats)
        loans = version_arrays(book.pk)
        pos, ret = version_arrays(positions.pk), version_arrays(returns.pk)
        _, matrix = compute_market.returns_matrix(pos, ret)
        share = fit_run.parameters["validation_share"]
        fit_floor_s, _ = _median_time(lambda: _fit_floor(loans, fit_run.seed, share), repeats)
        scenarios = var_run.parameters["mc_scenarios"]
        var_floor_s, _ = _median_time(
            lambda: _var_floor(matrix, pos["exposure"], var_run.seed, scenarios), repeats
        )
        read_book_s, _ = _median_time(lambda: version_arrays(book.pk), repeats)
        read_market_s, _ = _median_time(
            lambda: (version_arrays(positions.pk), version_arrays(returns.pk)), repeats
        )
        with tempfile.TemporaryDirectory() as folder:
            paths = {}
            for name, values in {**loans, **{f"r_{k}": v for k, v in ret.items()}}.items():
                paths[name] = Path(folder) / f"{name}.npy"
                np.save(paths[name], values, allow_pickle=False)  # plain .npy, text as UTF-32
            book_files = [p for n, p in paths.items() if not n.startswith("r_")]
            market_files = [p for n, p in paths.items() if n.startswith("r_")]
            file_book_s, _ = _median_time(lambda: [np.load(p) for p in book_files], repeats)
            file_market_s, _ = _median_time(lambda: [np.load(p) for p in market_files], repeats)
        clock.lap(f"measure x{repeats}")

        def files(arrays: list[dict]) -> float:
            with tempfile.TemporaryDirectory() as folder:
                paths = []
                for i, columns in enumerate(arrays):
                    for name, values in columns.items():
                        paths.append(Path(folder) / f"{i}_{name}.npy")
                        np.save(paths[-1], values, allow_pickle=False)
                return _median_time(lambda: [np.load(p) for p in paths], repeats)[0]

        large, large_metrics, large_floors = assessments_cases.measure(
            lambda call: _median_time(call, repeats)[0], files, fitted.scorecard, fit_run
        )
        clock.lap("large cases")
        if not hasattr(fit_run, "scorecard_fitted"):
            fit_run.delete()  # kept when it holds the bench's stored card
        var_run.delete()
    auc = next(v for c, s, v in fitted.figures if c == "auc" and s == "validation")
    measured = [
        ("scorecard fit, 100k loans", fit_s, fit_floor_s + read_book_s),
        ("VaR 1k positions x 500 days", var_s, var_floor_s + read_market_s),
        ("read loan book (PostgreSQL)", read_book_s, file_book_s),
        ("read returns (PostgreSQL)", read_market_s, file_market_s),
    ]
    measured += large
    rows = [{"name": n, "seconds": s, "floor": f, "ratio": s / f} for n, s, f in measured]
    fit_ratio = harness.ratio(fit_s, fit_floor_s + read_book_s)
    var_ratio = harness.ratio(var_s, var_floor_s + read_market_s)
    harness.print_table(
        "assessments: model runs vs. the bare numpy / scikit-learn calls on the same arrays",
        rows,
        [
            f"fit floor alone (no read) {fit_floor_s:.3f} s; VaR floor alone {var_floor_s:.3f} s",
            f"the fitted card: validation AUC {auc:.3f}",
            "the floors leave out what the runs add: monotonic merging, points, grades, "
            "validation, per-loan EL in cents (fit); the pivot, parametric and component VaR, "
            "Kupiec (VaR)",
            f"run     {clock.summary()}",
        ],
        columns=[
            ("name", "measurement", "{}"),
            ("seconds", "median s", "{:.3f}"),
            ("floor", "floor s", "{:.3f}"),
            ("ratio", "/ floor", "{:.2f}"),
        ],
    )
    return harness.Result(
        bench="assessments",
        metrics={
            "scorecard_fit_s": round(fit_s, 3),
            "var_s": round(var_s, 3),
            "read_loans_s": round(read_book_s, 3),
            "read_market_s": round(read_market_s, 3),
            "runs": repeats,
            **large_metrics,
        },
        floor={
            "fit_numpy_sklearn_s": round(fit_floor_s, 3),
            "var_numpy_s": round(var_floor_s, 3),
            "npy_file_loans_s": round(file_book_s, 3),
            "npy_file_market_s": round(file_market_s, 3),
            **large_floors,
        },
        ratio=max(
            fit_ratio,
            var_ratio,
            *(harness.ratio(s, f) for n, s, f in large if not n.startswith("  read")),
        ),
    )
