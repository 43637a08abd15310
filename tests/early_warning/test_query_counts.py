"""The early-warning lists cost their pinned SQL count (tests/kit/registry.py), for 10 rows as for
100: rules nested in indicators, each signal's indicator with its computed status."""

from datetime import timedelta

import pytest

from apps.early_warning.services import indicators
from apps.early_warning.services.scans import scan
from tests.early_warning.conftest import T0, feed
from tests.kit.sql import assert_pinned

CONNECTIONS = {
    "indicators": "{ indicators(first: PAGE) { totalCount edges { node { code status latestValue category { code } rules { edges { node { kind } } } } } } }",
    "warningSignals": "{ warningSignals(first: PAGE) { totalCount edges { node { severity status indicator { code unit status } rule { kind } assignee { email } allowedTransitions comments(first: 3) { totalCount edges { node { body author { email } } } } history { totalCount } } } } }",
}
ROWS = 15


@pytest.fixture
def seeded(make_indicator):
    for i in range(ROWS):
        indicator = make_indicator(f"kri_{i:03d}")
        indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
        feed(f"kri_{i:03d}", [9.0])  # above red: one signal each
    scan(now=T0 + timedelta(days=1))


@pytest.mark.parametrize("field", CONNECTIONS)
def test_pinned_sql_count_for_10_and_100_rows(seeded, api, field):
    from django.db import connection

    connection.set_schema_to_public()
    assert_pinned(api("a", "viewer"), field, CONNECTIONS[field])
