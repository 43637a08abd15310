"""The bench database and tenant, made through the project's own services.

Django is configured by `django_setup()` (called by `python -m bench` before a benchmark module
is imported); the functions below import models lazily for that reason.
"""

import os
import sys
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.env import BENCH_ADMIN_EMAIL, BENCH_DOMAIN, BENCH_SCHEMA, REPO_ROOT, database_url

SETTINGS_MODULE = "bench.settings"
TOKEN_NAME = "bench"
TOKEN_LIFETIME = timedelta(hours=6)


def database_ensure(*, fresh: bool = False) -> bool:
    """Create the bench database when missing (or drop it first with `fresh`). True if created."""
    import psycopg
    from psycopg import sql

    url = urlsplit(database_url())
    name = url.path.lstrip("/")
    maintenance = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            if "bench" not in name:
                raise SystemExit(f"refusing to drop database {name!r}: its name lacks 'bench'")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return not exists


def django_setup(*, fresh: bool = False) -> None:
    """Point Django at bench.settings (own database, floor URLs) and configure it."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    database_ensure(fresh=fresh)
    import django

    django.setup()


_prepared = False


def database_prepare() -> None:
    """Shared migrations and the platform's own tenant; once per process, fast when up to date."""
    global _prepared
    if _prepared:
        return
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from apps.tenants.services import public_tenant_ensure

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    public_tenant_ensure(domain=settings.PUBLIC_DOMAIN)
    _prepared = True


# --- tenant and tokens ----------------------------------------------------------------------
@dataclass(frozen=True)
class BenchTenant:
    tenant: Any  # apps.tenants.models.Tenant
    domain: str  # the Host header of its requests
    admin: Any  # apps.accounts.models.User, admin member of the tenant
    token: str  # the admin's bearer secret, issued for this run

    @property
    def schema_name(self) -> str:
        return self.tenant.schema_name


def bench_tenant(
    *,
    domain: str = BENCH_DOMAIN,
    schema_name: str = BENCH_SCHEMA,
    name: str = "Bench Lending Co.",
    business_model: str = "online_lending",
    admin_email: str = BENCH_ADMIN_EMAIL,
) -> BenchTenant:
    """The bench tenant, made by the real provisioning service the first time, then kept.

    A kept tenant's schema is migrated to the current code; its admin gets a fresh token.
    """
    from django.core.management import call_command
    from django.db import connection

    from apps.tenants.models import Domain
    from apps.tenants.services import tenant_create

    database_prepare()
    existing = Domain.objects.select_related("tenant").filter(domain=domain).first()
    if existing is None:
        tenant = tenant_create(
            name=name,
            domain=domain,
            schema_name=schema_name,
            business_model=business_model,
            admin_email=admin_email,
        ).tenant
    else:
        tenant = existing.tenant
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=tenant.schema_name,
            interactive=False,
            verbosity=0,
        )
        connection.set_schema_to_public()
    secret, admin = member_token(tenant=tenant, email=admin_email, role="admin")
    return BenchTenant(tenant=tenant, domain=domain, admin=admin, token=secret)


def member_token(*, tenant, email: str, role: str) -> tuple[str, Any]:
    """A fresh bearer token for `email`, made a member of `tenant` with `role` if needed.

    Returns (secret, user). Expired bench tokens of that user are deleted on the way.
    """
    from django.utils import timezone

    from apps.accounts import services as accounts
    from apps.accounts.models import ApiToken, Membership

    membership = (
        Membership.objects.select_related("user").filter(tenant=tenant, user__email=email).first()
    )
    if membership is None:
        membership = accounts.member_invite(tenant=tenant, email=email, role=role).membership
    elif membership.role != role:
        membership = accounts.member_change_role(
            tenant=tenant, membership_id=membership.pk, role=role
        )
    user = membership.user
    now = timezone.now()
    ApiToken.objects.filter(user=user, tenant=tenant, name=TOKEN_NAME, expires_at__lt=now).delete()
    issued = accounts.token_issue(
        user=user, tenant=tenant, name=TOKEN_NAME, expires_at=now + TOKEN_LIFETIME
    )
    return issued.secret, user


# --- the provisioning benchmark (`python -m bench provision`) -------------------------------
PROVISION_ROUNDS = 5
PROVISION_COLUMNS = [
    ("name", "target", "{}"),
    ("runs", "runs", "{}"),
    ("p50_s", "median s", "{:.3f}"),
    ("min_s", "min s", "{:.3f}"),
    ("max_s", "max s", "{:.3f}"),
]


class _RolledBack(Exception):
    pass


def _timed_and_undone(work) -> float:
    """Seconds `work()` takes inside a transaction that is then rolled back (nothing kept)."""
    import time

    from django.db import connection, transaction

    started = time.perf_counter()
    try:
        with transaction.atomic():
            work()
            elapsed = time.perf_counter() - started
            raise _RolledBack
    except _RolledBack:
        pass
    connection.set_schema_to_public()
    return elapsed


