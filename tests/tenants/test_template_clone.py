"""A tenant cloned from the template schema is the same as one made by running the migrations."""

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from apps.risks.models import RiskCategory
from apps.tenants import services, template
from apps.tenants.models import Tenant

CLONED, MIGRATED = "cmp_cloned", "cmp_migrated"

# Each listing names objects by table and name; definitions have the schema name replaced.
CATALOG = {
    "tables": """SELECT table_name, table_type FROM information_schema.tables
                 WHERE table_schema = %(s)s""",
    # Position by rank: a migrated table keeps the gaps of dropped columns, a copy has none.
    "columns": """SELECT table_name, column_name,
                         rank() OVER (PARTITION BY table_name ORDER BY ordinal_position),
                         data_type, is_nullable,
                         column_default, character_maximum_length, numeric_precision,
                         numeric_scale, is_identity, identity_generation, collation_name
                  FROM information_schema.columns WHERE table_schema = %(s)s""",
    "indexes": """SELECT tablename, indexname, indexdef FROM pg_indexes
                  WHERE schemaname = %(s)s""",
    "constraints": """SELECT rel.relname, con.conname, con.contype, con.condeferrable,
                             con.condeferred, pg_get_constraintdef(con.oid, true),
                             ref.relnamespace::regnamespace::text
                      FROM pg_constraint con
                      JOIN pg_class rel ON rel.oid = con.conrelid
                      LEFT JOIN pg_class ref ON ref.oid = con.confrelid
                      WHERE con.connamespace = %(s)s::regnamespace""",
    "sequences": """SELECT sequencename, data_type, start_value, min_value, max_value,
                           increment_by, cycle, last_value
                    FROM pg_sequences WHERE schemaname = %(s)s""",
    "sequence_owners": """SELECT s.relname, t.relname, a.attname FROM pg_depend d
                          JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                          JOIN pg_class t ON t.oid = d.refobjid
                          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                          WHERE s.relnamespace = %(s)s::regnamespace""",
    "triggers": """SELECT event_object_table, trigger_name, action_timing, event_manipulation,
                          action_statement
                   FROM information_schema.triggers WHERE trigger_schema = %(s)s""",
    "views": """SELECT table_name, view_definition FROM information_schema.views
                WHERE table_schema = %(s)s""",
    "functions": """SELECT p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p
                    WHERE p.pronamespace = %(s)s::regnamespace""",
    "migrations": "SELECT app, name FROM {schema}.django_migrations",
    "content_types": "SELECT id, app_label, model FROM {schema}.django_content_type",
    "categories": """SELECT c.code, c.name_en, c.name_zh, c.path, c.seeded, p.code
                     FROM {schema}.risks_riskcategory c
                     LEFT JOIN {schema}.risks_riskcategory p ON p.id = c.parent_id""",
}


# A partial index `status IN ('a', 'b')` as migrations store it, and as PostgreSQL parses its own
# printout of it again (pg_dump, or any dump and restore): `(ARRAY['a'::varchar, …])::text[]`
# vs `ARRAY[('a'::varchar)::text, …]`, the same constant text[] once folded. One spelling here.
_IN_LIST = re.compile(r"= ANY \((?:\(ARRAY\[([^\]]*)\]\)::text\[\]|ARRAY\[([^\]]*)\])\)")
_QUOTED = re.compile(r"'([^']*)'")


def _canonical(value):
    if not isinstance(value, str):
        return value
    return _IN_LIST.sub(lambda m: "= ANY " + repr(_QUOTED.findall(m.group(1) or m.group(2))), value)


def _listing(schema: str, name: str) -> list[tuple]:
    sql = CATALOG[name].replace("{schema}", schema)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"s": schema})
        rows = cursor.fetchall()
    return sorted(
        tuple(_canonical(v.replace(schema, "S")) if isinstance(v, str) else v for v in row)
        for row in rows
    )


def _row_counts(schema: str) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table, kind in _listing(schema, "tables"):
            if kind == "BASE TABLE":
                cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
                counts[table] = cursor.fetchone()[0]
    return counts


def _create(schema_name: str):
    return services.tenant_create(
        name=schema_name,
        domain=schema_name.replace("_", "-") + ".test",
        schema_name=schema_name,
        business_model="payment",
        admin_email=f"admin@{schema_name.replace('_', '-')}.test",
    )


