"""Observation rows as one PostgreSQL binary COPY buffer, built by numpy.

psycopg's `Copy.write_row` dumps every value of every row through its Python dumpers (a
Jsonb wrapper, a UUID, a datetime per row: ~15 µs a row, 150 ms of a 10,000-point call,
bench/ingest.py). Points without dimensions — nearly every batch — have fixed-width fields, so
their rows are one numpy structured array: field counts and lengths are constants, the
indicator key is 16 bytes, the times are int64 microseconds since 2000-01-01 (PostgreSQL's
own representation), the values big-endian float64, `{}` a 3-byte jsonb, the key empty.
Points with dimensions are packed one by one with `struct`. The format is PostgreSQL's
(https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"): a header, each row
as a 16-bit field count and each field as a 32-bit length and its bytes, a trailer.

Rows are (indicator_id, observed_at, value, dimensions, dimensions_key) as ingestion checks
them: an aware datetime, a finite float, a dict of text and its key.
"""

import struct
from datetime import UTC, datetime, timedelta

import numpy as np
import orjson

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
EMPTY_JSONB = b"\x01{}"  # jsonb's binary form: version 1, then the JSON text


def _plain_dtype(received: bool) -> np.dtype:
    fields = [
        ("count", ">i2"),
        ("id_len", ">i4"),
        ("id", "V16"),
        ("at_len", ">i4"),
        ("at", ">i8"),
        ("value_len", ">i4"),
        ("value", ">f8"),
        ("dims_len", ">i4"),
        ("dims", "V3"),
        ("key_len", ">i4"),
    ]
    if received:
        fields += [("received_len", ">i4"), ("received", ">i8")]
    return np.dtype(fields)


PLAIN = {False: _plain_dtype(False), True: _plain_dtype(True)}


def micros(moment: datetime) -> int:
    """PostgreSQL's timestamptz: microseconds since 2000-01-01 UTC."""
    return (moment - PG_EPOCH) // MICROSECOND


def buffer(rows: list[tuple], received_at: datetime | None = None) -> bytes:
    """The whole COPY … (FORMAT BINARY) input of these rows, received_at as a sixth column when
    given."""
    plain: list[tuple] = []
    other: list[tuple] = []
    for row in rows:
        (other if row[3] or row[4] else plain).append(row)
    keys: dict = {}
    parts = [HEADER]
    if plain:
        array = np.empty(len(plain), dtype=PLAIN[received_at is not None])
        array["count"] = 6 if received_at is not None else 5
        array["id_len"], array["at_len"], array["value_len"] = 16, 8, 8
        array["dims_len"], array["key_len"] = 3, 0
        array["dims"] = np.frombuffer(EMPTY_JSONB, dtype="V3")[0]
        ids = [keys.get(r[0]) or keys.setdefault(r[0], r[0].bytes) for r in plain]
        array["id"] = np.frombuffer(b"".join(ids), dtype="V16")
        array["at"] = [micros(r[1]) for r in plain]
        array["value"] = [r[2] for r in plain]
        if received_at is not None:
            array["received_len"], array["received"] = 8, micros(received_at)
        parts.append(array.tobytes())
    for indicator_id, observed_at, value, dims, key in other:
        jsonb = b"\x01" + orjson.dumps(dims)
        text = key.encode()
        parts.append(
            struct.pack(
                f">hi16siqidi{len(jsonb)}si{len(text)}s",
                6 if received_at is not None else 5,
                16,
                indicator_id.bytes,
                8,
                micros(observed_at),
                8,
                value,
                len(jsonb),
                jsonb,
                len(text),
                text,
            )
        )
        if received_at is not None:
            parts.append(struct.pack(">iq", 8, micros(received_at)))
    parts.append(TRAILER)
    return b"".join(parts)
