"""reputation, over HTTP: 10,000 mentions per GraphQL call (compact JSON rows and CSV) next to
PostgreSQL COPY of the same rows into the mentions table, in one run.

Calls go to gunicorn as the tenant's admin, one at a time: `mentionsIngestRows(input: {rows})`
and `mentionsIngestCsv(input: {csv})`, each with 10,000 new mentions (100 distinct texts, as
reposts repeat them), and the rows call again with mentions already stored (10,000 upserts,
reported apart). Each call ends with the scoring job asked for (a Job row, a Celery message).

Floors, in this process, commit included: COPY … FROM STDIN (text, `write_row`) of the same
10,000 rows, every column, prepared beforehand, into the mentions table itself (its seven
indexes, WAL, the two foreign keys checked at commit) — what the API's write does at best —
and into a temporary table of the same shape (no WAL, no foreign key; the floor of earlier
sessions). The ratio is the rows call's mentions/s ÷ COPY into the mentions table.
"""

import csv
import http.client
import io
import json
import time
import uuid
from datetime import timedelta

ROUNDS = 3
PER_CALL = 10_000
PAYLOAD = "createdCount updatedCount errors { index field code message }"
ROWS_QUERY = f"mutation($r: JSON!) {{ mentionsIngestRows(input: {{rows: $r}}) {{ {PAYLOAD} }} }}"
CSV_QUERY = f"mutation($c: String!) {{ mentionsIngestCsv(input: {{csv: $c}}) {{ {PAYLOAD} }} }}"
CSV_HEADER = ["source", "external_id", "published_at", "text", "author", "reach", "likes"]


def _mentions(prefix: str, at, texts: list[str]) -> list[list]:
    stamp = at.isoformat()
    return [["bench_rep", f"{prefix}-{i}", stamp, texts[i], "", i, 1] for i in range(PER_CALL)]


def rows_body(mentions: list[list]) -> bytes:
    return json.dumps({"query": ROWS_QUERY, "variables": {"r": mentions}}).encode()


def csv_body(mentions: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows(mentions)
    return json.dumps({"query": CSV_QUERY, "variables": {"c": out.getvalue()}}).encode()


def post(server, tenant, body: bytes, created: int, updated: int = 0) -> float:
    """One call: wall seconds from sending to the whole answer (checked)."""
    headers = {
        "Host": tenant.domain,
        "Content-Type": "application/json",
        "Authorization": f"Bearer {tenant.token}",
    }
    conn = http.client.HTTPConnection(server.address, server.port, timeout=300)
    try:
        started = time.perf_counter()
        conn.request("POST", "/graphql/", body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        elapsed = time.perf_counter() - started
    finally:
        conn.close()
    try:
        payload = next(iter(json.loads(raw)["data"].values()))
    except (ValueError, KeyError, TypeError, AttributeError, StopIteration):
        payload = None
    if (
        response.status != 200
        or not payload
        or payload["errors"]
        or (payload["createdCount"], payload["updatedCount"]) != (created, updated)
    ):
        raise RuntimeError(
            f"mentions ingest answered {response.status} {raw[:1000]!r}\n"
            f"--- gunicorn log ---\n{server.log_tail()}"
        )
    return elapsed


def _copy_floor(table: str, rows: list[tuple], temporary: bool) -> float:
    from django.db import connection, transaction

    columns = (
        "id, created_at, updated_at, source_id, external_id, channel, story_id, url, author, "
        "reach, published_at, text, language, likes, shares, comments, views, "
        "sentiment_label, scorer_name, scorer_version, human_label"
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        target = table
        if temporary:
            target = "bench_copy"
            cursor.execute(
                f"CREATE TEMPORARY TABLE bench_copy (LIKE {table} INCLUDING INDEXES "
                "INCLUDING IDENTITY) ON COMMIT DROP"
            )
        with cursor.cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return time.perf_counter() - started


def _floor_rows(prefix: str, at, texts: list[str], source_id, story_id) -> list[tuple]:
    return [
        (uuid.uuid4(), at, at, source_id, f"{prefix}-{i}", "weibo", story_id, "", "", i, at,
         texts[i], "zh", 1, 0, 0, 0, "", "", "", "")
        for i in range(PER_CALL)
    ]  # fmt: skip


def measure(tenant, now, texts: list[str], workers: int, threads: int) -> dict[str, list]:
    """ROUNDS of each (order rotating): rows, csv, COPY into the table, COPY into a temporary
    table; then ROUNDS re-sent rows calls. The mentions are published three days ago (the
    aggregate reads yesterday); the floor's rows are deleted at the end."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.reputation.models import Mention, Source, Story
    from bench import harness

    at = now - timedelta(days=3)
    table = Mention._meta.db_table
    with schema_context(tenant.schema_name):
        source_id = Source.objects.get(code="bench_rep").pk
        story_id = Story.objects.values_list("pk", flat=True).first()
    times: dict[str, list] = {"rows": [], "csv": [], "copy_table": [], "copy_temp": []}
    times["rows_resent"] = []
    with harness.gunicorn_server(workers=workers, threads=threads) as server:
        post(server, tenant, rows_body(_mentions("hw", at, texts)), PER_CALL)  # warm-up
        for n in range(ROUNDS):
            steps = {
                "rows": lambda n=n: post(
                    server, tenant, rows_body(_mentions(f"hr{n}", at, texts)), PER_CALL
                ),
                "csv": lambda n=n: post(
                    server, tenant, csv_body(_mentions(f"hc{n}", at, texts)), PER_CALL
                ),
                "copy_table": lambda n=n: _copy_floor(
                    table, _floor_rows(f"ft{n}", at, texts, source_id, story_id), False
                ),
                "copy_temp": lambda n=n: _copy_floor(
                    table, _floor_rows(f"fc{n}", at, texts, source_id, story_id), True
                ),
            }
            order = list(steps)
            for name in order[n % len(order) :] + order[: n % len(order)]:
                if name.startswith("copy"):
                    with schema_context(tenant.schema_name):
                        rows_ready = steps[name]
                        times[name].append(rows_ready())
                else:
                    times[name].append(steps[name]())
        for n in range(ROUNDS):
            body = rows_body(_mentions(f"hr{n}", at, texts))
            times["rows_resent"].append(post(server, tenant, body, 0, PER_CALL))
    with schema_context(tenant.schema_name), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE external_id LIKE 'ft%%'")
    return times
