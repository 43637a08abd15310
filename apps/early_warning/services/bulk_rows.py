"""One INSERT for many rows: `INSERT … SELECT FROM json_populate_recordset(NULL::table, rows)`.

Django's bulk_create binds every value as its own parameter (226 signals × 20 columns: 4,500
placeholders, split and dumped one by one, plus the compiler's per-value preparation), which
cost a scan more than the INSERT itself. One typed array per column (the previous form) still
left psycopg dumping ~35 arrays value by value in Python (~60 ms for a scan's 226 signals and
their audit entries: bench/warning_scan.py). Here the rows travel as one JSON document, written
by orjson and read by PostgreSQL into the table's own row type (C on both sides). The values are
the instances' own attributes (after `pre_save`, so auto_now fields are stamped); a JSON field
is nested as it is stored. A batch holding a value JSON cannot carry exactly (a non-finite
float, a type orjson does not know) goes the array way instead. For the plain column types of
the early-warning and audit rows (uuid, text, numbers, timestamps, inet, json); not a general
replacement for bulk_create."""

import json
import math

import orjson
from django.db import connection, models


def insert_rows(model: type[models.Model], objs: list) -> None:
    """Insert `objs` (new instances) in one statement; an auto-increment key is left to the
    database. The instances are marked saved."""
    if not objs:
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (isinstance(f, models.AutoField | models.BigAutoField) and f.primary_key)
    ]
    columns = [field.column for field in fields]
    values = [[field.pre_save(obj, add=True) for field in fields] for obj in objs]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    document = _as_json(fields, columns, values)
    with connection.cursor() as cursor:
        if document is not None:
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) SELECT {quoted} "
                f"FROM json_populate_recordset(NULL::{table}, %s::json)",
                [document],
            )
        else:
            _insert_arrays(cursor, table, quoted, fields, values)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def _as_json(fields: list, columns: list[str], values: list[list]) -> str | None:
    """The rows as a JSON array of objects, or None when a value would not survive JSON."""
    encoded = [
        i for i, f in enumerate(fields) if isinstance(f, models.JSONField) and f.encoder is not None
    ]
    rows = []
    for row in values:
        for value in row:
            if type(value) is float and not math.isfinite(value):
                return None  # JSON has no NaN/Infinity: orjson would write null
        if encoded:  # the field's own encoder, embedded as it wrote it
            row = list(row)
            for i in encoded:
                if row[i] is not None:
                    row[i] = orjson.Fragment(json.dumps(row[i], cls=fields[i].encoder))
        rows.append(dict(zip(columns, row, strict=True)))
    try:
        return orjson.dumps(rows).decode()
    except TypeError:
        return None


def _insert_arrays(cursor, table: str, quoted: str, fields: list, values: list[list]) -> None:
    """The same INSERT with one typed array per column."""
    arrays, params = [], []
    for i, field in enumerate(fields):
        column = [row[i] for row in values]
        if isinstance(field, models.JSONField):
            column = [None if v is None else json.dumps(v, cls=field.encoder) for v in column]
            db_type = "jsonb"
        else:
            db_type = field.db_type(connection)
        arrays.append(f"%s::{db_type}[]")
        params.append(column)
    cursor.execute(
        f"INSERT INTO {table} ({quoted}) SELECT * FROM unnest({', '.join(arrays)})", params
    )
