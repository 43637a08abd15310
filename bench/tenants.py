"""tenants: many tenants — provisioning each, migrating all with one pending migration, and one
beat tick fanned out to all of them with 2 workers.

- seed: `tenant_create` of tenants `bt_0000`… until there are N (`--requests N`, default 50;
  made once and kept, so a later run with a larger N adds only the missing ones).
- provision: `tenant_create` (the real service: schema, domain, admin, seeders) timed inside
  its transaction and rolled back, rounds alternating: a spare schema renamed (apps/tenants/
  spares.py: what provisioning does now) / the template cloned during provisioning (before);
  and the worker's part of the first, `spare_make()` (the clone, committed, off the request).
- migrate: one pending migration (the row of `notifications.0003_admin_labels`, which changes
  labels only, deleted from each schema's django_migrations: the work is the executor's
  per-schema cost, as for a release with one small migration) in `--migrate-schemas` bench
  tenants (default all N), then django-tenants' multiprocessing executor over those schemas.
- tick: two Celery worker processes (solo pools, all queues, bench settings), then the tick to
  every active `bt_*` tenant as `core.dispatch_tenant_ticks` sends it (`tick_batches`: batches
  of FENGKONG_TICK_BATCH tenants spread over FENGKONG_TICK_JITTER_SECONDS); the time until every
  batch has finished, the default queue's peak length (sampled every 20 ms), each tenant's
  lateness (its batch's finish − the batch's due time) and how many tenants' ticks finished.
  Then the same with one message per tenant (the session-4 dispatcher: `core.tenant_tick`,
  uniform random countdown), for the before/after in one run.
- floor: an empty `CREATE SCHEMA` (the least a tenant costs) for provisioning; for the tick,
  the jitter window itself (no tick can finish before its due time).
"""

import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid

from bench import harness

DEFAULT_TENANTS = 50
PREFIX = "bt_"
PENDING = ("notifications", "0003_admin_labels")


def _schemas(n: int) -> list[str]:
    return [f"{PREFIX}{i:04d}" for i in range(n)]


def provision(n: int) -> tuple[list[float], int]:
    """Seconds of each tenant made now, and how many existed already."""
    from django.db import connection

    from apps.tenants.models import Tenant
    from apps.tenants.services import tenant_create

    have = set(
        Tenant.objects.filter(schema_name__startswith=PREFIX).values_list("schema_name", flat=True)
    )
    took = []
    for schema in _schemas(n):
        if schema in have:
            continue
        start = time.perf_counter()
        tenant_create(
            name=f"Bench tenant {schema}",
            domain=f"{schema.replace('_', '-')}.localhost",
            schema_name=schema,
            business_model="online_lending",
            admin_email=f"admin@{schema.replace('_', '-')}.localhost",
        )
        took.append(time.perf_counter() - start)
        connection.set_schema_to_public()
    return took, len(have)


def provision_rounds(rounds: int) -> dict[str, list[float]]:
    """Seconds of `tenant_create` via a spare and via a clone (each rolled back), alternating;
    and of `spare_make()`, the worker's part of the spare path (committed, kept as a spare)."""
    from django.conf import settings
    from django.db import connection

    from apps.tenants import services, spares
    from bench.provision import _timed_and_undone

    def create(spare: bool):
        def work():
            name = f"bq_{uuid.uuid4().hex[:10]}"
            settings.TENANT_SPARE_SCHEMAS = 2 if spare else 0
            services.tenant_create(
                name=name,
                domain=f"{name.replace('_', '-')}.bench",
                schema_name=name,
                business_model="payment",
                admin_email=f"admin@{name.replace('_', '-')}.bench",
            )

        return work

    target = settings.TENANT_SPARE_SCHEMAS
    settings.TENANT_SPARE_SCHEMAS = 2
    times: dict[str, list[float]] = {"spare": [], "clone": [], "spare_make": []}
    try:
        spares.spares_refill()
        _timed_and_undone(create(True))  # unrecorded: imports, plans
        _timed_and_undone(create(False))
        for i in range(rounds):
            order = (True, False) if i % 2 == 0 else (False, True)
            for spare in order:
                times["spare" if spare else "clone"].append(_timed_and_undone(create(spare)))
            start = time.perf_counter()
            spares.spare_make()
            times["spare_make"].append(time.perf_counter() - start)
        for name in spares.spares_ready()[2:]:  # the rounds' spares beyond the pool's size
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
    finally:
        settings.TENANT_SPARE_SCHEMAS = target
    return times


