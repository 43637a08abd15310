"""The risk reserve fund (风险准备金): funds, their maker-checker movements and their adequacy
against a run's stressed loss (apps/assessments/services/reserve.py)."""

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.types import Info

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.assessments import models as m
from apps.assessments.graphql.errors import AssessmentError, AssessmentErrorCode
from apps.assessments.graphql.types import RunType
from apps.assessments.services import reserve
from apps.core.graphql.errors import choices_enum
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, OrderKey, apply_order, order_input
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsAnalyst, IsRiskManager, IsViewer
from apps.core.graphql.resolvers import run_service

Errors = list[AssessmentError]  # type: ignore[valid-type]


@strawberry.enum(name="ReserveFundOrderField", description="What reserve funds sort by.")
class FundOrderField(Enum):
    NAME = strawberry.enum_value("name", description="The name.")
    BALANCE = strawberry.enum_value("balance", description="The balance.")
    CREATED = strawberry.enum_value("created_at", description="When it was made.")


@strawberry.enum(name="ReserveMovementOrderField", description="What movements sort by.")
class MovementOrderField(Enum):
    CREATED = strawberry.enum_value("created_at", description="When it was proposed.")
    DECIDED = strawberry.enum_value("decided_at", description="When it was decided.")
    AMOUNT = strawberry.enum_value("amount", description="The amount.")


@strawberry.enum(name="ReserveAdequacyOrderField", description="What adequacy checks sort by.")
class AdequacyOrderField(Enum):
    ASSESSED = strawberry.enum_value("assessed_at", description="When it was assessed.")
    SHORTFALL = strawberry.enum_value("shortfall", description="The shortfall.")


if TYPE_CHECKING:
    MovementKindEnum = m.MovementKind
    MovementStatusEnum = m.MovementStatus
    FundOrder = OrderKey
    MovementOrder = OrderKey
    AdequacyOrder = OrderKey
else:
    MovementKindEnum = choices_enum(
        m.MovementKind,
        "ReserveMovementKind",
        "What a movement does to the balance.",
        descriptions={
            m.MovementKind.CONTRIBUTION: "Money put into the reserve (adds).",
            m.MovementKind.DRAWDOWN: "Money taken to cover a loss (subtracts).",
            m.MovementKind.RELEASE: "Excess reserve given back (subtracts).",
        },
    )
    MovementStatusEnum = choices_enum(
        m.MovementStatus,
        "ReserveMovementStatus",
        "Where a movement is in its maker-checker approval.",
        descriptions={
            m.MovementStatus.PENDING: "Proposed; the balance has not moved.",
            m.MovementStatus.APPROVED: "Approved by a checker; the balance moved.",
            m.MovementStatus.REJECTED: "Rejected by a checker; the balance did not move.",
        },
    )
    FundOrder = order_input("ReserveFundOrder", FundOrderField, description="A sort key of funds.")
    MovementOrder = order_input(
        "ReserveMovementOrder", MovementOrderField, description="A sort key of movements."
    )
    AdequacyOrder = order_input(
        "ReserveAdequacyOrder", AdequacyOrderField, description="A sort key of adequacy checks."
    )


@strawberry_django.type(
    m.ReserveFund,
    name="ReserveFund",
    description="A risk reserve fund: a target, and a balance moved only by approved movements.",
)
class ReserveFundType(TenantNode):
    min_role = Role.VIEWER

    name: str = strawberry_django.field(description="Unique name.")
    currency: str = strawberry_django.field(description="ISO 4217 code of its amounts.")
    target: Decimal = strawberry_django.field(description="The balance it should hold.")
    balance: Decimal = strawberry_django.field(description="Σ approved movements.")
    description: str = strawberry_django.field(description="What the reserve is for.")
    created_at: datetime = strawberry_django.field(description="When it was made.")

    @strawberry_django.field(
        description="Target − balance, when positive; else 0.", only=["target", "balance"]
    )
    def target_gap(self) -> Decimal:
        return max(self.target - self.balance, Decimal("0.00"))


@strawberry_django.type(
    m.ReserveMovement,
    name="ReserveMovement",
    description="A proposed change of a reserve's balance; a checker approves or rejects it.",
)
class ReserveMovementType(TenantNode):
    min_role = Role.VIEWER

    fund: ReserveFundType = strawberry_django.field(description="The fund it moves.")
    kind: MovementKindEnum = strawberry_django.field(description="Contribution, drawdown, …")
    amount: Decimal = strawberry_django.field(description="Positive, in the fund's currency.")
    reason: str = strawberry_django.field(description="Why, as the maker wrote it.")
    status: MovementStatusEnum = strawberry_django.field(description="Pending, approved, …")
    made_by: UserType | None = strawberry_django.field(description="Who proposed it (maker).")
    decided_by: UserType | None = strawberry_django.field(description="Who decided (checker).")
    decided_at: datetime | None = strawberry_django.field(description="When it was decided.")
    decision_comment: str = strawberry_django.field(description="The checker's comment.")
    balance_after: Decimal | None = strawberry_django.field(
        description="The fund's balance just after its approval."
    )
    created_at: datetime = strawberry_django.field(description="When it was proposed.")


