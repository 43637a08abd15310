"""One INSERT for many rows: `INSERT … SELECT FROM unnest(one array per column)`.

Django's bulk_create binds every value as its own parameter (226 signals × 20 columns: 4,500
placeholders, split and dumped one by one, plus the compiler's per-value preparation), which
cost a scan more than the INSERT itself. Here each column travels as one typed array. The
values are the instances' own attributes (after `pre_save`, so auto_now fields are stamped);
JSON goes as text cast to jsonb. For the plain column types of the early-warning and audit rows
(uuid, text, numbers, timestamps, inet, json); not a general replacement for bulk_create."""

import json

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
    columns, arrays, params = [], [], []
    for field in fields:
        values = [field.pre_save(obj, add=True) for obj in objs]
        db_type: str | None
        if isinstance(field, models.JSONField):
            values = [None if v is None else json.dumps(v, cls=field.encoder) for v in values]
            db_type = "jsonb"
        else:
            db_type = field.db_type(connection)
        columns.append(connection.ops.quote_name(field.column))
        arrays.append(f"%s::{db_type}[]")
        params.append(values)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT * FROM unnest({', '.join(arrays)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
