"""The risk reserve fund (风险准备金).

A fund has a currency, a target and a balance; the balance moves only when a movement
(contribution, drawdown, release) is approved — by a risk manager or admin who is not its maker
(maker-checker) — and never below zero. Money is Decimal with two places throughout.

Adequacy compares the balance with the stressed loss of a succeeded run: a stress test's worst
scenario (or a named one) — its stressed expected credit loss plus its market loss — or a
credit-scoring run's expected loss. Coverage = balance ÷ stressed loss, shortfall =
max(0, stressed loss − balance); each assessment is stored and published as an observation of
`risk_reserve_adequacy` (coverage in %, one series per fund). The run's figures are taken to be
in the fund's currency (datasets carry amounts, not currencies).
"""

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.assessments.errors import AssessmentErrorCode as Code
from apps.assessments.models import (
    AssessmentRun,
    FigureCode,
    MovementKind,
    MovementStatus,
    ReserveAdequacy,
    ReserveFund,
    ReserveMovement,
    RunKind,
    RunStatus,
)
from apps.assessments.models.reserve import INFLOWS
from apps.assessments.services.indicators import publish_reserve_adequacy
from apps.assessments.services.runs import is_risk_manager
from apps.core.errors import Problems, refuse
from apps.core.lifecycle import Change, Lifecycle, transition

CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999999999.99")  # 18 digits, 2 places
CURRENCY = re.compile(r"^[A-Z]{3}$")
BASELINE = "baseline"


def _money(field: str, value, *, positive: bool) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise refuse(field, "A decimal amount.", Code.INVALID) from None
    if not amount.is_finite():
        raise refuse(field, "An amount with at most two decimal places.", Code.INVALID)
    # The range first: quantizing 1e30 to cents would overflow the decimal context.
    if amount < 0 or (positive and amount == 0) or amount > MAX_MONEY:
        low = "Above 0" if positive else "0 or more"
        raise refuse(field, f"{low}, at most {MAX_MONEY}.", Code.OUT_OF_RANGE)
    if amount != amount.quantize(CENT):
        raise refuse(field, "An amount with at most two decimal places.", Code.INVALID)
    return amount.quantize(CENT)


