"""Persisted queries and their compiled plans (apps/core/graphql/persisted.py, plan.py).

The plan's answer must be the normal executor's: for the benchmark's document and the main
list pages of every module, on randomised data (several seeds), as every role, a foreign
tenant's member and nobody, with unknown and foreign ids — the same status and the same bytes.
"""

import json
import random

import pytest
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from apps.core import modules
from apps.core.graphql import execution, persisted
from apps.risks.models import ControlEffectiveness, ControlKind, ControlType, RiskCategory
from apps.risks.services import assessments, controls, register
from bench.risk_list import QUERY as RISK_LIST
from config.schema import schema
from tests.conftest import HOST_A, Api, token_for
from tests.risks.people import person_for

ROLES = ("viewer", "analyst", "risk_manager", "admin")

DOCUMENTS = {
    "bench risk_list": RISK_LIST % {"first": 100, "controls": 5},
    "risks page": """query RisksPage($first: Int, $after: String) {
      risks(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id title status source tags department nextReviewAt
          aboveAppetite reviewFlag archivedAt treatmentStrategy reviewOverdue
          category { id code nameEn } owner { id fullName email }
          inherent { level score likelihood impact } residual { level score } currentLevel
          controls(first: 3) { totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id name effectiveness lastTestedAt owner { email } } } }
          __typename } } } }""",
    "controls page": """{ controls(first: 50) { totalCount edges { node {
      id name description controlType kind frequency lastTestedAt effectiveness archivedAt
      owner { fullName } risks(first: 2) { totalCount edges { node { id title } } } } } } }""",
    "signals page": """{ warningSignals(first: 50) { totalCount edges { node {
      id severity status observedValue threshold firstTriggeredAt lastTriggeredAt occurrences
      indicator { id code name } assignee { email } } } } }""",
    "activations page": """{ activations(first: 50) { totalCount edges { node {
      id title status level { id } detectedAt declaredAt closedAt openTaskCount
      plan { id code name } } } } }""",
    "mentions page": """{ mentions(first: 50) { totalCount edges { node {
      id channel author reach publishedAt text language sentimentScore sentimentLabel
      source { id } } } } }""",
    "people page": """{ people(first: 50) { totalCount edges { node {
      id employeeNumber fullName jobTitle email active department { id name } } } } }""",
    "admin fields (refused below admin)": """{ me { role user { email } } auditEntries(first: 5) {
      totalCount edges { node { id action objectRepr } } }
      risks(first: 3) { edges { node { title } } } }""",
    "nested pages": """query NestedPages($n: Int) { risks(first: 20) { edges { node { title
      controls(first: $n) { pageInfo { hasNextPage startCursor endCursor }
        edges { cursor node { name risks(first: 1) { edges { node { title } } } } } }
      other: controls { edges { node { kind } } }
      ... on Risk { controls(first: $n) { pageInfo { hasNextPage startCursor endCursor } } }
    } } } }""",
    "a risk by id": """query OneRisk($id: ID!) { risk(id: $id) { id title
      category { code } controls(first: 5) { edges { node { name } } } }
      node(id: $id) { id ... on Risk { title owner { email } } } }""",
}


def _seed(world, seed: int, *, demo: bool = False) -> list[str]:
    """Risks, controls, ratings and owners drawn from `seed` (and, with `demo`, every module's
    demo data: signals, activations, mentions, people...); returns the risks' global ids."""
    rng = random.Random(seed)
    with schema_context(world.a.schema_name):
        if demo:
            for step in modules.demo_steps():
                step(admin=world.user("a", "admin"))
        categories = list(RiskCategory.objects.all())
        people = [person_for(world.user("a", role)) for role in ("analyst", "risk_manager")]
        made = []
        for n in range(rng.randint(5, 25)):
            owner = rng.choice([None, *people])
            risk = register.risk_create(
                title=f"Risk {seed}-{n} " + rng.choice(["credit", "fraud", "IT", "流动性"]),
                category_id=rng.choice(categories).pk,
                owner_id=owner.pk if owner else None,
                status=rng.choice(["draft", "open"]),
                tags=rng.sample(["a", "b", "c"], rng.randint(0, 2)),
            )
            for kind in ("inherent", "residual"):
                if rng.random() < 0.6:
                    assessments.assessment_record(
                        risk_id=risk.pk,
                        kind=kind,
                        likelihood=rng.randint(1, 5),
                        impact=rng.randint(1, 5),
                    )
            made.append(risk)
        for n in range(rng.randint(3, 12)):
            owner = rng.choice([None, *people])
            controls.control_save(
                name=f"Control {seed}-{n}",
                control_type=rng.choice(ControlType.values),
                kind=rng.choice(ControlKind.values),
                owner_id=owner.pk if owner else None,
                effectiveness=rng.choice(ControlEffectiveness.values),
                risk_ids=[r.pk for r in rng.sample(made, rng.randint(0, min(4, len(made))))],
            )
    connection.set_schema_to_public()
    from strawberry import relay

    return [str(relay.GlobalID("Risk", str(r.pk))) for r in made]


