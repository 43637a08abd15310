"""What every benchmark shares, in one import: `from bench import harness`.

A benchmark module typically does:

    tenant = harness.bench_tenant()                       # provisioned through the services
    query = harness.graphql_target("graphql", tenant=tenant, query=...)
    floor = harness.json_target("floor", tenant=tenant, path="/bench/floor/...", payload=...)
    with harness.gunicorn_server(workers=opts.workers, threads=opts.threads) as server:
        harness.expect_answer(server, [query, floor], expected_json)
        result = harness.load(server, [query, floor], opts)
    harness.print_table(...)
    return harness.Result(bench=..., metrics=..., floor=..., ratio=...)

The pieces live in bench/options.py, provision.py (database, tenant, tokens), server.py
(gunicorn), traffic.py (targets, checks, SQL counts, load) and report.py (table, JSON line).
"""

from bench.options import Options
from bench.provision import (
    BenchTenant,
    bench_tenant,
    database_ensure,
    database_prepare,
    django_setup,
    member_token,
)
from bench.report import Clock, Result, print_table, ratio, stats_row
from bench.server import Server, gunicorn_server
from bench.traffic import (
    LoadResult,
    Stats,
    Target,
    expect_answer,
    fetch,
    graphql_target,
    json_target,
    load,
    sql_queries,
)

__all__ = [
    "BenchTenant",
    "Clock",
    "LoadResult",
    "Options",
    "Result",
    "Server",
    "Stats",
    "Target",
    "bench_tenant",
    "database_ensure",
    "database_prepare",
    "django_setup",
    "expect_answer",
    "fetch",
    "graphql_target",
    "gunicorn_server",
    "json_target",
    "load",
    "member_token",
    "print_table",
    "ratio",
    "sql_queries",
    "stats_row",
]
