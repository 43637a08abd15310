"""Execution has a time budget: past it, what is left fails fast with a coded error."""

from django.test import override_settings

from tests.conftest import error_codes

QUERY = "{ me { role user { email } } members(first: 100) { edges { node { role } } } }"


def test_a_query_past_its_time_budget_is_stopped_with_a_coded_error(api):
    viewer = api("a", "viewer")
    assert viewer.ok(QUERY)["me"]["role"] == "VIEWER"
    with override_settings(GRAPHQL_TIME_BUDGET_SECONDS=0):
        body = viewer(QUERY)
    assert body["data"] is None
    assert set(error_codes(body)) == {"TIME_BUDGET_EXCEEDED"}
    assert "time budget" in body["errors"][0]["message"]
