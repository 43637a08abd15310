"""No "Did you mean …?" in production: graphql-core offers it for arguments, input fields and
enum values too, which strawberry's disable_field_suggestions does not cover."""

import pytest
from django.test import override_settings

from tests.conftest import HOST_A, Api

TYPOS = [
    "{ risks(frist: 1) { totalCount } }",  # an argument
    '{ risks(filter: {serach: "x"}) { totalCount } }',  # an input field
    "{ risks(orderBy: [{field: TITEL}]) { totalCount } }",  # an enum value
    "{ riskHeatmap(kind: INHERNT) { count } }",
    "{ me { rol } }",  # a field
]


@pytest.mark.parametrize("query", TYPOS)
@override_settings(PRODUCTION=True)
def test_production_offers_no_suggestions_to_anyone(api, query):
    for client in (Api(HOST_A), api("a", "viewer")):
        errors = client(query)["errors"]
        assert errors and all("Did you mean" not in e["message"] for e in errors), errors
        assert all(e["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED" for e in errors)


@pytest.mark.parametrize("query", TYPOS[:4])
def test_development_keeps_them(api, query):
    errors = api("a", "viewer")(query)["errors"]
    assert any("Did you mean" in e["message"] for e in errors), errors
