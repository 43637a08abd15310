"""tenants: many tenants — provisioning each, migrating all with one pending migration, and one
beat tick fanned out to all of them with 2 workers.

- provision: `tenant_create` (the real service: the schema cloned from `_template`, domain,
  admin, seeders) of tenants `bt_0000`… until there are N (`--requests N`, default 50; made once
  and kept, so a later run with a larger N adds only the missing ones). Seconds per tenant.
- migrate: one pending migration in every bench tenant (the row of
  `notifications.0003_admin_labels`, which changes labels only, deleted from each schema's
  django_migrations: the work is the executor's per-schema cost, as for a release with one
  small migration), then
  `migrate_schemas --executor=multiprocessing` over every tenant schema of the database.
- tick: two Celery worker processes (solo pools, all queues, bench settings), then each active
  `bt_*` tenant's `core.tenant_tick` sent as the dispatcher sends it (random countdown up to
  FENGKONG_TICK_JITTER_SECONDS); the time until every tick has finished, the default queue's
  peak length (sampled every 20 ms), and each tick's lateness (finish − its due time), whose
  maximum says whether any tenant starved.
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


def migrate_one_pending(n: int) -> tuple[float, int]:
    """(seconds of migrate_schemas over every tenant, schemas it visited)."""
    from django.core.management import call_command
    from django.db import connection

    from apps.tenants.models import Tenant

    for schema in _schemas(n):
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', PENDING
            )
    schemas = Tenant.objects.exclude(schema_name="public").count()
    start = time.perf_counter()
    call_command(
        "migrate_schemas", tenant=True, executor="multiprocessing", interactive=False, verbosity=0
    )
    connection.set_schema_to_public()
    return time.perf_counter() - start, schemas


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


def tick_fanout() -> dict:
    """One tick to every active tenant, two workers: wall time until all are done, the default
    queue's peak length, each tick's lateness."""
    import redis
    from celery.result import AsyncResult
    from django.conf import settings
    from django_tenants.utils import schema_context

    from apps.core.tasks import tenant_tick
    from apps.tenants.selectors import active_tenant_schemas

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = settings.FENGKONG_QUEUES["default"]
    client.delete(queue)
    workers = [_worker(), _worker()]
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], client.llen(queue))
            time.sleep(0.02)

    try:
        time.sleep(8)  # the workers start (imports, connections) before the tick is sent
        jitter = settings.FENGKONG_TICK_JITTER_SECONDS
        sent = []
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.time()
        # As core.dispatch_tenant_ticks sends them, to the bench's bt_* tenants only (the
        # warning_scan tenant's 1,000 due indicators would add one big scan to the measure).
        for schema in [s for s in active_tenant_schemas() if s.startswith(PREFIX)]:
            with schema_context(schema):
                delay = random.uniform(0, jitter)
                sent.append((schema, start + delay, tenant_tick.apply_async(countdown=delay)))
        late, failed = [], 0
        deadline = time.time() + 600
        for _schema, due, result in sent:
            while not result.ready() and time.time() < deadline:
                time.sleep(0.05)
            meta = AsyncResult(result.id)
            if meta.status != "SUCCESS":
                failed += 1
                continue
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
        "tenants": len(sent),
        "wall_s": round(wall, 2),
        "jitter_s": jitter,
        "peak_queue": peak[0],
        "late_p50_s": round(statistics.median(late), 2) if late else None,
        "late_max_s": round(max(late), 2) if late else None,
        "failed": failed,
    }


def run(opts: harness.Options) -> harness.Result:
    n = opts.requests if opts.requests != harness.Options().requests else DEFAULT_TENANTS
    clock = harness.Clock()
    harness.bench_tenant()  # the database, shared migrations, the template
    clock.lap("bench tenant")
    took, kept = provision(n)
    clock.lap(f"provision {len(took)} (kept {kept})")
    floor = empty_schema_seconds()
    migrate_s, schemas = migrate_one_pending(n)
    clock.lap("migrate")
    tick = tick_fanout()
    clock.lap("tick")
    per_tenant = statistics.median(took) if took else None
    notes = [
        f"provision {len(took)} tenants now ({kept} kept from an earlier run): median "
        + (
            f"{per_tenant:.3f} s per tenant, min {min(took):.3f}, max {max(took):.3f}"
            if took
            else "-"
        )
        + f"; floor (empty CREATE SCHEMA) {floor * 1000:.1f} ms",
        f"migrate  migrate_schemas --executor=multiprocessing, {'.'.join(PENDING)} pending "
        f"in {n} tenants: {migrate_s:.1f} s over {schemas} tenant schemas "
        f"({migrate_s / max(schemas, 1):.2f} s per schema)",
        f"tick     {tick['tenants']} tenants, 2 workers (solo): all done {tick['wall_s']} s after "
        f"sending (jitter window {tick['jitter_s']} s); lateness p50 {tick['late_p50_s']} s, "
        f"max {tick['late_max_s']} s; peak default-queue length {tick['peak_queue']}; "
        f"failed {tick['failed']}",
        f"run      {clock.summary()}",
    ]
    harness.print_table(f"tenants: {n} bench tenants", [], notes)
    return harness.Result(
        bench="tenants",
        metrics={
            "tenants": n,
            "provision_s_per_tenant": round(per_tenant, 3) if per_tenant else None,
            "provisioned_now": len(took),
            "migrate_s": round(migrate_s, 1),
            "migrate_s_per_schema": round(migrate_s / max(schemas, 1), 3),
            "tick": tick,
        },
        floor={"create_schema_s": round(floor, 4), "tick_jitter_s": tick["jitter_s"]},
        ratio=harness.ratio(tick["wall_s"], tick["jitter_s"]),
    )
