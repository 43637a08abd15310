"""The register's side of the GraphQL conventions (docs/graphql.md): update inputs where an
omitted field is unchanged and null clears, archiving with the audit trail, capabilities, and
typed objects and enums where JSON and strings were."""

from contextlib import contextmanager
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.risks.models import Control, RiskCategory, RiskLimit
from apps.risks.services import acceptance, assessments, controls, register
from tests.risks.people import person_for


@contextmanager
def tenant_a(world):
    with schema_context(world.a.schema_name):
        yield
    connection.set_schema_to_public()


def _credit():
    return RiskCategory.objects.get(code="credit")


CONTROL = """mutation($i: ControlUpdateInput!) { controlUpdate(input: $i) {
  control { name description frequency lastTestedAt effectiveness owner { employeeNumber } } errors { field code } } }"""


def test_a_control_update_leaves_omitted_fields_and_clears_null_ones(api, world):
    with tenant_a(world):
        control = controls.control_create(
            name="Four eyes",
            description="Second signature",
            control_type="preventive",
            kind="authorisation",
            owner_id=person_for(world.user("a", "analyst")).pk,
            frequency="daily",
            last_tested_at=timezone.localdate() - timedelta(days=3),
            effectiveness="effective",
        )
    analyst = api("a", "analyst")
    gid = to_base64("Control", control.pk)
    renamed = analyst.ok(CONTROL, {"i": {"id": gid, "name": "Four eyes (payments)"}})
    assert renamed["controlUpdate"]["control"] == {
        "name": "Four eyes (payments)",
        "description": "Second signature",
        "frequency": "daily",
        "lastTestedAt": str(timezone.localdate() - timedelta(days=3)),
        "effectiveness": "EFFECTIVE",
        "owner": {"employeeNumber": "T-ANALYST"},
    }
    cleared = analyst.ok(
        CONTROL,
        {
            "i": {
                "id": gid,
                "description": None,
                "owner": None,
                "lastTestedAt": None,
                "effectiveness": None,
            }
        },
    )["controlUpdate"]["control"]
    assert cleared == {
        "name": "Four eyes (payments)",
        "description": "",
        "frequency": "daily",
        "lastTestedAt": None,
        "effectiveness": "NOT_ASSESSED",
        "owner": None,
    }
    refused = analyst.ok(CONTROL, {"i": {"id": gid, "name": None}})["controlUpdate"]
    assert refused == {"control": None, "errors": [{"field": "name", "code": "INVALID"}]}
    missing = analyst.ok(
        CONTROL,
        {"i": {"id": to_base64("Control", "00000000-0000-0000-0000-000000000000"), "name": "x"}},
    )
    assert missing["controlUpdate"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


LIMIT = """mutation($i: LimitUpdateInput!) { limitUpdate(input: $i) {
  limit { name cap unit risk { title } } errors { field code } } }"""


def test_a_limit_update_leaves_omitted_fields_and_clears_a_null_link(api, world):
    with tenant_a(world):
        risk = register.risk_create(title="FX exposure", category_id=_credit().pk)
    manager = api("a", "risk_manager")
    made = manager.ok(
        """mutation($r: ID!) { limitCreate(input: {name: "FX", cap: "100", unit: "USD", risk: $r})
        { limit { id } errors { code } } }""",
        {"r": to_base64("Risk", risk.pk)},
    )["limitCreate"]
    gid = made["limit"]["id"]
    assert manager.ok(LIMIT, {"i": {"id": gid, "cap": "250"}})["limitUpdate"]["limit"] == {
        "name": "FX",
        "cap": "250.0000",
        "unit": "USD",
        "risk": {"title": "FX exposure"},
    }
    unlinked = manager.ok(LIMIT, {"i": {"id": gid, "risk": None}})["limitUpdate"]["limit"]
    assert (unlinked["risk"], unlinked["cap"]) == (None, "250.0000")
    refused = manager.ok(LIMIT, {"i": {"id": gid, "cap": None}})["limitUpdate"]
    assert refused["errors"] == [{"field": "cap", "code": "INVALID"}]
    with tenant_a(world):
        assert RiskLimit.objects.get().cap == 250
    assert api("a", "analyst")(LIMIT, {"i": {"id": gid}})["errors"][0]["extensions"]["code"] == (
        "FORBIDDEN"
    )


ARCHIVE = """mutation($id: ID!) { riskArchive(input: {id: $id}) {
  risk { archivedAt viewerCanArchive allowedTransitions } errors { field code } } }"""


def test_archiving_takes_a_closed_risk_out_of_the_register_and_keeps_its_history(api, world):
    with tenant_a(world):
        risk = register.risk_create(title="Old product line", category_id=_credit().pk)
        register.risk_transition(risk_id=risk.pk, to="open")
    analyst = api("a", "analyst")
    gid = to_base64("Risk", risk.pk)
    open_refused = analyst.ok(ARCHIVE, {"id": gid})["riskArchive"]
    assert open_refused["errors"] == [{"field": "id", "code": "INVALID_TRANSITION"}]
    analyst.ok(
        "mutation($id: ID!) { riskTransition(input: {id: $id, to: CLOSED}) { errors { code } } }",
        {"id": gid},
    )
    archived = analyst.ok(ARCHIVE, {"id": gid})["riskArchive"]
    assert archived["errors"] == [] and archived["risk"]["archivedAt"]
    assert archived["risk"]["viewerCanArchive"] is False
    assert archived["risk"]["allowedTransitions"] == []
    viewer = api("a", "viewer")
    assert viewer.ok("{ risks { totalCount } }")["risks"]["totalCount"] == 0
    kept = viewer.ok("{ risks(filter: {archived: true}) { edges { node { title } } } }")
    assert kept["risks"]["edges"] == [{"node": {"title": "Old product line"}}]
    assert viewer.ok("{ riskHeatmap { count } }")["riskHeatmap"][0]["count"] == 0
    again = analyst.ok(ARCHIVE, {"id": gid})["riskArchive"]
    assert again["errors"] == [{"field": "id", "code": "INVALID_TRANSITION"}]
    trail = api("a", "admin").ok(
        "query($id: ID!) { risk(id: $id) { history { edges { node { action actorEmail changes } } } } }",
        {"id": gid},
    )["risk"]["history"]["edges"]
    archive_entry = trail[0]["node"]
    assert (archive_entry["action"], archive_entry["actorEmail"]) == ("UPDATE", "analyst@a.test")
    assert "archived_at" in archive_entry["changes"]


def test_an_archived_control_leaves_the_list_and_the_residual_proposal(api, world):
    with tenant_a(world):
        risk = register.risk_create(title="Card fraud", category_id=_credit().pk)
        assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=4, impact=4)
        control = controls.control_create(
            name="Velocity checks",
            control_type="preventive",
            kind="technical",
            effectiveness="effective",
            risk_ids=[risk.pk],
        )
    analyst = api("a", "analyst")
    body = analyst.ok(
        "mutation($id: ID!) { controlArchive(input: {id: $id}) { control { archivedAt } errors { code } } }",
        {"id": to_base64("Control", control.pk)},
    )["controlArchive"]
    assert body["errors"] == [] and body["control"]["archivedAt"]
    assert analyst.ok("{ controls { totalCount } }")["controls"]["totalCount"] == 0
    assert analyst.ok("{ controls(archived: null) { totalCount } }")["controls"]["totalCount"] == 1
    proposal = analyst.ok(
        "query($r: ID!) { residualProposal(risk: $r) { likelihood impact } }",
        {"r": to_base64("Risk", risk.pk)},
    )["residualProposal"]
    assert proposal == {"likelihood": 4, "impact": 4}  # no live control: nothing taken off
    with tenant_a(world):
        assert Control.objects.get().risks.count() == 1  # the link is kept


