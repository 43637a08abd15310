"""`python -m bench NAME [options]`, `python -m bench all [options]`, `python -m bench list`.

Each benchmark prints a readable table and ends with one line of JSON
`{"bench": NAME, "metrics": {...}, "floor": {...}, "ratio": X}` (DESIGN "Benchmarks").
"""

import argparse
import importlib
import signal
import subprocess
import sys

from bench import harness

# name -> (module with `run(opts: harness.Options) -> harness.Result`, one-line description).
# Adding a benchmark: write bench/<name>.py and add one line here.
BENCHMARKS: dict[str, tuple[str, str]] = {
    "api_trivial": (
        "bench.api_trivial",
        "trivial authenticated GraphQL query vs. a plain Django JSON view",
    ),
    "risk_list": (
        "bench.risk_list",
        "100 of 10,000 risks with category, owner, ratings, first 5 controls vs. a Django view",
    ),
    "warning_scan": (
        "bench.warning_scan",
        "scan of 1,000 indicators x 1,000 observations vs. reading the same points into numpy",
    ),
    "ingest": (
        "bench.ingest",
        "10,000 observations per GraphQL call (JSON and CSV) vs. PostgreSQL COPY of the same rows",
    ),
    "live_fanout": (
        "bench.live_fanout",
        "job progress ticks to N subscribed websockets vs. bare Redis pub/sub subscribers",
    ),
    "emergency": (
        "bench.emergency",
        "100 of 5,000 activations with plan, level, commander, open tasks; a 100-event timeline "
        "page; each vs. a Django view",
    ),
    "reputation": (
        "bench.reputation",
        "10,000 mentions per call vs. COPY of the same rows; scoring job vs. the bare library",
    ),
    "assessments": (
        "bench.assessments",
        "scorecard fit on 100,000 loans, VaR of 1,000 positions x 500 days vs. bare numpy/sklearn",
    ),
    "provision": (
        "bench.provision",
        "one tenant by every migration vs. cloned from the template vs. clone_schema() alone",
    ),
    "tenants": (
        "bench.tenants",
        "N tenants provisioned, migrate_schemas with one pending migration, one tick to all",
    ),
    "training": (
        "bench.training",
        "coverage by department (20,000 people, 1M records) vs. the bare SQL; overdue page",
    ),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Fengkong benchmarks (see bench/README.md)."
    )
    parser.add_argument(
        "name", nargs="?", default="list", help="a benchmark name, 'all' (each in turn) or 'list'"
    )
    harness.Options.add_arguments(parser)
    return parser


def _terminate(signum, frame) -> None:
    # Turn SIGTERM into SystemExit so every `finally` (gunicorn included) runs.
    raise SystemExit(128 + signum)


def run_one(name: str, opts: harness.Options) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    harness.django_setup(fresh=opts.fresh)
    module = importlib.import_module(BENCHMARKS[name][0])
    result = module.run(opts)
    sys.stdout.flush()
    print(result.json_line(), flush=True)
    return 0


# `python -m bench all` must fit in 15 minutes on the 2-core development machine: these sizes
# (each benchmark's own `--requests` meaning) are given first, so an option on the command line
# still wins. Every case runs; only sizes shrink. A benchmark not listed runs at its defaults.
ALL_SIZES: dict[str, list[str]] = {
    "api_trivial": ["--requests", "1000", "--warmup", "100"],
    "provision": ["--requests", "1"],  # rounds
    "tenants": ["--requests", "100", "--migrate-schemas", "10", "--rounds", "1"],
    "training": ["--requests", "3"],  # repeats
}


def run_all(argv: list[str]) -> int:
    """Each benchmark in its own process: fresh Django state; a failure does not stop the rest.
    Ends with each one's wall time and the total."""
    import time

    passthrough = [arg for arg in argv if arg != "all"]
    failed, took = [], {}
    start = time.perf_counter()
    for n, name in enumerate(BENCHMARKS):
        args = passthrough if n == 0 else [a for a in passthrough if a != "--fresh"]
        args = [*ALL_SIZES.get(name, []), *args]
        elapsed = time.perf_counter() - start
        print(f"\n=== {name} {' '.join(args)} === (at {elapsed:.0f} s)", flush=True)
        began = time.perf_counter()
        if subprocess.run([sys.executable, "-m", "bench", name, *args]).returncode != 0:
            failed.append(name)
        took[name] = time.perf_counter() - began
    total = time.perf_counter() - start
    print("\n=== all ===", flush=True)
    for name, seconds in took.items():
        print(f"{name:20} {seconds:7.1f} s{'  FAILED' if name in failed else ''}")
    print(f"{'total':20} {total:7.1f} s ({total / 60:.1f} min)", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser()
    args = parser.parse_args(argv)
    if args.name == "list":
        for name, (_, description) in BENCHMARKS.items():
            print(f"{name:20} {description}")
        return 0
    if args.name == "all":
        return run_all(argv)
    if args.name not in BENCHMARKS:
        parser.error(f"unknown benchmark {args.name!r}; known: {', '.join(BENCHMARKS)}, all")
    try:
        return run_one(args.name, harness.Options.from_args(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
