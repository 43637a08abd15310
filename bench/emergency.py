"""emergency: the activations list page and one activation's timeline page vs hand-written views.

Data (bench/emergency_data.py, seeded once and kept): 200 plans x 5 versions x 20 steps and
BENCH_EMERGENCY_ACTIVATIONS activations (default 5,000) with 20 tasks and 40 timeline events each.

Queries, as the bench tenant's admin over HTTP against gunicorn:

    { activations(first: 100) { totalCount edges { node { id title status declaredAt
      plan { code name } level { code } commander { fullName } openTaskCount } } } }
    { activation(id: X) { timeline(first: 100) { totalCount edges { node { kind at text } } } } }

Floors (bench/floors_emergency.py): the same JSON from a count, the page with its joins and the
page's commanders (3 queries); the activation, a count and the page of events (3 queries).
Both answers are checked equal (decoded JSON) before measuring. Also: SQL statements per request
at first: 10 and first: 100.
"""

import dataclasses

from bench import emergency_data, harness, risk_list

LIST = """{ activations(first: %(first)d) { totalCount edges { node { id title status declaredAt
  plan { code name } level { code } commander { fullName } openTaskCount } } } }"""
TIMELINE = """{ activation(id: "%(gid)s") { timeline(first: %(first)d) { totalCount
  edges { node { kind at text } } } } }"""
FIRST, SMALL = 100, 10
DEFAULT_REQUESTS, DEFAULT_WARMUP = 120, 16


def _targets(tenant, first: int, activation_pk) -> dict[str, harness.Target]:
    from strawberry.relay import to_base64

    gid = to_base64("Activation", activation_pk)
    list_query, timeline_query = LIST % {"first": first}, TIMELINE % {"gid": gid, "first": first}
    return {
        "list": harness.graphql_target("list", tenant=tenant, query=list_query),
        "list_floor": harness.json_target(
            "list_floor",
            tenant=tenant,
            path=f"/bench/floor/activation_list/?first={first}",
            payload={"query": list_query},
        ),
        "timeline": harness.graphql_target("timeline", tenant=tenant, query=timeline_query),
        "timeline_floor": harness.json_target(
            "timeline_floor",
            tenant=tenant,
            path=f"/bench/floor/activation_timeline/?first={first}&activation={activation_pk}",
            payload={"query": timeline_query},
        ),
    }


