"""Writes of the reputation module, each a thin call of one service: analysts record and move
complaints and ingest mentions; risk managers set sources, lexicon, SLAs, scorers and weights."""

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.core.graphql.resolvers import run_service
from apps.reputation.graphql.errors import ReputationError, ReputationErrorCode
from apps.reputation.graphql.ingestion import IngestionMutations
from apps.reputation.graphql.queries import settings_type
from apps.reputation.graphql.types import (
    ChannelEnum,
    ComplaintCategoryEnum,
    ComplaintChannelEnum,
    ComplaintStatusEnum,
    ComplaintType,
    DayType,
    LexiconTermType,
    PriorityEnum,
    SettingsType,
    SlaType,
    SourceType,
)
from apps.reputation.models import Complaint, LexiconTerm, Source
from apps.reputation.services import complaints, index, lexicon, sources

UNSET: Any = strawberry.UNSET
Errors = list[ReputationError]  # type: ignore[valid-type]


def _run(payload: type, input, call, fields=None) -> Any:
    return run_service(
        payload, ReputationError, ReputationErrorCode, call, input=input, fields=fields
    )


def _sent(input, names: tuple[str, ...]) -> dict:
    out = {}
    for name in names:
        value = getattr(input, name)
        if value is UNSET:
            continue
        out[name] = value.value if hasattr(value, "value") and not isinstance(value, str) else value
    return out


@strawberry.input(description="A new mention source.")
class MentionSourceCreateInput:
    code: str = strawberry.field(description="Permanent: letters, digits and _; unique.")
    name: str = strawberry.field(description="Name for people.")
    channel: ChannelEnum = strawberry.field(description="The channel it reads.")  # type: ignore[valid-type]
    url: str = strawberry.field(default="", description="Where the feed is.")
    active: bool = strawberry.field(default=True, description="False: created inactive.")


@strawberry.input(description="Changes to a source; only the fields sent change.")
class MentionSourceUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The MentionSource.")
    name: str | None = strawberry.field(default=UNSET, description="Name.")
    channel: ChannelEnum | None = strawberry.field(default=UNSET, description="Channel.")  # type: ignore[valid-type]
    url: str | None = strawberry.field(default=UNSET, description="URL.")
    active: bool | None = strawberry.field(default=UNSET, description="Deactivate or reactivate.")


@strawberry.type(description="The source, or why not.")
class MentionSourcePayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    source: SourceType | None = strawberry.field(default=None, description="The source.")


@strawberry.input(description="A new lexicon term.")
class LexiconTermCreateInput:
    term: str = strawberry.field(description="Word or phrase, e.g. 跑路, hidden fees.")
    weight: float = strawberry.field(description="−1 to 1, not 0; negative for bad news.")
    active: bool = strawberry.field(default=True, description="False: kept but not applied.")


@strawberry.input(description="Changes to a lexicon term; only the fields sent change.")
class LexiconTermUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The SentimentLexiconTerm.")
    term: str | None = strawberry.field(default=UNSET, description="Word or phrase.")
    weight: float | None = strawberry.field(default=UNSET, description="−1 to 1, not 0.")
    active: bool | None = strawberry.field(default=UNSET, description="Apply it or not.")


@strawberry.type(description="The term, or why not. Every change re-scores mentions (a job).")
class LexiconTermPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    term: LexiconTermType | None = strawberry.field(default=None, description="The term.")


@strawberry.input(description="Scorer choice and index weights; only the fields sent change.")
class ReputationSettingsUpdateInput:
    scorer_zh: str | None = strawberry.field(
        default=UNSET, description="A registered scorer serving zh; empty: platform default."
    )
    scorer_en: str | None = strawberry.field(
        default=UNSET, description="A registered scorer serving en; empty: platform default."
    )
    weight_sentiment: float | None = strawberry.field(default=UNSET, description="≥ 0.")
    weight_negative_share: float | None = strawberry.field(default=UNSET, description="≥ 0.")
    weight_complaints: float | None = strawberry.field(default=UNSET, description="≥ 0.")
    complaint_capacity: int | None = strawberry.field(default=UNSET, description="≥ 1.")


@strawberry.type(description="The settings, or why not.")
class ReputationSettingsPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    settings: SettingsType | None = strawberry.field(default=None, description="The settings.")


@strawberry.input(description="The SLA of one priority.")
class ComplaintSlaUpdateInput:
    priority: PriorityEnum = strawberry.field(description="Which priority.")  # type: ignore[valid-type]
    response_hours: int = strawberry.field(description="Hours to a first response (1–8760).")
    resolution_hours: int = strawberry.field(description="Hours to resolution (≥ response).")