def _post(client: Api, body: dict) -> tuple[int, bytes]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {client.token}"} if client.token else {}
    response = client.client.post(
        "/graphql/", json.dumps(body), content_type="application/json", **headers
    )
    return response.status_code, response.content


def _both(client: Api, text: str, variables: dict | None = None) -> tuple:
    document = persisted.registry(schema).get(persisted.sha256(text))
    assert document is not None
    plain = _post(client, {"query": text, "variables": variables or {}})
    named = {"persistedQuery": {"version": 1, "sha256Hash": document.sha256}}
    planned = _post(client, {"variables": variables or {}, "extensions": named})
    return plain, planned


@pytest.fixture
def registered():
    made = [persisted.registry(schema).register(text, name) for name, text in DOCUMENTS.items()]
    yield made
    for document in made:
        persisted.registry(schema).forget(document.sha256)


def _clients(world, api):
    members = {role: api("a", role) for role in ROLES}
    foreign = Api(HOST_A, token_for(world.user("b", "admin"), world.b))  # B's admin on A
    return {**members, "nobody": Api(HOST_A), "member of B": foreign}


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_the_plan_answers_as_the_normal_executor(world, api, registered, seed):
    risk_ids = _seed(world, seed, demo=True)
    rng = random.Random(seed)
    with schema_context(world.b.schema_name):
        foreign = register.risk_create(title="B's", category_id=RiskCategory.objects.first().pk)
    connection.set_schema_to_public()
    ids = [
        rng.choice(risk_ids),
        f"Risk:{foreign.pk}",  # another tenant's: names nothing here
        "UmlzazowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA=",  # Risk:<zero uuid>
        "not-an-id",
    ]
    planned_objects = 0
    for who, client in _clients(world, api).items():
        for name, text in DOCUMENTS.items():
            variable_sets = [{"first": 7}, {}]
            if "$id" in text:
                variable_sets = [{"id": i} for i in ids]
            if "$n" in text:  # 101 and -1 are refused (BAD_PAGINATION), as without a plan
                variable_sets = [{"n": n} for n in (0, 1, 2, 5, 100, 101, -1)] + [{}]
            for variables in variable_sets:
                plain, planned = _both(client, text, variables)
                assert plain == planned, (who, name, variables)
                planned_objects += plain[1].count(b'"id"')
    assert planned_objects > 100  # the pages were not empty


def test_errors_and_nulls_are_the_normal_executors(world, api, registered):
    _seed(world, 3)
    viewer, nobody = api("a", "viewer"), Api(HOST_A)
    text = DOCUMENTS["admin fields (refused below admin)"]
    plain, planned = _both(viewer, text)
    assert plain == planned
    body = json.loads(planned[1])
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert body["data"] is None  # auditEntries is non-null: the refusal empties the answer
    assert body["errors"][0]["path"] == ["auditEntries"]
    assert _both(nobody, text)[0] == _both(nobody, text)[1]


