"""risk_list: the register's first page (100 risks, first 5 controls each) vs a hand-written view.

Data (bench/risk_data.py, seeded once and kept): 10,000 risks, each with an inherent and a
residual assessment, ~3 of 2,000 controls (one in ten has 6-8), 1-2 treatment actions.

The query, as the admin of the bench tenant over HTTP:

    { risks(first: 100) { totalCount edges { node { id title status category { code nameEn }
      owner { email } inherent { level score } residual { level score } currentLevel
      controls(first: 5) { edges { node { name effectiveness } } } } } } }

The floor (bench/floors.py:risk_list, POST /bench/floor/risk_list/?first=100&controls=5, same body)
goes through the same middleware and returns byte-for-byte the same JSON from three queries: a
count, the page with category and owner joined, and one ROW_NUMBER() window query for the first
5 controls of each risk (ordered like the nested connection: Control.Meta.ordering, name, id).
The run checks both answers are identical (bytes) before measuring.

The same document is also sent as a **persisted query** (its sha256 in
`extensions.persistedQuery`, registered through a manifest file the server reads,
apps/core/graphql/persisted.py): the compiled plan's path, next to the normal one and the floor,
with the same answer (bytes).

Also reported: SQL statements per request at first: 10 and first: 100 (the same is the target),
and where one request's time goes, measured in-process (Django test client, same settings):
server time per request and the part of it spent waiting on SQL.
"""

import dataclasses
import http.client
import json
import os
import tempfile
import time

from bench import harness, risk_data

QUERY = """{ risks(first: %(first)d) { totalCount edges { node {
  id title status category { code nameEn } owner { email }
  inherent { level score } residual { level score } currentLevel
  controls(first: %(controls)d) { edges { node { name effectiveness } } }
} } } }"""
FLOOR_PATH = "/bench/floor/risk_list/?first=%(first)d&controls=%(controls)d"
FIRST, SMALL_FIRST, CONTROLS = 100, 10, 5

# One GraphQL request costs ~0.25-0.35 s of CPU (2 cores: ~4 req/s), ~100x api_trivial's: smaller
# default counts keep a run near a minute and a half. Explicit --requests/--warmup win.
DEFAULT_REQUESTS, DEFAULT_WARMUP = 120, 16
INPROC_REQUESTS = 15  # per target, for the in-process time split


def targets(tenant, first: int = FIRST) -> tuple[harness.Target, harness.Target]:
    """(graphql, floor) for a page of `first` risks; the floor receives the very same body."""
    args = {"first": first, "controls": CONTROLS}
    query = QUERY % args
    graphql = harness.graphql_target("graphql", tenant=tenant, query=query)
    floor = harness.json_target(
        "floor", tenant=tenant, path=FLOOR_PATH % args, payload={"query": query}
    )
    return graphql, floor


def persisted_target(graphql: harness.Target, manifest: str) -> harness.Target:
    """`graphql`'s document as a persisted query: written into the manifest file `manifest`
    (the frontend build's role) and named by its hash alone in the body."""
    from apps.core.graphql import persisted

    query = json.loads(graphql.body)["query"]
    sha = persisted.sha256(query)
    entries = [e for e in persisted.read_manifest(manifest) if e["id"] != sha]
    entries.append({"id": sha, "name": "risk_list", "type": "query", "body": query})
    persisted.write_manifest(manifest, entries)
    body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}}
    return dataclasses.replace(graphql, name="persisted", body=json.dumps(body))


def use_manifest() -> str:
    """A fresh manifest file for this run, read by this process and by the server."""
    from django.conf import settings

    path = os.path.join(tempfile.mkdtemp(prefix="fengkong-persisted-"), "manifest.json")
    settings.GRAPHQL_PERSISTED_DOCUMENTS = path
    os.environ["GRAPHQL_PERSISTED_DOCUMENTS"] = path  # inherited by gunicorn
    return path