def empty_schema_seconds(rounds: int = 5) -> float:
    from django.db import connection, transaction

    runs = []
    for _ in range(rounds):
        with transaction.atomic():
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "floor_{uuid.uuid4().hex[:8]}"')
            runs.append(time.perf_counter() - start)
            transaction.set_rollback(True)
    return statistics.median(runs)


def migrate_one_pending(n: int, subset: int) -> tuple[float, int]:
    """(seconds of the multiprocessing executor over `subset` bench schemas, schemas visited)."""
    from django.db import connection
    from django_tenants.management.commands.migrate_schemas import Command as MigrateSchemas
    from django_tenants.migration_executors import get_executor

    schemas = _schemas(n)[: subset or n]
    for schema in schemas:
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', PENDING
            )
    command = MigrateSchemas()
    parser = command.create_parser("manage.py", "migrate_schemas")
    options = vars(
        parser.parse_args(["--tenant", "--executor=multiprocessing", "--noinput", "-v", "0"])
    )
    start = time.perf_counter()
    executor = get_executor(codename="multiprocessing")((), options)
    executor.run_migrations(tenants=list(schemas))  # what migrate_schemas --tenant runs, on these
    took = time.perf_counter() - start
    connection.set_schema_to_public()
    applied = 0
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(
                f'SELECT count(*) FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
                PENDING,
            )
            applied += cursor.fetchone()[0]
    if applied != len(schemas):
        raise RuntimeError(f"the pending migration reached {applied} of {len(schemas)} schemas")
    return took, len(schemas)


def _worker() -> subprocess.Popen:
    from django.conf import settings

    queues = ",".join(dict.fromkeys(settings.FENGKONG_QUEUES.values()))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queues,
            "-n",
            f"bench-{uuid.uuid4().hex[:8]}@%h",
        ],
        env=env,
        start_new_session=True,
    )


def tick_fanout(n: int, *, batched: bool) -> dict:
    """One tick to every active bench tenant, two workers: as the dispatcher sends it now
    (batched) or one message per tenant (session 4). Wall time until all are done, the default
    queue's peak length, each tenant's lateness, how many tenants' ticks finished."""
    import redis
    from celery.result import AsyncResult
    from django.conf import settings
    from django_tenants.utils import schema_context

    from apps.core.tasks import tenant_tick, tenant_ticks, tick_batches
    from apps.tenants.selectors import active_tenant_schemas

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = settings.FENGKONG_QUEUES["default"]
    client.delete(queue)  # e.g. the spare refills provisioning sent: not this measure's work
    workers = [_worker(), _worker()]
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], client.llen(queue))
            time.sleep(0.02)

    # The bench's first n bt_* tenants only (the warning_scan tenant's 1,000 due indicators
    # would add one big scan to the measure).
    wanted = set(_schemas(n))
    schemas = [s for s in active_tenant_schemas() if s in wanted]
    jitter = settings.FENGKONG_TICK_JITTER_SECONDS
    try:
        time.sleep(8)  # the workers start (imports, connections) before the tick is sent
        sent = []  # (tenants in the message, due time, result)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.time()
        if batched:
            for delay, batch in tick_batches(schemas):
                result = tenant_ticks.apply_async(args=[batch], countdown=delay)
                sent.append((batch, start + delay, result))
        else:
            for schema in schemas:
                with schema_context(schema):
                    delay = random.uniform(0, jitter)
                    sent.append(([schema], start + delay, tenant_tick.apply_async(countdown=delay)))
        late, done, failed = [], 0, 0
        deadline = time.time() + 900
        for tenants, due, result in sent:
            while not result.ready() and time.time() < deadline:
                time.sleep(0.05)
            meta = AsyncResult(result.id)
            if meta.status != "SUCCESS":
                failed += len(tenants)
                continue
            finished = meta.result if batched else {tenants[0]: meta.result}
            for schema in tenants:
                outcome = finished.get(schema)
                if (
                    outcome is None
                    or outcome.get("error")
                    or any(isinstance(v, dict) and v.get("error") for v in outcome.values())
                ):
                    failed += 1
                    continue
                done += 1
                late.append(meta.date_done.timestamp() - due)
        wall = time.time() - start
    finally:
        stop.set()
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    return {
        "tenants": len(schemas),
        "messages": len(sent),
        "done": done,
        "wall_s": round(wall, 2),
        "jitter_s": jitter,
        "peak_queue": peak[0],
        "late_p50_s": round(statistics.median(late), 2) if late else None,
        "late_max_s": round(max(late), 2) if late else None,
        "failed": failed,
    }