CAPABILITIES = """query($id: ID!) { risk(id: $id) { allowedTransitions viewerCanEdit
  viewerCanArchive actions { edges { node { allowedTransitions } } } } }"""


def test_capabilities_say_what_the_viewer_may_do_now(api, world):
    with tenant_a(world):
        risk = register.risk_create(title="Draft", category_id=_credit().pk)
        controls.action_create(risk_id=risk.pk, title="First step")
    gid = to_base64("Risk", risk.pk)
    as_analyst = api("a", "analyst").ok(CAPABILITIES, {"id": gid})["risk"]
    assert as_analyst == {
        "allowedTransitions": ["OPEN", "CLOSED"],
        "viewerCanEdit": True,
        "viewerCanArchive": True,
        "actions": {
            "edges": [{"node": {"allowedTransitions": ["IN_PROGRESS", "DONE", "CANCELLED"]}}]
        },
    }
    as_viewer = api("a", "viewer").ok(CAPABILITIES, {"id": gid})["risk"]
    assert as_viewer == {
        "allowedTransitions": [],
        "viewerCanEdit": False,
        "viewerCanArchive": False,
        "actions": {"edges": [{"node": {"allowedTransitions": []}}]},
    }


def test_settings_matrix_colours_and_the_snapshot_are_typed(api, world):
    with tenant_a(world):
        analyst = world.user("a", "analyst")
        risk = register.risk_create(
            title="Accepted one",
            category_id=_credit().pk,
            status="open",
            owner_id=person_for(analyst).pk,
        )
        owner_gid = to_base64("Person", risk.owner_id)
        rating = assessments.assessment_record(
            risk_id=risk.pk, kind="inherent", likelihood=2, impact=3
        )
        asked = acceptance.acceptance_request(
            risk_id=risk.pk,
            actor=analyst,
            justification="Insured",
            expires_on=timezone.localdate() + timedelta(days=30),
        )
    admin = api("a", "admin")
    changed = admin.ok(
        """mutation { registerSettingsUpdate(input: {reviewCadenceDays: [{level: HIGH, days: 60}],
        residualSteps: [{effectiveness: PARTIALLY_EFFECTIVE, steps: 0}]}) {
        settings { reviewCadenceDays { level days } residualSteps { effectiveness steps } }
        errors { field code } } }"""
    )["registerSettingsUpdate"]
    assert changed["settings"] == {
        "reviewCadenceDays": [
            {"level": "LOW", "days": 365},
            {"level": "MEDIUM", "days": 180},
            {"level": "HIGH", "days": 60},
            {"level": "CRITICAL", "days": 30},
        ],
        "residualSteps": [
            {"effectiveness": "NOT_ASSESSED", "steps": 0},
            {"effectiveness": "INEFFECTIVE", "steps": 0},
            {"effectiveness": "PARTIALLY_EFFECTIVE", "steps": 0},
            {"effectiveness": "EFFECTIVE", "steps": 2},
        ],
    }
    refused = admin.ok(
        """mutation { registerSettingsUpdate(input: {reviewCadenceDays: [{level: LOW, days: 0}]})
        { errors { field code } } }"""
    )["registerSettingsUpdate"]
    assert refused["errors"] == [{"field": "reviewCadenceDays", "code": "INVALID"}]
    colours = admin.ok("{ riskMatrix { colours { level colour } } }")["riskMatrix"]["colours"]
    assert colours == [
        {"level": "LOW", "colour": "#2e7d32"},
        {"level": "MEDIUM", "colour": "#f9a825"},
        {"level": "HIGH", "colour": "#ef6c00"},
        {"level": "CRITICAL", "colour": "#c62828"},
    ]
    decided = api("a", "risk_manager").ok(
        """mutation($id: ID!) { acceptanceDecide(input: {id: $id, approve: true}) {
        acceptance { snapshot { title currentLevel treatmentStrategy ownerId
          inherent { assessmentId likelihood impact level matrixVersion } residual { level } } }
        errors { code } } }""",
        {"id": to_base64("RiskAcceptance", asked.pk)},
    )["acceptanceDecide"]
    assert decided["acceptance"]["snapshot"] == {
        "title": "Accepted one",
        "currentLevel": "MEDIUM",
        "treatmentStrategy": None,
        "ownerId": owner_gid,
        "inherent": {
            "assessmentId": to_base64("RiskAssessment", rating.pk),
            "likelihood": 2,
            "impact": 3,
            "level": "MEDIUM",
            "matrixVersion": 1,
        },
        "residual": None,
    }


