"""The early-warning lists cost the same SQL for a few rows as for many."""

from datetime import timedelta

from django.db import connection

from apps.early_warning.services import indicators
from apps.early_warning.services.scans import scan
from tests.core.test_query_counts import _sql_count
from tests.early_warning.conftest import T0, feed

INDICATORS = "{ indicators(first: 100) { totalCount edges { node { code status latestValue category { code } rules { edges { node { kind } } } } } } }"
SIGNALS = "{ warningSignals(first: 100) { totalCount edges { node { severity status indicator { code unit } rule { kind } assignee { email } } } } }"


def _grow(make_indicator, start: int, n: int) -> None:
    for i in range(start, start + n):
        indicator = make_indicator(f"kri_{i:03d}")
        indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
        feed(f"kri_{i:03d}", [9.0])
    scan(now=T0 + timedelta(days=1))


def test_list_queries_do_not_grow_with_rows(api, make_indicator):
    _grow(make_indicator, 0, 2)
    connection.set_schema_to_public()
    viewer = api("a", "viewer")
    few = (_sql_count(viewer, INDICATORS), _sql_count(viewer, SIGNALS))
    from django_tenants.utils import schema_context

    with schema_context("tenant_a"):
        _grow(make_indicator, 2, 20)
    connection.set_schema_to_public()
    many = (_sql_count(viewer, INDICATORS), _sql_count(viewer, SIGNALS))
    assert few == many == (4, 3)
