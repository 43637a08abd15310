"""The risk reserve fund: a balance that moves only through movements approved by a checker
other than their maker, never below zero, in Decimal cents; its adequacy against a run's
stressed loss, stored and published as `risk_reserve_adequacy`. Expected values by hand."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.assessments.models import ReserveFund, ReserveMovement
from apps.assessments.services.reserve import (
    reserve_adequacy_assess,
    reserve_fund_create,
    reserve_fund_update,
    reserve_movement_create,
    reserve_movement_transition,
)
from apps.assessments.services.runs import run_create
from apps.early_warning.models import Observation
from tests.assessments.test_runs import done


def codes(exc: pytest.ExceptionInfo) -> dict:
    return {k: [e.code for e in v] for k, v in exc.value.error_dict.items()}


def refused_code(exc: pytest.ExceptionInfo) -> str:
    return exc.value.error_list[0].code if not hasattr(exc.value, "error_dict") else ""


@pytest.fixture
def people(in_a):
    return in_a.user("a", "analyst"), in_a.user("a", "risk_manager"), in_a.user("a", "admin")


def test_the_balance_moves_only_on_approval_by_another_checker(people):
    analyst, manager, admin = people
    fund = reserve_fund_create(name="General reserve", currency="cny", target="1000.00")
    assert (fund.currency, fund.balance, fund.target) == ("CNY", Decimal("0"), Decimal("1000.00"))
    first = reserve_movement_create(
        fund_id=fund.pk, kind="contribution", amount="600.10", reason="Q1 provision", actor=analyst
    )
    fund.refresh_from_db()
    assert first.status == "pending" and fund.balance == Decimal("0.00")
    with pytest.raises(ValidationError) as exc:  # the maker cannot check their own movement
        reserve_movement_transition(
            movement_id=first.pk, to="approved", actor=analyst, actor_role="risk_manager"
        )
    assert refused_code(exc) == "self_approval"
    with pytest.raises(ValidationError) as exc:  # an analyst is no checker
        reserve_movement_transition(
            movement_id=first.pk, to="approved", actor=admin, actor_role="analyst"
        )
    assert refused_code(exc) == "not_permitted"
    reserve_movement_transition(
        movement_id=first.pk, to="approved", actor=manager, actor_role="risk_manager", comment="ok"
    )
    first.refresh_from_db()
    fund.refresh_from_db()
    assert (first.status, first.decided_by_id, first.balance_after) == (
        "approved",
        manager.pk,
        Decimal("600.10"),
    )
    assert fund.balance == Decimal("600.10")
    # a drawdown of 200.05, approved, then a release of 500 refused at approval (400.05 left)
    draw = reserve_movement_create(
        fund_id=fund.pk, kind="drawdown", amount="200.05", reason="Fraud loss", actor=manager
    )
    release = reserve_movement_create(
        fund_id=fund.pk, kind="release", amount="500", reason="Excess", actor=manager
    )
    reserve_movement_transition(movement_id=draw.pk, to="approved", actor=admin, actor_role="admin")
    fund.refresh_from_db()
    assert fund.balance == Decimal("400.05")
    with pytest.raises(ValidationError) as exc:
        reserve_movement_transition(
            movement_id=release.pk, to="approved", actor=admin, actor_role="admin"
        )
    assert codes(exc) == {"amount": ["insufficient_balance"]}
    release.refresh_from_db()
    fund.refresh_from_db()
    assert release.status == "pending" and fund.balance == Decimal("400.05")
    reserve_movement_transition(
        movement_id=release.pk, to="rejected", actor=admin, actor_role="admin", comment="no"
    )
    release.refresh_from_db()
    assert (release.status, release.balance_after, release.decision_comment) == (
        "rejected",
        None,
        "no",
    )
    with pytest.raises(ValidationError) as exc:  # decided once
        reserve_movement_transition(
            movement_id=release.pk, to="approved", actor=admin, actor_role="admin"
        )
    assert codes(exc) == {"to": ["invalid_transition"]}


def test_bad_input_is_refused_and_changes_nothing(people):
    analyst, _, _ = people
    fund = reserve_fund_create(name="R", currency="USD", target="0")
    for amount, code in [("0", "out_of_range"), ("-5", "out_of_range"), ("1.005", "invalid"),
                         ("abc", "invalid"), ("NaN", "invalid"), ("1e30", "out_of_range"),
                         ("-1e30", "out_of_range")]:  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            reserve_movement_create(
                fund_id=fund.pk, kind="contribution", amount=amount, reason="x", actor=analyst
            )
        assert codes(exc) == {"amount": [code]}, amount
    with pytest.raises(ValidationError) as exc:  # nothing to draw on
        reserve_movement_create(
            fund_id=fund.pk, kind="drawdown", amount="1", reason="x", actor=analyst
        )
    assert codes(exc) == {"amount": ["insufficient_balance"]}
    with pytest.raises(ValidationError) as exc:
        reserve_movement_create(
            fund_id=fund.pk, kind="contribution", amount="1", reason="  ", actor=analyst
        )
    assert codes(exc) == {"reason": ["invalid"]}
    for currency in ("US", "US1", ""):
        with pytest.raises(ValidationError) as exc:
            reserve_fund_create(name="Other", currency=currency, target="1")
        assert codes(exc) == {"currency": ["invalid"]}
    with pytest.raises(ValidationError) as exc:
        reserve_fund_create(name="R", currency="USD", target="1")
    assert codes(exc) == {"name": ["name_taken"]}
    with pytest.raises(ValidationError) as exc:  # every problem of the call at once
        reserve_fund_create(name=" ", currency="usd1", target="-1")
    assert codes(exc) == {"name": ["invalid"], "currency": ["invalid"], "target": ["out_of_range"]}
    with pytest.raises(ValidationError) as exc:
        reserve_movement_create(
            fund_id=fund.pk, kind="drawdown", amount="5", reason="", actor=analyst
        )
    assert codes(exc) == {"amount": ["insufficient_balance"], "reason": ["invalid"]}
    assert not ReserveMovement.objects.exists() and ReserveFund.objects.count() == 1
    reserve_movement_create(
        fund_id=fund.pk, kind="contribution", amount="1", reason="x", actor=analyst
    )
    with pytest.raises(ValidationError) as exc:  # amounts are in its currency now
        reserve_fund_update(fund_id=fund.pk, currency="EUR")
    assert codes(exc) == {"currency": ["invalid"]}


@pytest.fixture
def stress_run(upload):
    """The hand-worked stress test of test_runs.py: severe EL 74.00 + market loss 50.00."""
    book = upload("loan_book", "loan_id,ead,pd,lgd", "L1,1000,0.02,0.5", "L2,500,0.1,0.4")
    positions = upload("positions", "instrument,asset_class,exposure", "E,equity,100", "B,bond,200")
    scenarios = upload(
        "scenarios",
        "scenario,shock,asset_class,value",
        "severe,pd_multiplier,,2",
        "severe,lgd_addon,,0.1",
        "severe,price_shock,equity,-0.3",
        "severe,price_shock,,-0.1",
        "mild,pd_multiplier,,1.5",
    )
    return done(
        run_create(
            kind="stress_test", scenarios=scenarios.pk, loan_book=book.pk, positions=positions.pk
        )
    )


def test_adequacy_against_the_worst_scenario_is_stored_and_published(people, stress_run):
    analyst, manager, _ = people
    fund = reserve_fund_create(name="Credit reserve", currency="CNY", target="150")
    movement = reserve_movement_create(
        fund_id=fund.pk, kind="contribution", amount="100", reason="Initial", actor=analyst
    )
    reserve_movement_transition(
        movement_id=movement.pk, to="approved", actor=manager, actor_role="risk_manager"
    )
    # severe: EL 74.00 + market 50.00 = 124.00; mild: EL (0.03·0.5·1000 + 0.15·0.4·500) = 45.00
    adequacy = reserve_adequacy_assess(fund_id=fund.pk, run_id=stress_run.pk, actor=analyst)
    assert (adequacy.scenario, adequacy.stressed_loss, adequacy.balance) == (
        "severe",
        Decimal("124.00"),
        Decimal("100.00"),
    )
    assert adequacy.coverage_ratio == Decimal("0.806452")  # 100 / 124 = 0.80645161…
    assert adequacy.shortfall == Decimal("24.00") and adequacy.target == Decimal("150.00")
    point = Observation.objects.get(indicator__code="risk_reserve_adequacy")
    assert point.value == pytest.approx(80.6452, abs=1e-9) and point.dimensions == {
        "fund": "Credit reserve"
    }
    mild = reserve_adequacy_assess(fund_id=fund.pk, run_id=stress_run.pk, scenario="mild")
    assert (mild.stressed_loss, mild.shortfall) == (Decimal("45.00"), Decimal("0.00"))
    assert mild.coverage_ratio == Decimal("2.222222")  # 100 / 45
    with pytest.raises(ValidationError) as exc:
        reserve_adequacy_assess(fund_id=fund.pk, run_id=stress_run.pk, scenario="nope")
    assert codes(exc) == {"scenario": ["not_found"]}


FUNDS = "{ reserveFunds { totalCount edges { node { id name balance targetGap } } } }"
CREATE = """mutation($input: ReserveFundCreateInput!) { reserveFundCreate(input: $input) {
  errors { field code } fund { id name currency balance } } }"""
MOVE = """mutation($input: ReserveMovementCreateInput!) { reserveMovementCreate(input: $input) {
  errors { field code } movement { id status amount } } }"""
DECIDE = """mutation($input: ReserveMovementTransitionInput!) {
  reserveMovementTransition(input: $input) { errors { field code }
  movement { status balanceAfter decidedBy { email } madeBy { email } fund { balance } } } }"""


def test_maker_checker_through_the_api_and_isolation(api, world):
    analyst, manager = api("a", "analyst"), api("a", "risk_manager")
    forbidden = analyst(CREATE, {"input": {"name": "F", "currency": "CNY", "target": "10"}})
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad = manager.ok(CREATE, {"input": {"name": "F", "currency": "C1", "target": "-1"}})
    assert bad["reserveFundCreate"]["errors"] == [  # both problems of the call
        {"field": "currency", "code": "INVALID"},
        {"field": "target", "code": "OUT_OF_RANGE"},
    ]
    fund = manager.ok(CREATE, {"input": {"name": "F", "currency": "CNY", "target": "10"}})[
        "reserveFundCreate"
    ]["fund"]
    assert fund["balance"] == "0.00"
    move = {"fund": fund["id"], "kind": "CONTRIBUTION", "amount": "7.50", "reason": "Seed"}
    movement = analyst.ok(MOVE, {"input": move})["reserveMovementCreate"]["movement"]
    assert (movement["status"], movement["amount"]) == ("PENDING", "7.50")
    approve = {"movement": movement["id"], "to": "APPROVED"}
    assert analyst(DECIDE, {"input": approve})["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    decided = manager.ok(DECIDE, {"input": approve})["reserveMovementTransition"]
    assert decided["errors"] == []
    assert decided["movement"] == {
        "status": "APPROVED",
        "balanceAfter": "7.50",
        "decidedBy": {"email": "risk_manager@a.test"},
        "madeBy": {"email": "analyst@a.test"},
        "fund": {"balance": "7.50"},
    }
    own = manager.ok(MOVE, {"input": move})["reserveMovementCreate"]["movement"]
    self_check = manager.ok(DECIDE, {"input": {"movement": own["id"], "to": "APPROVED"}})
    assert self_check["reserveMovementTransition"]["errors"] == [
        {"field": None, "code": "SELF_APPROVAL"}
    ]
    shown = analyst.ok(FUNDS)["reserveFunds"]["edges"]
    assert [e["node"]["balance"] for e in shown] == ["7.50"]
    assert shown[0]["node"]["targetGap"] == "2.50"
    # tenant B sees none of it, by list or by id
    other = api("b", "admin")
    assert other.ok(FUNDS)["reserveFunds"]["totalCount"] == 0
    node = other.ok("query($id: ID!) { node(id: $id) { id } }", {"id": fund["id"]})
    assert node == {"node": None}
    foreign = other.ok(MOVE, {"input": move})["reserveMovementCreate"]
    assert foreign["errors"] == [{"field": "fund", "code": "NOT_FOUND"}]
    with schema_context(world.a.schema_name):
        assert ReserveMovement.objects.count() == 2
    connection.set_schema_to_public()


def test_adequacy_through_the_api_and_a_run_of_another_kind_refused(api, upload, stress_run):
    fund = reserve_fund_create(name="G", currency="CNY", target="0")
    flows = upload("cash_flows", "maturity_days,outflow", "1,10")
    ladder = run_create(kind="liquidity", cash_flows=flows.pk, parameters={"liquid_assets": 1})
    query = """mutation($input: ReserveAdequacyAssessInput!) { reserveAdequacyAssess(input: $input)
      { errors { field code } adequacy { scenario stressedLoss coverageRatio shortfall } } }"""
    analyst, gid = api("a", "analyst"), to_base64("ReserveFund", fund.pk)

    def assess(run) -> dict:
        run_id = to_base64("AssessmentRun", run.pk)
        return analyst.ok(query, {"input": {"fund": gid, "run": run_id}})["reserveAdequacyAssess"]

    assert assess(ladder) == {"errors": [{"field": "run", "code": "INVALID"}], "adequacy": None}
    assert assess(stress_run) == {
        "errors": [],
        "adequacy": {  # an empty fund: no coverage, the whole loss short
            "scenario": "severe",
            "stressedLoss": "124.00",
            "coverageRatio": "0.000000",
            "shortfall": "124.00",
        },
    }
