"""`allowedTransitions` (and `viewerCanClose`): where the viewer may move a row now, by its
status and the viewer's role (the analyst wrote the plan; four eyes on approval)."""

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from tests.emergency.conftest import level, make_plan, org_people

VERSIONS = """query($id: ID!) { emergencyPlan(id: $id) { versions { edges { node {
  status allowedTransitions } } } } }"""
ACTIVATION = """query($id: ID!) { activation(id: $id) { allowedTransitions viewerCanClose
  } }"""
FINDINGS = """query($id: ID!) { drills(filter: {plan: $id}) { edges { node {
  findings { edges { node { status allowedTransitions } } } } } } }"""


def _version_moves(api, role: str, plan_id: str) -> list:
    edges = api("a", role).ok(VERSIONS, {"id": plan_id})["emergencyPlan"]["versions"]["edges"]
    return [e["node"]["allowedTransitions"] for e in edges]


def test_a_plan_versions_moves_by_status_and_role(api, world):
    from apps.emergency.services import plans

    with schema_context(world.a.schema_name):
        org = org_people(world)
        plan = make_plan(world, org, code="caps", approve=False)
        draft = plan.versions.get()
        plan_id = to_base64("EmergencyPlan", plan.pk)
    connection.set_schema_to_public()
    assert _version_moves(api, "viewer", plan_id) == [[]]
    assert _version_moves(api, "analyst", plan_id) == [["IN_REVIEW"]]
    assert _version_moves(api, "risk_manager", plan_id) == [["IN_REVIEW"]]

    with schema_context(world.a.schema_name):
        plans.version_transition(
            version_id=draft.pk, to="in_review", actor=world.user("a", "analyst")
        )
    connection.set_schema_to_public()
    assert _version_moves(api, "analyst", plan_id) == [["DRAFT"]]  # its author: not APPROVED
    assert _version_moves(api, "risk_manager", plan_id) == [["DRAFT", "APPROVED"]]

    with schema_context(world.a.schema_name):
        manager = world.user("a", "risk_manager")
        plans.version_transition(
            version_id=draft.pk, to="approved", actor=manager, actor_role="risk_manager"
        )
    connection.set_schema_to_public()
    assert _version_moves(api, "analyst", plan_id) == [[]]  # retiring is a manager's
    assert _version_moves(api, "risk_manager", plan_id) == [["RETIRED"]]


def test_an_activation_and_a_findings_moves_by_status_and_role(api, world):
    from apps.emergency.services import activations, drills

    with schema_context(world.a.schema_name):
        org = org_people(world)
        plan = make_plan(world, org, code="caps")
        declared = activations.activation_declare(plan_id=plan.pk, level_id=level("III").pk)
        drill = drills.drill_schedule(plan_id=plan.pk, scheduled_on=declared.declared_at.date())
        drills.drill_record(drill_id=drill.pk, result="partial")
        drills.finding_create(drill_id=drill.pk, title="Slow call tree", severity="medium")
        activation_id = to_base64("Activation", declared.pk)
        plan_id = to_base64("EmergencyPlan", plan.pk)
    connection.set_schema_to_public()

    def activation(role):
        return api("a", role).ok(ACTIVATION, {"id": activation_id})["activation"]

    assert activation("viewer") == {"allowedTransitions": [], "viewerCanClose": False}
    assert activation("analyst") == {"allowedTransitions": ["STABILISED"], "viewerCanClose": False}
    assert activation("risk_manager") == {
        "allowedTransitions": ["STABILISED"],
        "viewerCanClose": True,
    }

    def findings(role):
        (edge,) = api("a", role).ok(FINDINGS, {"id": plan_id})["drills"]["edges"]
        return [f["node"] for f in edge["node"]["findings"]["edges"]]

    assert findings("viewer") == [{"status": "OPEN", "allowedTransitions": []}]
    assert findings("analyst") == [
        {"status": "OPEN", "allowedTransitions": ["IN_PROGRESS", "CLOSED"]}
    ]

    with schema_context(world.a.schema_name):
        activations.activation_close(
            activation_id=declared.pk,
            root_cause="A full disk",
            lessons_learned="Watch the disks",
            follow_up_actions="Alerts on disk use",
            actor=world.user("a", "risk_manager"),
        )
    connection.set_schema_to_public()
    assert activation("risk_manager") == {"allowedTransitions": [], "viewerCanClose": False}
