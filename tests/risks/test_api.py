"""The register through GraphQL, as a tenant's frontend uses it."""

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.risks.models import Risk, RiskCategory
from apps.risks.services import assessments, register
from tests.risks.people import person_for

CREATE = """mutation($input: RiskCreateInput!) { riskCreate(input: $input) {
  risk { id title status category { code } owner { fullName user { email } } tags treatmentStrategy currentLevel }
  errors { field code message } } }"""


def category_id(world, code="credit"):
    with schema_context(world.a.schema_name):
        pk = RiskCategory.objects.get(code=code).pk
    connection.set_schema_to_public()
    return to_base64("RiskCategory", pk)


def seed(world, n, code="credit", **fields):
    with schema_context(world.a.schema_name):
        category = RiskCategory.objects.get(code=code)
        made = []
        for i in range(n):
            risk = register.risk_create(
                title=fields.get("title", f"Risk {i}"), category_id=category.pk, status="open"
            )
            assessments.assessment_record(
                risk_id=risk.pk, kind="inherent", likelihood=1 + i % 5, impact=1 + (i * 2) % 5
            )
            made.append(risk.pk)
    connection.set_schema_to_public()
    return made


def test_create_a_risk_and_read_it_back(api, world):
    analyst = api("a", "analyst")
    with schema_context(world.a.schema_name):
        owner = to_base64("Person", person_for(world.user("a", "analyst")).pk)
    connection.set_schema_to_public()
    created = analyst.ok(
        CREATE,
        {
            "input": {
                "title": "Mass early redemptions",
                "category": category_id(world, "liquidity"),
                "owner": owner,
                "status": "OPEN",
                "treatmentStrategy": "MITIGATE",
                "tags": ["Funding", "run"],
                "causes": "羊群效应 after negative news",
                "consequences": "Funding chain breaks",
            }
        },
    )["riskCreate"]
    assert created["errors"] == []
    risk = created["risk"]
    assert risk["status"] == "OPEN" and risk["category"]["code"] == "liquidity"
    assert risk["owner"] == {"fullName": "analyst@a.test", "user": {"email": "analyst@a.test"}}
    assert risk["tags"] == ["funding", "run"]
    assert risk["treatmentStrategy"] == "MITIGATE" and risk["currentLevel"] is None

    assessed = analyst.ok(
        """mutation($risk: ID!) { assessmentRecord(input: {risk: $risk, kind: INHERENT,
        likelihood: 4, impact: 5, expectedLoss: "12000000.00", rationale: "2015 run on peers"}) {
        assessment { level score matrixVersion assessor { email } } risk { inherent { level score } } errors { code } } }""",
        {"risk": risk["id"]},
    )["assessmentRecord"]
    assert assessed["assessment"] == {
        "level": "CRITICAL",
        "score": 20,
        "matrixVersion": 1,
        "assessor": {"email": "analyst@a.test"},
    }
    detail = analyst.ok(
        """query($id: ID!) { risk(id: $id) { title currentLevel reviewOverdue
        assessments { edges { node { kind level } } } history { totalCount } } }""",
        {"id": risk["id"]},
    )
    assert detail["risk"]["currentLevel"] == "CRITICAL"
    assert detail["risk"]["assessments"]["edges"] == [
        {"node": {"kind": "INHERENT", "level": "CRITICAL"}}
    ]
    assert detail["risk"]["history"]["totalCount"] >= 1


def test_bad_input_is_typed_and_writes_nothing(api, world):
    body = api("a", "analyst").ok(CREATE, {"input": {"title": " ", "category": category_id(world)}})
    assert body["riskCreate"]["risk"] is None
    assert body["riskCreate"]["errors"][0]["field"] == "title"
    bad_owner = api("a", "analyst").ok(
        CREATE,
        {
            "input": {
                "title": "x",
                "category": category_id(world),
                "owner": to_base64("User", 999999),
            }
        },
    )
    assert bad_owner["riskCreate"]["errors"][0] == {
        "field": "owner",  # the input field, not the service's owner_id
        "code": "NOT_FOUND",  # a User id names no person
        "message": "No such person in the directory.",
    }
    with schema_context(world.a.schema_name):
        assert not Risk.objects.exists()


