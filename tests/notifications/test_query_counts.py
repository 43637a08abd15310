"""The webhook lists cost their pinned SQL count (tests/kit/registry.py), for 10 rows as for 100."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.notifications import services
from tests.kit.sql import assert_pinned

CONNECTIONS = {
    "webhooks": "{ webhooks(first: PAGE) { totalCount edges { node { id name url eventTypes isActive createdBy { email } } } } }",
    "webhookDeliveries": "{ webhookDeliveries(first: PAGE) { totalCount edges { node { id event status attempts payload webhook { name } } } } }",
}
ROWS = 15


@pytest.fixture
def seeded(world):
    admin = world.user("a", "admin")
    with schema_context(world.a.schema_name):
        for i in range(ROWS):
            services.webhook_create(
                name=f"hook {i}", url="https://hooks.example.com/x", created_by=admin
            )
        services.publish(event="risks.review_overdue", payload={"n": ROWS})  # one delivery each
    connection.set_schema_to_public()


@pytest.mark.parametrize("field", CONNECTIONS)
def test_pinned_sql_count_for_10_and_100_rows(api, seeded, field):
    assert_pinned(api("a", "admin"), field, CONNECTIONS[field])
