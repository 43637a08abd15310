from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst
from apps.people.models import Department, Person
from apps.risks.graphql.enums import RiskSourceEnum, RiskStatusEnum, TreatmentStrategyEnum
from apps.risks.graphql.mutations.common import Errors, actor, given, run
from apps.risks.graphql.types import RiskReviewType, RiskType
from apps.risks.models import Risk, RiskCategory
from apps.risks.services import register, reviews

UNSET = strawberry.UNSET


CLEARS = "Omit: unchanged; null: cleared."
REQUIRED = "Omit: unchanged; null is refused (it is required)."


@strawberry.input(description="A new risk.")
class RiskCreateInput:
    title: str = strawberry.field(description="Short name.")
    category: relay.GlobalID = strawberry.field(description="A RiskCategory id.")
    description: str = strawberry.field(default="", description="What the risk is.")
    business_line: str = strawberry.field(default="", description="The business line.")
    causes: str = strawberry.field(default="", description="What may cause it.")
    consequences: str = strawberry.field(default="", description="What would follow.")
    source: RiskSourceEnum = strawberry.field(
        default=RiskSourceEnum.PROCESS,
        description="Where it comes from.",
    )
    owner: relay.GlobalID | None = strawberry.field(
        default=None, description="A Person of the directory (active)."
    )
    department: str = strawberry.field(default="", description="Free-text department (older).")
    org_department: relay.GlobalID | None = strawberry.field(
        default=None, description="A Department of the directory."
    )
    status: RiskStatusEnum = strawberry.field(
        default=RiskStatusEnum.DRAFT,
        description="DRAFT or OPEN.",
    )
    treatment_strategy: TreatmentStrategyEnum | None = strawberry.field(
        default=None, description="How it is treated."
    )
    tags: list[str] = strawberry.field(default_factory=list, description="Tags (lower-cased).")
    related_risks: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Risk ids to link."
    )


@strawberry.input(description="Changes to a risk: an omitted field is unchanged.")
class RiskUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The risk.")
    title: str | None = strawberry.field(default=UNSET, description=REQUIRED)
    category: relay.GlobalID | None = strawberry.field(default=UNSET, description=REQUIRED)
    description: str | None = strawberry.field(default=UNSET, description=CLEARS)
    business_line: str | None = strawberry.field(default=UNSET, description=CLEARS)
    causes: str | None = strawberry.field(default=UNSET, description=CLEARS)
    consequences: str | None = strawberry.field(default=UNSET, description=CLEARS)
    source: RiskSourceEnum | None = strawberry.field(
        default=UNSET, description="Omit or null: unchanged."
    )
    owner: relay.GlobalID | None = strawberry.field(
        default=UNSET, description="A Person (active when newly named). " + CLEARS
    )
    department: str | None = strawberry.field(default=UNSET, description=CLEARS)
    org_department: relay.GlobalID | None = strawberry.field(default=UNSET, description=CLEARS)
    treatment_strategy: TreatmentStrategyEnum | None = strawberry.field(
        default=UNSET, description=CLEARS
    )
    tags: list[str] | None = strawberry.field(default=UNSET, description="Replaces; null: none.")
    related_risks: list[relay.GlobalID] | None = strawberry.field(
        default=UNSET, description="Replaces the links; null: none."
    )


@strawberry.input(description="A move along the risk's lifecycle.")
class RiskTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The risk.")
    to: RiskStatusEnum = strawberry.field(description="One of its allowedTransitions.")


@strawberry.input(description="The risk to archive.")
class RiskArchiveInput:
    id: relay.GlobalID = strawberry.field(description="A draft or closed risk.")


@strawberry.type(description="The risk written, or why not.")
class RiskPayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    risk: RiskType | None = strawberry.field(default=None, description="The risk.")


@strawberry.input(description="A review of a risk.")
class ReviewRecordInput:
    risk: relay.GlobalID = strawberry.field(description="The risk reviewed.")
    notes: str = strawberry.field(default="", description="The reviewer's notes.")


@strawberry.type(description="The review recorded, or why not.")
class ReviewRecordPayload:
    errors: Errors = strawberry.field(description="Empty when it was done.")
    review: RiskReviewType | None = strawberry.field(default=None, description="The review.")
    risk: RiskType | None = strawberry.field(default=None, description="The risk, updated.")


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
        fields["owner_id"] = pk_or_nothing(input.owner, "Person", Person)
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
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Add a risk to the register (analyst and above).",
    )
    def risk_create(
        self,
        info: Info,
        input: Annotated[RiskCreateInput, strawberry.argument(description="The new risk.")],
    ) -> RiskPayload:
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
        permission_classes=[IsAnalyst],
        description="Change the fields sent (analyst and above): an omitted field is unchanged, "
        "null clears an optional one. A material change voids a live acceptance.",
    )
    def risk_update(
        self,
        info: Info,
        input: Annotated[
            RiskUpdateInput, strawberry.argument(description="The risk and its changes.")
        ],
    ) -> RiskPayload:
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
        description="Move a risk along its lifecycle (analyst and above; ACCEPTED only via an "
        "acceptance).",
    )
    def risk_transition(
        self,
        info: Info,
        input: Annotated[
            RiskTransitionInput, strawberry.argument(description="The risk and its target.")
        ],
    ) -> RiskPayload:
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
        description="Record a review (analyst and above); the next one is set from the current "
        "level.",
    )
    def review_record(
        self,
        info: Info,
        input: Annotated[ReviewRecordInput, strawberry.argument(description="The review.")],
    ) -> ReviewRecordPayload:
        def call() -> dict:
            review = reviews.review_record(
                risk_id=pk_or_nothing(input.risk, "Risk", Risk),
                actor=actor(info),
                notes=input.notes,
            )
            return {"review": review, "risk": Risk.objects.get(pk=review.risk_id)}

        return run(ReviewRecordPayload, call, input=input)

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Archive a draft or closed risk (analyst and above): out of the register's "
        "lists, reports and heatmap, still readable by id with its history. Recorded in the "
        "audit trail.",
    )
    def risk_archive(
        self,
        info: Info,
        input: Annotated[RiskArchiveInput, strawberry.argument(description="The risk.")],
    ) -> RiskPayload:
        return run(
            RiskPayload,
            lambda: {
                "risk": register.risk_archive(
                    risk_id=pk_or_nothing(input.id, "Risk", Risk), actor=actor(info)
                )
            },
            input=input,
        )