def _text(field: str, value: str, *, required: bool, most: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise refuse(field, "Needed.", Code.INVALID)
    if len(value) > most:
        raise refuse(field, f"At most {most} characters.", Code.INVALID)
    return value


def _currency(value: str) -> str:
    value = (value or "").strip().upper()
    if not CURRENCY.match(value):
        raise refuse("currency", "A three-letter ISO 4217 code, e.g. CNY.", Code.INVALID)
    return value


@transaction.atomic
def reserve_fund_create(*, name: str, currency: str, target, description: str = "") -> ReserveFund:
    """A fund with a zero balance (money comes in through approved contributions)."""
    problems = Problems()
    values: dict[str, Any] = {}
    with problems.collect():
        values["name"] = _text("name", name, required=True, most=120)
        if ReserveFund.objects.filter(name=values["name"]).exists():
            raise refuse("name", "A reserve fund of this name exists.", Code.NAME_TAKEN)
    with problems.collect():
        values["currency"] = _currency(currency)
    with problems.collect():
        values["target"] = _money("target", target, positive=False)
    with problems.collect():
        values["description"] = _text("description", description, required=False, most=4000)
    problems.raise_any()
    return ReserveFund.objects.create(**values, balance=Decimal("0.00"))


@transaction.atomic
def reserve_fund_update(
    *,
    fund_id,
    name: str | None = None,
    currency: str | None = None,
    target=None,
    description: str | None = None,
) -> ReserveFund:
    """Change what is given; the currency only while the fund has no movements."""
    fund = ReserveFund.objects.select_for_update().filter(pk=fund_id).first()
    if fund is None:
        raise refuse("fund_id", "No such reserve fund.", Code.NOT_FOUND)
    if name is not None:
        name = _text("name", name, required=True, most=120)
        if ReserveFund.objects.filter(name=name).exclude(pk=fund.pk).exists():
            raise refuse("name", "A reserve fund of this name exists.", Code.NAME_TAKEN)
        fund.name = name
    if currency is not None and _currency(currency) != fund.currency:
        if fund.movements.exists():
            raise refuse("currency", "The fund has movements in its currency.", Code.INVALID)
        fund.currency = _currency(currency)
    if target is not None:
        fund.target = _money("target", target, positive=False)
    if description is not None:
        fund.description = _text("description", description, required=False, most=4000)
    fund.save()
    return fund


def _signed(movement: ReserveMovement) -> Decimal:
    return movement.amount if movement.kind in INFLOWS else -movement.amount


@transaction.atomic
def reserve_movement_create(
    *, fund_id, kind: str, amount, reason: str, actor=None
) -> ReserveMovement:
    """A pending movement; the balance does not move until it is approved."""
    fund = ReserveFund.objects.filter(pk=fund_id).first()
    if fund is None:
        raise refuse("fund_id", "No such reserve fund.", Code.NOT_FOUND)
    if kind not in MovementKind.values:
        raise refuse("kind", f"One of {', '.join(MovementKind.values)}.", Code.INVALID)
    problems = Problems()
    values: dict[str, Any] = {}
    with problems.collect():
        values["amount"] = _money("amount", amount, positive=True)
        if kind not in INFLOWS and values["amount"] > fund.balance:
            raise refuse(
                "amount",
                f"The balance is {fund.balance} {fund.currency}.",
                Code.INSUFFICIENT_BALANCE,
            )
    with problems.collect():
        values["reason"] = _text("reason", reason, required=True, most=2000)
    problems.raise_any()
    movement = ReserveMovement(fund=fund, kind=kind, made_by=actor, **values)
    movement.save()
    return movement


def _decided_by_a_checker(change: Change) -> None:
    """A risk manager or admin who did not make the movement decides it."""
    if not is_risk_manager(change.context.get("actor_role")):
        raise refuse(None, "Only a risk manager or admin decides movements.", Code.NOT_PERMITTED)
    if change.actor is None or change.obj.made_by_id == change.actor.pk:
        raise refuse(None, "Someone other than its maker decides a movement.", Code.SELF_APPROVAL)


def _record_decision(change: Change) -> list[str]:
    movement = change.obj
    movement.decided_by, movement.decided_at = change.actor, change.now
    movement.decision_comment = change.comment[:2000]
    return ["decided_by", "decided_at", "decision_comment"]


def _apply(change: Change) -> list[str]:
    """Approved: the fund's balance moves (locked by the caller), never below zero."""
    movement = change.obj
    fund = movement.fund
    after = fund.balance + _signed(movement)
    if after < 0:
        raise refuse(
            "amount",
            f"The balance is {fund.balance} {fund.currency}; this {movement.kind} would take "
            "it below zero.",
            Code.INSUFFICIENT_BALANCE,
        )
    fund.balance = after
    fund.save(update_fields=["balance", "updated_at"])
    movement.balance_after = after
    return [*_record_decision(change), "balance_after"]


MOVEMENT_LIFECYCLE = Lifecycle(
    model=ReserveMovement,
    statuses=MovementStatus,
    table={
        MovementStatus.PENDING: {MovementStatus.APPROVED, MovementStatus.REJECTED},
        MovementStatus.APPROVED: set(),
        MovementStatus.REJECTED: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    field="to",
    noun="movement",
    guards={  # approving and rejecting are both the checker's decision
        MovementStatus.APPROVED: _decided_by_a_checker,
        MovementStatus.REJECTED: _decided_by_a_checker,
    },
    on_enter={MovementStatus.APPROVED: _apply, MovementStatus.REJECTED: _record_decision},
)


@transaction.atomic
def reserve_movement_transition(
    *, movement_id, to: str, actor, actor_role: str | None, comment: str = ""
) -> ReserveMovement:
    """Approve (the balance moves) or reject a pending movement."""
    movement = ReserveMovement.objects.select_for_update().filter(pk=movement_id).first()
    if movement is None:
        raise refuse("movement_id", "No such movement.", Code.NOT_FOUND)
    # The fund's row lock orders concurrent approvals of one fund's movements.
    movement.fund = ReserveFund.objects.select_for_update().get(pk=movement.fund_id)
    comment = _text("comment", comment, required=False, most=2000)
    transition(movement, to, actor=actor, comment=comment, context={"actor_role": actor_role})
    return movement


def stressed_loss(run: AssessmentRun, scenario: str = "") -> tuple[Decimal, str]:
    """(loss, scenario) of a succeeded stress-test or credit-scoring run (module docstring)."""
    figures = run.figures.filter(code__in=[FigureCode.EXPECTED_LOSS, FigureCode.STRESS_LOSS])
    if run.kind == RunKind.CREDIT_SCORING:
        if scenario:
            raise refuse("scenario", "Only stress tests have scenarios.", Code.INVALID)
        total = next((f.value for f in figures if f.segment == "" and f.code == "expected_loss"), 0)
        return Decimal(total).quantize(CENT), ""
    by_scenario: dict[str, Decimal] = {}
    for f in figures:
        by_scenario[f.segment] = by_scenario.get(f.segment, Decimal(0)) + f.value
    if scenario:
        if scenario not in by_scenario:
            raise refuse("scenario", "The run has no such scenario.", Code.NOT_FOUND)
        chosen = scenario
    else:
        shocked = {s: v for s, v in by_scenario.items() if s != BASELINE} or by_scenario
        if not shocked:
            raise refuse("run_id", "The run has no loss figures.", Code.MISSING_COLUMN)
        chosen = min(shocked, key=lambda s: (-shocked[s], s))  # the worst; ties by name
    return max(by_scenario[chosen], Decimal(0)).quantize(CENT), chosen


@transaction.atomic
def reserve_adequacy_assess(
    *, fund_id, run_id, scenario: str = "", actor=None, now=None
) -> ReserveAdequacy:
    """Store the fund's coverage of the run's stressed loss and publish it (module docstring)."""
    fund = ReserveFund.objects.filter(pk=fund_id).first()
    if fund is None:
        raise refuse("fund_id", "No such reserve fund.", Code.NOT_FOUND)
    run = AssessmentRun.objects.filter(pk=run_id).first()
    if run is None:
        raise refuse("run_id", "No such run.", Code.NOT_FOUND)
    if run.kind not in (RunKind.STRESS_TEST, RunKind.CREDIT_SCORING):
        raise refuse("run_id", "A stress test or a credit-scoring run is needed.", Code.INVALID)
    if run.status != RunStatus.SUCCEEDED:
        raise refuse("run_id", f"The run is {run.status}, not succeeded.", Code.INVALID)
    loss, chosen = stressed_loss(run, (scenario or "").strip())
    coverage = (
        (fund.balance / loss).quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
        if loss > 0
        else None
    )
    now = now or timezone.now()
    adequacy = ReserveAdequacy.objects.create(
        fund=fund,
        run=run,
        scenario=chosen,
        stressed_loss=loss,
        balance=fund.balance,
        target=fund.target,
        coverage_ratio=coverage,
        shortfall=max(loss - fund.balance, Decimal(0)).quantize(CENT),
        assessed_at=now,
        assessed_by=actor,
    )
    if coverage is not None:
        publish_reserve_adequacy(fund=fund.name, percent=float(coverage * 100), at=now)
    return adequacy
