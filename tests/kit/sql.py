"""Counting the SQL a GraphQL request costs, and holding connections to their pins."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGES = (10, 100)


def sql_count(client, query: str, variables: dict | None = None) -> int:
    """Statements run by one request of `query` (after a warm-up request)."""
    client.ok(query, variables)  # warm-up: a token's last_used_at is written once a minute
    with CaptureQueriesContext(connection) as captured:
        client.ok(query, variables)
    # SET search_path is connection bookkeeping, not work for the query (DESIGN pitfall 8).
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith("SET "))


def edge_count(client, query: str, field: str) -> int:
    return len(client.ok(query)[field]["edges"])


def assert_pinned(client, field: str, query: str) -> None:
    """`query` holds PAGE where the page size goes; first:10 and first:100 must both cost exactly
    the pin of `field`, and the larger page must really hold more rows (else nothing is shown)."""
    from tests.kit.registry import SQL_PINS

    small, large = (query.replace("PAGE", str(size)) for size in PAGES)
    assert edge_count(client, large, field) > edge_count(client, small, field), (
        f"{field}: seed more than {PAGES[0]} rows, or first:{PAGES[0]} proves nothing"
    )
    counts = (sql_count(client, small), sql_count(client, large))
    assert counts == (SQL_PINS[field],) * 2, (
        f"{field}: {counts[0]} statements for first:{PAGES[0]}, {counts[1]} for "
        f"first:{PAGES[1]}; pinned at {SQL_PINS[field]}"
    )
