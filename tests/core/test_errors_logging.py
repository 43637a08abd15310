"""An expected refusal is one log line without a traceback; only unexpected failures keep one."""

import logging

import pytest
from strawberry.relay import to_base64

from tests.conftest import HOST_A, Api
from tests.security.schema_cases import b64

REFUSALS = [
    # (role, query, variables): each is the client's fault or a permission question.
    # a key spelt other than the API spells it (no hyphens): INVALID_ID (a malformed id names
    # nothing, answered null without a refusal: docs/graphql.md "Lookups")
    ("viewer", "query($id: ID!) { risk(id: $id) { title } }", {"id": "UmlzazowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA=="}),
    ("viewer", 'query { risks(after: "bogus") { totalCount } }', {}),  # BAD_PAGINATION
    ("viewer", "query { risks(first: 1000) { totalCount } }", {}),
    (None, "query { risks { totalCount } }", {}),  # UNAUTHENTICATED
    ("viewer", "query { auditEntries { totalCount } }", {}),  # FORBIDDEN
    (
        "viewer",  # NOT_FOUND
        'query($id: ID!) { indicatorSeries(indicator: $id, start: "2026-01-01T00:00:00Z", '
        'end: "2026-01-02T00:00:00Z") { value } }',
        {"id": b64("Indicator:1")},
    ),
    ("viewer", "query { me { nonsense } }", {}),  # validation
    ("viewer", "query($t: String!) { controls(search: $t) { totalCount } }", {"t": "\x00"}),
    (
        "analyst",  # a typed refusal in the payload
        """mutation($i: RiskCreateInput!) { riskCreate(input: $i) { errors { code } } }""",
        {
            "i": {
                "title": "T",
                "category": to_base64("RiskCategory", "00000000-0000-0000-0000-000000000000"),
            }
        },
    ),
]


def _records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if not r.name.startswith("django.db")]


@pytest.mark.parametrize(("role", "query", "variables"), REFUSALS)
def test_a_refusal_logs_one_line_without_a_traceback(api, caplog, role, query, variables):
    client = api("a", role) if role else Api(HOST_A)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        body = client(query, variables)
    records = _records(caplog)
    assert body.get("errors") or body["data"], body
    assert len(records) == 1, [r.getMessage() for r in records]
    (record,) = records
    assert record.levelno in (logging.INFO, logging.WARNING)
    assert record.exc_info is None and "Traceback" not in record.getMessage()


def test_an_unexpected_failure_keeps_its_traceback(api, caplog, monkeypatch):
    from apps.core import selectors

    def broken():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "jobs", broken)
    with caplog.at_level(logging.INFO):
        body = api("a", "viewer")("{ jobs { totalCount } }")
    assert body["errors"][0]["message"] == "Unexpected error."
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None
