"""The register's types: risks and what hangs off them (assessments, controls, actions,
acceptances, reviews, limits, indicators, signals), each child with its parent `risk`."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.db.models import Prefetch
from django.utils import timezone
from strawberry.types import Info

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode, member_rank
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.types import AuditEntryType
from apps.core.lifecycle import allowed_transitions
from apps.early_warning import selectors as warning_selectors
from apps.people.graphql.types import DepartmentType, PersonType
from apps.risks import models as m
from apps.risks.graphql.enums import (
    AcceptanceStatusEnum,
    ActionStatusEnum,
    AssessmentKindEnum,
    AssessmentMethodEnum,
    ControlEffectivenessEnum,
    ControlKindEnum,
    ControlTypeEnum,
    RiskLevelEnum,
    RiskSourceEnum,
    RiskStatusEnum,
    TreatmentStrategyEnum,
)
from apps.risks.graphql.order_inputs import (
    ACCEPTANCES,
    ACTIONS,
    ASSESSMENTS,
    CONTROLS,
    HISTORY,
    INDICATORS,
    LIMITS,
    LOSS_EVENTS,
    REVIEWS,
    RISKS,
    SIGNALS,
    HistoryOrder,
    SignalOrder,
    nested,
)
from apps.risks.graphql.snapshot import AcceptanceSnapshotType, snapshot_type
from apps.risks.graphql.types_setup import (  # noqa: F401 (re-exported: other apps import them)
    RiskAppetiteType,
    RiskCategoryType,
    RiskLimitType,
    RiskMatrixType,
)
from apps.risks.graphql.types_summary import RatingType, rating_of
from apps.risks.selectors.ordering import sort_keys, sorted_rows

if TYPE_CHECKING:
    from apps.early_warning.graphql.types import IndicatorType, WarningSignalType

LazyIndicator = Annotated["IndicatorType", strawberry.lazy("apps.early_warning.graphql.types")]
LazySignal = Annotated["WarningSignalType", strawberry.lazy("apps.early_warning.graphql.types")]
PARENT = "The risk it belongs to."


SIGNAL_INDICATORS, PAGE_SIGNALS = "signal_indicators", "page_signals"


def signals_prefetch() -> Prefetch:
    """`Risk.signals` of a whole page of risks in two queries (the indicators watching them,
    then those indicators' signals with their indicator), whatever the page size; to_attr keeps
    it apart from the `indicators` connection's own prefetch."""
    indicator_model = m.Risk.indicators.field.model  # early warning's Indicator
    signals = warning_selectors.signals().select_related("indicator")
    return Prefetch(
        "indicators",
        queryset=indicator_model._default_manager.order_by().prefetch_related(
            Prefetch("signals", queryset=signals, to_attr=PAGE_SIGNALS)
        ),
        to_attr=SIGNAL_INDICATORS,
    )


def _rank(info: Info) -> int:
    return member_rank(info.context.request)


def _may_write(info: Info) -> bool:
    return _rank(info) >= Role.rank(Role.ANALYST)


@strawberry_django.type(
    m.RiskAssessment, name="RiskAssessment", description="One rating of a risk (never edited)."
)
class RiskAssessmentType(TenantNode):
    min_role = Role.VIEWER

    risk: "RiskType" = strawberry_django.field(description=PARENT)
    kind: AssessmentKindEnum = strawberry_django.field(description="Inherent or residual.")
    method: AssessmentMethodEnum = strawberry_django.field(description="How it was rated.")
    likelihood: int = strawberry_django.field(description="Likelihood step, from 1.")
    impact: int = strawberry_django.field(description="Impact step, from 1.")
    score: int = strawberry_django.field(description="likelihood × impact.")
    level: RiskLevelEnum = strawberry_django.field(description="Level on its matrix.")
    expected_loss: Decimal | None = strawberry_django.field(description="Expected loss, if any.")
    currency: str = strawberry_django.field(description="ISO 4217 code of the loss.")
    rationale: str = strawberry_django.field(description="Why this rating.")
    assessor: UserType | None = strawberry_django.field(description="Who rated it.")
    assessed_at: strawberry.auto = strawberry_django.field(description="When.")

    @strawberry_django.field(select_related=["matrix"], description="The matrix version used.")
    def matrix_version(self, root: m.RiskAssessment) -> int:
        return root.matrix.version


@strawberry_django.type(
    m.Control, name="Control", description="A control, linked to the risks it mitigates."
)
class ControlType(TenantNode):
    min_role = Role.VIEWER

    name: str = strawberry_django.field(description="Its name.")
    description: str = strawberry_django.field(description="What it does.")
    control_type: ControlTypeEnum = strawberry_django.field(description="Preventive, ….")
    kind: ControlKindEnum = strawberry_django.field(description="The form it takes.")
    owner: PersonType | None = strawberry_django.field(
        description="The person who owns it (the directory's; most never log in)."
    )
    frequency: str = strawberry_django.field(description="How often it runs, in words.")
    last_tested_at: date | None = strawberry_django.field(description="Last test date.")
    effectiveness: ControlEffectivenessEnum = strawberry_django.field(
        description="The last test's verdict."
    )
    archived_at: strawberry.auto = strawberry_django.field(
        description="When it was archived (null: in use). Archived controls count for no "
        "residual proposal."
    )
    risks: BoundedConnection["RiskType"] = nested(RISKS, "The risks it is linked to.")


@strawberry_django.type(
    m.TreatmentAction, name="TreatmentAction", description="A step of a risk's treatment."
)
class TreatmentActionType(TenantNode):
    min_role = Role.VIEWER

    risk: "RiskType" = strawberry_django.field(description=PARENT)
    title: str = strawberry_django.field(description="What is to be done.")
    description: str = strawberry_django.field(description="Details.")
    owner: PersonType | None = strawberry_django.field(
        description="The person who does it (the directory's; most never log in)."
    )
    due_date: date | None = strawberry_django.field(description="When it is due.")
    status: ActionStatusEnum = strawberry_django.field(description="Where it stands.")
    completed_at: strawberry.auto = strawberry_django.field(description="When it was done.")
    control: ControlType | None = strawberry_django.field(description="The control it builds.")

    @strawberry_django.field(
        only=["status", "due_date"],
        description="Open (planned or in progress) and due before today.",
    )
    def overdue(self) -> bool:
        open_ = self.status in (m.ActionStatus.PLANNED, m.ActionStatus.IN_PROGRESS)
        return bool(open_ and self.due_date and self.due_date < timezone.localdate())

    @strawberry_django.field(
        only=["status"],
        description="Statuses you may move it to now with actionUpdate (empty below analyst).",
    )
    def allowed_transitions(self, info: Info) -> list[ActionStatusEnum]:
        return allowed_transitions(self) if _may_write(info) else []  # type: ignore[return-value]


def _can_decide(acceptance, info: Info) -> bool:
    request = info.context.request
    return (
        acceptance.status == m.AcceptanceStatus.REQUESTED
        and _rank(info) >= Role.rank(Role.RISK_MANAGER)
        and acceptance.requested_by_id != getattr(request.user, "pk", None)
    )


@strawberry_django.type(
    m.RiskAcceptance,
    name="RiskAcceptance",
    description="A request to accept a risk until a date, and its decision.",
)
class RiskAcceptanceType(TenantNode):
    min_role = Role.VIEWER

    risk: "RiskType" = strawberry_django.field(description=PARENT)
    status: AcceptanceStatusEnum = strawberry_django.field(description="Where it stands.")
    justification: str = strawberry_django.field(description="Why the risk should be accepted.")
    requested_by: UserType | None = strawberry_django.field(description="Who asked.")
    requested_expires_at: date = strawberry_django.field(description="Until when it is asked.")
    decided_by: UserType | None = strawberry_django.field(description="Who decided.")
    decided_at: strawberry.auto = strawberry_django.field(description="When it was decided.")
    decision_comment: str = strawberry_django.field(description="The decider's comment.")
    expires_at: date | None = strawberry_django.field(description="Expiry once approved.")
    voided_at: strawberry.auto = strawberry_django.field(description="When it ended early.")
    void_reason: str = strawberry_django.field(description="Why it was voided or expired.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was asked for.")

    @strawberry_django.field(
        only=["snapshot"], description="The risk as approved (null before approval)."
    )
    def snapshot(self) -> AcceptanceSnapshotType | None:
        return snapshot_type(self.snapshot)

    @strawberry_django.field(
        only=["status", "requested_by_id"],
        description="Whether you may decide it now (acceptanceDecide): it is requested, you are "
        "a risk manager or admin, and you did not ask for it.",
    )
    def viewer_can_decide(self, info: Info) -> bool:
        return _can_decide(self, info)

    @strawberry_django.field(
        only=["status", "requested_by_id"],
        description="Statuses you may move it to now: APPROVED and REJECTED when you may decide "
        "it; VOIDED and EXPIRED are never chosen by hand.",
    )
    def allowed_transitions(self, info: Info) -> list[AcceptanceStatusEnum]:
        return allowed_transitions(self) if _can_decide(self, info) else []  # type: ignore[return-value]


@strawberry_django.type(m.RiskReview, name="RiskReview", description="A periodic review.")
class RiskReviewType(TenantNode):
    min_role = Role.VIEWER

    risk: "RiskType" = strawberry_django.field(description=PARENT)
    reviewer: UserType | None = strawberry_django.field(description="Who reviewed it.")
    reviewed_at: strawberry.auto = strawberry_django.field(description="When.")
    notes: str = strawberry_django.field(description="The reviewer's notes.")
    next_review_at: date = strawberry_django.field(description="The next review it set.")

    @strawberry_django.field(
        only=["level_at_review"], description="The risk's level then (null: unassessed)."
    )
    def level_at_review(self) -> RiskLevelEnum | None:
        return self.level_at_review or None


@strawberry_django.type(
    m.RiskLossEvent,
    name="RiskLossEvent",
    description="What an incident cost, recorded on a risk it realised (by emergency when an "
    "activation closes, or another module); never edited here.",
)
class RiskLossEventType(TenantNode):
    min_role = Role.VIEWER

    risk: "RiskType" = strawberry_django.field(description=PARENT)
    occurred_at: strawberry.auto = strawberry_django.field(description="When the loss occurred.")
    amount: Decimal | None = strawberry_django.field(
        description="The loss, in `currency` (null: not quantified)."
    )
    currency: str = strawberry_django.field(description="ISO 4217 code of the amount.")
    description: str = strawberry_django.field(description="What happened, in words.")
    source: str = strawberry_django.field(
        description="The module that recorded it, e.g. emergency."
    )
    reference: str = strawberry_django.field(
        description="The source's own id of the event (an activation's, for emergency)."
    )
    recorded_by: UserType | None = strawberry_django.field(description="Who recorded it.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was recorded.")


@strawberry_django.type(m.Risk, name="Risk", description="An entry of the risk register.")
class RiskType(TenantNode):
    min_role = Role.VIEWER

    title: str = strawberry_django.field(description="Short name.")

    @strawberry_django.field(
        only=["number"],
        description="Its reference in this register, e.g. R-0042: given at creation, in "
        "creation order, never changed (`risk(reference:)`, `filter: {search}`). Null only for "
        "a risk bulk-loaded around the services.",
    )
    def reference(self) -> str | None:
        return self.reference or None

    description: str = strawberry_django.field(description="What the risk is.")
    category: RiskCategoryType = strawberry_django.field(description="Where it sits.")
    business_line: str = strawberry_django.field(description="The business line concerned.")
    causes: str = strawberry_django.field(description="What may cause it.")
    consequences: str = strawberry_django.field(description="What would follow.")
    source: RiskSourceEnum = strawberry_django.field(description="Where it comes from.")
    owner: PersonType | None = strawberry_django.field(
        description="The person accountable (the directory's; `owner { user }` is their account, "
        "if any)."
    )
    department: str = strawberry_django.field(
        description="Free-text department (older; see orgDepartment)."
    )
    org_department: DepartmentType | None = strawberry_django.field(
        description="The directory's department (`department` is the older free text)."
    )
    status: RiskStatusEnum = strawberry_django.field(description="Lifecycle status.")
    tags: list[str] = strawberry_django.field(description="Lower-case tags.")
    next_review_at: date | None = strawberry_django.field(description="When it is next due.")
    last_reviewed_at: strawberry.auto = strawberry_django.field(description="Last review.")
    above_appetite: bool = strawberry_django.field(
        description="Its current level is above its category's appetite."
    )
    review_flag: str = strawberry_django.field(
        description="Why it wants an early review (e.g. a red indicator); empty otherwise."
    )
    archived_at: strawberry.auto = strawberry_django.field(
        description="When it was archived (null: in the register)."
    )
    created_at: strawberry.auto = strawberry_django.field(description="When it was created.")
    updated_at: strawberry.auto = strawberry_django.field(description="Last change.")
    assessments: BoundedConnection[RiskAssessmentType] = nested(
        ASSESSMENTS, "Its ratings, newest first by default."
    )
    controls: BoundedConnection[ControlType] = nested(CONTROLS, "Controls linked to it.")
    actions: BoundedConnection[TreatmentActionType] = nested(ACTIONS, "Its treatment actions.")
    acceptances: BoundedConnection[RiskAcceptanceType] = nested(
        ACCEPTANCES, "Acceptance requests, newest first by default."
    )
    reviews: BoundedConnection[RiskReviewType] = nested(REVIEWS, "Its reviews, newest first.")
    related_risks: BoundedConnection["RiskType"] = nested(RISKS, "Risks linked to it.")
    limits: BoundedConnection[RiskLimitType] = nested(LIMITS, "Limits set on it.")
    indicators: BoundedConnection[LazyIndicator] = nested(
        INDICATORS, "Key risk indicators that watch it."
    )
    loss_events: BoundedConnection[RiskLossEventType] = nested(
        LOSS_EVENTS, "Losses recorded on it (e.g. by closed emergency activations), latest first."
    )

    @strawberry_django.connection(
        BoundedConnection[LazySignal],
        description="Warning signals of its indicators, newest first by default.",
        prefetch_related=[lambda info: signals_prefetch()],
    )
    def signals(
        self,
        root: m.Risk,
        order_by: Annotated[
            list[SignalOrder] | None,
            strawberry.argument(description="Sort keys. Default: last triggered, newest first."),
        ] = None,
    ) -> list[LazySignal]:
        order = SIGNALS.order(order_by)
        watching = getattr(root, SIGNAL_INDICATORS, None)
        if watching is not None:  # prefetched for the whole page of risks: sorted here
            found = {s.pk: s for i in watching for s in getattr(i, PAGE_SIGNALS)}
            return sorted_rows(list(found.values()), order, SIGNALS.keys)
        ordering = sort_keys(order, SIGNALS.keys)
        return warning_selectors.signals_of_risk(root.pk, order=ordering)  # type: ignore[return-value]

    @strawberry_django.field(
        only=["treatment_strategy"], description="How it is treated (null: not chosen)."
    )
    def treatment_strategy(self) -> TreatmentStrategyEnum | None:
        return self.treatment_strategy or None

    @strawberry_django.field(
        only=["inherent_likelihood", "inherent_impact", "inherent_score", "inherent_level"],
        description="The latest inherent rating (null: not assessed).",
    )
    def inherent(self) -> RatingType | None:
        return rating_of(self, "inherent")

    @strawberry_django.field(
        only=["residual_likelihood", "residual_impact", "residual_score", "residual_level"],
        description="The latest residual rating (null: not assessed).",
    )
    def residual(self) -> RatingType | None:
        return rating_of(self, "residual")

    @strawberry_django.field(
        only=["current_level"], description="Residual level when assessed, else inherent."
    )
    def current_level(self) -> RiskLevelEnum | None:
        return self.current_level or None

    @strawberry_django.field(
        only=["residual_proposal"],
        description="The residual rating the controls justified at the last daily run "
        "(residualApplyProposal applies it; the root field residualProposal computes it now).",
    )
    def residual_proposal(self) -> RatingType | None:
        p = self.residual_proposal
        return RatingType(**p) if p else None

    @strawberry_django.field(
        only=["next_review_at", "status"], description="Its review date is past (not closed)."
    )
    def review_overdue(self) -> bool:
        return bool(
            self.next_review_at
            and self.status != m.RiskStatus.CLOSED
            and self.next_review_at < timezone.localdate()
        )

    @strawberry_django.field(
        only=["status", "archived_at"],
        description="Statuses you may move it to now with riskTransition (empty below analyst "
        "and once archived; ACCEPTED only through an acceptance).",
    )
    def allowed_transitions(self, info: Info) -> list[RiskStatusEnum]:
        if not _may_write(info) or self.archived_at is not None:
            return []
        return allowed_transitions(self)  # type: ignore[return-value]

    @strawberry_django.field(
        only=["archived_at"], description="Whether you may edit it (riskUpdate) now."
    )
    def viewer_can_edit(self, info: Info) -> bool:
        return _may_write(info) and self.archived_at is None

    @strawberry_django.field(
        only=["status", "archived_at"],
        description="Whether you may archive it (riskArchive) now: draft or closed, not archived.",
    )
    def viewer_can_archive(self, info: Info) -> bool:
        return (
            _may_write(info)
            and self.archived_at is None
            and self.status in (m.RiskStatus.DRAFT, m.RiskStatus.CLOSED)
        )

    @strawberry_django.connection(
        BoundedConnection[AuditEntryType],
        description="Every recorded change of this risk, newest first: its own, and those of "
        "its assessments, reviews, acceptances, treatment actions and linked controls.",
    )
    def history(
        self,
        root: m.Risk,
        order_by: Annotated[
            list[HistoryOrder] | None,
            strawberry.argument(description="Sort keys. Default: newest first."),
        ] = None,
    ) -> list[AuditEntryType]:
        from apps.core.selectors import audit_entries_for

        entries = audit_entries_for(
            {
                m.Risk: m.Risk.objects.filter(pk=root.pk),
                m.RiskAssessment: m.RiskAssessment.objects.filter(risk_id=root.pk),
                m.RiskReview: m.RiskReview.objects.filter(risk_id=root.pk),
                m.RiskAcceptance: m.RiskAcceptance.objects.filter(risk_id=root.pk),
                m.TreatmentAction: m.TreatmentAction.objects.filter(risk_id=root.pk),
                m.Control: m.Control.objects.filter(risks=root.pk),
            }
        )
        order = sort_keys(HISTORY.order(order_by), HISTORY.keys)
        return entries.order_by(*order)  # type: ignore[return-value]