def test_level_counts_name_the_level_as_an_enum_and_unassessed_as_null(api, world):
    with tenant_a(world):
        register.risk_create(title="Unrated", category_id=_credit().pk, status="open")
        rated = register.risk_create(title="Rated", category_id=_credit().pk, status="open")
        assessments.assessment_record(risk_id=rated.pk, kind="inherent", likelihood=5, impact=5)
    summary = api("a", "viewer").ok(
        "{ riskSummary(months: 1) { byCategory { category { code } counts { level count } } } }"
    )["riskSummary"]
    assert summary["byCategory"] == [
        {
            "category": {"code": "credit"},
            "counts": [{"level": "CRITICAL", "count": 1}, {"level": None, "count": 1}],
        }
    ]


def test_nested_lists_take_order_by(api, world):
    with tenant_a(world):
        risk = register.risk_create(title="Ordered", category_id=_credit().pk)
        for name in ("Beta", "Alpha", "Gamma"):
            controls.control_create(
                name=name, control_type="detective", kind="audit", risk_ids=[risk.pk]
            )
    body = api("a", "viewer").ok(
        """query($id: ID!) { risk(id: $id) {
        asc: controls { edges { node { name } } }
        desc: controls(orderBy: [{field: NAME, direction: DESC}]) { edges { node { name } } } } }""",
        {"id": to_base64("Risk", risk.pk)},
    )["risk"]
    assert [e["node"]["name"] for e in body["asc"]["edges"]] == ["Alpha", "Beta", "Gamma"]
    assert [e["node"]["name"] for e in body["desc"]["edges"]] == ["Gamma", "Beta", "Alpha"]


def test_every_register_type_field_argument_and_enum_value_has_a_description():
    """What the conventions test checks for arguments and enum values only, over the risk
    register's own types (those defined in apps/risks): types, fields and input fields too."""
    from graphql import (
        GraphQLEnumType,
        GraphQLInputObjectType,
        GraphQLInterfaceType,
        GraphQLObjectType,
    )

    from config.schema import schema

    missing = []
    for name, gql_type in schema._schema.type_map.items():
        definition = (getattr(gql_type, "extensions", None) or {}).get("strawberry-definition")
        origin = getattr(definition, "origin", None) or getattr(definition, "wrapped_cls", None)
        if not getattr(origin, "__module__", "").startswith("apps.risks"):
            continue
        if not gql_type.description:
            missing.append(name)
        if isinstance(gql_type, GraphQLEnumType):
            missing += [
                f"{name}.{v}" for v, value in gql_type.values.items() if not value.description
            ]
            continue
        if isinstance(gql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in gql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
    assert missing == []
