"""The API of this session's additions: the register mapping (risk managers), limit bindings on
a run (risk managers only), a credit-portfolio run's typed rows, and run schedules."""

from decimal import Decimal

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from tests.assessments.test_api import RUN, finish, upload
from tests.assessments.test_portfolio import BOOK

MAPPING = """mutation($input: AssessmentRegisterMappingInput!) {
  assessmentRegisterMappingSet(input: $input) { errors { field code message }
  mapping { runKind likelihoodFigure likelihoodBands impactFigure impactBands lossFigure } } }"""
RESULTS = """query($id: ID!) { assessmentRun(id: $id) { status registerNote
  limitBindings { limit figure segment }
  concentration { dimension segment rank share nplRate }
  figures { code segment value } } }"""
SCHEDULE = """mutation($input: AssessmentRunScheduleCreateInput!) {
  assessmentRunScheduleCreate(input: $input) { errors { field code }
  schedule { id name cadence active lastPeriod template { id } } } }"""


def _limit_and_risk(world):
    from apps.risks.models import RiskCategory
    from apps.risks.services.configuration import limit_create
    from apps.risks.services.register import risk_create

    with schema_context(world.a.schema_name):
        limit = limit_create(name="Property share", cap=Decimal(30), unit="%")
        risk = risk_create(
            title="Concentration", category_id=RiskCategory.objects.get(code="credit").pk
        )
    connection.set_schema_to_public()
    return to_base64("RiskLimit", limit.pk), to_base64("Risk", risk.pk)


def test_mapping_limits_and_a_portfolio_run_through_the_api(api, world):
    limit, risk = _limit_and_risk(world)
    manager, analyst = api("a", "risk_manager"), api("a", "analyst")
    mapping = {
        "runKind": "CREDIT_PORTFOLIO",
        "likelihoodFigure": "NPL_RATE",
        "impactFigure": "EXPOSURE",
        "impactBands": ["100", "500", "900"],
    }
    refused = manager.ok(MAPPING, {"input": mapping})["assessmentRegisterMappingSet"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("impactBands", "INVALID")]
    mapping["impactBands"].append("2000")
    stored = manager.ok(MAPPING, {"input": mapping})["assessmentRegisterMappingSet"]
    assert stored["mapping"] == {
        "runKind": "CREDIT_PORTFOLIO",
        "likelihoodFigure": "NPL_RATE",
        "likelihoodBands": [],
        "impactFigure": "EXPOSURE",
        "impactBands": [100.0, 500.0, 900.0, 2000.0],
        "lossFigure": None,
    }
    assert (
        analyst("mutation { assessmentRegisterMappingDelete(runKind: LIQUIDITY) { deleted } }")[
            "errors"
        ][0]["extensions"]["code"]
        == "FORBIDDEN"
    )
    book = upload(analyst, "\n".join(BOOK) + "\n", name="book", kind="LOAN_BOOK")["version"]
    run_input = {
        "kind": "CREDIT_PORTFOLIO",
        "loanBook": book["id"],
        "risks": [risk],
        "limits": [{"limit": limit, "figure": "SEGMENT_SHARE", "segment": "industry:property"}],
    }
    by_analyst = analyst(RUN, {"input": run_input})
    assert by_analyst["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    run = manager.ok(RUN, {"input": run_input})["assessmentRunCreate"]["run"]
    finish(world, run["id"])
    shown = analyst.ok(RESULTS, {"id": run["id"]})["assessmentRun"]
    assert shown["status"] == "SUCCEEDED"
    assert shown["registerNote"] == (
        "Rated 1 risk(s) L3×I4 (residual). Limit Property share set to 50.0000."
    )
    assert shown["limitBindings"] == [
        {"limit": limit, "figure": "SEGMENT_SHARE", "segment": "industry:property"}
    ]
    industry = [r for r in shown["concentration"] if r["dimension"] == "INDUSTRY"]
    assert [(r["segment"], r["rank"], r["share"], r["nplRate"]) for r in industry] == [
        ("property", 1, 0.5, 0.8),
        ("retail", 2, 0.4, 0.0),
        ("energy", 3, 0.1, 0.0),
    ]
    limits = manager.ok("{ riskLimits { edges { node { name currentValue breached } } } }")
    assert limits["riskLimits"]["edges"] == [
        {"node": {"name": "Property share", "currentValue": "50.0000", "breached": True}}
    ]
    # A schedule of a run bound to limits writes those limits from newer dataset versions: a
    # risk manager's decision, as the binding was (an analyst may neither repeat nor schedule it).
    monthly = {"name": "Monthly book", "template": run["id"], "cadence": "MONTHLY"}
    refused = analyst.ok(SCHEDULE, {"input": monthly})["assessmentRunScheduleCreate"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("template", "NOT_PERMITTED")]
    repeat = analyst.ok(
        "mutation($id: ID!) { assessmentRunRepeat(input: {id: $id}) { errors { field code } "
        "run { id } } }",
        {"id": run["id"]},
    )["assessmentRunRepeat"]
    assert repeat == {"errors": [{"field": "id", "code": "NOT_PERMITTED"}], "run": None}
    scheduled = manager.ok(SCHEDULE, {"input": monthly})["assessmentRunScheduleCreate"]
    assert scheduled["errors"] == []
    assert {k: v for k, v in scheduled["schedule"].items() if k != "id"} == {
        "name": "Monthly book",
        "cadence": "MONTHLY",
        "active": True,
        "lastPeriod": "",
        "template": {"id": run["id"]},
    }
    again = manager.ok(
        SCHEDULE, {"input": {"name": "Monthly book", "template": run["id"], "cadence": "DAILY"}}
    )["assessmentRunScheduleCreate"]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("name", "NAME_TAKEN")]
    update = (
        "mutation($s: ID!) { assessmentRunScheduleUpdate(input: {schedule: $s, active: false}) "
        "{ errors { field code } schedule { active } } }"
    )
    sid = {"s": scheduled["schedule"]["id"]}
    paused = analyst.ok(update, sid)["assessmentRunScheduleUpdate"]
    assert paused == {"errors": [{"field": "schedule", "code": "NOT_PERMITTED"}], "schedule": None}
    assert manager.ok(update, sid)["assessmentRunScheduleUpdate"]["schedule"] == {"active": False}
    # tenant B sees none of it
    other = api("b", "admin")
    assert other.ok("{ assessmentRunSchedules { totalCount } }") == {
        "assessmentRunSchedules": {"totalCount": 0}
    }
    assert other.ok("{ assessmentRegisterMappings { runKind } }") == {
        "assessmentRegisterMappings": []
    }
