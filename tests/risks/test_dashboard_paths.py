"""The paths a risk dashboard reads (issue 9, section 2), through GraphQL as a frontend does."""

from contextlib import contextmanager
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.early_warning.services import indicators
from apps.early_warning.services.scans import scan
from apps.risks.models import RiskCategory
from apps.risks.services import acceptance, assessments, configuration, controls, register, reviews
from tests.early_warning.conftest import T0, feed, indicator_new
from tests.risks.people import person_for, unlinked_person


@contextmanager
def tenant_a(world):
    with schema_context(world.a.schema_name):
        yield
    connection.set_schema_to_public()


def gid(type_name: str, pk) -> str:
    return to_base64(type_name, pk)


def _credit():
    return RiskCategory.objects.get(code="credit")


def test_children_name_their_risk_and_the_risk_lists_its_limits(api, world):
    with tenant_a(world):
        analyst = world.user("a", "analyst")
        risk = register.risk_create(title="SME defaults", category_id=_credit().pk, status="open")
        assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=3, impact=3)
        controls.action_create(risk_id=risk.pk, title="Tighten scoring")
        reviews.review_record(risk_id=risk.pk, actor=analyst)
        acceptance.acceptance_request(
            risk_id=risk.pk,
            actor=analyst,
            justification="Small",
            expires_on=timezone.localdate() + timedelta(days=30),
        )
        configuration.limit_create(name="SME exposure", cap=100, risk_id=risk.pk)
    body = api("a", "viewer").ok(
        """query($id: ID!) { risk(id: $id) {
        assessments { edges { node { risk { title } } } }
        actions { edges { node { risk { title } } } }
        reviews { edges { node { levelAtReview risk { title } } } }
        acceptances { edges { node { risk { title } } } }
        limits { totalCount edges { node { name risk { title } } } } } }""",
        {"id": gid("Risk", risk.pk)},
    )["risk"]
    for name in ("assessments", "actions", "reviews", "acceptances", "limits"):
        assert body[name]["edges"][0]["node"]["risk"] == {"title": "SME defaults"}, name
    assert body["limits"]["edges"][0]["node"]["name"] == "SME exposure"
    assert body["reviews"]["edges"][0]["node"]["levelAtReview"] == "MEDIUM"


def test_a_risk_lists_the_indicators_that_watch_it_and_their_signals(api, world):
    with tenant_a(world):
        risk = register.risk_create(title="Credit deterioration", category_id=_credit().pk)
        unrelated = register.risk_create(title="Elsewhere", category_id=_credit().pk)
        npl = indicator_new(code="npl_ratio")
        indicators.indicator_save(indicator_id=npl.pk, risk_ids=[risk.pk])
        quiet = indicator_new(code="overdue_30")
        indicators.indicator_save(indicator_id=quiet.pk, risk_ids=[risk.pk, unrelated.pk])
        indicators.rule_save(indicator_id=npl.pk, kind="threshold", params={})
        feed("npl_ratio", [9])
        scan(indicator_ids=[npl.pk], now=T0 + timedelta(days=30))
    query = """query($id: ID!) { risk(id: $id) {
      indicators(orderBy: [{field: CODE, direction: DESC}]) { totalCount edges { node { code } } }
      signals { totalCount edges { node { severity status indicator { code } } } } } }"""
    viewer = api("a", "viewer")
    body = viewer.ok(query, {"id": gid("Risk", risk.pk)})["risk"]
    assert [e["node"]["code"] for e in body["indicators"]["edges"]] == ["overdue_30", "npl_ratio"]
    assert body["signals"]["totalCount"] == 1
    assert body["signals"]["edges"][0]["node"] == {
        "severity": "RED",
        "status": "OPEN",
        "indicator": {"code": "npl_ratio"},
    }
    other = viewer.ok(query, {"id": gid("Risk", unrelated.pk)})["risk"]
    assert (other["indicators"]["totalCount"], other["signals"]["totalCount"]) == (1, 0)


ACTIONS = """query($f: TreatmentActionFilter, $o: [TreatmentActionOrder!]) {
  actions(filter: $f, orderBy: $o) { totalCount edges { node { title overdue } } }
  actionCounts(filter: $f) { status count } }"""