@pytest.fixture
def cloned(world, settings):
    assert template.template_is_current(settings.TENANT_TEMPLATE_SCHEMA)  # made by the world
    return _create(CLONED)


def test_a_cloned_schema_equals_a_migrated_one(cloned, settings):
    settings.TENANT_TEMPLATE_SCHEMA = ""  # the old way: CREATE SCHEMA + every migration
    _create(MIGRATED)
    differences = {}
    for listing in CATALOG:
        mine, theirs = _listing(CLONED, listing), _listing(MIGRATED, listing)
        if listing not in ("triggers", "views", "functions"):  # none yet; compared all the same
            assert mine, f"nothing listed for {listing}: the comparison would prove nothing"
        if mine != theirs:
            differences[listing] = {
                "cloned only": sorted(set(mine) - set(theirs)),
                "migrated only": sorted(set(theirs) - set(mine)),
            }
    assert not differences
    counts = _row_counts(CLONED)
    assert counts["risks_riskcategory"] > 0 and counts["django_migrations"] > 0
    assert counts == _row_counts(MIGRATED)


def test_cloned_rows_have_their_own_ids_and_times(cloned, world):
    with schema_context(CLONED):
        cloned = {c.code: (c.pk, c.created_at) for c in RiskCategory.objects.all()}
    with schema_context(world.a.schema_name):
        other = {c.code: c.pk for c in RiskCategory.objects.all()}
    with schema_context(template.template_schema() or "_template"):
        in_template = {c.code: c.pk for c in RiskCategory.objects.all()}
    connection.set_schema_to_public()
    created = Tenant.objects.get(schema_name=CLONED).created_at
    for code, (pk, created_at) in cloned.items():
        assert pk not in (other.get(code), in_template.get(code))
        assert abs((created_at - created).total_seconds()) < 60


def test_the_cloned_tenant_works_through_its_foreign_keys(cloned):
    with schema_context(CLONED):
        parent = RiskCategory.objects.order_by("path").first()
        RiskCategory.objects.create(
            code="child_one",
            name_en="Child",
            name_zh="子",
            path=f"{parent.path}/child_one",
            parent=parent,
        )
        with connection.cursor() as cursor:  # the deferred foreign keys, checked now
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        assert RiskCategory.objects.get(code="child_one").parent == parent
    connection.set_schema_to_public()


def _sql_free_leaf_migration(schema: str) -> tuple[str, str]:
    """A newest migration of some app that changes no table: safe to apply a second time."""
    from django.db.migrations.executor import MigrationExecutor

    connection.set_schema(schema)  # tenant apps' operations are skipped in public
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    for key in sorted(template.code_leaf_migrations()):
        if graph.node_map[key].children:  # another app's migration depends on it
            continue
        sql = executor.loader.collect_sql([(executor.loader.graph.nodes[key], False)])
        if not [line for line in sql if not line.startswith("--")]:  # comments only
            connection.set_schema_to_public()
            return key
    pytest.skip("every newest migration changes tables")


def test_a_stale_template_is_migrated_before_it_is_cloned(world, settings):
    schema = settings.TENANT_TEMPLATE_SCHEMA
    app, name = _sql_free_leaf_migration(schema)
    with connection.cursor() as cursor:  # the template lags one migration behind the code
        cursor.execute(
            f"DELETE FROM {schema}.django_migrations WHERE app = %s AND name = %s", [app, name]
        )
    assert not template.template_is_current(schema)
    made = _create("fresh_clone")
    assert (app, name) in template.applied_migrations(schema)
    assert template.code_leaf_migrations() <= template.applied_migrations(made.tenant.schema_name)


def test_a_missing_template_is_made_on_first_use(world, settings):
    schema = settings.TENANT_TEMPLATE_SCHEMA
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    made = _create("first_clone")
    assert template.template_is_current(schema)
    assert template.code_leaf_migrations() <= template.applied_migrations(made.tenant.schema_name)


def test_a_failed_clone_leaves_no_schema_and_no_rows(world, monkeypatch):
    real_clone = services.schema_clone

    def clone_then_fail(**kwargs):
        real_clone(**kwargs)  # the schema and its rows are made, then something breaks
        raise RuntimeError("clone failed half-way")

    monkeypatch.setattr(services, "schema_clone", clone_then_fail)
    with pytest.raises(RuntimeError):
        _create("broken_clone")
    assert not schema_exists("broken_clone")
    assert not Tenant.objects.filter(schema_name="broken_clone").exists()