def calls_per_request(target: harness.Target, requests: int = 3) -> int:
    """Python function calls of one request in this process (cProfile; load-independent)."""
    import cProfile

    from django.db import connection
    from django.test import Client

    headers = {k: v for k, v in target.headers.items() if k.lower() not in {"host", "content-type"}}
    client = Client(HTTP_HOST=target.headers["Host"])

    def post():
        client.post(target.path, data=target.body, content_type="application/json", headers=headers)

    try:
        post()  # warm
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            post()
        profiler.disable()
    finally:
        connection.set_schema_to_public()
    profiler.create_stats()
    total = sum(nc for (_, nc, _, _, _) in profiler.stats.values())  # type: ignore[attr-defined]
    return total // requests


def profile_targets(tenant) -> list[harness.Target]:
    """For `python -m bench.profile risk_list`: the data, then (graphql, floor) at first: 100."""
    risk_data.ensure_register(tenant)
    return list(targets(tenant, FIRST))


def _fetch_bytes(server: harness.Server, target: harness.Target) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(server.address, server.port, timeout=30)
    try:
        conn.request(target.method, target.path, body=target.body.encode(), headers=target.headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def check_answers(server: harness.Server, graphql, floor, *, total: int, persisted=None) -> bytes:
    """The GraphQL answer is a full page; the floor's (and the persisted query's) is the same,
    byte for byte."""
    status, body = _fetch_bytes(server, graphql)
    if persisted is not None and _fetch_bytes(server, persisted) != (status, body):
        raise RuntimeError(f"the persisted query answered otherwise: {server.log_tail()}")
    try:
        page = json.loads(body)["data"]["risks"]
    except (ValueError, KeyError, TypeError):
        page = None
    if status != 200 or page is None or len(page["edges"]) != FIRST or page["totalCount"] != total:
        raise RuntimeError(
            f"graphql answered {status} {body[:2000]!r}: expected {FIRST} edges of {total}\n"
            f"--- gunicorn log ---\n{server.log_tail()}"
        )
    if not any(len(e["node"]["controls"]["edges"]) == CONTROLS for e in page["edges"]):
        raise RuntimeError(f"no risk on the page shows {CONTROLS} controls: the data is too thin")
    floor_status, floor_body = _fetch_bytes(server, floor)
    if floor_status != 200 or floor_body != body:
        pairs = enumerate(zip(body, floor_body, strict=False))
        at = next((i for i, (a, b) in pairs if a != b), None)
        raise RuntimeError(
            f"floor answered {floor_status}, {len(floor_body)} bytes vs {len(body)}; first "
            f"difference at byte {at}:\n graphql {body[max(0, at - 80) : at + 80]!r}\n"
            f" floor   {floor_body[max(0, at - 80) : at + 80]!r}"
            if at is not None
            else f"floor answered {floor_status} {floor_body[:500]!r}"
        )
    harness.expect_answer(server, [graphql, floor], json.loads(body))  # and decoded, as usual
    return body


def inprocess_split(target: harness.Target, requests: int = INPROC_REQUESTS) -> dict[str, float]:
    """Median wall time of one request in this process, and the part spent in SQL calls.

    Django's test client through the same middleware and URLs (no HTTP, no gunicorn); SQL time is
    the time inside cursor.execute (psycopg returns the rows with it), SET search_path included.
    """
    from django.db import connection
    from django.test import Client

    headers = {k: v for k, v in target.headers.items() if k.lower() not in {"host", "content-type"}}
    client = Client(HTTP_HOST=target.headers["Host"])
    sql_time = [0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - start

    totals, sqls = [], []
    try:
        for n in range(requests + 3):  # 3 unrecorded
            sql_time[0] = 0.0
            with connection.execute_wrapper(timed):
                start = time.perf_counter()
                response = client.post(
                    target.path,
                    data=target.body,
                    content_type="application/json",
                    headers=headers,
                )
                elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise RuntimeError(f"{target.name} answered {response.status_code} in-process")
            if n >= 3:
                totals.append(elapsed)
                sqls.append(sql_time[0])
    finally:
        connection.set_schema_to_public()
    totals.sort()
    sqls.sort()
    total_ms, sql_ms = totals[len(totals) // 2] * 1000, sqls[len(sqls) // 2] * 1000
    return {
        "inproc_ms": round(total_ms, 2),
        "inproc_sql_ms": round(sql_ms, 2),
        "inproc_python_ms": round(total_ms - sql_ms, 2),
    }


def _with_defaults(opts: harness.Options) -> harness.Options:
    defaults = harness.Options()
    return dataclasses.replace(
        opts,
        requests=DEFAULT_REQUESTS if opts.requests == defaults.requests else opts.requests,
        warmup=DEFAULT_WARMUP if opts.warmup == defaults.warmup else opts.warmup,
    )


def run(opts: harness.Options) -> harness.Result:
    opts = _with_defaults(opts)
    clock = harness.Clock()
    tenant = harness.bench_tenant()
    clock.lap("tenant")
    seeded = risk_data.ensure_register(tenant)
    clock.lap("seed" if seeded.created else "data check")

    from django_tenants.utils import schema_context

    from apps.risks.models import Risk

    with schema_context(tenant.schema_name):
        total = Risk.objects.count()
    graphql, floor = targets(tenant, FIRST)
    graphql_small, floor_small = targets(tenant, SMALL_FIRST)
    manifest = use_manifest()
    planned = persisted_target(graphql, manifest)
    planned_small = persisted_target(graphql_small, manifest)
    queries = {
        "persisted": harness.sql_queries(planned),
        "persisted_10": harness.sql_queries(planned_small),
        "graphql": harness.sql_queries(graphql),
        "floor": harness.sql_queries(floor),
        "graphql_10": harness.sql_queries(graphql_small),
        "floor_10": harness.sql_queries(floor_small),
    }
    split = {
        "graphql": inprocess_split(graphql),
        "persisted": inprocess_split(planned),
        "floor": inprocess_split(floor),
    }
    calls = {t.name: calls_per_request(t) for t in (graphql, planned, floor)}
    clock.lap("SQL counts, in-process split, calls")

    serial_requests = max(40, opts.requests // 4)
    with harness.gunicorn_server(workers=opts.workers, threads=opts.threads) as server:
        clock.lap("gunicorn boot")
        body = check_answers(server, graphql, floor, total=total, persisted=planned)
        loaded = harness.load(server, [graphql, planned, floor], opts)
        clock.lap(f"load x{opts.concurrency}")
        serial = harness.load(
            server,
            [graphql, planned, floor],
            opts,
            concurrency=1,
            requests=serial_requests,
            warmup=10,
        )
        clock.lap("load x1")
    clock.lap("stop")

    g, f, p = loaded["graphql"], loaded["floor"], loaded["persisted"]
    gs, fs, ps = serial["graphql"], serial["floor"], serial["persisted"]
    p50_ratio = harness.ratio(g.p50_ms, f.p50_ms)
    sg, sf, sp = split["graphql"], split["floor"], split["persisted"]
    notes = [
        f"persisted query (compiled plan): p50 / floor p50 at {opts.concurrency} connections = "
        f"{harness.ratio(p.p50_ms, f.p50_ms):.2f}   (p95 {harness.ratio(p.p95_ms, f.p95_ms):.2f};"
        f" p50 at 1 connection {harness.ratio(ps.p50_ms, fs.p50_ms):.2f}; app CPU "
        f"{harness.ratio(p.app_cpu_ms, f.app_cpu_ms):.2f}; in-process "
        f"{harness.ratio(sp['inproc_ms'], sf['inproc_ms']):.2f}) — target: at most 3.0 (aim 2.0)",
        f"Python calls/request (cProfile, in-process): graphql {calls['graphql']:,} "
        f"({calls['graphql'] / calls['floor']:.2f}x), persisted {calls['persisted']:,} "
        f"({calls['persisted'] / calls['floor']:.2f}x), floor {calls['floor']:,}",
        f"persisted in-process {sp['inproc_ms']:.1f} ms = SQL {sp['inproc_sql_ms']:.1f} + Python "
        f"{sp['inproc_python_ms']:.1f}; SQL/req {queries['persisted_10']} / {queries['persisted']}",
        f"ratio = GraphQL p50 / floor p50 at {opts.concurrency} connections = {p50_ratio:.2f}   "
        f"(p95 {harness.ratio(g.p95_ms, f.p95_ms):.2f}; "
        f"throughput floor/GraphQL {harness.ratio(f.rps, g.rps):.2f}; "
        f"p50 at 1 connection {harness.ratio(gs.p50_ms, fs.p50_ms):.2f}; "
        f"app CPU {harness.ratio(g.app_cpu_ms, f.app_cpu_ms):.2f}) — target: at most 2.0",
        f"SQL/req at first: {SMALL_FIRST} / first: {FIRST}: graphql {queries['graphql_10']} / "
        f"{queries['graphql']}, floor {queries['floor_10']} / {queries['floor']} "
        "(3 of them are the middleware's: domain, token, membership; SET search_path excluded) "
        f"— target: the same for {SMALL_FIRST} and {FIRST} rows",
        f"one request in-process (median of {INPROC_REQUESTS}): graphql {sg['inproc_ms']:.1f} ms "
        f"= SQL {sg['inproc_sql_ms']:.1f} + Python {sg['inproc_python_ms']:.1f}; floor "
        f"{sf['inproc_ms']:.1f} ms = SQL {sf['inproc_sql_ms']:.1f} + Python "
        f"{sf['inproc_python_ms']:.1f}   (profile: python -m bench.profile risk_list)",
        f"answer  {len(body)} bytes, {FIRST} edges of totalCount {total}; floor identical (bytes)",
        f"data    {seeded.summary()}",
        f"query   risks(first: {FIRST}) ... controls(first: {CONTROLS})  POST "
        f"http://{tenant.domain}:{server.port}/graphql/ (bearer token)",
        f"floor   POST {floor.path}: count + page (values_list, joins) + ROW_NUMBER() window "
        "for the controls; same middleware, same bytes",
        f"server  gunicorn gthread {opts.workers} workers x {opts.threads} threads, "
        "DATABASE_POOL=1, DEBUG off",
        f"client  separate process, keep-alive; {opts.warmup} warm-up + {opts.requests} requests "
        f"per target at {opts.concurrency} connections, then 10 + {serial_requests} at 1, "
        f"in {opts.rounds} alternating rounds; client CPU {loaded.client_cpu_cores:.2f} cores",
        f"run     {clock.summary()}",
    ]
    for name, result in ((f"x{opts.concurrency}", loaded), ("x1", serial)):
        if any(s.errors for s in result.stats.values()) or result.timed_out:
            statuses = {n: s.statuses for n, s in result.stats.items()}
            notes.append(f"WARNING {name}: errors or time-out: {statuses}, {result.timed_out=}")
    harness.print_table(
        f"risk_list: {FIRST} risks with category, owner, ratings and first {CONTROLS} controls "
        "vs. hand-written floor",
        [
            harness.stats_row("graphql", g, conns=opts.concurrency, sql_queries=queries["graphql"]),
            harness.stats_row(
                "persisted", p, conns=opts.concurrency, sql_queries=queries["persisted"]
            ),
            harness.stats_row("floor", f, conns=opts.concurrency, sql_queries=queries["floor"]),
            harness.stats_row("graphql", gs, conns=1, sql_queries=queries["graphql"]),
            harness.stats_row("persisted", ps, conns=1, sql_queries=queries["persisted"]),
            harness.stats_row("floor", fs, conns=1, sql_queries=queries["floor"]),
        ],
        notes,
    )
    return harness.Result(
        bench="risk_list",
        metrics=g.metrics(
            sql_queries=queries["graphql"],
            sql_queries_first_10=queries["graphql_10"],
            serial_p50_ms=round(gs.p50_ms, 3),
            serial_p95_ms=round(gs.p95_ms, 3),
            serial_rps=round(gs.rps, 1),
            calls=calls["graphql"],
            persisted_p50_ms=round(p.p50_ms, 3),
            persisted_serial_p50_ms=round(ps.p50_ms, 3),
            persisted_ratio=harness.ratio(p.p50_ms, f.p50_ms),
            persisted_calls=calls["persisted"],
            persisted_inproc_ms=sp["inproc_ms"],
            **sg,
        ),
        floor=f.metrics(
            sql_queries=queries["floor"],
            sql_queries_first_10=queries["floor_10"],
            serial_p50_ms=round(fs.p50_ms, 3),
            serial_p95_ms=round(fs.p95_ms, 3),
            serial_rps=round(fs.rps, 1),
            calls=calls["floor"],
            **sf,
        ),
        ratio=p50_ratio,
    )