def test_transitions_through_the_api(api, world):
    (pk,) = seed(world, 1)
    gid = to_base64("Risk", pk)
    move = "mutation($id: ID!, $to: RiskStatus!) { riskTransition(input: {id: $id, to: $to}) { risk { status } errors { code } } }"
    analyst = api("a", "analyst")
    assert (
        analyst.ok(move, {"id": gid, "to": "IN_TREATMENT"})["riskTransition"]["risk"]["status"]
        == "IN_TREATMENT"
    )
    refused = analyst.ok(move, {"id": gid, "to": "ACCEPTED"})["riskTransition"]
    assert refused == {"risk": None, "errors": [{"code": "INVALID_TRANSITION"}]}
    to_draft = analyst.ok(move.replace("code }", "code field }"), {"id": gid, "to": "DRAFT"})
    assert to_draft["riskTransition"]["errors"] == [{"code": "INVALID_TRANSITION", "field": "to"}]


def test_filters_and_ordering(api, world):
    seed(world, 6)
    seed(world, 2, code="fraud", title="Account takeover")
    viewer = api("a", "viewer")
    q = """query($f: RiskFilter, $o: [RiskOrder!]) { risks(filter: $f, orderBy: $o, first: 50) {
        totalCount edges { node { title currentLevel inherent { score } } } } }"""
    fraud = viewer.ok(q, {"f": {"category": category_id(world, "fraud")}})["risks"]
    assert fraud["totalCount"] == 2
    assert viewer.ok(q, {"f": {"search": "takeover"}})["risks"]["totalCount"] == 2
    by_score = [
        e["node"]["inherent"]["score"]
        for e in viewer.ok(q, {"o": [{"field": "INHERENT_SCORE", "direction": "DESC"}]})["risks"][
            "edges"
        ]
    ]
    assert by_score == sorted(by_score, reverse=True)
    high = viewer.ok(q, {"f": {"levels": ["HIGH", "CRITICAL"]}})["risks"]["edges"]
    assert high and all(e["node"]["currentLevel"] in ("HIGH", "CRITICAL") for e in high)
    assert viewer.ok(q, {"f": {"reviewOverdue": True}})["risks"]["totalCount"] == 0
    assert (
        viewer.ok(q, {"f": {"category": to_base64("RiskCategory", "nope")}})["risks"]["totalCount"]
        == 0
    )


def test_sub_categories_are_included_in_a_category_filter(api, world):
    admin = api("a", "admin")
    child = admin.ok(
        """mutation($p: ID!) { categoryCreate(input: {code: "sme_credit", nameEn: "SME credit",
        nameZh: "小微信贷", parent: $p}) { category { id path } errors { code } } }""",
        {"p": category_id(world)},
    )["categoryCreate"]["category"]
    assert child["path"] == "credit/sme_credit"
    admin.ok(CREATE, {"input": {"title": "SME default wave", "category": child["id"]}})
    q = "query($c: ID!) { risks(filter: {category: $c}) { totalCount } }"
    assert admin.ok(q, {"c": category_id(world)})["risks"]["totalCount"] == 1


def test_heatmap_and_summary(api, world):
    seed(world, 10)
    viewer = api("a", "viewer")
    cells = viewer.ok("{ riskHeatmap(kind: INHERENT) { likelihood impact level count } }")[
        "riskHeatmap"
    ]
    assert len(cells) == 25 and sum(c["count"] for c in cells) == 10
    assert {"likelihood": 1, "impact": 1, "level": "LOW", "count": 2} in cells
    summary = viewer.ok(
        "{ riskSummary(months: 3) { byCategory { category { code } counts { level count } } "
        "trend { date counts { level count } } } }"
    )["riskSummary"]
    credit = next(row for row in summary["byCategory"] if row["category"]["code"] == "credit")
    assert sum(c["count"] for c in credit["counts"]) == 10
    assert (
        len(summary["trend"]) == 4 and sum(c["count"] for c in summary["trend"][-1]["counts"]) == 10
    )
    assert (
        viewer("{ riskSummary(months: 99) { trend { date } } }")["errors"][0]["extensions"]["code"]
        == "BAD_ARGUMENT"
    )


def test_a_null_argument_means_its_default(api, world):
    """Relay clients send null for an unset variable: null is the documented default."""
    seed(world, 10)
    viewer = api("a", "viewer")
    heatmap = "query($k: AssessmentKind) { riskHeatmap(kind: $k) { likelihood impact count } }"
    assert viewer.ok(heatmap, {"k": None}) == viewer.ok(heatmap, {"k": "INHERENT"})
    summary = "query($m: Int) { riskSummary(months: $m) { trend { date } } }"
    assert len(viewer.ok(summary, {"m": None})["riskSummary"]["trend"]) == 13  # 12 months + now


