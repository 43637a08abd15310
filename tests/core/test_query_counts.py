"""Each core list costs its pinned SQL count (tests/kit/registry.py), for 10 rows as for 100."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts import services as accounts
from apps.core import services
from apps.core.module import JOB_DIAGNOSTICS
from apps.people.services import departments
from tests.kit.sql import assert_pinned

# Root connection → its list query, PAGE where the page size goes (tests/test_schema_guards.py).
CONNECTIONS = {
    "members": "{ members(first: PAGE) { totalCount edges { node { id role user { email fullName } } } } }",
    "apiTokens": "{ apiTokens(first: PAGE) { edges { node { id name prefix user { email } } } } }",
    "jobs": "{ jobs(first: PAGE) { totalCount edges { node { id status kind progress } } } }",
    "auditEntries": "{ auditEntries(first: PAGE) { edges { node { action objectType changes actorEmail } } } }",
}
ROWS = 15  # more than the small page


@pytest.fixture
def seeded(world):
    for i in range(ROWS):
        accounts.member_invite(tenant=world.a, email=f"extra{i}@a.test", role="viewer")
        accounts.token_issue(user=world.user("a", "admin"), tenant=world.a, name="extra")
    with schema_context(world.a.schema_name):
        for i in range(ROWS):
            services.job_create(kind=JOB_DIAGNOSTICS)
            # any audited tenant write makes an audit entry; a department is the simplest one
            departments.department_create(code=f"audit_{i}", name_en=f"Audit {i}")
    connection.set_schema_to_public()


@pytest.mark.parametrize("field", CONNECTIONS)
def test_pinned_sql_count_for_10_and_100_rows(api, seeded, field):
    assert_pinned(api("a", "admin"), field, CONNECTIONS[field])