def test_my_actions_by_owner_status_and_due_date_with_counts(api, world):
    today = timezone.localdate()
    with tenant_a(world):
        mine = person_for(world.user("a", "analyst"))  # a person linked to the analyst
        other = unlinked_person("E900", "Never Logs In")
        risk = register.risk_create(title="Ops", category_id=_credit().pk)
        late = controls.action_create(
            risk_id=risk.pk, title="Late", owner_id=mine.pk, due_date=today - timedelta(days=3)
        )
        controls.action_create(
            risk_id=risk.pk, title="Soon", owner_id=mine.pk, due_date=today + timedelta(days=5)
        )
        controls.action_create(
            risk_id=risk.pk, title="Later", owner_id=mine.pk, due_date=today + timedelta(days=40)
        )
        done = controls.action_create(
            risk_id=risk.pk, title="Done", owner_id=mine.pk, due_date=today - timedelta(days=9)
        )
        controls.action_update(action_id=done.pk, status="done")
        controls.action_create(risk_id=risk.pk, title="Theirs", owner_id=other.pk)
    viewer = api("a", "viewer")
    me = gid("Person", mine.pk)

    def titles(f, o=None):
        return [
            e["node"]["title"] for e in viewer.ok(ACTIONS, {"f": f, "o": o})["actions"]["edges"]
        ]

    assert titles({"owner": me}) == ["Done", "Late", "Soon", "Later"]  # soonest due first
    assert titles({"owner": me}, [{"field": "DUE", "direction": "DESC"}]) == [
        "Later",
        "Soon",
        "Late",
        "Done",
    ]
    assert titles({"owner": me, "overdue": True}) == ["Late"]
    window = {"owner": me, "dueFrom": str(today), "dueTo": str(today + timedelta(days=30))}
    assert titles(window) == ["Soon"]
    assert titles({"statuses": ["DONE"]}) == ["Done"]
    counts = viewer.ok(ACTIONS, {"f": {"owner": me}})["actionCounts"]
    assert counts == [
        {"status": "PLANNED", "count": 3},
        {"status": "IN_PROGRESS", "count": 0},
        {"status": "DONE", "count": 1},
        {"status": "CANCELLED", "count": 0},
    ]
    assert late.pk  # (the overdue one is the one created first)
    # "mine": through the person linked to the viewer; a member with no person owns nothing
    analyst = api("a", "analyst")
    found = analyst.ok(ACTIONS, {"f": {"mine": True}})["actions"]["edges"]
    assert [e["node"]["title"] for e in found] == ["Done", "Late", "Soon", "Later"]
    not_mine = analyst.ok(ACTIONS, {"f": {"mine": False}})["actions"]["edges"]
    assert [e["node"]["title"] for e in not_mine] == ["Theirs"]
    assert titles({"mine": True}) == []  # the viewer has no person in the directory


DECIDE = """query($f: RiskAcceptanceFilter) {
  acceptances(filter: $f) { totalCount edges { node { justification viewerCanDecide
    allowedTransitions } } }
  acceptanceCounts(filter: $f) { status count } }"""


def test_acceptances_to_decide_are_those_asked_by_someone_else(api, world):
    expires = timezone.localdate() + timedelta(days=30)
    with tenant_a(world):
        analyst, manager = world.user("a", "analyst"), world.user("a", "risk_manager")
        for title, asker in (("Asked by analyst", analyst), ("Asked by manager", manager)):
            risk = register.risk_create(title=title, category_id=_credit().pk, status="open")
            assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=2, impact=2)
            acceptance.acceptance_request(
                risk_id=risk.pk, actor=asker, justification=title, expires_on=expires
            )
    as_manager = api("a", "risk_manager")
    body = as_manager.ok(DECIDE, {"f": {"decider": gid("User", manager.pk)}})
    assert [e["node"] for e in body["acceptances"]["edges"]] == [
        {
            "justification": "Asked by analyst",
            "viewerCanDecide": True,
            "allowedTransitions": ["APPROVED", "REJECTED"],
        }
    ]
    assert {"status": "REQUESTED", "count": 1} in body["acceptanceCounts"]
    # An analyst decides nothing, so nothing is theirs to decide.
    analysts = as_manager.ok(DECIDE, {"f": {"decider": gid("User", analyst.pk)}})
    assert analysts["acceptances"]["totalCount"] == 0
    # The analyst sees both requests, and may decide neither.
    seen = api("a", "analyst").ok(DECIDE, {"f": {"statuses": ["REQUESTED"]}})["acceptances"]
    assert seen["totalCount"] == 2
    assert {
        (n["node"]["viewerCanDecide"], tuple(n["node"]["allowedTransitions"]))
        for n in seen["edges"]
    } == {(False, ())}


