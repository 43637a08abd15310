"""Spare schemas: clones of the template made ahead of time, so provisioning only renames one.

Cloning the template is ~1,100 DDL statements (98 tables, 330 indexes, 280 constraints): about
0.6 s of PostgreSQL CPU, and seconds of wall time on a busy machine. Provisioning does not wait
for it: `spares_refill()` (a Celery task sent after each provisioning commits, and by the beat
dispatcher when the pool runs short; `manage.py tenant_template` too) keeps
`TENANT_SPARE_SCHEMAS` clones ready, and `tenant_create` renames one (`ALTER SCHEMA … RENAME`,
one catalog row) and stamps its seed rows with the provisioning time (only the tables with rows,
which the spare's COMMENT lists since it was made). With no spare ready, or
`TENANT_SPARE_SCHEMAS = 0`, it clones the template in its own transaction as before.

A spare is named `_spare_<fingerprint>_<random>`: the fingerprint is the code's set of newest
migrations, so a spare made before a release is never claimed (and the next refill drops it).
Names start with `_`, which no tenant schema can (SCHEMA_NAME_RE); spares have no Tenant row, so
nothing serves, ticks or migrates them (`migrate_schemas` visits tenants and the template only).
Two provisionings never take the same spare: each claims one under a transaction-scoped advisory
lock and checks it still exists once the lock is held.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_exists

from apps.core.schemas import tenant_connection
from apps.tenants.template import (
    code_leaf_migrations,
    schema_clone,
    template_ensure,
    template_schema,
)

logger = logging.getLogger(__name__)

PREFIX = "_spare_"
REFILL_TASK = "tenants.refill_spares"  # apps/tenants/tasks.py
# pg_try_advisory_xact_lock(class, key): this class is the spares'; key = hashtext(name).
_LOCK_CLASS = int.from_bytes(b"fksp", "big")


def spare_target() -> int:
    """How many spares to keep ready; 0 when provisioning clones each schema itself."""
    if not template_schema():
        return 0
    return max(int(getattr(settings, "TENANT_SPARE_SCHEMAS", 0) or 0), 0)


def fingerprint() -> str:
    """The code's migration set (and template name), short: part of every current spare's name."""
    text = template_schema() + ";" + ";".join(sorted(f"{a}.{n}" for a, n in code_leaf_migrations()))
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def _like(prefix: str) -> str:
    return prefix.replace("_", r"\_") + "%"


def spares_ready() -> list[str]:
    """The current spares, oldest name first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s ORDER BY nspname",
            [_like(f"{PREFIX}{fingerprint()}_")],
        )
        return [name for (name,) in cursor.fetchall()]


def spares_stale() -> list[str]:
    """Spares of another migration set (made before a release): never claimed, to be dropped."""
    current = f"{PREFIX}{fingerprint()}_"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s AND nspname NOT LIKE %s",
            [_like(PREFIX), _like(current)],
        )
        return [name for (name,) in cursor.fetchall()]


def spare_claim(schema_name: str) -> bool:
    """Inside the provisioning transaction: rename a ready spare to `schema_name`, its rows
    stamped with now. False (nothing done) when no spare is ready."""
    if not spare_target():
        return False
    with connection.cursor() as cursor:
        # OFFSET 0 keeps the LIKE filter below the lock call: only spares are ever locked.
        cursor.execute(
            "SELECT nspname, obj_description(oid, 'pg_namespace') FROM (SELECT oid, nspname "
            "FROM pg_namespace WHERE nspname LIKE %s ORDER BY nspname OFFSET 0) s "
            "WHERE pg_try_advisory_xact_lock(%s, hashtext(nspname)) LIMIT 1",
            [_like(f"{PREFIX}{fingerprint()}_"), _LOCK_CLASS],
        )
        row = cursor.fetchone()
        # Locked now; a provisioning that committed since this statement began took it.
        if row is None or not schema_exists(row[0]):
            return False
        spare = row[0]
        stamped = _stamped_columns(row[1] or _stamp_list(spare))  # no comment: a spare made
        # before the comment existed, listed now (slower, same result)
        target = _checked(schema_name)
        cursor.execute(f'ALTER SCHEMA "{spare}" RENAME TO "{target}"')
        # The spare's rows (seed data, django_migrations) got the time it was cloned: they get
        # the provisioning time, as a clone made now would have. Only the tables with rows,
        # listed in the spare's comment when it was made: one round trip.
        stamp = timezone.now().isoformat()  # digits, '-', ':', '.', '+': safe inside '…'
        updates = [
            f'UPDATE "{target}"."{table}" SET "{column}" = \'{stamp}\'' for table, column in stamped
        ]
        cursor.execute(";\n".join([*updates, f'COMMENT ON SCHEMA "{target}" IS NULL']))
    return True