def test_risks_of_a_are_invisible_from_b(api, world):
    (pk,) = seed(world, 1)
    b = api("b", "admin")
    assert b.ok("{ risks { totalCount } }")["risks"]["totalCount"] == 0
    assert (
        b.ok("query($id: ID!) { node(id: $id) { id } }", {"id": to_base64("Risk", pk)})["node"]
        is None
    )
    assert (
        b.ok("query($id: ID!) { risk(id: $id) { id } }", {"id": to_base64("Risk", pk)})["risk"]
        is None
    )
    changed = b.ok(
        'mutation($id: ID!) { riskUpdate(input: {id: $id, title: "pwned"}) { errors { code } } }',
        {"id": to_base64("Risk", pk)},
    )
    assert changed["riskUpdate"]["errors"][0]["code"] == "NOT_FOUND"
    a_category = category_id(world)
    assert b.ok("query($id: ID!) { node(id: $id) { id } }", {"id": a_category})["node"] is None


def test_acceptance_through_the_api(api, world):
    (pk,) = seed(world, 1)
    gid = to_base64("Risk", pk)
    asked = api("a", "analyst").ok(
        """mutation($r: ID!) { acceptanceRequest(input: {risk: $r,
        justification: "Small and insured", expiresOn: "2099-01-01"}) { acceptance { id status } errors { field code } } }""",
        {"r": gid},
    )["acceptanceRequest"]
    assert asked["errors"] == [{"field": "expiresOn", "code": "EXPIRY_TOO_LONG"}]
    from datetime import date, timedelta

    asked = api("a", "analyst").ok(
        """mutation($r: ID!, $d: Date!) { acceptanceRequest(input: {risk: $r,
        justification: "Small and insured", expiresOn: $d}) { acceptance { id status } errors { code } } }""",
        {"r": gid, "d": str(date.today() + timedelta(days=30))},
    )["acceptanceRequest"]
    decide = "mutation($id: ID!) { acceptanceDecide(input: {id: $id, approve: true}) { acceptance { status snapshot { currentLevel title } } errors { code } } }"
    assert (
        api("a", "analyst")(decide, {"id": asked["acceptance"]["id"]})["errors"][0]["extensions"][
            "code"
        ]
        == "FORBIDDEN"
    )
    approved = api("a", "risk_manager").ok(decide, {"id": asked["acceptance"]["id"]})[
        "acceptanceDecide"
    ]
    assert (
        approved["acceptance"]["status"] == "APPROVED"
        and approved["acceptance"]["snapshot"]["currentLevel"]
    )
    status = api("a", "viewer").ok(
        "query($id: ID!) { risk(id: $id) { status acceptances { edges { node { status } } } } }",
        {"id": gid},
    )["risk"]
    assert status["status"] == "ACCEPTED"


def test_matrix_switch_through_the_api(api, world):
    seed(world, 3)
    admin = api("a", "admin")
    made = admin.ok("""mutation { matrixCreate(input: {name: "3x3",
        likelihoodLevels: [{label: "L"}, {label: "M"}, {label: "H"}],
        impactLevels: [{label: "L"}, {label: "M"}, {label: "H"}],
        grid: [[LOW, MEDIUM, HIGH], [MEDIUM, HIGH, CRITICAL], [HIGH, CRITICAL, CRITICAL]]}) {
        matrix { id version isActive } errors { code message } } }""")["matrixCreate"]
    assert made["matrix"]["version"] == 2 and not made["matrix"]["isActive"]
    switched = admin.ok(
        "mutation($id: ID!) { matrixActivate(input: {id: $id}) { ratingsMapped matrix { isActive } errors { code } } }",
        {"id": made["matrix"]["id"]},
    )["matrixActivate"]
    assert switched["ratingsMapped"] == 3 and switched["matrix"]["isActive"]
    cells = admin.ok("{ riskHeatmap { count } }")["riskHeatmap"]
    assert len(cells) == 9 and sum(c["count"] for c in cells) == 3
    broken = admin.ok("""mutation { matrixCreate(input: {name: "bad", likelihoodLevels: [{label: "L"}, {label: "H"}],
        impactLevels: [{label: "L"}, {label: "H"}], grid: [[HIGH, LOW], [HIGH, HIGH]]}) { errors { field code message } } }""")
    assert broken["matrixCreate"]["errors"][0]["code"] == "MATRIX_INVALID"