def run(opts):
    """One tenant made by every migration vs. cloned from the template vs. a spare renamed.

    Each provisioning is the real `tenant_create` (schema, domain, admin invitation, seeders),
    timed inside its transaction and rolled back, so the bench database keeps no tenant (the
    commit itself, a few milliseconds, is not timed). Rounds alternate migrate / clone / floor.
    Floor: the template's dumped DDL executed alone (CREATE SCHEMA and every table, index and
    constraint; no rows, no Django, no seeders). Printed next to it: django-tenants'
    `clone_schema()` SQL function alone (the fallback without pg_dump) and an empty CREATE SCHEMA.
    """
    import statistics
    import uuid

    from django.conf import settings
    from django.db import connection, transaction

    from apps.tenants import services, spares, template
    from bench.report import Clock, Result, print_table, ratio

    clock = Clock()
    database_prepare()
    template_name = settings.TENANT_TEMPLATE_SCHEMA or "_template"
    settings.TENANT_TEMPLATE_SCHEMA = template_name
    with transaction.atomic():
        template.template_ensure()
    clock.lap("template ready")

    def provision(via_template: bool, spare: bool = False):
        def work():
            name = f"bp_{uuid.uuid4().hex[:10]}"
            settings.TENANT_TEMPLATE_SCHEMA = template_name if via_template else ""
            settings.TENANT_SPARE_SCHEMAS = 1 if spare else 0
            services.tenant_create(
                name=name,
                domain=f"{name.replace('_', '-')}.bench",
                schema_name=name,
                business_model="payment",
                admin_email=f"admin@{name.replace('_', '-')}.bench",
            )

        return work

    def bare_clone():
        template.CloneSchema().clone_schema(template_name, f"bp_{uuid.uuid4().hex[:10]}")

    def bare_ddl():
        ddl = template.dumped_ddl(template_name)
        with connection.cursor() as cursor:
            cursor.execute(template._renamed(ddl, template_name, f"bp_{uuid.uuid4().hex[:10]}"))

    def create_schema():
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "bp_{uuid.uuid4().hex[:10]}"')

    # One committed spare (apps/tenants/spares.py): each timed provisioning renames it, and the
    # rollback gives it back for the next round.
    settings.TENANT_SPARE_SCHEMAS = 1
    spares.spares_refill()
    rounds = opts.requests if opts.requests < 50 else PROVISION_ROUNDS
    times: dict[str, list[float]] = {
        "spare": [],
        "migrations": [],
        "clone": [],
        "ddl": [],
        "clone_schema": [],
        "schema": [],
    }
    # One unrecorded round of each: imports, the migration graph, the clone function's plan.
    warm = (provision(True, spare=True), provision(False), provision(True), bare_ddl, bare_clone)
    for work in (*warm, create_schema):
        _timed_and_undone(work)
    for _ in range(rounds):
        times["spare"].append(_timed_and_undone(provision(True, spare=True)))
        times["migrations"].append(_timed_and_undone(provision(False)))
        times["clone"].append(_timed_and_undone(provision(True)))
        times["ddl"].append(_timed_and_undone(bare_ddl))
        times["clone_schema"].append(_timed_and_undone(bare_clone))
        times["schema"].append(_timed_and_undone(create_schema))
    settings.TENANT_TEMPLATE_SCHEMA = template_name
    settings.TENANT_SPARE_SCHEMAS = 1
    clock.lap(f"{rounds} rounds")

    def row(name, values):
        return {
            "name": name,
            "runs": len(values),
            "p50_s": statistics.median(values),
            "min_s": min(values),
            "max_s": max(values),
        }

    med = {k: statistics.median(v) for k, v in times.items()}
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{template_name}".django_migrations')
        migrations = cursor.fetchone()[0]
    print_table(
        "provision: one tenant by every migration vs. cloned from the template",
        [
            row("tenant_create, migrations (before)", times["migrations"]),
            row("tenant_create, template clone (session 2)", times["clone"]),
            row("tenant_create, spare renamed (after)", times["spare"]),
            row("floor: the template's DDL alone", times["ddl"]),
            row("django-tenants clone_schema() alone", times["clone_schema"]),
            row("CREATE SCHEMA (empty)", times["schema"]),
        ],
        [
            f"before/after = {ratio(med['migrations'], med['clone']):.1f}x faster; "
            f"after / floor = {ratio(med['clone'], med['ddl']):.2f} "
            "(floor: the renamed pg_dump DDL on its own: no rows, no Django, no seeders)",
            f"spare renamed: {ratio(med['clone'], med['spare']):.1f}x faster than the clone "
            "(the clone moved to a worker: apps/tenants/spares.py)",
            f"{migrations} migrations recorded in the template ({template_name}); each run is "
            "timed inside its transaction, then rolled back (commit not timed)",
            f"run     {clock.summary()}",
        ],
        columns=PROVISION_COLUMNS,
    )
    return Result(
        bench="provision",
        metrics={
            "seconds_per_tenant": round(med["spare"], 4),
            "seconds_per_tenant_by_clone": round(med["clone"], 4),
            "seconds_per_tenant_by_migrations": round(med["migrations"], 4),
            "migrations": migrations,
            "rounds": rounds,
        },
        floor={
            "ddl_seconds": round(med["ddl"], 4),
            "clone_schema_seconds": round(med["clone_schema"], 4),
            "create_schema_seconds": round(med["schema"], 4),
        },
        ratio=ratio(med["spare"], med["ddl"]),
    )