@strawberry.type(description="The SLA, or why not.")
class ComplaintSlaPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    sla: SlaType | None = strawberry.field(default=None, description="The SLA.")


COMPLAINT_FIELDS = (
    "category",
    "priority",
    "customer_ref",
    "product",
    "summary",
    "satisfaction",
    "regulator_hotline",
)


@strawberry.input(description="A complaint received.")
class ComplaintCreateInput:
    reference: str = strawberry.field(description="The tenant's ticket number; unique.")
    channel: ComplaintChannelEnum = strawberry.field(description="How it came in.")  # type: ignore[valid-type]
    category: ComplaintCategoryEnum = strawberry.field(description="What it is about.")  # type: ignore[valid-type]
    summary: str = strawberry.field(description="What the customer says (no phone/ID numbers).")
    received_at: datetime | None = strawberry.field(default=None, description="Default: now.")
    priority: PriorityEnum | None = strawberry.field(default=None, description="Default NORMAL.")  # type: ignore[valid-type]
    customer_ref: str = strawberry.field(default="", description="Pseudonymised reference.")
    product: str = strawberry.field(default="", description="Product concerned.")
    regulator_hotline: str = strawberry.field(default="", description="For a referral: 12378…")
    assignee: relay.GlobalID | None = strawberry.field(default=None, description="A User.")


@strawberry.input(description="Changes to a complaint; only the fields sent change.")
class ComplaintUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The Complaint.")
    category: ComplaintCategoryEnum | None = strawberry.field(
        default=UNSET, description="Category."
    )  # type: ignore[valid-type]
    priority: PriorityEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="A new priority recomputes the due times."
    )
    customer_ref: str | None = strawberry.field(default=UNSET, description="Pseudonymised.")
    product: str | None = strawberry.field(default=UNSET, description="Product.")
    summary: str | None = strawberry.field(default=UNSET, description="Summary.")
    satisfaction: int | None = strawberry.field(default=UNSET, description="1 to 5, or null.")
    regulator_hotline: str | None = strawberry.field(default=UNSET, description="Hotline.")
    assignee: relay.GlobalID | None = strawberry.field(default=UNSET, description="A User.")


@strawberry.input(description="Move a complaint along its lifecycle.")
class ComplaintTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The Complaint.")
    to: ComplaintStatusEnum = strawberry.field(description="The status to move to.")  # type: ignore[valid-type]
    comment: str = strawberry.field(default="", description="Why (kept in the audit trail).")


@strawberry.type(description="The complaint, or why not.")
class ComplaintPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    complaint: ComplaintType | None = strawberry.field(default=None, description="It.")


@strawberry.input(description="Days to compute again (after a weight change, late data).")
class ReputationRecomputeInput:
    from_: date = strawberry.field(name="from", description="First day.")
    to: date = strawberry.field(description="Last day (at most 400 days in all).")


@strawberry.type(description="The days computed again.")
class ReputationRecomputePayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    days: list[DayType] = strawberry.field(default_factory=list, description="Oldest first.")


def _user(gid) -> Any:
    return pk_or_nothing(gid, "User", User)


