"""A typed error's `field` names the input field at fault exactly as the schema spells it.

Services keep their own keyword names (`category_id`, `status`); the GraphQL layer maps them
(apps.core.graphql.errors.input_field_path). The fuzz test (tests/security) checks every
field every mutation returns against its input type; these pin the names clients rely on.
"""

from datetime import timedelta

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.core.graphql.errors import input_field_path
from apps.early_warning.models import WarningSignal
from apps.early_warning.services import indicators
from apps.early_warning.services.scans import scan
from apps.risks.graphql.mutations.configuration import MatrixCreateInput
from apps.risks.graphql.mutations.risks import RiskCreateInput, RiskUpdateInput
from apps.risks.models import RiskCategory
from tests.early_warning.conftest import T0, feed

UNKNOWN = "00000000-0000-4000-8000-000000000009"
RISK_CREATE = """mutation($i: RiskCreateInput!) { riskCreate(input: $i) {
  risk { id } errors { field code } } }"""


def _credit(world) -> str:
    with schema_context(world.a.schema_name):
        pk = RiskCategory.objects.get(code="credit").pk
    connection.set_schema_to_public()
    return to_base64("RiskCategory", pk)


def _risk(analyst, world) -> str:
    body = analyst.ok(RISK_CREATE, {"i": {"title": "Fraud ring", "category": _credit(world)}})
    return body["riskCreate"]["risk"]["id"]


def test_risk_create_names_category_and_owner_not_their_service_ids(api, world):
    analyst = api("a", "analyst")
    unknown_category = analyst.ok(
        RISK_CREATE, {"i": {"title": "T", "category": to_base64("RiskCategory", UNKNOWN)}}
    )["riskCreate"]["errors"]
    assert unknown_category == [{"field": "category", "code": "NOT_FOUND"}]
    stranger = analyst.ok(
        RISK_CREATE,
        {"i": {"title": "T", "category": _credit(world), "owner": to_base64("User", 10**9)}},
    )["riskCreate"]["errors"]
    assert [e["field"] for e in stranger] == ["owner"]


def test_acceptance_request_names_risk(api):
    body = api("a", "analyst").ok(
        """mutation($r: ID!) { acceptanceRequest(input: {risk: $r, justification: "j",
        expiresOn: "2099-01-01"}) { errors { field code } } }""",
        {"r": to_base64("Risk", UNKNOWN)},
    )
    assert body["acceptanceRequest"]["errors"] == [{"field": "risk", "code": "NOT_FOUND"}]


def test_risk_transition_names_to(api, world):
    analyst = api("a", "analyst")
    risk = _risk(analyst, world)  # ACCEPTED only through an acceptance
    body = analyst.ok(
        """mutation($id: ID!) { riskTransition(input: {id: $id, to: ACCEPTED}) {
        errors { field code } } }""",
        {"id": risk},
    )
    assert body["riskTransition"]["errors"] == [{"field": "to", "code": "INVALID_TRANSITION"}]


def test_signal_transition_names_to(api, world):
    with schema_context(world.a.schema_name):
        npl = indicators.indicator_save(
            code="npl_ratio",
            name="NPL ratio",
            category_id=RiskCategory.objects.get(code="credit").pk,
            amber=3.0,
            red=5.0,
            frequency_minutes=60,
            unit="%",
        )
        indicators.rule_save(indicator_id=npl.pk, kind="threshold", params={})
        feed("npl_ratio", [6.0])
        scan(indicator_ids=[npl.pk], now=T0 + timedelta(days=1))
        signal = to_base64("WarningSignal", WarningSignal.objects.get().pk)
    connection.set_schema_to_public()
    analyst = api("a", "analyst")
    resolve = """mutation($id: ID!) { signalTransition(input: {id: $id, to: RESOLVED,
      comment: "fixed"}) { errors { field code } } }"""
    assert analyst.ok(resolve, {"id": signal})["signalTransition"]["errors"] == []
    again = analyst.ok(
        """mutation($id: ID!) { signalTransition(input: {id: $id, to: ACKNOWLEDGED}) {
        errors { field code } } }""",
        {"id": signal},
    )["signalTransition"]["errors"]
    assert again == [{"field": "to", "code": "INVALID_TRANSITION"}]


def test_service_names_map_onto_the_input_as_the_schema_spells_it():
    assert input_field_path("category_id", RiskCreateInput) == "category"
    assert input_field_path("owner_id", RiskCreateInput) == "owner"
    assert input_field_path("related_risk_ids", RiskCreateInput) == "relatedRisks"
    assert input_field_path("business_line", RiskCreateInput) == "businessLine"
    assert input_field_path("risk_id", RiskUpdateInput) == "id"  # the object being changed
    assert input_field_path("status", RiskCreateInput, {"status": "to"}) == "to"
    assert input_field_path("likelihood_levels.2.label", MatrixCreateInput) == (
        "likelihoodLevels.2.label"
    )
    assert input_field_path("definition", MatrixCreateInput) is None  # not an input field
