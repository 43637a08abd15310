"""Every input a client can send ends in a coded error or a typed one, never a masked one.

Cases come from the schemas themselves (tests/security/schema_cases.py): every root field of
the tenant and the platform schema, each argument and input field replaced by the malformed
values of its type (NUL, lone surrogates, 100k strings, bogus and foreign ids, huge numbers,
1e30 and NaN decimals, JSON of the wrong shape, bad cursors). A response fails when it is an
HTTP 5xx or carries an error without `extensions.code` (what MaskErrors produces), and a typed
payload error fails when its `field` is not a field of the mutation's input.
"""

import json
import re

import pytest
from django.db import transaction
from graphql import get_named_type
from strawberry.relay import to_base64

from config.schema import platform_schema, schema
from tests.security.schema_cases import Case, cases, input_field_paths

# Root fields left out, with the reason (none today: every field passes).
ELSEWHERE: dict[str, str] = {}


def _masked(error: dict) -> bool:
    code = (error.get("extensions") or {}).get("code")
    return (
        not code or code == "INTERNAL_SERVER_ERROR" or error.get("message") == "Unexpected error."
    )


# (mutation, field) of every typed error checked against its input type, per run.
FIELDS_CHECKED: set[tuple[str, str | None]] = set()


def _problems(case: Case, response, paths: set[str] | None) -> list[str]:
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}"]
    try:
        body = response.json()
    except ValueError:
        return [f"HTTP {response.status_code}: not JSON"]
    problems = [
        f"masked error: {str(error.get('message'))[:120]!r}"
        for error in body.get("errors") or []
        if _masked(error)
    ]
    payload = (body.get("data") or {}).get(case.field)
    if paths is not None and isinstance(payload, dict):
        for error in payload.get("errors") or []:
            if "index" in error or "row" in error:
                continue  # positional errors (a point, an import row): field is within the item
            field = error.get("field")
            FIELDS_CHECKED.add((case.field, field))
            if field is not None and re.sub(r"\.\d+(?=\.|$)", ".*", field) not in paths:
                problems.append(f"typed error names {field!r}, not a field of the input")
    return problems


def _first_id(api, query: str) -> str | None:
    body = api(query)
    data = next(iter((body.get("data") or {}).values()), None)
    while isinstance(data, dict) and "id" not in data:
        data = next((v for k, v in data.items() if k != "errors" and v), None)
        if isinstance(data, list):
            data = data[0] if data else None
    return data.get("id") if isinstance(data, dict) else None


def _create(api, mutation: str, values: dict) -> str | None:
    """Run a mutation through the API; the global id of the object its payload returns."""
    field = schema._schema.mutation_type.fields[mutation]
    payload = get_named_type(field.type)
    node_field = next(
        name
        for name, sub in payload.fields.items()
        if name != "errors" and "id" in getattr(get_named_type(sub.type), "fields", {})
    )
    input_type = get_named_type(field.args["input"].type).name
    query = (
        f"mutation($i: {input_type}!) {{ m: {mutation}(input: $i) {{ o: {node_field} {{ id }} }} }}"
    )
    made = (api(query, {"i": values}).get("data") or {}).get("m") or {}
    return (made.get("o") or {}).get("id")


def real_objects(api) -> dict[str, str]:
    """A real object of each type (made through the API, so through the services), so that
    baselines reach past "not found" into the code that stores the values."""
    ids: dict[str, str | None] = {}
    ids["RiskCategory"] = _first_id(api, "{ riskCategories(first: 1) { edges { node { id } } } }")
    ids["RiskMatrix"] = _first_id(api, "{ riskMatrices(first: 1) { edges { node { id } } } }")
    ids["Member"] = _first_id(api, "{ members(first: 1) { edges { node { id } } } }")
    ids["ApiToken"] = _first_id(api, "{ apiTokens(first: 1) { edges { node { id } } } }")
    ids["User"] = _first_id(api, "{ members(first: 1) { edges { node { user { id } } } } }")
    category = ids["RiskCategory"]
    ids["Risk"] = _create(
        api, "riskCreate", {"title": "Fuzz", "category": category, "status": "OPEN"}
    )
    ids["Control"] = _create(
        api, "controlCreate", {"name": "Fuzz control", "controlType": "PREVENTIVE", "kind": "AUDIT"}
    )
    ids["Webhook"] = _create(api, "webhookCreate", {"name": "Fuzz", "url": "https://example.com/h"})
    ids["RiskLimit"] = _create(api, "limitCreate", {"name": "Fuzz", "cap": "100"})
    ids["Indicator"] = _create(
        api,
        "indicatorSave",
        {"code": "fuzz_kri", "name": "Fuzz", "category": category, "red": 10.0},
    )
    ids["TreatmentAction"] = _create(api, "actionCreate", {"risk": ids["Risk"], "title": "Fuzz"})
    ids["Job"] = (
        (api("mutation { diagnosticsRun { job { id } } }").get("data") or {})
        .get("diagnosticsRun", {})
        .get("job", {})
        .get("id")
    )
    return {k: v for k, v in ids.items() if v}


def _drive(
    api, graphql_schema, label: str, caplog, ids: dict | None = None
) -> tuple[int, list[str]]:
    tried, failures = 0, []
    gschema = graphql_schema._schema
    for case in cases(gschema, ids):
        if case.field in ELSEWHERE:
            continue
        paths = input_field_paths(gschema, case.field) if case.operation == "mutation" else None
        # Each case in a savepoint rolled back after it: cases stay independent, and a statement
        # that failed (an aborted transaction) cannot poison the next one.
        savepoint = transaction.savepoint()
        try:
            response = api.raw(case.document, case.variables)
        finally:
            transaction.savepoint_rollback(savepoint)
        tried += 1
        problems = _problems(case, response, paths)
        # The DataError safety net of run_service answers well, but means a check is missing.
        problems += [
            r.getMessage()[:150] for r in caplog.records if "database refused" in r.getMessage()
        ]
        caplog.clear()
        failures += [f"{label} {case.label}: {p}" for p in problems]
    return tried, failures


def _report(tried: int, failures: list[str]) -> None:
    mutations = {mutation for mutation, _ in FIELDS_CHECKED}
    print(  # noqa: T201 (the figures of the report)
        f"\n{tried} cases, {len(failures)} failing; {len(FIELDS_CHECKED)} typed-error fields"
        f" of {len(mutations)} mutations checked against their input"
    )
    assert not failures, "\n".join(sorted(set(failures))[:400])


@pytest.mark.django_db
def test_tenant_schema_never_masks_an_error(api, caplog):
    admin = api("a", "admin")
    ids = real_objects(admin)
    assert {"Risk", "RiskCategory", "Webhook", "Indicator", "User", "Control"} <= set(ids), ids
    FIELDS_CHECKED.clear()
    _report(*_drive(admin, schema, "tenant", caplog, ids))
    # The field check is not vacuous: most mutations answered some case with typed errors.
    assert len({mutation for mutation, _ in FIELDS_CHECKED}) >= 30


@pytest.mark.django_db
def test_platform_schema_never_masks_an_error(operator_api, world, caplog):
    tenant = to_base64("Tenant", world.a.pk)
    FIELDS_CHECKED.clear()
    _report(*_drive(operator_api, platform_schema, "platform", caplog, {"Tenant": tenant}))


def test_case_generator_covers_every_root_field():
    gschema = schema._schema
    fields = {c.field for c in cases(gschema)}
    expected = set(gschema.query_type.fields) | set(gschema.mutation_type.fields)
    assert expected - fields == {"logout"}
    assert len(json.dumps([c.variables for c in cases(gschema)])) > 100_000
