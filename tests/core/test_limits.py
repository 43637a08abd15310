"""Abusive queries get clear GraphQL errors, never a 500 and never every row."""

import pytest
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from apps.core.models import Job
from apps.core.module import JOB_DIAGNOSTICS
from tests.conftest import HOST_A, Api, error_codes


@override_settings(GRAPHQL_MAX_DEPTH=3)
def test_too_deep_query_is_refused(api):
    query = "{ apiTokens { edges { node { user { email } } } } }"  # depth 4
    response = api("a", "viewer").raw(query)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert "exceeds maximum operation depth of 3" in body["errors"][0]["message"]


def test_too_many_aliases_are_refused(api):
    query = "{ " + " ".join(f"m{i}: me {{ role }}" for i in range(20)) + " }"
    body = api("a", "viewer")(query)
    assert "aliases" in body["errors"][0]["message"].lower()


@pytest.mark.parametrize("argument", ["first: 101", "first: -1", "last: -5", "last: 1000"])
def test_page_arguments_out_of_range_are_refused(api, argument):
    response = api("a", "viewer").raw(f"{{ members({argument}) {{ totalCount }} }}")
    assert response.status_code == 200
    body = response.json()
    assert error_codes(body) == ["BAD_PAGINATION"]
    assert "members" not in (body.get("data") or {}) or body["data"] is None


def test_an_omitted_page_size_is_bounded(api, world):
    # More rows than the bound, or a list that returns every row would pass too. bulk_create:
    # 150 jobs through the service would be slow, and jobs are not audited.
    with schema_context(world.a.schema_name):
        Job.objects.bulk_create(Job(kind=JOB_DIAGNOSTICS) for _ in range(150))
    connection.set_schema_to_public()
    body = api("a", "viewer").ok("{ jobs { totalCount edges { node { id } } } }")
    assert body["jobs"]["totalCount"] >= 150
    assert len(body["jobs"]["edges"]) == 100  # GRAPHQL_PAGE_MAX, written out: not read back


def test_syntax_and_validation_errors_stay_visible(api):
    body = api("a", "viewer")("{ me { nonsense } }")
    assert "Cannot query field 'nonsense'" in body["errors"][0]["message"]


def test_field_suggestions_are_not_offered(api):
    body = api("a", "viewer")("{ me { rol } }")
    assert "Did you mean" not in body["errors"][0]["message"]


def test_unexpected_errors_are_masked(api, monkeypatch):
    from apps.core import selectors

    def broken():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "jobs", broken)
    body = api("a", "viewer")("{ jobs { totalCount } }")
    assert body["errors"][0]["message"] == "Unexpected error."


@override_settings(PRODUCTION=True)
def test_introspection_is_refused_to_anonymous_requests_in_production(api):
    anonymous = Api(HOST_A)("{ __schema { queryType { name } } }")
    assert "introspection" in anonymous["errors"][0]["message"].lower()
    member = api("a", "viewer").ok("{ __schema { queryType { name } } }")
    assert member["__schema"]["queryType"]["name"] == "Query"


@override_settings(PRODUCTION=True)
def test_graphiql_is_not_served_to_anonymous_visitors_in_production(client, world):
    response = client.get("/graphql/", HTTP_HOST=HOST_A, HTTP_ACCEPT="text/html")
    assert response.status_code == 404


def test_graphiql_is_served_in_development(client, world):
    response = client.get("/graphql/", HTTP_HOST=HOST_A, HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"graphiql" in response.content.lower()