def run(opts: harness.Options) -> harness.Result:
    n = opts.requests if opts.requests != harness.Options().requests else DEFAULT_TENANTS
    rounds = max(min(opts.rounds, 5), 1)
    clock = harness.Clock()
    harness.bench_tenant()  # the database, shared migrations, the template
    clock.lap("bench tenant")
    took, kept = provision(n)
    clock.lap(f"seed {len(took)} (kept {kept})")
    times = provision_rounds(rounds)
    floor = empty_schema_seconds()
    clock.lap(f"provision {rounds} rounds")
    migrate_s, schemas = migrate_one_pending(n, opts.migrate_schemas)
    clock.lap("migrate")
    before = tick_fanout(n, batched=False)
    clock.lap("tick, a message per tenant")
    tick = tick_fanout(n, batched=True)
    clock.lap("tick, batched")
    med = {k: statistics.median(v) for k, v in times.items()}

    def tick_line(name: str, t: dict) -> str:
        return (
            f"tick     {name}: {t['tenants']} tenants in {t['messages']} messages, 2 workers: "
            f"all done {t['wall_s']} s after sending (window {t['jitter_s']} s); lateness p50 "
            f"{t['late_p50_s']} s, max {t['late_max_s']} s; peak queue {t['peak_queue']}; "
            f"{t['done']} done, {t['failed']} failed"
        )

    notes = [
        f"provision tenant_create, median of {rounds} (rolled back, commit not timed): spare "
        f"renamed {med['spare']:.3f} s (after), template cloned {med['clone']:.3f} s (before); "
        f"the worker's spare_make() {med['spare_make']:.3f} s; floor (empty CREATE SCHEMA) "
        f"{floor * 1000:.1f} ms",
        f"seed     {len(took)} tenants made now ({kept} kept): "
        + (f"median {statistics.median(took):.2f} s each" if took else "-"),
        f"migrate  multiprocessing executor, {'.'.join(PENDING)} pending in {schemas} of {n} "
        f"tenants: {migrate_s:.1f} s ({migrate_s / max(schemas, 1):.2f} s per schema)",
        tick_line("before (a message per tenant)", before),
        tick_line("after (batched)", tick),
        f"run      {clock.summary()}",
    ]
    harness.print_table(f"tenants: {n} bench tenants", [], notes)
    return harness.Result(
        bench="tenants",
        metrics={
            "tenants": n,
            "provision_s_per_tenant": round(med["spare"], 3),
            "provision_s_per_tenant_by_clone": round(med["clone"], 3),
            "spare_make_s": round(med["spare_make"], 3),
            "seeded_now": len(took),
            "migrate_s": round(migrate_s, 1),
            "migrate_schemas": schemas,
            "migrate_s_per_schema": round(migrate_s / max(schemas, 1), 3),
            "tick": tick,
            "tick_per_tenant_messages": before,
        },
        floor={"create_schema_s": round(floor, 4), "tick_jitter_s": tick["jitter_s"]},
        ratio=harness.ratio(tick["wall_s"], tick["jitter_s"]),
    )
