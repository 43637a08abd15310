"""Free text is bounded: a huge description is a typed error and writes nothing (no row, no
audit entry carrying megabytes)."""

from auditlog.models import LogEntry
from django.db import connection
from django_tenants.utils import schema_context

from apps.risks.models import Risk

CREATE = """mutation($i: RiskCreateInput!) { riskCreate(input: $i) {
  risk { id } errors { field code message } } }"""


def _credit(api) -> str:
    edges = api("a", "viewer").ok("{ riskCategories(first: 20) { edges { node { id code } } } }")
    return next(
        e["node"]["id"] for e in edges["riskCategories"]["edges"] if e["node"]["code"] == "credit"
    )


def test_a_description_over_the_limit_is_refused_and_nothing_is_written(api, world, settings):
    settings.FENGKONG_TEXT_MAX_CHARS = 1000
    analyst = api("a", "analyst")
    credit = _credit(api)
    with schema_context(world.a.schema_name):
        entries_before = LogEntry.objects.count()
    connection.set_schema_to_public()

    refused = analyst.ok(
        CREATE, {"i": {"title": "Huge", "category": credit, "description": "x" * 1001}}
    )["riskCreate"]
    assert refused["risk"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("description", "INVALID")]
    assert "1,000" in refused["errors"][0]["message"]
    with schema_context(world.a.schema_name):
        assert not Risk.objects.filter(title="Huge").exists()
        assert LogEntry.objects.count() == entries_before
    connection.set_schema_to_public()

    at_limit = analyst.ok(
        CREATE, {"i": {"title": "Long", "category": credit, "description": "x" * 1000}}
    )["riskCreate"]
    assert at_limit["errors"] == [] and at_limit["risk"]["id"]


def test_every_text_field_of_a_tenant_model_is_bounded_on_save(world, settings):
    """Not only the register: any TenantModel's TextField (here a treatment action's)."""
    import pytest
    from django.core.exceptions import ValidationError

    from apps.risks.models import RiskCategory
    from apps.risks.services import controls, register

    settings.FENGKONG_TEXT_MAX_CHARS = 50
    with schema_context(world.a.schema_name):
        risk = register.risk_create(
            title="Bounded", category_id=RiskCategory.objects.get(code="credit").pk
        )
        with pytest.raises(ValidationError) as refused:
            controls.action_create(risk_id=risk.pk, title="Act", description="y" * 51)
        assert "description" in refused.value.message_dict
    connection.set_schema_to_public()
