"""Where one request's server-side CPU goes: `python -m bench.profile NAME [--requests N]`.

For a benchmark whose module defines `profile_targets(tenant) -> list[Target]` (its query and its
floor, data prepared), runs each target in this process through Django's test client (same
settings, middleware and URLs as the gunicorn server, no HTTP) under cProfile, and prints per
request:

- self time by area (graphql-core, strawberry, strawberry-django optimizer, Django ORM, psycopg
  and waiting on PostgreSQL, JSON, ...): every function's own time, summed by where it lives;
- the cumulative time of a few landmarks (SQL execution, the optimizer, JSON encoding, ...);
- the functions with the most own time.

cProfile slows Python-heavy code more than C and I/O: read the shares, not the milliseconds.
"""

import argparse
import cProfile
import importlib
import pstats
import sys
import time

from bench import harness
from bench.__main__ import BENCHMARKS

# (area, substring of the function's file) — first match wins; order matters.
AREAS = [
    ("SQL: psycopg + waiting on PostgreSQL", "/psycopg"),
    ("strawberry-django optimizer", "strawberry_django/optimizer"),
    ("strawberry-django (fields, relay, pagination)", "/strawberry_django/"),
    ("strawberry (schema, relay, extensions, view)", "/strawberry/"),
    ("graphql-core (execution, validation)", "/graphql/"),
    ("Django ORM: SQL compiler, queryset, model init", "/django/db/"),
    ("Django: middleware, request, response, other", "/django/"),
    ("django-tenants", "/django_tenants/"),
    ("the project (apps/, bench/, config/)", "/work/"),
    ("JSON encoding (json module)", "/json/"),
    ("Python standard library", "/lib/python3"),
]
LANDMARKS = [
    ("SQL: cursor.execute (round trips, rows)", "django/db/backends/utils.py", "_execute"),
    ("ORM: SQLCompiler.execute_sql", "django/db/models/sql/compiler.py", "execute_sql"),
    ("ORM: compile SQL (as_sql)", "django/db/models/sql/compiler.py", "as_sql"),
    ("ORM: make model instances (from_db)", "django/db/models/base.py", "from_db"),
    ("optimizer: optimize()", "strawberry_django/optimizer.py", "optimize"),
    ("optimizer: _get_model_hints", "strawberry_django/optimizer.py", "_get_model_hints"),
    ("graphql-core: execute", "graphql/execution/execute.py", "execute"),
    ("graphql-core: complete_list_value", "graphql/execution/execute.py", "complete_list_value"),
    ("strawberry: relay connection resolve", "strawberry_django/relay", "resolve_connection"),
    ("strawberry-django: field get_queryset", "strawberry_django/fields/field.py", "get_queryset"),
    ("Django: QuerySet.ordered (builds deferred filters)", "django/db/models/query.py", "ordered"),
    ("strawberry: relay Node.resolve_id_attr", "strawberry/relay/types.py", "resolve_id_attr"),
    ("strawberry: relay Node id field", "strawberry/relay/types.py", "_id"),
    ("strawberry: view encode_json", "strawberry/django/views.py", "encode_json"),
    ("graphql-core: validate", "graphql/validation/validate.py", "validate"),
    ("graphql-core: parse", "graphql/language/parser.py", "parse"),
]


def _area(filename: str) -> str:
    if filename.startswith("~") or filename.startswith("<"):
        return "built-ins and C functions (len, isinstance, getattr...)"
    for area, needle in AREAS:
        if needle in filename:
            return area
    return "other"


def profile_target(target: harness.Target, requests: int) -> tuple[pstats.Stats, float]:
    from django.db import connection
    from django.test import Client

    headers = {k: v for k, v in target.headers.items() if k.lower() not in {"host", "content-type"}}
    client = Client(HTTP_HOST=target.headers["Host"])

    def once():
        response = client.generic(
            target.method,
            target.path,
            data=target.body or "",
            content_type="application/json",
            headers=headers,
        )
        if response.status_code != 200:
            raise RuntimeError(f"{target.name} answered {response.status_code}")

    try:
        for _ in range(3):
            once()
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(requests):
            once()
        profiler.disable()
        wall = (time.perf_counter() - started) / requests
    finally:
        connection.set_schema_to_public()
    return pstats.Stats(profiler), wall


def report(name: str, stats: pstats.Stats, wall: float, requests: int, top: int) -> None:
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in entries.values())
    per = 1000.0 / requests
    print(f"\n== {name}: {wall * 1000:.1f} ms/request under cProfile ({requests} requests) ==")
    areas: dict[str, float] = {}
    for (filename, _, _), (_, _, tt, _, _) in entries.items():
        areas[_area(filename)] = areas.get(_area(filename), 0.0) + tt
    print(f"-- own time by area (ms/request, share of {total * per:.1f} ms profiled) --")
    for area, tt in sorted(areas.items(), key=lambda item: -item[1]):
        print(f"  {tt * per:8.2f}  {tt / total:6.1%}  {area}")
    # Python function calls do not depend on how busy the machine is: the figure to compare
    # between runs when the milliseconds are noisy.
    calls = sum(nc for (_, nc, _, _, _) in entries.values())
    print(f"-- {calls / requests:,.0f} Python function calls/request --")
    print("-- landmarks: cumulative time (ms/request) and calls/request --")
    for label, file_part, function in LANDMARKS:
        matches = [
            (ct, nc)
            for (filename, _, fn), (_, nc, _, ct, _) in entries.items()
            if file_part in filename and fn == function
        ]
        if matches:
            ct = max(ct for ct, _ in matches)  # recursion: the outermost counts
            calls = sum(nc for _, nc in matches)
            print(f"  {ct * per:8.2f}  {ct / total:6.1%}  {calls / requests:8.0f}x  {label}")
    print(f"-- top {top} functions by own time (ms/request, calls/request) --")
    ranked = sorted(entries.items(), key=lambda item: -item[1][2])[:top]
    for (filename, line, fn), (_, nc, tt, _, _) in ranked:
        short = filename.split("site-packages/")[-1].split("/work/main/")[-1]
        print(f"  {tt * per:8.2f}  {nc / requests:8.0f}x  {fn}  ({short}:{line})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("name", help="a benchmark with profile_targets()")
    parser.add_argument("--requests", type=int, default=20, help="profiled requests per target")
    parser.add_argument("--top", type=int, default=25, help="functions listed per target")
    args = parser.parse_args(argv)
    harness.django_setup()
    module = importlib.import_module(BENCHMARKS[args.name][0])
    if not hasattr(module, "profile_targets"):
        parser.error(f"{args.name} defines no profile_targets()")
    tenant = harness.bench_tenant()
    for target in module.profile_targets(tenant):
        stats, wall = profile_target(target, args.requests)
        report(target.name, stats, wall, args.requests, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