def _stamped_columns(comment: str) -> list[tuple[str, str]]:
    if not comment.startswith(_STAMP_TAG):
        raise RuntimeError(f"a spare schema with an unexpected comment: {comment!r}")
    pairs = [item.split(".", 1) for item in comment.removeprefix(_STAMP_TAG).split(",") if item]
    return [(_checked(table), _checked(column)) for table, column in pairs]


_STAMP_TAG = "fengkong spare; stamp: "


def _stamp_list(schema: str) -> str:
    """The spare's comment: its non-empty tables' created_at / updated_at / applied columns."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, a.attname FROM pg_attribute a
               JOIN pg_class c ON c.oid = a.attrelid
               WHERE c.relnamespace = %s::regnamespace AND c.relkind IN ('r', 'p')
                 AND NOT c.relispartition AND NOT a.attisdropped
                 AND a.attname IN ('created_at', 'updated_at', 'applied')
                 AND a.atttypid = 'timestamptz'::regtype""",
            [schema],
        )
        columns = cursor.fetchall()
        tables = sorted({table for table, _ in columns})
        filled: set[str] = set()
        if tables:
            cursor.execute(
                " UNION ALL ".join(
                    f'SELECT \'{t}\' WHERE EXISTS (SELECT 1 FROM "{schema}"."{t}")' for t in tables
                )
            )
            filled = {table for (table,) in cursor.fetchall()}
    return _STAMP_TAG + ",".join(f"{t}.{c}" for t, c in sorted(columns) if t in filled)


def spare_make() -> str:
    """Clone the template into a new spare, committed on return. In public, outside a
    transaction (each spare is its own)."""
    name = f"{PREFIX}{fingerprint()}_{uuid.uuid4().hex[:8]}"
    with transaction.atomic():
        changed = template_ensure()
        schema_clone(template=template_schema(), schema_name=name, template_changed_now=changed)
        comment = _stamp_list(name).replace("'", "")  # names are letters, digits, _
        with connection.cursor() as cursor:
            cursor.execute(f"COMMENT ON SCHEMA \"{name}\" IS '{comment}'")
    return name


def spares_refill() -> dict:
    """Drop stale spares, then make spares until `TENANT_SPARE_SCHEMAS` are ready."""
    tenant_connection().set_schema_to_public()
    dropped = 0
    for name in spares_stale():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_CLASS, name]
            )
            if cursor.fetchone()[0] and schema_exists(name):
                cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
                dropped += 1
    made = []
    for _ in range(max(spare_target() - len(spares_ready()), 0)):
        made.append(spare_make())
    return {"made": len(made), "dropped": dropped, "ready": len(spares_ready())}


def refill_after_commit() -> None:
    """Ask a worker to replace the spare this transaction used, once it commits."""
    if not spare_target():
        return
    transaction.on_commit(send_refill)


def send_refill() -> None:
    """Send the refill task (by name: apps.tenants.tasks imports this module). A broker that
    refuses is not an error: the beat dispatcher's next round sends it again."""
    from config.celery import app

    try:
        app.send_task(REFILL_TASK)
    except Exception:  # kombu raises OperationalError / ConnectionError / TimeoutError
        logger.warning("could not send the spare-schema refill", exc_info=True)


def spares_short() -> bool:
    """Fewer current spares are ready than TENANT_SPARE_SCHEMAS, or stale ones are left."""
    target = spare_target()
    return bool(target) and (len(spares_ready()) < target or bool(spares_stale()))


def _checked(name: str) -> str:
    # Schema names are checked by SCHEMA_NAME_RE (letters, digits, _) before they get here.
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected schema name {name!r}")
    return name
