"""The API end to end: a plan written, submitted and approved by someone else, activated,
with typed errors on bad input; and tenant B sees none of A's."""

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from tests.emergency.conftest import level, make_plan

CREATE = """mutation($i: PlanCreateInput!) { planCreate(input: $i) {
  errors { field code } plan { id code versions { edges { node { id number status } } } } } }"""
UPDATE = """mutation($i: PlanVersionUpdateInput!) { planVersionUpdate(input: $i) {
  errors { field code } version { steps { totalCount } } } }"""
MOVE = """mutation($i: PlanVersionTransitionInput!) { planVersionTransition(input: $i) {
  errors { field code } version { status approvedBy { email } } } }"""
DECLARE = """mutation($i: ActivationDeclareInput!) { activationDeclare(input: $i) {
  errors { field code } activation { id status level { code } commander { fullName }
  openTaskCount tasks { totalCount edges { node { action } } }
  timeline(first: 10) { totalCount edges { node { kind } } } } } }"""


def test_a_plan_from_draft_to_activation(api, world):
    with schema_context(world.a.schema_name):
        from tests.emergency.conftest import org_people

        org = org_people(world)
        scenario = to_base64("EmergencyScenario", _scenario_pk("data_leak"))
        level_ii = to_base64("SeverityLevel", level("II").pk)
    connection.set_schema_to_public()
    analyst, manager = api("a", "analyst"), api("a", "risk_manager")
    plan = analyst.ok(CREATE, {"i": {"code": "leak", "name": "Leak", "scenario": scenario}})
    assert plan["planCreate"]["errors"] == []
    version = plan["planCreate"]["plan"]["versions"]["edges"][0]["node"]
    assert (version["number"], version["status"]) == (1, "DRAFT")

    commander = to_base64("Person", org["ana"].pk)
    bad_step = {
        "phase": "RESPONSE",
        "action": " ",
        "responsibleRole": "COMMANDER",
        "timeTargetMinutes": 10,
    }
    refused = analyst.ok(UPDATE, {"i": {"id": version["id"], "steps": [bad_step]}})
    assert refused["planVersionUpdate"]["errors"] == [
        {"field": "steps.0.action", "code": "INVALID"}
    ]
    done = analyst.ok(
        UPDATE,
        {
            "i": {
                "id": version["id"],
                "roles": [{"role": "COMMANDER", "person": commander}],
                "steps": [{**bad_step, "action": "Isolate the systems"}],
            }
        },
    )
    assert done["planVersionUpdate"] == {"errors": [], "version": {"steps": {"totalCount": 1}}}

    submitted = analyst.ok(MOVE, {"i": {"id": version["id"], "to": "IN_REVIEW"}})
    assert submitted["planVersionTransition"]["errors"] == []
    self_approval = analyst.ok(MOVE, {"i": {"id": version["id"], "to": "APPROVED"}})
    assert self_approval["planVersionTransition"]["errors"] == [
        {"field": "to", "code": "NOT_ALLOWED"}
    ]
    approved = manager.ok(MOVE, {"i": {"id": version["id"], "to": "APPROVED"}})
    assert approved["planVersionTransition"] == {
        "errors": [],
        "version": {"status": "APPROVED", "approvedBy": {"email": "risk_manager@a.test"}},
    }
    immutable = analyst.ok(UPDATE, {"i": {"id": version["id"], "objectives": "x"}})
    assert immutable["planVersionUpdate"]["errors"] == [{"field": "id", "code": "IMMUTABLE"}]

    plan_id = plan["planCreate"]["plan"]["id"]
    declared = analyst.ok(
        DECLARE, {"i": {"plan": plan_id, "level": level_ii, "amountInvolved": "1000000.00"}}
    )
    activation = declared["activationDeclare"]["activation"]
    assert declared["activationDeclare"]["errors"] == []
    assert activation["level"] == {"code": "II"}
    assert activation["commander"] == {"fullName": "Person E1"}
    assert activation["openTaskCount"] == 1
    assert activation["tasks"]["edges"] == [{"node": {"action": "Isolate the systems"}}]
    assert [e["node"]["kind"] for e in activation["timeline"]["edges"]] == [
        "DECLARED",
        "ROLE_ASSIGNED",
    ]

    # Tenant B sees nothing of it, by lookup or by node.
    other = api("b", "admin")
    assert (
        other.ok("query($id: ID!) { activation(id: $id) { id } }", {"id": activation["id"]})[
            "activation"
        ]
        is None
    )
    assert other.ok("query($id: ID!) { node(id: $id) { id } }", {"id": plan_id})["node"] is None
    assert other.ok("{ activations { totalCount } }")["activations"]["totalCount"] == 0