def run(opts: harness.Options) -> harness.Result:
    defaults = harness.Options()
    opts = dataclasses.replace(
        opts,
        requests=DEFAULT_REQUESTS if opts.requests == defaults.requests else opts.requests,
        warmup=DEFAULT_WARMUP if opts.warmup == defaults.warmup else opts.warmup,
    )
    clock = harness.Clock()
    tenant = harness.bench_tenant()
    clock.lap("tenant")
    seeded = emergency_data.ensure(tenant)
    clock.lap("seed" if seeded.created else "data check")

    from django_tenants.utils import schema_context

    from apps.emergency.models import Activation

    with schema_context(tenant.schema_name):
        newest = Activation.objects.order_by("-declared_at", "-id").values_list("pk", flat=True)[0]
    big, small = _targets(tenant, FIRST, newest), _targets(tenant, SMALL, newest)
    # The same documents as persisted queries (the compiled plan's path, apps/core/graphql/plan.py).
    manifest = risk_list.use_manifest()
    for kind in ("list", "timeline"):
        planned = risk_list.persisted_target(big[kind], manifest)
        big[f"{kind}_persisted"] = dataclasses.replace(planned, name=f"{kind}_persisted")
    sql = {name: harness.sql_queries(t) for name, t in big.items()}
    sql_small = {name: harness.sql_queries(t) for name, t in small.items()}
    clock.lap("SQL counts")

    with harness.gunicorn_server(workers=opts.workers, threads=opts.threads) as server:
        clock.lap("gunicorn boot")
        for kind in ("list", "timeline"):
            status, expected = harness.fetch(server, big[kind])
            field = "activations" if kind == "list" else "activation"
            if status != 200 or not (expected.get("data") or {}).get(field):
                raise RuntimeError(f"{kind} answered {status} {str(expected)[:500]}")
            harness.expect_answer(
                server, [big[kind], big[f"{kind}_floor"], big[f"{kind}_persisted"]], expected
            )
        loaded = harness.load(server, list(big.values()), opts)
        clock.lap(f"load x{opts.concurrency}")
    s = {name: loaded[name] for name in big}
    ratio = harness.ratio(s["list"].p50_ms, s["list_floor"].p50_ms)
    timeline_ratio = harness.ratio(s["timeline"].p50_ms, s["timeline_floor"].p50_ms)
    planned_ratio = harness.ratio(s["list_persisted"].p50_ms, s["list_floor"].p50_ms)
    planned_timeline = harness.ratio(s["timeline_persisted"].p50_ms, s["timeline_floor"].p50_ms)
    notes = [
        f"ratio (list) = GraphQL p50 / floor p50 = {ratio:.2f}; timeline page {timeline_ratio:.2f}"
        " — target (as risk_list): at most 3.0, aiming at 2.0",
        f"persisted queries (compiled plan): list {planned_ratio:.2f}, timeline "
        f"{planned_timeline:.2f}",
        f"SQL/req at first: {SMALL} / {FIRST}: list {sql_small['list']} / {sql['list']}, floor "
        f"{sql_small['list_floor']} / {sql['list_floor']}; timeline {sql_small['timeline']} / "
        f"{sql['timeline']}, floor {sql_small['timeline_floor']} / {sql['timeline_floor']} "
        "(middleware's included, SET search_path excluded)",
        f"data    {seeded.summary()}",
        f"server  gunicorn gthread {opts.workers} workers x {opts.threads} threads",
        f"client  {opts.warmup} warm-up + {opts.requests} requests per target at "
        f"{opts.concurrency} connections, {opts.rounds} alternating rounds",
        f"run     {clock.summary()}",
    ]
    if any(st.errors for st in loaded.stats.values()) or loaded.timed_out:
        notes.append(
            f"WARNING: errors or time-out: { {n: st.statuses for n, st in loaded.stats.items()} }"
        )
    harness.print_table(
        "emergency: activations page (100, plan, level, commander, open tasks) and a timeline "
        "page (100 events) vs. hand-written floors",
        [
            harness.stats_row(name, st, conns=opts.concurrency, sql_queries=sql[name])
            for name, st in s.items()
        ],
        notes,
    )
    return harness.Result(
        bench="emergency",
        metrics=s["list"].metrics(
            sql_queries=sql["list"],
            sql_queries_first_10=sql_small["list"],
            timeline_p50_ms=round(s["timeline"].p50_ms, 3),
            timeline_sql_queries=sql["timeline"],
            persisted_p50_ms=round(s["list_persisted"].p50_ms, 3),
            persisted_ratio=planned_ratio,
            activations=seeded.activations,
        ),
        floor=s["list_floor"].metrics(
            sql_queries=sql["list_floor"],
            timeline_p50_ms=round(s["timeline_floor"].p50_ms, 3),
            timeline_sql_queries=sql["timeline_floor"],
        ),
        ratio=ratio,
    )


def profile_targets(tenant) -> list[harness.Target]:
    """For `python -m bench.profile emergency`: the data, then (list, floor) at first: 100."""
    from django_tenants.utils import schema_context

    from apps.emergency.models import Activation

    emergency_data.ensure(tenant)
    with schema_context(tenant.schema_name):
        newest = Activation.objects.order_by("-declared_at", "-id").values_list("pk", flat=True)[0]
    targets = _targets(tenant, FIRST, newest)
    return [targets["list"], targets["list_floor"]]
