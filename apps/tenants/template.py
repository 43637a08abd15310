"""New tenant schemas are cloned from a migrated template schema, not migrated one by one.

Running every migration for each new tenant costs more with each migration the project adds
(~8 s for 65 today on the shared machine); copying a migrated schema costs the same whatever
the history. The copy is the template's `pg_dump --schema-only` DDL with the schema renamed
(dumped once per process per migration set), then its rows (seed data from data migrations,
`django_migrations`, content types) and sequence positions, all in the provisioning
transaction. Without a usable pg_dump (or when the template was migrated in this very
transaction, which pg_dump cannot see) django-tenants' `clone_schema()` SQL function does it,
about twice as slow. Either way the copied rows then get fresh UUID keys and the clone's timestamps.

The template (`TENANT_TEMPLATE_SCHEMA`, `_template` by default: a name no tenant can take, since
tenant schema names start with a letter) has no Tenant row, so nothing serves or scans it. It is
made on first use and refreshed whenever the code has a leaf migration the template has not
applied (checked at each provisioning; `manage.py tenant_template` does it ahead of time). The
check, the refresh and the clone run inside the provisioning transaction under an advisory
lock: concurrent provisionings never migrate the template twice, and a failure leaves nothing.
"""

import functools
import logging
import os
import re
import shutil
import subprocess

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_exists

from apps.core.schemas import tenant_connection

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key: "fk-tmpl" as an integer, fixed so every process uses the same one.
_LOCK_KEY = int.from_bytes(b"fk-tmpl", "big")


def template_schema() -> str:
    """The template's name; empty when provisioning migrates each schema instead."""
    return getattr(settings, "TENANT_TEMPLATE_SCHEMA", "") or ""


@functools.cache
def code_leaf_migrations() -> frozenset[tuple[str, str]]:
    """The newest migration of every app, per the code (fixed for the process's life)."""
    from django.db.migrations.loader import MigrationLoader

    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def applied_migrations(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s)", [f'"{schema}".django_migrations']
        )  # a half-made schema may lack the table
        if cursor.fetchone()[0] is None:
            return set()
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return set(cursor.fetchall())


def template_is_current(schema: str) -> bool:
    return schema_exists(schema) and code_leaf_migrations() <= applied_migrations(schema)


def template_ensure() -> bool:
    """Make or migrate the template if the code moved on; True if it did. Call in public."""
    schema = template_schema()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    if template_is_current(schema):
        return False
    if not schema_exists(schema):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')
    call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
    tenant_connection().set_schema_to_public()
    return True


def schema_clone(*, template: str, schema_name: str, template_changed_now: bool = False) -> None:
    """CREATE SCHEMA `schema_name` as a copy of `template`, structure and rows.

    The copied rows then get their own identity: new UUID keys (foreign keys follow; Django's
    are deferred, checked at commit), so an id of one tenant names nothing in another (DESIGN),
    and the clone's time as created/updated/applied time, as a migrated schema would have.
    """
    ddl = None if template_changed_now else dumped_ddl(template)
    with connection.cursor() as cursor:
        if ddl is not None:
            cursor.execute(_renamed(ddl, template, schema_name))
            cursor.execute(_literals(_COPY_ROWS, template=template, schema=schema_name))
        else:  # no pg_dump, or the template is not committed yet: the slower SQL function
            CloneSchema().clone_schema(template, schema_name, "DATA", set_connection=True)
            cursor.execute(_literals(_AS_IN_TEMPLATE, template=template, schema=schema_name))
        # The application's clock, not the database's: every timestamp the app writes uses it.
        stamp = timezone.now().isoformat()  # digits, '-', ':', '.', '+': safe inside '…'
        cursor.execute(
            _literals(_OWN_IDENTITY, template=template, schema=schema_name).replace("{now}", stamp)
        )
    tenant_connection().set_schema_to_public()


_ddl_cache: dict[tuple[str, frozenset], str] = {}


def dumped_ddl(template: str) -> str | None:
    """`pg_dump --schema-only` of the committed template, kept per process per migration set."""
    if not shutil.which("pg_dump"):
        return None
    key = (template, frozenset(applied_migrations(template)))
    if key not in _ddl_cache:
        db = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        command = ["pg_dump", "--schema-only", "--no-owner", "--no-privileges"]
        command += ["--schema", template, "--dbname", db["NAME"]]
        for flag, value in (("--host", db.get("HOST")), ("--port", db.get("PORT"))):
            if value:
                command += [flag, str(value)]
        if db.get("USER"):
            command += ["--username", db["USER"]]
        try:
            dump = subprocess.run(
                command, env=env, capture_output=True, text=True, check=True, timeout=60
            )
        except (OSError, subprocess.SubprocessError) as exc:  # e.g. pg_dump older than server
            logger.warning("pg_dump of %s failed, cloning with clone_schema(): %s", template, exc)
            return None
        _ddl_cache.clear()  # only the current template is ever cloned
        _ddl_cache[key] = _statements_only(dump.stdout)
    return _ddl_cache[key]


def _statements_only(dump: str) -> str:
    # psql meta-commands (\restrict) and session settings (search_path '') stay out: the
    # statements run on Django's connection, whose search_path django-tenants manages.
    kept = []
    for line in dump.splitlines():
        if line.startswith(("\\", "SET ", "SELECT pg_catalog.set_config")):
            continue
        kept.append(line)
    return "\n".join(kept)


def _renamed(ddl: str, template: str, schema_name: str) -> str:
    # Every object in the dump is qualified: `_template.table`, `SCHEMA _template;`.
    return re.sub(rf'(?<![\w"]){re.escape(template)}(?=[.;\s])', schema_name, ddl)


