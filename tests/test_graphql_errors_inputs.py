"""Inputs that once answered a masked "Unexpected error." (or an HTTP 500) now get a typed
payload error or a coded GraphQL error, and change nothing."""

import json

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.risks.models import RiskAssessment, RiskCategory
from tests.conftest import HOST_A, error_codes
from tests.security.schema_cases import b64


def _credit(world) -> str:
    with schema_context(world.a.schema_name):
        pk = RiskCategory.objects.get(code="credit").pk
    connection.set_schema_to_public()
    return to_base64("RiskCategory", pk)


def _risk(client, world) -> str:
    return client.ok(
        """mutation($i: RiskCreateInput!) { riskCreate(input: $i) { risk { id } } }""",
        {"i": {"title": "Fraud ring", "category": _credit(world)}},
    )["riskCreate"]["risk"]["id"]


@pytest.mark.parametrize("loss", ["1e30", "-1e30", "1e999999"])
def test_an_expected_loss_too_large_for_its_column_is_a_typed_error(api, world, loss):
    analyst = api("a", "analyst")
    risk = _risk(analyst, world)
    body = analyst.ok(
        """mutation($i: AssessmentRecordInput!) { assessmentRecord(input: $i) {
        errors { field code } } }""",
        {
            "i": {
                "risk": risk,
                "kind": "INHERENT",
                "likelihood": 2,
                "impact": 2,
                "expectedLoss": loss,
            }
        },
    )
    assert body["assessmentRecord"]["errors"] == [{"field": "expectedLoss", "code": "OUT_OF_RANGE"}]
    with schema_context(world.a.schema_name):
        assert not RiskAssessment.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_decimal_that_is_not_a_number_is_refused_as_bad_input(api, value):
    body = api("a", "risk_manager")(
        """mutation($i: LimitCreateInput!) { limitCreate(input: $i) { errors { code } } }""",
        {"i": {"name": "Exposure", "cap": value}},
    )
    assert error_codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    "cursor",
    [
        "bogus",
        b64("arrayconnection:" + "9" * 30),
        b64("arrayconnection:-5"),
        b64("Risk:1"),
        "\u00e9",
    ],
)
@pytest.mark.parametrize("argument", ["after", "before"])
def test_a_cursor_that_is_not_ours_is_bad_pagination(api, cursor, argument):
    for connection_field in ("risks", "jobs", "members", "riskCategories"):
        body = api("a", "viewer")(
            f"query($c: String) {{ {connection_field}({argument}: $c) {{ totalCount }} }}",
            {"c": cursor},
        )
        assert error_codes(body) == ["BAD_PAGINATION"], body


def test_a_nested_connection_checks_its_cursor_too(api):
    api("a", "analyst").ok(
        """mutation { controlCreate(input: {name: "Four eyes", controlType: PREVENTIVE,
        kind: AUDIT}) { errors { code } } }"""
    )
    body = api("a", "viewer")(
        'query { controls(first: 1) { edges { node { risks(after: "bogus") { totalCount } } } } }'
    )
    assert error_codes(body) == ["BAD_PAGINATION"]


def test_rule_params_of_the_wrong_shape_are_a_typed_error(api, world):
    manager = api("a", "risk_manager")
    indicator = manager.ok(
        """mutation($i: IndicatorSaveInput!) { indicatorSave(input: $i) { indicator { id } } }""",
        {"i": {"code": "npl", "name": "NPL", "category": _credit(world), "red": 5.0}},
    )["indicatorSave"]["indicator"]["id"]
    for params in ([1, 2], "x", 1):
        body = manager.ok(
            """mutation($i: RuleSaveInput!) { ruleSave(input: $i) { errors { field code } } }""",
            {"i": {"indicator": indicator, "kind": "THRESHOLD", "params": params}},
        )
        assert [e["field"] for e in body["ruleSave"]["errors"]] == ["params"], body


@pytest.mark.parametrize(
    "url", ["http://[::1", "https://[zz]/h", "https://exa mple.com", "https://h:99999/"]
)
def test_a_webhook_url_that_does_not_parse_is_a_typed_error(api, url):
    admin = api("a", "admin")
    created = admin.ok(
        """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) {
        webhook { id } errors { field code } } }""",
        {"i": {"name": "Hook", "url": url}},
    )["webhookCreate"]
    assert created["webhook"] is None
    assert [e["field"] for e in created["errors"]] == ["url"]
    hook = admin.ok(
        """mutation { webhookCreate(input: {name: "Good", url: "https://example.com/h"}) {
        webhook { id } } }"""
    )["webhookCreate"]["webhook"]["id"]
    updated = admin.ok(
        """mutation($i: WebhookUpdateInput!) { webhookUpdate(input: $i) { errors { field } } }""",
        {"i": {"id": hook, "url": url}},
    )["webhookUpdate"]
    assert [e["field"] for e in updated["errors"]] == ["url"]


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "x\udfffy"])
def test_nul_and_lone_surrogates_are_refused_everywhere(api, world, text):
    analyst = api("a", "analyst")
    cases = [
        (
            "mutation($t: String!, $c: ID!) { riskCreate(input: {title: $t, category: $c}) { errors { code } } }",
            {"t": text, "c": _credit(world)},
        ),
        (
            'mutation($t: String!, $c: ID!) { riskCreate(input: {title: "T", category: $c, tags: [$t]}) { errors { code } } }',
            {"t": text, "c": _credit(world)},
        ),
        ("query($t: String!) { risks(filter: {search: $t}) { totalCount } }", {"t": text}),
        (
            'mutation($t: String!) { login(input: {email: $t, password: "p"}) { errors { code } } }',
            {"t": text},
        ),
        (
            "mutation($t: String!) { controlCreate(input: {name: $t, controlType: PREVENTIVE, kind: AUDIT}) { errors { code } } }",
            {"t": text},
        ),
    ]
    for query, variables in cases:
        assert error_codes(analyst(query, variables)) == ["BAD_USER_INPUT"], query


def test_a_nul_in_a_literal_is_refused_too(api):
    body = api("a", "viewer")('query { risks(filter: {search: "a\\u0000b"}) { totalCount } }')
    assert error_codes(body) == ["BAD_USER_INPUT"]
    emoji = api("a", "viewer")('query { risks(filter: {search: "\\ud83d\\ude00"}) { totalCount } }')
    assert "errors" not in emoji  # a surrogate *pair* is a character, not a lone surrogate


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ me { role } }", "x": "\xff\xfe"}',  # not UTF-8
        b"\xc3\x28",
        b"[" * 100_000 + b"]" * 100_000,  # nested past the decoder's recursion
        b"not json",
        b'{"variables": {}}',  # no query
        b'{"query": ["{ me { role } }"]}',  # a query that is not a string
        b'{"query": "{ me { role } }", "variables": [1]}',  # variables that are not an object
        b"[]",  # a batch (not enabled)
    ],
)
def test_an_unreadable_body_is_400_with_a_graphql_shaped_error(world, body):
    response = Client(HTTP_HOST=HOST_A).post("/graphql/", body, content_type="application/json")
    assert response.status_code == 400
    payload = json.loads(response.content)
    assert payload["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
