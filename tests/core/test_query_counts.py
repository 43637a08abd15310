"""Each main list query costs the same number of SQL statements for 1 row as for many."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.accounts import services as accounts
from apps.core import services
from apps.core.module import JOB_DIAGNOSTICS

QUERIES = {
    "members": "{ members(first: 100) { totalCount edges { node { id role user { email fullName } } } } }",
    "apiTokens": "{ apiTokens(first: 100) { edges { node { id name prefix user { email } } } } }",
    "jobs": "{ jobs(first: 100) { totalCount edges { node { id status kind progress } } } }",
    "auditEntries": "{ auditEntries(first: 100) { edges { node { action objectType changes actorEmail } } } }",
}


_serial = itertools.count()


def _sql_count(client, query: str) -> int:
    client.ok(query)  # warm-up: the token's last_used_at is written once a minute, not per request
    with CaptureQueriesContext(connection) as captured:
        client.ok(query)
    # SET search_path is connection bookkeeping, not work for the query (DESIGN pitfall 8).
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith("SET "))


def _grow(world, n: int) -> None:
    for _ in range(n):
        accounts.member_invite(tenant=world.a, email=f"extra{next(_serial)}@a.test", role="viewer")
        accounts.token_issue(user=world.user("a", "admin"), tenant=world.a, name="extra")
    with schema_context(world.a.schema_name):
        for _ in range(n):
            services.job_create(kind=JOB_DIAGNOSTICS)
    connection.set_schema_to_public()


@pytest.mark.parametrize("name", QUERIES)
def test_sql_count_does_not_grow_with_rows(api, world, name):
    admin = api("a", "admin")
    _grow(world, 1)
    few = _sql_count(admin, QUERIES[name])
    _grow(world, 25)
    many = _sql_count(admin, QUERIES[name])
    assert few == many, f"{name}: {few} statements for few rows, {many} for many"


# Pinned: a change that adds a statement to these should be a decision, not an accident.
# Request overhead included: token, membership (2; host → tenant is cached per process).
PINNED = {"members": 3, "apiTokens": 3, "jobs": 3, "auditEntries": 3}


@pytest.mark.parametrize("name", QUERIES)
def test_pinned_sql_counts(api, world, name):
    admin = api("a", "admin")
    _grow(world, 3)
    assert _sql_count(admin, QUERIES[name]) == PINNED[name]