@strawberry_django.type(
    m.ReserveAdequacy,
    name="ReserveAdequacy",
    description="A fund's balance against the stressed loss of one run.",
)
class ReserveAdequacyType(TenantNode):
    min_role = Role.VIEWER

    fund: ReserveFundType = strawberry_django.field(description="The fund.")
    run: RunType = strawberry_django.field(description="The run whose loss it covers.")
    scenario: str = strawberry_django.field(description="Stress scenario used; blank: none.")
    stressed_loss: Decimal = strawberry_django.field(description="The loss to cover.")
    balance: Decimal = strawberry_django.field(description="The fund's balance then.")
    target: Decimal = strawberry_django.field(description="The fund's target then.")
    coverage_ratio: Decimal | None = strawberry_django.field(
        description="Balance ÷ stressed loss; null when the loss is 0."
    )
    shortfall: Decimal = strawberry_django.field(description="max(0, loss − balance).")
    assessed_at: datetime = strawberry_django.field(description="When it was assessed.")
    assessed_by: UserType | None = strawberry_django.field(description="Who assessed it.")


@strawberry.input(description="A new reserve fund (its balance starts at 0).")
class ReserveFundCreateInput:
    name: str = strawberry.field(description="Unique name.")
    currency: str = strawberry.field(description="ISO 4217 code, e.g. CNY.")
    target: Decimal = strawberry.field(description="The balance it should hold (≥ 0).")
    description: str = strawberry.field(default="", description="What it is for.")


@strawberry.input(description="Changes to a fund; omitted fields are unchanged.")
class ReserveFundUpdateInput:
    fund: relay.GlobalID = strawberry.field(description="The ReserveFund.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    currency: str | None = strawberry.field(
        default=None, description="A new currency (only while it has no movements)."
    )
    target: Decimal | None = strawberry.field(default=None, description="A new target.")
    description: str | None = strawberry.field(default=None, description="A new description.")


@strawberry.input(description="A proposed movement (the maker's side).")
class ReserveMovementCreateInput:
    fund: relay.GlobalID = strawberry.field(description="The ReserveFund.")
    kind: MovementKindEnum = strawberry.field(description="What it does to the balance.")
    amount: Decimal = strawberry.field(description="Positive, two decimal places at most.")
    reason: str = strawberry.field(description="Why (required).")


@strawberry.input(description="A checker's decision on a pending movement.")
class ReserveMovementTransitionInput:
    movement: relay.GlobalID = strawberry.field(description="The ReserveMovement.")
    to: MovementStatusEnum = strawberry.field(description="APPROVED or REJECTED.")
    comment: str = strawberry.field(default="", description="The checker's comment.")


@strawberry.input(description="Assess a fund against a run's stressed loss.")
class ReserveAdequacyAssessInput:
    fund: relay.GlobalID = strawberry.field(description="The ReserveFund.")
    run: relay.GlobalID = strawberry.field(
        description="A succeeded stress-test or credit-scoring AssessmentRun."
    )
    scenario: str = strawberry.field(
        default="", description="A stress test's scenario; blank: its worst."
    )


@strawberry.type(description="The fund, or why not.")
class ReserveFundPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    fund: ReserveFundType | None = strawberry.field(default=None, description="As stored.")


@strawberry.type(description="The movement, or why not.")
class ReserveMovementPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    movement: ReserveMovementType | None = strawberry.field(default=None, description="As stored.")


@strawberry.type(description="The adequacy check, or why not.")
class ReserveAdequacyPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    adequacy: ReserveAdequacyType | None = strawberry.field(default=None, description="Stored.")


def _fund(gid) -> Any:
    return pk_or_nothing(gid, "ReserveFund", m.ReserveFund)


def _role(info: Info) -> str | None:
    membership = getattr(info.context.request, "membership", None)
    return membership.role if membership else None


