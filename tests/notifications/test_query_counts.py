"""The webhook lists cost the same number of SQL statements for 1 row as for many."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.notifications import services

QUERIES = {
    "webhooks": "{ webhooks(first: 100) { totalCount edges { node { id name url eventTypes isActive createdBy { email } } } } }",
    "webhookDeliveries": "{ webhookDeliveries(first: 100) { totalCount edges { node { id event status attempts payload webhook { name } } } } }",
}
# Request overhead included: token, membership (2; host → tenant is cached); then one statement for the
# page with its total count and creator; deliveries fetch their webhooks in one more (the
# optimizer prefetches a type that has its own get_queryset, the admin-only guard).
PINNED = {"webhooks": 3, "webhookDeliveries": 4}

_serial = itertools.count()


def _sql_count(client, query: str) -> int:
    client.ok(query)  # warm-up: the token's last_used_at is written once a minute, not per request
    with CaptureQueriesContext(connection) as captured:
        client.ok(query)
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith("SET "))


def _grow(world, n: int) -> None:
    admin = world.user("a", "admin")
    with schema_context(world.a.schema_name):
        for _ in range(n):
            services.webhook_create(
                name=f"hook {next(_serial)}", url="https://hooks.example.com/x", created_by=admin
            )
        services.publish(event="risks.review_overdue", payload={"n": n})
    connection.set_schema_to_public()


@pytest.mark.parametrize("name", QUERIES)
def test_sql_count_does_not_grow_with_rows(api, world, name):
    admin = api("a", "admin")
    _grow(world, 1)
    few = _sql_count(admin, QUERIES[name])
    _grow(world, 20)
    many = _sql_count(admin, QUERIES[name])
    assert few == many, f"{name}: {few} statements for few rows, {many} for many"


@pytest.mark.parametrize("name", QUERIES)
def test_pinned_sql_counts(api, world, name):
    admin = api("a", "admin")
    _grow(world, 3)
    assert _sql_count(admin, QUERIES[name]) == PINNED[name]
