"""api_trivial: the fixed cost of one authenticated GraphQL request, next to a plain Django view.

`{ me { user { email } role } }` with a bearer token on the bench tenant's host, against
bench/floors.py:me — same host, same middleware (tenant, token, membership), same JSON answer,
no GraphQL. The ratio of their p50 latencies is what the GraphQL layer costs on the smallest
possible request.
"""

from bench import harness

QUERY = "{ me { user { email } role } }"
FLOOR_PATH = "/bench/floor/me/"


def run(opts: harness.Options) -> harness.Result:
    clock = harness.Clock()
    tenant = harness.bench_tenant()
    graphql = harness.graphql_target("graphql", tenant=tenant, query=QUERY)
    # The floor receives the very same body, and parses it.
    floor = harness.json_target("floor", tenant=tenant, path=FLOOR_PATH, payload={"query": QUERY})
    queries = {t.name: harness.sql_queries(t) for t in (graphql, floor)}
    clock.lap("setup")

    expected = {"data": {"me": {"user": {"email": tenant.admin.email}, "role": "ADMIN"}}}
    serial_requests = max(100, opts.requests // 4)
    with harness.gunicorn_server(workers=opts.workers, threads=opts.threads) as server:
        clock.lap("gunicorn boot")
        harness.expect_answer(server, [graphql, floor], expected)
        loaded = harness.load(server, [graphql, floor], opts)
        clock.lap(f"load x{opts.concurrency}")
        # One connection: no queueing, so latency is the service time of one request.
        serial = harness.load(
            server, [graphql, floor], opts, concurrency=1, requests=serial_requests, warmup=20
        )
        clock.lap("load x1")
    clock.lap("stop")

    g, f = loaded["graphql"], loaded["floor"]
    gs, fs = serial["graphql"], serial["floor"]
    p50_ratio = harness.ratio(g.p50_ms, f.p50_ms)
    notes = [
        f"ratio = GraphQL p50 / floor p50 at {opts.concurrency} connections = {p50_ratio:.2f}   "
        f"(p95 {harness.ratio(g.p95_ms, f.p95_ms):.2f}; "
        f"throughput floor/GraphQL {harness.ratio(f.rps, g.rps):.2f}; "
        f"p50 at 1 connection {harness.ratio(gs.p50_ms, fs.p50_ms):.2f})",
        f"query   {QUERY}  POST http://{tenant.domain}:{server.port}/graphql/ (bearer token)",
        f"floor   POST {FLOOR_PATH}: plain Django JSON view, same middleware, same answer",
        f"server  gunicorn gthread {opts.workers} workers x {opts.threads} threads, "
        "DATABASE_POOL=1, DEBUG off",
        f"client  separate process, keep-alive; {opts.warmup} warm-up + {opts.requests} requests "
        f"per target at {opts.concurrency} connections, then 20 + {serial_requests} at 1, "
        f"in {opts.rounds} alternating rounds; client CPU "
        f"{loaded.client_cpu_cores:.2f} cores",
        "SQL/req excludes SET search_path (DESIGN pitfall 8): token + membership; the host's "
        "tenant comes from the per-process host cache (apps/tenants/host_cache.py)",
        f"run     {clock.summary()}",
    ]
    for name, result in ((f"x{opts.concurrency}", loaded), ("x1", serial)):
        if any(s.errors for s in result.stats.values()) or result.timed_out:
            statuses = {n: s.statuses for n, s in result.stats.items()}
            notes.append(f"WARNING {name}: errors or time-out: {statuses}, {result.timed_out=}")
    harness.print_table(
        "api_trivial: trivial authenticated GraphQL query vs. hand-written floor",
        [
            harness.stats_row("graphql", g, conns=opts.concurrency, sql_queries=queries["graphql"]),
            harness.stats_row("floor", f, conns=opts.concurrency, sql_queries=queries["floor"]),
            harness.stats_row("graphql", gs, conns=1, sql_queries=queries["graphql"]),
            harness.stats_row("floor", fs, conns=1, sql_queries=queries["floor"]),
        ],
        notes,
    )
    return harness.Result(
        bench="api_trivial",
        metrics=g.metrics(
            sql_queries=queries["graphql"],
            serial_p50_ms=round(gs.p50_ms, 3),
            serial_p95_ms=round(gs.p95_ms, 3),
        ),
        floor=f.metrics(
            sql_queries=queries["floor"],
            serial_p50_ms=round(fs.p50_ms, 3),
            serial_p95_ms=round(fs.p95_ms, 3),
        ),
        ratio=p50_ratio,
    )