@strawberry.type
class ReserveQuery:
    @strawberry_django.connection(
        BoundedConnection[ReserveFundType], permission_classes=[IsViewer], description="Funds."
    )
    def reserve_funds(
        self,
        order_by: Annotated[
            list[FundOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by name")),
        ] = None,
    ) -> list[ReserveFundType]:
        rows = apply_order(m.ReserveFund.objects.all(), order_by, default=("name",))
        return rows  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[ReserveMovementType],
        permission_classes=[IsViewer],
        description="Movements of reserve funds.",
    )
    def reserve_movements(
        self,
        fund: Annotated[
            relay.GlobalID | None, strawberry.argument(description="One ReserveFund's; null: all.")
        ] = None,
        statuses: Annotated[
            list[MovementStatusEnum] | None,
            strawberry.argument(description="Only these statuses; null: any."),
        ] = None,
        order_by: Annotated[
            list[MovementOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="newest first")),
        ] = None,
    ) -> list[ReserveMovementType]:
        rows = m.ReserveMovement.objects.all()
        if fund is not None:
            rows = rows.filter(fund_id=_fund(fund))
        if statuses:
            rows = rows.filter(status__in=[s.value for s in statuses])
        return apply_order(rows, order_by, default=("-created_at", "-id"))  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[ReserveAdequacyType],
        permission_classes=[IsViewer],
        description="Adequacy checks of reserve funds.",
    )
    def reserve_adequacies(
        self,
        fund: Annotated[
            relay.GlobalID | None, strawberry.argument(description="One ReserveFund's; null: all.")
        ] = None,
        order_by: Annotated[
            list[AdequacyOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="newest first")),
        ] = None,
    ) -> list[ReserveAdequacyType]:
        rows = m.ReserveAdequacy.objects.all()
        if fund is not None:
            rows = rows.filter(fund_id=_fund(fund))
        return apply_order(rows, order_by, default=("-assessed_at", "-id"))  # type: ignore[return-value]


@strawberry.type
class ReserveMutation:
    @strawberry.mutation(permission_classes=[IsRiskManager], description="A new reserve fund.")
    def reserve_fund_create(
        self,
        info: Info,
        input: Annotated[ReserveFundCreateInput, strawberry.argument(description="The fund.")],
    ) -> ReserveFundPayload:
        return run_service(
            ReserveFundPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "fund": reserve.reserve_fund_create(
                    name=input.name,
                    currency=input.currency,
                    target=input.target,
                    description=input.description,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Rename a fund, change its target, description or (unused) currency.",
    )
    def reserve_fund_update(
        self,
        info: Info,
        input: Annotated[ReserveFundUpdateInput, strawberry.argument(description="Changes.")],
    ) -> ReserveFundPayload:
        return run_service(
            ReserveFundPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "fund": reserve.reserve_fund_update(
                    fund_id=_fund(input.fund),
                    name=input.name,
                    currency=input.currency,
                    target=input.target,
                    description=input.description,
                )
            },
            input=input,
            fields={"fund_id": "fund"},
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Propose a movement (the maker); the balance moves once a checker approves.",
    )
    def reserve_movement_create(
        self,
        info: Info,
        input: Annotated[ReserveMovementCreateInput, strawberry.argument(description="What.")],
    ) -> ReserveMovementPayload:
        return run_service(
            ReserveMovementPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "movement": reserve.reserve_movement_create(
                    fund_id=_fund(input.fund),
                    kind=input.kind.value,
                    amount=input.amount,
                    reason=input.reason,
                    actor=info.context.request.user,
                )
            },
            input=input,
            fields={"fund_id": "fund"},
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Approve or reject a pending movement (a risk manager or admin other than "
        "its maker).",
    )
    def reserve_movement_transition(
        self,
        info: Info,
        input: Annotated[ReserveMovementTransitionInput, strawberry.argument(description="How.")],
    ) -> ReserveMovementPayload:
        return run_service(
            ReserveMovementPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "movement": reserve.reserve_movement_transition(
                    movement_id=pk_or_nothing(input.movement, "ReserveMovement", m.ReserveMovement),
                    to=input.to.value,
                    comment=input.comment,
                    actor=info.context.request.user,
                    actor_role=_role(info),
                )
            },
            input=input,
            fields={"movement_id": "movement"},
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Assess a fund against a run's stressed loss; stored and published as the "
        "risk_reserve_adequacy indicator.",
    )
    def reserve_adequacy_assess(
        self,
        info: Info,
        input: Annotated[ReserveAdequacyAssessInput, strawberry.argument(description="What.")],
    ) -> ReserveAdequacyPayload:
        return run_service(
            ReserveAdequacyPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "adequacy": reserve.reserve_adequacy_assess(
                    fund_id=_fund(input.fund),
                    run_id=pk_or_nothing(input.run, "AssessmentRun", m.AssessmentRun),
                    scenario=input.scenario,
                    actor=info.context.request.user,
                )
            },
            input=input,
            fields={"fund_id": "fund", "run_id": "run"},
        )
