"""The larger cases of `python -m bench assessments` (issue 13, "Benchmark"), each a run's
compute function next to its floor: the same computation as bare numpy on the arrays already in
memory (the floor of a run is floor + the dataset read, measured alike).

- score: 1,000,000 applicants (5 features, EAD; no outcome yet) scored with a stored
  scorecard — bins, points, grade, PD, expected loss in cents by grade, PSI of the score and
  of each feature. Floor: searchsorted + take per feature, the grade, bincounts, the shares.
- mc: Monte Carlo VaR, 100,000 scenarios × 500 positions over 750 days (Cholesky), with the
  historical, normal and Student-t rows and component VaR; no backtest. Floor: the same draws
  (seed, chunks), the loading vector, the sorts, σ, the t fit, Σw.
- backtest: historical VaR backtest over 1,000 days (window 250) of 50 positions × 1,250
  days, no Monte Carlo. Floor: 1,000 window sorts at once (sliding_window_view), counts.
- ladder: 1,000,000 cash flows (maturity 0–3,650 days, 200 counterparties): the ladder in
  integer cents, coverage, survival horizon, funding HHI. Floor: bincounts, cumsum, unique.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats

APPLICANTS = 1_000_000
MC_POSITIONS, MC_DAYS, MC_SCENARIOS = 500, 750, 100_000
BT_POSITIONS, BT_DAYS, BT_BACKTEST = 50, 1_250, 1_000
FLOWS = 1_000_000
CONFIDENCES = (0.95, 0.975, 0.99)


def applicants(seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(0.1, 1.05, (APPLICANTS, 5))  # drifted a little from the development book
    book = {
        "loan_id": np.char.add("A", np.arange(APPLICANTS).astype("U7")),
        "ead": np.round(rng.uniform(1_000, 50_000, APPLICANTS), 2),
    }
    book.update({f"f{j}": x[:, j] for j in range(5)})
    return book


def market(positions: int, days: int, seed: int) -> tuple[dict, dict]:
    rng = np.random.default_rng(seed)
    classes = np.array(["equity", "rates", "credit", "fx", "commodity"])
    factor = rng.normal(0, 0.01, (days, 1))
    matrix = 0.6 * factor + rng.normal(0, 0.01, (days, positions))
    names = np.char.add("I", np.arange(positions).astype("U4"))
    dates = np.arange(np.datetime64("2020-01-01"), np.datetime64("2020-01-01") + days)
    return (
        {
            "instrument": names,
            "asset_class": classes[np.arange(positions) % len(classes)],
            "exposure": np.round(rng.uniform(-1e6, 2e6, positions), 2),
        },
        {
            "date": np.repeat(dates, positions),
            "instrument": np.tile(names, days),
            "return": matrix.ravel(),
        },
    )


def cash_flows(seed: int = 9) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    inflow = np.round(rng.exponential(5_000, FLOWS), 2)
    outflow = np.round(rng.exponential(6_000, FLOWS), 2)
    incoming = rng.uniform(0, 1, FLOWS) < 0.5
    return {
        "maturity_days": rng.integers(0, 3_650, FLOWS),
        "inflow": np.where(incoming, inflow, 0.0),
        "outflow": np.where(incoming, 0.0, outflow),
        "counterparty": np.char.add("C", rng.integers(0, 200, FLOWS).astype("U3")),
    }


def score_floor(book: dict, spec: dict, lgd: float) -> float:
    score = np.zeros(len(book["ead"]))
    features = []
    for feature in spec["features"]:
        edges = np.asarray(feature["edges"])
        index = np.searchsorted(edges, book[feature["name"]], side="left")
        score += np.take(np.asarray(feature["points"]), index)
        features.append((index, len(edges) + 1))
    cutoffs = -np.array([g["min_score"] for g in spec["grades"][:-1]], dtype=float)
    grade = np.searchsorted(cutoffs, -score, side="left")
    pd = np.take(np.array([g["pd"] for g in spec["grades"]]), grade)
    ead_cents = np.round(book["ead"] * 100)
    el_cents = np.round(pd * lgd * book["ead"] * 100)
    k = len(spec["grades"])
    np.bincount(grade, minlength=k), np.bincount(grade, weights=ead_cents, minlength=k)
    np.bincount(grade, weights=el_cents, minlength=k), (pd * book["ead"]).sum()
    shares = np.bincount(
        np.searchsorted(np.asarray(spec["score_edges"]), score), minlength=11
    ) / len(score)
    for index, bins in features:
        np.bincount(index, minlength=bins) / len(index)
    return float(shares.sum())


def _tails(losses: np.ndarray) -> None:
    ordered = np.sort(losses)
    for confidence in CONFIDENCES:
        k = int(np.ceil(round(len(ordered) * confidence, 9)))
        ordered[k - 1], ordered[k:].mean()


def var_floor(
    matrix: np.ndarray, exposures: np.ndarray, seed: int, scenarios: int, backtest: int
) -> float:
    from apps.assessments.quant.market import MC_CHUNK

    losses = -(matrix @ exposures)
    _tails(losses)
    np.std(losses, ddof=1)
    stats.t.fit(losses, floc=0)  # the Student-t rows: ν and scale by maximum likelihood
    covariance = np.cov(matrix, rowvar=False)
    covariance @ exposures  # component VaR
    if scenarios:
        loading = np.linalg.cholesky(covariance).T @ exposures
        rng = np.random.default_rng(seed)
        simulated = np.empty(scenarios)
        for start in range(0, scenarios, MC_CHUNK):  # the run's draws: same seed, same blocks
            size = min(MC_CHUNK, scenarios - start)
            simulated[start : start + size] = -(rng.standard_normal((size, len(loading))) @ loading)
        _tails(simulated)
    if backtest:
        windows = sliding_window_view(losses[:-1], 250)[-backtest:]
        var = np.sort(windows, axis=1)[:, int(np.ceil(250 * 0.99)) - 1]
        hits = losses[-backtest:] > var
        int(hits.sum()), int((hits[:-1] & hits[1:]).sum())
    return float(losses.max())


def ladder_floor(flows: dict, liquid_assets: float, horizon: int = 365) -> float:
    days = flows["maturity_days"]
    index = np.searchsorted(np.array([1, 7, 30, 90, 180, 365]), days, side="left")
    ins = np.bincount(index, weights=np.round(flows["inflow"] * 100), minlength=7)
    outs = np.bincount(index, weights=np.round(flows["outflow"] * 100), minlength=7)
    (ins - outs).cumsum()
    month = days <= 30
    flows["outflow"][month].sum(), flows["inflow"][month].sum()
    net = np.bincount(
        np.minimum(days, horizon + 1),
        weights=flows["inflow"] * 0.5 - flows["outflow"],
        minlength=horizon + 2,
    )[: horizon + 1]
    np.flatnonzero(liquid_assets + net.cumsum() < 0)
    _, inverse = np.unique(flows["counterparty"], return_inverse=True)
    totals = np.bincount(inverse, weights=flows["outflow"])
    return float(((totals / totals.sum()) ** 2).sum())


def _version(name: str, kind: str, make) -> object:
    """The bench dataset of that name, made once through the service (kept between runs)."""
    from apps.assessments.models import Dataset, DatasetVersion
    from apps.assessments.services.datasets import dataset_version_from_arrays

    dataset = Dataset.objects.filter(name=name).first()
    if dataset is not None:
        return DatasetVersion.objects.filter(dataset=dataset, status="ready").latest("number")
    return dataset_version_from_arrays(arrays=make(), name=name, kind=kind)


def _scorecard(spec: dict, fit_run) -> object:
    """The stored scorecard the applicants are scored with (the bench's own fit, kept)."""
    from apps.assessments.models import Scorecard

    card = Scorecard.objects.filter(name="bench card").first()
    if card is None:
        fit_run.parameters = {**fit_run.parameters, "name": "bench card"}
        fit_run.save(update_fields=["parameters"])
        card = Scorecard.objects.create(
            name="bench card", version=1, run=fit_run, specification=spec
        )
    return card


def measure(timer, files, fitted_spec: dict, fit_run) -> tuple[list, dict, dict]:
    """(rows, metrics, floors) of the four cases; `timer(call)` → median seconds, `files(arrays)`
    → seconds of np.load of the same arrays from local .npy files."""
    from apps.assessments.services import compute_credit, compute_market
    from apps.assessments.services.runs import run_create

    card = _scorecard(fitted_spec, fit_run)
    people = _version("bench applicants 1m v2", "loan_book", applicants)
    mc_pos, mc_ret = (
        _version(f"bench mc {kind} v2", kind, lambda i=i: market(MC_POSITIONS, MC_DAYS, 3)[i])
        for i, kind in enumerate(("positions", "returns"))
    )
    bt_pos, bt_ret = (
        _version(f"bench bt {kind} v2", kind, lambda i=i: market(BT_POSITIONS, BT_DAYS, 4)[i])
        for i, kind in enumerate(("positions", "returns"))
    )
    flows = _version("bench flows 1m v2", "cash_flows", cash_flows)
    runs = {
        "score": run_create(
            kind="credit_scoring", loan_book=people.pk, scorecard_id=card.pk, seed=1
        ),
        "mc": run_create(
            kind="market_var", positions=mc_pos.pk, returns=mc_ret.pk, seed=1,
            parameters={"mc_scenarios": MC_SCENARIOS, "backtest_days": 0},
        ),
        "backtest": run_create(
            kind="market_var", positions=bt_pos.pk, returns=bt_ret.pk, seed=1,
            parameters={"mc_scenarios": 0, "backtest_days": BT_BACKTEST},
        ),
        "ladder": run_create(
            kind="liquidity", cash_flows=flows.pk, parameters={"liquid_assets": "5e8"}
        ),
    }  # fmt: skip
    runs["score"].scorecard = card
    compute = {
        "score": compute_credit.score_book,
        "mc": compute_market.value_at_risk,
        "backtest": compute_market.value_at_risk,
        "ladder": compute_market.cash_ladder,
    }
    inputs = {
        "score": [people.pk],
        "mc": [mc_pos.pk, mc_ret.pk],
        "backtest": [bt_pos.pk, bt_ret.pk],
        "ladder": [flows.pk],
    }
    names = {
        "score": "score 1M applicants (stored card)",
        "mc": "Monte Carlo VaR 100k x 500 positions",
        "backtest": "historical VaR backtest 1,000 days",
        "ladder": "liquidity ladder 1M cash flows",
    }
    rows, metrics, floors = [], {}, {}
    for case, run in runs.items():
        run_s, read_s, file_s, floor_s = _case(
            timer, files, compute[case], run, inputs[case], card.specification
        )
        rows.append((names[case], run_s, floor_s + read_s))
        rows.append(("  read its data (PostgreSQL vs .npy)", read_s, file_s))
        metrics[f"{case}_s"], metrics[f"{case}_read_s"] = round(run_s, 3), round(read_s, 3)
        floors[f"{case}_numpy_s"] = round(floor_s, 3)
        floors[f"{case}_npy_file_s"] = round(file_s, 3)
        run.delete()
    return rows, metrics, floors


def _case(timer, files, compute, run, inputs: list, spec: dict) -> tuple[float, ...]:
    """(run, read, file read, floor) seconds of one case."""
    from apps.assessments.selectors import version_arrays
    from apps.assessments.services import compute_market

    run_s = timer(lambda: compute(run, lambda percent: None))
    read_s = timer(lambda: [version_arrays(pk) for pk in inputs])
    arrays = [version_arrays(pk) for pk in inputs]
    file_s = files(arrays)
    if run.kind == "credit_scoring":
        floor_s = timer(lambda: score_floor(arrays[0], spec, 0.45))
    elif run.kind == "liquidity":
        floor_s = timer(lambda: ladder_floor(arrays[0], 5e8))
    else:
        _, matrix = compute_market.returns_matrix(arrays[0], arrays[1])
        p = run.parameters
        floor_s = timer(
            lambda: var_floor(
                matrix, arrays[0]["exposure"], run.seed, p["mc_scenarios"], p["backtest_days"]
            )
        )
    return run_s, read_s, file_s, floor_s