def _literals(sql: str, *, template: str, schema: str) -> str:
    return sql.replace("{schema}", _literal(schema)).replace("{template}", _literal(template))


def _literal(name: str) -> str:
    # Schema names are checked by SCHEMA_NAME_RE (letters, digits, _) before they get here.
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected schema name {name!r}")
    return name


# clone_schema() re-creates UNIQUE constraints under generated names (a later migration's
# RemoveConstraint("one_observation_per_point") would then fail) and serial sequences as bigint:
# give them back the template's names and types.
_AS_IN_TEMPLATE = """
DO $same$
DECLARE
    target text := '{schema}';
    template text := '{template}';
    u record; sq record;
BEGIN
    FOR u IN SELECT rel.relname AS tbl, mine.conname AS mine, theirs.conname AS theirs
             FROM pg_constraint mine
             JOIN pg_class rel ON rel.oid = mine.conrelid
             JOIN pg_class trel ON trel.relname = rel.relname
                              AND trel.relnamespace = template::regnamespace
             JOIN pg_constraint theirs ON theirs.conrelid = trel.oid AND theirs.contype = 'u'
                 AND pg_get_constraintdef(theirs.oid) = pg_get_constraintdef(mine.oid)
             WHERE mine.connamespace = target::regnamespace AND mine.contype = 'u'
               AND mine.conname <> theirs.conname
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = mine.conrelid
                               AND c.conname = theirs.conname) LOOP
        EXECUTE format('ALTER TABLE %I.%I RENAME CONSTRAINT %I TO %I',
                       target, u.tbl, u.mine, u.theirs);
    END LOOP;
    FOR sq IN SELECT mine.sequencename, theirs.data_type FROM pg_sequences mine
              JOIN pg_sequences theirs ON theirs.schemaname = template
                                      AND theirs.sequencename = mine.sequencename
              WHERE mine.schemaname = target AND mine.data_type <> theirs.data_type LOOP
        EXECUTE format('ALTER SEQUENCE %I.%I AS %s', target, sq.sequencename, sq.data_type);
    END LOOP;
END
$same$;
"""

# After the dumped DDL: the template's rows (seed data, django_migrations, content types) and
# its sequences' positions.
_COPY_ROWS = """
DO $rows$
DECLARE
    target text := '{schema}';
    template text := '{template}';
    t record; sq record; has_rows boolean;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c
             WHERE c.relnamespace = template::regnamespace AND c.relkind IN ('r', 'p') LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', template, t.relname) INTO has_rows;
        CONTINUE WHEN NOT has_rows;
        EXECUTE format('INSERT INTO %I.%I OVERRIDING SYSTEM VALUE SELECT * FROM %I.%I',
                       target, t.relname, template, t.relname);
    END LOOP;
    FOR sq IN SELECT sequencename, last_value FROM pg_sequences
              WHERE schemaname = template AND last_value IS NOT NULL LOOP
        PERFORM setval(format('%I.%I', target, sq.sequencename), sq.last_value, true);
    END LOOP;
END
$rows$;
"""


# One round trip. For each non-empty table: new UUIDs for a uuid `id` (children's foreign keys
# rewritten through a mapping), and the application's clock (`{now}`, one `now` for the whole
# clone) in created_at / updated_at / applied.
_OWN_IDENTITY = """
DO $own$
DECLARE
    target text := '{schema}';
    stamp timestamptz := '{now}';
    t record; fk record; ts record; has_rows boolean;
BEGIN
    CREATE TEMP TABLE _fk_rekey (tbl text, old_id uuid, new_id uuid) ON COMMIT DROP;
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = target AND c.relkind IN ('r', 'p') LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', target, t.relname) INTO has_rows;
        CONTINUE WHEN NOT has_rows;
        IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = target
                   AND table_name = t.relname AND column_name = 'id' AND data_type = 'uuid') THEN
            EXECUTE format('INSERT INTO _fk_rekey SELECT %L, id, gen_random_uuid() FROM %I.%I',
                           t.relname, target, t.relname);
        END IF;
        FOR ts IN SELECT column_name FROM information_schema.columns WHERE table_schema = target
                  AND table_name = t.relname AND data_type = 'timestamp with time zone'
                  AND column_name IN ('created_at', 'updated_at', 'applied') LOOP
            EXECUTE format('UPDATE %I.%I SET %I = %L', target, t.relname, ts.column_name, stamp);
        END LOOP;
    END LOOP;
    -- Children first (any order works: the constraints are deferred), then the keys.
    FOR fk IN SELECT ch.relname AS child, a.attname AS col, par.relname AS parent
              FROM pg_constraint con
              JOIN pg_class ch ON ch.oid = con.conrelid
              JOIN pg_class par ON par.oid = con.confrelid
              JOIN pg_namespace n ON n.oid = con.connamespace
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
              WHERE n.nspname = target AND con.contype = 'f'
                AND par.relname IN (SELECT DISTINCT tbl FROM _fk_rekey) LOOP
        EXECUTE format('UPDATE %I.%I AS c SET %I = m.new_id FROM _fk_rekey m '
                       'WHERE m.tbl = %L AND c.%I = m.old_id',
                       target, fk.child, fk.col, fk.parent, fk.col);
    END LOOP;
    FOR t IN SELECT DISTINCT tbl FROM _fk_rekey LOOP
        EXECUTE format('UPDATE %I.%I AS p SET id = m.new_id FROM _fk_rekey m '
                       'WHERE m.tbl = %L AND p.id = m.old_id', target, t.tbl, t.tbl);
    END LOOP;
    DROP TABLE _fk_rekey;
END
$own$;
"""