@strawberry.type
class ReputationMutation(IngestionMutations):
    @strawberry.mutation(permission_classes=[IsRiskManager], description="Add a mention source.")
    def mention_source_create(
        self,
        info: Info,
        input: Annotated[MentionSourceCreateInput, strawberry.argument(description="The source.")],
    ) -> MentionSourcePayload:
        return _run(
            MentionSourcePayload,
            input,
            lambda: {
                "source": sources.source_create(
                    code=input.code,
                    name=input.name,
                    channel=input.channel.value,
                    url=input.url,
                    active=input.active,
                    actor=info.context.request.user,
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Change a source.")
    def mention_source_update(
        self,
        info: Info,
        input: Annotated[MentionSourceUpdateInput, strawberry.argument(description="The changes.")],
    ) -> MentionSourcePayload:
        return _run(
            MentionSourcePayload,
            input,
            lambda: {
                "source": sources.source_update(
                    source_id=pk_or_nothing(input.id, "MentionSource", Source),
                    actor=info.context.request.user,
                    **_sent(input, ("name", "channel", "url", "active")),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Add a lexicon term.")
    def lexicon_term_create(
        self,
        info: Info,
        input: Annotated[LexiconTermCreateInput, strawberry.argument(description="The term.")],
    ) -> LexiconTermPayload:
        return _run(
            LexiconTermPayload,
            input,
            lambda: {
                "term": lexicon.term_create(
                    term=input.term,
                    weight=input.weight,
                    active=input.active,
                    actor=info.context.request.user,
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Change a term.")
    def lexicon_term_update(
        self,
        info: Info,
        input: Annotated[LexiconTermUpdateInput, strawberry.argument(description="The changes.")],
    ) -> LexiconTermPayload:
        return _run(
            LexiconTermPayload,
            input,
            lambda: {
                "term": lexicon.term_update(
                    term_id=pk_or_nothing(input.id, "SentimentLexiconTerm", LexiconTerm),
                    actor=info.context.request.user,
                    **_sent(input, ("term", "weight", "active")),
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Scorers and weights.")
    def reputation_settings_update(
        self,
        info: Info,
        input: Annotated[
            ReputationSettingsUpdateInput, strawberry.argument(description="The changes.")
        ],
    ) -> ReputationSettingsPayload:
        names = (
            "scorer_zh",
            "scorer_en",
            "weight_sentiment",
            "weight_negative_share",
            "weight_complaints",
            "complaint_capacity",
        )
        return _run(
            ReputationSettingsPayload,
            input,
            lambda: {
                "settings": settings_type(
                    lexicon.settings_update(actor=info.context.request.user, **_sent(input, names))
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsRiskManager], description="Set a priority's SLA.")
    def complaint_sla_update(
        self, input: Annotated[ComplaintSlaUpdateInput, strawberry.argument(description="The SLA.")]
    ) -> ComplaintSlaPayload:
        def call() -> dict:
            sla = complaints.sla_update(
                priority=input.priority.value,
                response_hours=input.response_hours,
                resolution_hours=input.resolution_hours,
            )
            return {
                "sla": SlaType(
                    priority=input.priority,
                    response_hours=sla.response_hours,
                    resolution_hours=sla.resolution_hours,
                )
            }

        return _run(ComplaintSlaPayload, input, call)

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Record a complaint.")
    def complaint_create(
        self,
        info: Info,
        input: Annotated[ComplaintCreateInput, strawberry.argument(description="The complaint.")],
    ) -> ComplaintPayload:
        extra = {"assignee_id": _user(input.assignee)} if input.assignee else {}
        return _run(
            ComplaintPayload,
            input,
            lambda: {
                "complaint": complaints.complaint_create(
                    reference=input.reference,
                    channel=input.channel.value,
                    category=input.category.value,
                    summary=input.summary,
                    received_at=input.received_at,
                    priority=input.priority.value if input.priority else "normal",
                    customer_ref=input.customer_ref,
                    product=input.product,
                    regulator_hotline=input.regulator_hotline,
                    actor=info.context.request.user,
                    **extra,
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Change a complaint.")
    def complaint_update(
        self,
        info: Info,
        input: Annotated[ComplaintUpdateInput, strawberry.argument(description="The changes.")],
    ) -> ComplaintPayload:
        changes = _sent(input, COMPLAINT_FIELDS)
        if input.assignee is not UNSET:
            changes["assignee_id"] = _user(input.assignee) if input.assignee else None
        return _run(
            ComplaintPayload,
            input,
            lambda: {
                "complaint": complaints.complaint_update(
                    complaint_id=pk_or_nothing(input.id, "Complaint", Complaint),
                    actor=info.context.request.user,
                    **changes,
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Respond, resolve, reopen or close (stamps the response/resolution times).",
    )
    def complaint_transition(
        self,
        info: Info,
        input: Annotated[ComplaintTransitionInput, strawberry.argument(description="Where to.")],
    ) -> ComplaintPayload:
        return _run(
            ComplaintPayload,
            input,
            lambda: {
                "complaint": complaints.complaint_transition(
                    complaint_id=pk_or_nothing(input.id, "Complaint", Complaint),
                    to=input.to.value,
                    actor=info.context.request.user,
                    comment=input.comment,
                )
            },
            fields={"status": "to"},
        )

    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Compute days again with today's weights; their observations are replaced.",
    )
    def reputation_recompute(
        self,
        input: Annotated[ReputationRecomputeInput, strawberry.argument(description="The days.")],
    ) -> ReputationRecomputePayload:
        from apps.reputation import selectors
        from apps.reputation.graphql.queries import _day

        def call() -> dict:
            start, end = index.days_recompute(start=input.from_, end=input.to)
            return {"days": [_day(row) for row in selectors.days(start, end)]}

        return _run(ReputationRecomputePayload, input, call, fields={"start": "from", "end": "to"})