def test_a_heatmap_cell_drills_down_to_its_risks_and_the_summary_takes_the_filter(api, world):
    with tenant_a(world):
        credit, fraud = _credit(), RiskCategory.objects.get(code="fraud")
        for title, category, rating in (
            ("A", credit, (3, 4)),
            ("B", credit, (3, 4)),
            ("C", fraud, (3, 4)),
            ("D", credit, (1, 1)),
        ):
            risk = register.risk_create(title=title, category_id=category.pk, status="open")
            assessments.assessment_record(
                risk_id=risk.pk, kind="inherent", likelihood=rating[0], impact=rating[1]
            )
    viewer = api("a", "viewer")
    cells = viewer.ok("{ riskHeatmap(kind: INHERENT) { likelihood impact count } }")["riskHeatmap"]
    assert {"likelihood": 3, "impact": 4, "count": 3} in cells
    cell = viewer.ok(
        """{ risks(filter: {inherentLikelihood: 3, inherentImpact: 4},
        orderBy: [{field: TITLE}]) { totalCount edges { node { title } } } }"""
    )["risks"]
    assert [e["node"]["title"] for e in cell["edges"]] == ["A", "B", "C"]
    credit_cell = viewer.ok(
        """{ risks(filter: {inherentLikelihood: 3, inherentImpact: 4, categoryCode: "credit"})
        { totalCount } }"""
    )
    assert credit_cell["risks"]["totalCount"] == 2
    summary = viewer.ok(
        """{ riskSummary(months: 1, filter: {categoryCode: "fraud"}) {
        byCategory { category { code nameEn } counts { level count } }
        trend { counts { level count } } } }"""
    )["riskSummary"]
    assert summary["byCategory"] == [
        {
            "category": {"code": "fraud", "nameEn": "Fraud risk"},
            "counts": [{"level": "HIGH", "count": 1}],
        }
    ]
    assert {"level": "HIGH", "count": 1} in summary["trend"][-1]["counts"]


def test_a_category_is_found_by_its_code(api, world):
    viewer = api("a", "viewer")
    body = viewer.ok(
        """{ riskCategory(code: "credit") { code nameZh }
        missing: riskCategory(code: "no_such_code") { code }
        riskCategories(filter: {codes: ["fraud", "market"]}, orderBy: [{field: CODE, direction: DESC}])
        { totalCount edges { node { code } } } }"""
    )
    assert body["riskCategory"] == {"code": "credit", "nameZh": "信用风险"}
    assert body["missing"] is None
    assert [e["node"]["code"] for e in body["riskCategories"]["edges"]] == ["market", "fraud"]


def test_the_residual_proposal_is_computed_on_demand(api, world):
    with tenant_a(world):
        risk = register.risk_create(title="Payments fraud", category_id=_credit().pk)
        bare = register.risk_create(title="Unrated", category_id=_credit().pk)
        assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=4, impact=4)
        controls.control_create(
            name="Velocity checks",
            control_type="preventive",
            kind="technical",
            effectiveness="effective",
            risk_ids=[risk.pk],
        )
    query = "query($r: ID!) { residualProposal(risk: $r) { likelihood impact score level } }"
    viewer = api("a", "viewer")
    # An effective preventive control: likelihood 4 - 2 steps; impact unchanged.
    assert viewer.ok(query, {"r": gid("Risk", risk.pk)})["residualProposal"] == {
        "likelihood": 2,
        "impact": 4,
        "score": 8,
        "level": "MEDIUM",
    }
    assert viewer.ok(query, {"r": gid("Risk", bare.pk)})["residualProposal"] is None
    assert viewer.ok(query, {"r": gid("Control", risk.pk)})["residualProposal"] is None
