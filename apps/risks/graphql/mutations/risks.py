import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst
from apps.people.models import Department
from apps.risks.graphql.mutations.common import Errors, actor, given, run
from apps.risks.graphql.types import (
    RiskReviewType,
    RiskSourceEnum,
    RiskStatusEnum,
    RiskType,
    TreatmentStrategyEnum,
)
from apps.risks.models import Risk, RiskCategory
from apps.risks.services import register, reviews

UNSET = strawberry.UNSET


@strawberry.input
class RiskCreateInput:
    title: str
    category: relay.GlobalID
    description: str = ""
    business_line: str = ""
    causes: str = ""
    consequences: str = ""
    source: RiskSourceEnum = RiskSourceEnum.PROCESS  # type: ignore[attr-defined]
    owner: relay.GlobalID | None = strawberry.field(default=None, description="A member's User id.")
    department: str = ""
    org_department: relay.GlobalID | None = strawberry.field(
        default=None, description="A Department of the directory."
    )
    status: RiskStatusEnum = strawberry.field(
        default=RiskStatusEnum.DRAFT,  # type: ignore[attr-defined]
        description="DRAFT or OPEN.",
    )
    treatment_strategy: TreatmentStrategyEnum | None = None
    tags: list[str] = strawberry.field(default_factory=list)
    related_risks: list[relay.GlobalID] = strawberry.field(default_factory=list)


@strawberry.input
class RiskUpdateInput:
    id: relay.GlobalID
    title: str | None = UNSET
    category: relay.GlobalID | None = UNSET
    description: str | None = UNSET
    business_line: str | None = UNSET
    causes: str | None = UNSET
    consequences: str | None = UNSET
    source: RiskSourceEnum | None = UNSET
    owner: relay.GlobalID | None = UNSET
    department: str | None = UNSET
    org_department: relay.GlobalID | None = UNSET
    treatment_strategy: TreatmentStrategyEnum | None = UNSET
    tags: list[str] | None = UNSET
    related_risks: list[relay.GlobalID] | None = UNSET


@strawberry.input
class RiskTransitionInput:
    id: relay.GlobalID
    to: RiskStatusEnum


@strawberry.type
class RiskPayload:
    errors: Errors
    risk: RiskType | None = None


@strawberry.input
class ReviewRecordInput:
    risk: relay.GlobalID
    notes: str = ""


@strawberry.type
class ReviewRecordPayload:
    errors: Errors
    review: RiskReviewType | None = None
    risk: RiskType | None = None


def _risk_ids(gids) -> list:
    return [pk_or_nothing(gid, "Risk", Risk) for gid in gids]


def _fields(input) -> dict:
    """Input → service keyword arguments, ids decoded; only what was sent."""
    raw = given(
        title=input.title,
        description=input.description,
        business_line=input.business_line,
        causes=input.causes,
        consequences=input.consequences,
        department=input.department,
        tags=input.tags,
    )
    fields = {k: (v if v is not None else ("" if k != "tags" else [])) for k, v in raw.items()}
    if input.category is not UNSET:
        fields["category_id"] = pk_or_nothing(input.category, "RiskCategory", RiskCategory)
    if input.source is not UNSET and input.source is not None:
        fields["source"] = input.source.value
    if input.owner is not UNSET:
        fields["owner_id"] = pk_or_nothing(input.owner, "User", User)
    if input.org_department is not UNSET:
        fields["org_department_id"] = pk_or_nothing(input.org_department, "Department", Department)
    if input.treatment_strategy is not UNSET:
        fields["treatment_strategy"] = (
            input.treatment_strategy.value if input.treatment_strategy else ""
        )
    if input.related_risks is not UNSET:
        fields["related_risk_ids"] = _risk_ids(input.related_risks or [])
    return fields


@strawberry.type
class RiskMutations:
    @strawberry.mutation(permission_classes=[IsAnalyst])
    def risk_create(self, info: Info, input: RiskCreateInput) -> RiskPayload:
        fields = _fields(input)

        def call() -> dict:
            return {
                "risk": register.risk_create(
                    title=fields.pop("title"),
                    category_id=fields.pop("category_id"),
                    status=input.status.value,
                    actor=actor(info),
                    **fields,
                )
            }

        return run(RiskPayload, call, input=input)

    @strawberry.mutation(
        permission_classes=[IsAnalyst], description="Change fields; only those sent are changed."
    )
    def risk_update(self, info: Info, input: RiskUpdateInput) -> RiskPayload:
        fields = _fields(input)
        return run(
            RiskPayload,
            lambda: {
                "risk": register.risk_update(
                    risk_id=pk_or_nothing(input.id, "Risk", Risk), actor=actor(info), **fields
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Move a risk along its lifecycle (ACCEPTED only via acceptance).",
    )
    def risk_transition(self, info: Info, input: RiskTransitionInput) -> RiskPayload:
        return run(
            RiskPayload,
            lambda: {
                "risk": register.risk_transition(
                    risk_id=pk_or_nothing(input.id, "Risk", Risk),
                    to=input.to.value,
                    actor=actor(info),
                )
            },
            input=input,
            fields={"status": "to"},
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Record a review; the next one is set from the current level.",
    )
    def review_record(self, info: Info, input: ReviewRecordInput) -> ReviewRecordPayload:
        def call() -> dict:
            review = reviews.review_record(
                risk_id=pk_or_nothing(input.risk, "Risk", Risk),
                actor=actor(info),
                notes=input.notes,
            )
            return {"review": review, "risk": Risk.objects.get(pk=review.risk_id)}

        return run(ReviewRecordPayload, call, input=input)
