"""Where the list page's cost goes, layer by layer: `python -m bench.layers [--requests N]`.

The risk_list page (bench/risk_list.py) three ways, in this process, in one run:

- **floor**: the hand-written view (bench/floors.py), through the same middleware;
- **bare graphql-core**: the floor's request (middleware, SQL, rows), then graphql-core alone
  executing the very same document over those rows (a schema built from the exported SDL,
  `schema.graphql`, graphql-core's default resolvers over plain dicts; the document parsed and
  validated once). What the page would cost if strawberry, strawberry-django and our layer
  were free;
- **GraphQL**: our endpoint;
- **persisted (plan)**: our endpoint, the same document sent as a persisted query (its hash
  only), run by its compiled plan (apps/core/graphql/plan.py).

For each: Python function calls per request (cProfile: independent of the machine's load) and
the median milliseconds (no profiler). For our endpoint, calls and own time split by where the
functions live (graphql-core, strawberry, strawberry-django, Django ORM, ...): the per-layer
split issue 14 asks for. The three answers are checked to be equal before anything is measured.
"""

import argparse
import cProfile
import json
import pathlib
import statistics
import sys
import time
from collections.abc import Callable

from bench import harness, risk_data

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _calls(fn: Callable[[], object], requests: int) -> tuple[int, dict[str, tuple[int, float]]]:
    """Python calls per request of `fn`, and (calls, own ms) per area (bench.profile's)."""
    from bench.profile import _area

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        fn()
    profiler.disable()
    profiler.create_stats()
    areas: dict[str, tuple[int, float]] = {}
    total = 0
    for (filename, _, _), (_, nc, tt, _, _) in profiler.stats.items():  # type: ignore[attr-defined]
        area = _area(filename)
        calls, own = areas.get(area, (0, 0.0))
        areas[area] = (calls + nc, own + tt)
        total += nc
    per = {a: (c // requests, own * 1000 / requests) for a, (c, own) in areas.items()}
    return total // requests, per


def _median_ms(fn: Callable[[], object], requests: int) -> float:
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layers", description=__doc__)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per variant")
    parser.add_argument("--profiled", type=int, default=5, help="profiled requests per variant")
    args = parser.parse_args(argv)
    harness.django_setup()

    from django.db import connection
    from django.test import Client
    from graphql import build_schema, execute, parse, validate

    from bench import risk_list

    tenant = harness.bench_tenant()
    risk_data.ensure_register(tenant)
    graphql_target, floor_target = risk_list.targets(tenant)
    persisted_target = risk_list.persisted_target(graphql_target, risk_list.use_manifest())
    headers = {
        k: v for k, v in graphql_target.headers.items() if k.lower() not in {"host", "content-type"}
    }
    client = Client(HTTP_HOST=graphql_target.headers["Host"])

    def post(target: harness.Target) -> bytes:
        response = client.post(
            target.path, data=target.body, content_type="application/json", headers=headers
        )
        if response.status_code != 200:
            raise RuntimeError(f"{target.name} answered {response.status_code}")
        return response.content

    sdl = build_schema((ROOT / "schema.graphql").read_text())
    document = parse(json.loads(graphql_target.body)["query"])
    if errors := validate(sdl, document):
        raise RuntimeError(f"the document does not validate on the SDL: {errors}")

    def bare() -> bytes:
        # The floor's work (middleware, SQL, rows as dicts), then graphql-core over those rows.
        rows = json.loads(post(floor_target))["data"]
        result = execute(sdl, document, root_value=rows)
        if result.errors:
            raise RuntimeError(f"bare graphql-core: {result.errors}")
        return json.dumps({"data": result.data}, separators=(",", ":")).encode()

    variants: dict[str, Callable[[], bytes]] = {
        "floor": lambda: post(floor_target),
        "bare graphql-core": bare,
        "GraphQL": lambda: post(graphql_target),
        "persisted (plan)": lambda: post(persisted_target),
    }
    try:
        answers = {name: json.loads(fn()) for name, fn in variants.items()}
        if len({json.dumps(a, sort_keys=True) for a in answers.values()}) != 1:
            raise RuntimeError("the answers differ")
        for fn in variants.values():  # warm
            fn()
        measured = {}
        for name, fn in variants.items():
            calls, areas = _calls(fn, args.profiled)
            measured[name] = (calls, _median_ms(fn, args.requests), areas)
    finally:
        connection.set_schema_to_public()

    floor_calls, floor_ms, _ = measured["floor"]
    print("\n== risk_list page, 100 risks x 5 controls, in-process ==")
    print(f"{'variant':<20} {'calls/request':>14} {'x floor':>8} {'ms p50':>8} {'x floor':>8}")
    for name, (calls, ms, _) in measured.items():
        calls_ratio, ms_ratio = calls / floor_calls, ms / floor_ms
        print(f"{name:<20} {calls:>14,} {calls_ratio:>8.2f} {ms:>8.1f} {ms_ratio:>8.2f}")
    bare_calls = measured["bare graphql-core"][0]
    print(f"graphql-core alone over the rows: {bare_calls - floor_calls:,} calls/request")
    for variant in ("GraphQL", "persisted (plan)"):
        print(f"\n-- {variant} by layer (calls/request, own ms/request under cProfile) --")
        areas = measured[variant][2]
        for area, (calls, own) in sorted(areas.items(), key=lambda item: -item[1][0]):
            print(f"  {calls:>9,}  {own:8.2f}  {area}")
    summary = {
        name: {"calls": calls, "p50_ms": round(ms, 2)} for name, (calls, ms, _) in measured.items()
    }
    print(json.dumps({"bench": "layers", "variants": summary}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
