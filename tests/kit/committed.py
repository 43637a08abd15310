"""What a real-worker test commits, removed after it (tests/conftest.py `_committed_rows_removed`).

A worker runs in its own process and commits: jobs, their audit entries, notifications, tokens…
outlive the test unless someone deletes them, and a later test (another file's, in the same
xdist process) would then see them. Before the test every row key of every table with an `id`
is listed (each tenant schema; public is left alone); after it, the rows whose key
was not listed are deleted, in one transaction with the foreign keys deferred (Django's are
DEFERRABLE), so the order does not matter. Rows the test changed are not restored: a test that
changes shared rows puts them back itself.

It uses a connection of its own (autocommit): what the test's own transaction holds is not
committed and is none of its business.
"""

from collections import defaultdict

import psycopg
from django.conf import settings


def _connect() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def _keyed_tables(cursor) -> dict[str, list[str]]:
    """schema → its tables with an `id` column (public and every tenant schema; no template)."""
    cursor.execute(
        """SELECT c.relnamespace::regnamespace::text, c.relname FROM pg_class c
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped
           WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
             AND c.relnamespace::regnamespace::text IN (
                 SELECT schema_name FROM public.tenants_tenant WHERE schema_name <> 'public')
           ORDER BY 1, 2"""
    )
    tables = defaultdict(list)
    for schema, table in cursor.fetchall():
        tables[schema].append(table)
    return tables


def _keys(cursor, tables: dict[str, list[str]]) -> set[tuple[str, str, str]]:
    keys = set()
    for schema, names in tables.items():
        # A statement locks every table it reads (and the planner their indexes) until it ends:
        # a few dozen at a time keep the shared lock table (max_locks_per_transaction) free.
        for i in range(0, len(names), _TABLES_PER_STATEMENT):
            union = " UNION ALL ".join(
                f'SELECT \'{name}\', id::text FROM "{schema}"."{name}"'
                for name in names[i : i + _TABLES_PER_STATEMENT]
            )
            cursor.execute(union)
            keys.update((schema, table, key) for table, key in cursor.fetchall())
    return keys


_TABLES_PER_STATEMENT = 20


class CommittedRows:
    """`before()` lists the keys, `remove_new()` deletes the rows committed since."""

    def __init__(self) -> None:
        self._conn = _connect()
        self._tables: dict[str, list[str]] = {}
        self._before: set[tuple[str, str, str]] = set()

    def before(self) -> None:
        with self._conn.cursor() as cursor:
            self._tables = _keyed_tables(cursor)
            self._before = _keys(cursor, self._tables)

    def remove_new(self) -> dict[str, int]:
        """Delete what was committed since `before()`; per table, how many rows."""
        removed: dict[str, int] = {}
        with self._conn.cursor() as cursor:
            new = _keys(cursor, self._tables) - self._before
            by_table = defaultdict(list)
            for schema, table, key in new:
                by_table[(schema, table)].append(key)
            if not by_table:
                return removed
            cursor.execute("SET lock_timeout = '10s'")
            with self._conn.transaction():
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for (schema, table), keys in by_table.items():
                    cursor.execute(
                        f'DELETE FROM "{schema}"."{table}" WHERE id::text = ANY(%s)', [keys]
                    )
                    removed[f"{schema}.{table}"] = cursor.rowcount
        return removed

    def close(self) -> None:
        self._conn.close()