def test_a_plan_without_an_approved_version_is_not_activated(api, world):
    with schema_context(world.a.schema_name):
        from tests.emergency.conftest import org_people

        plan = make_plan(world, org_people(world), approve=False)
        plan_id = to_base64("EmergencyPlan", plan.pk)
    connection.set_schema_to_public()
    refused = api("a", "analyst").ok(DECLARE, {"i": {"plan": plan_id}})
    assert refused["activationDeclare"] == {
        "errors": [{"field": "plan", "code": "NO_APPROVED_VERSION"}],
        "activation": None,
    }


def test_filters_of_the_plan_and_activation_lists(api, world):
    with schema_context(world.a.schema_name):
        from apps.emergency.services.activations import activation_declare
        from tests.emergency.conftest import org_people

        org = org_people(world)
        plan = make_plan(world, org, code="one")
        make_plan(world, org, code="two", approve=False)
        activation_declare(plan_id=plan.pk, level_id=level("I").pk)
        level_iv = to_base64("SeverityLevel", level("IV").pk)
    connection.set_schema_to_public()
    client = api("a", "viewer")
    approved = client.ok(
        "{ emergencyPlans(filter: {status: APPROVED}) { edges { node { code } } } }"
    )["emergencyPlans"]["edges"]
    assert approved == [{"node": {"code": "one"}}]
    drills_missing = client.ok(
        '{ emergencyPlans(filter: {drillMissing: true, search: "Plan"}) { totalCount } }'
    )["emergencyPlans"]["totalCount"]
    assert drills_missing == 2  # "Plan one" and "Plan two": neither was ever drilled
    opened = client.ok("{ activations(filter: {open: true}) { totalCount } }")
    assert opened["activations"]["totalCount"] == 1
    at_iv = client.ok(
        "query($l: ID!) { activations(filter: {level: $l}) { totalCount } }", {"l": level_iv}
    )
    assert at_iv["activations"]["totalCount"] == 0


def _scenario_pk(code: str):
    from apps.emergency.models import Scenario

    return Scenario.objects.get(code=code).pk


BY_CODE = "query($c: String) { emergencyPlan(code: $c) { code name } }"


def test_a_plan_is_looked_up_by_code_or_id_not_both(api, world):
    with schema_context(world.a.schema_name):
        from tests.emergency.conftest import org_people

        plan = make_plan(world, org_people(world), code="Caps-One")  # stored as caps_one
        plan_id = to_base64("EmergencyPlan", plan.pk)
    connection.set_schema_to_public()
    client = api("a", "viewer")
    found = client.ok(BY_CODE, {"c": " CAPS-ONE "})["emergencyPlan"]
    assert found == {"code": "caps_one", "name": "Plan Caps-One"}
    assert client.ok(BY_CODE, {"c": "nothing_like_it"})["emergencyPlan"] is None
    assert api("b", "admin").ok(BY_CODE, {"c": "caps_one"})["emergencyPlan"] is None
    for query, variables in (
        ("{ emergencyPlan { code } }", None),
        ('query($id: ID!) { emergencyPlan(id: $id, code: "caps_one") { code } }', {"id": plan_id}),
    ):
        body = client(query, variables)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_ARGUMENT"]
        assert body["data"] == {"emergencyPlan": None}