def test_a_registered_document_runs_by_its_plan(world, api, registered):
    _seed(world, 5)
    document = persisted.registry(schema).get(persisted.sha256(DOCUMENTS["risks page"]))
    operation = document.document.definitions[0]
    assert execution.PLANS[id(operation)] is document.plans
    _both(api("a", "viewer"), DOCUMENTS["risks page"])
    kinds = {step.kind for steps in document.plans.values() for step in steps}
    assert kinds >= {1, 2, 3, 4, 5, 6}  # leaf, object, list, node id, resolver, connection
    # the root connection (a resolver of ours, arguments, a permission class) keeps its path
    root = next(v for k, v in document.plans.items() if k[0] == "Query")
    assert {s.key: s.kind for s in root} == {"risks": 0}
    risk_steps = next(v for k, v in document.plans.items() if k[0] == "Risk")
    assert {s.key: s.kind for s in risk_steps}["controls"] == 6


def _persisted_body(sha: str, query: str | None = None) -> dict:
    body: dict = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}}
    if query is not None:
        body["query"] = query
    return body


def _codes(content: bytes) -> list:
    return [e["extensions"]["code"] for e in json.loads(content)["errors"]]


def test_an_unknown_hash_alone_is_not_found(api):
    sha = persisted.sha256("{ me { user { email } } }  # never registered")
    status, content = _post(api("a", "viewer"), _persisted_body(sha))
    assert status == 200 and _codes(content) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert json.loads(content)["errors"][0]["message"] == "PersistedQueryNotFound"


@pytest.mark.parametrize(
    "named",
    [{"version": 2, "sha256Hash": "0" * 64}, {"version": 1, "sha256Hash": "XYZ"}, "abc", {}],
)
def test_a_malformed_persisted_query_is_refused(api, named):
    status, content = _post(api("a", "viewer"), {"extensions": {"persistedQuery": named}})
    assert status == 200 and _codes(content) == ["PERSISTED_QUERY_INVALID"]


def test_a_text_that_does_not_hash_to_the_hash_runs_nothing(api):
    body = _persisted_body("0" * 64, "{ me { user { email } } }")
    status, content = _post(api("a", "viewer"), body)
    assert _codes(content) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert json.loads(content)["data"] is None


@override_settings(GRAPHQL_PERSISTED_REGISTER_ON_USE=False)
def test_in_production_an_unknown_text_runs_but_is_not_registered(api):
    text = "{ me { user { email } } }  # production"
    sha = persisted.sha256(text)
    status, content = _post(api("a", "viewer"), _persisted_body(sha, text))
    assert json.loads(content) == {"data": {"me": {"user": {"email": "viewer@a.test"}}}}
    assert persisted.registry(schema).get(sha) is None
    assert _codes(_post(api("a", "viewer"), _persisted_body(sha))[1]) == [
        "PERSISTED_QUERY_NOT_FOUND"
    ]


@override_settings(GRAPHQL_PERSISTED_REGISTER_ON_USE=True)
def test_in_development_a_text_is_registered_on_first_use(api):
    text = "{ me { user { email } } }  # development"
    sha = persisted.sha256(text)
    try:
        first = _post(api("a", "viewer"), _persisted_body(sha, text))
        again = _post(api("a", "viewer"), _persisted_body(sha))  # the hash alone now
        assert (
            first == again
            and json.loads(again[1])["data"]["me"]["user"]["email"] == "viewer@a.test"
        )
    finally:
        persisted.registry(schema).forget(sha)


@override_settings(GRAPHQL_PERSISTED_REGISTER_ON_USE=True)
def test_an_invalid_text_is_never_registered_and_fails_as_usual(api):
    text = "{ me { noSuchField } }"
    sha = persisted.sha256(text)
    status, content = _post(api("a", "viewer"), _persisted_body(sha, text))
    assert _codes(content) == ["GRAPHQL_VALIDATION_FAILED"]
    assert persisted.registry(schema).get(sha) is None


def test_the_manifest_is_read_and_validated(tmp_path, settings):
    good, bad = "{ me { user { email } } }  # manifest", "{ me { nope } }"
    path = tmp_path / "persisted-queries.json"
    persisted.write_manifest(
        str(path),
        [
            {"id": persisted.sha256(t), "name": None, "type": "query", "body": t}
            for t in (good, bad)
        ],
    )
    settings.GRAPHQL_PERSISTED_DOCUMENTS = str(path)
    registry = persisted.Registry(schema)
    assert registry.get(persisted.sha256(good)).text == good
    assert registry.get(persisted.sha256(bad)) is None  # left out: it does not validate
