from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING

import strawberry
import strawberry_django
from django.db import models

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.scalars import BigInt
from apps.reputation import models as m
from apps.risks.graphql.types import RiskCategoryType


def choices_enum(name: str, choices: type[models.TextChoices], description: str) -> type[Enum]:
    """A GraphQL enum made from a model's TextChoices (values and labels typed once)."""
    python = Enum(name, {value.upper(): value for value in choices.values})  # type: ignore[misc]
    strawberry.enum(python, name=name, description=description)
    labels = dict(choices.choices)
    for value in python.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = f"{labels[value.value]}."
    return python


# The GraphQL enums are built from the models' choices (each value described by its label);
# to the type checker they are the model enums themselves (apps/accounts/graphql/types.py).
if TYPE_CHECKING:
    ChannelEnum = m.Channel
    LanguageEnum = m.Language
    SentimentLabelEnum = m.SentimentLabel
    ComplaintChannelEnum = m.ComplaintChannel
    ComplaintCategoryEnum = m.ComplaintCategory
    PriorityEnum = m.Priority
    ComplaintStatusEnum = m.ComplaintStatus
else:
    ChannelEnum = choices_enum("MentionChannel", m.Channel, "Where a mention was published.")
    LanguageEnum = choices_enum("MentionLanguage", m.Language, "A mention's language (detected).")
    SentimentLabelEnum = choices_enum("SentimentLabel", m.SentimentLabel, "A mention's sentiment.")
    ComplaintChannelEnum = choices_enum(
        "ComplaintChannel", m.ComplaintChannel, "How a complaint reached the tenant."
    )
    ComplaintCategoryEnum = choices_enum(
        "ComplaintCategory", m.ComplaintCategory, "What a complaint is about."
    )
    PriorityEnum = choices_enum("ComplaintPriority", m.Priority, "How urgent a complaint is.")
    ComplaintStatusEnum = choices_enum(
        "ComplaintStatus", m.ComplaintStatus, "Where a complaint stands."
    )


@strawberry_django.type(m.Source, name="MentionSource", description="One feed of mentions.")
class SourceType(TenantNode):
    min_role = Role.VIEWER

    code: str = strawberry_django.field(description="Permanent; ingestion names the source by it.")
    name: str = strawberry_django.field(description="Name for people.")
    channel: ChannelEnum = strawberry_django.field(description="The channel it reads.")
    url: str = strawberry_django.field(description="Where the feed is; may be empty.")
    active: bool = strawberry_django.field(description="False: ingestion refuses its mentions.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was created.")


@strawberry_django.type(
    m.Story, name="Story", description="Mentions sharing one normalised text (reposts, copies)."
)
class StoryType(TenantNode):
    min_role = Role.VIEWER

    sample_text: str = strawberry_django.field(description="The earliest mention's text.")
    language: LanguageEnum = strawberry_django.field(description="Its language.")
    first_seen_at: strawberry.auto = strawberry_django.field(description="Earliest publication.")
    last_seen_at: strawberry.auto = strawberry_django.field(description="Latest publication.")
    mention_count: int = strawberry_django.field(description="Mentions in the story.")
    total_reach: float = strawberry_django.field(
        description="Sum of its mentions' reach (a float: reach may pass 2^31)."
    )


@strawberry_django.type(
    m.Topic,
    name="MentionTopic",
    description="What mentions are about: a mention holding one of its keywords is tagged with "
    "it (Chinese keywords on jieba's word segmentation, English ones on word boundaries).",
)
class TopicType(TenantNode):
    min_role = Role.VIEWER

    code: str = strawberry_django.field(description="Permanent; the `topic` dimension of figures.")
    name: str = strawberry_django.field(description="Name for people.")
    keywords_zh: list[str] = strawberry_django.field(description="Chinese keywords.")
    keywords_en: list[str] = strawberry_django.field(description="English keywords.")
    active: bool = strawberry_django.field(description="False: no longer matched.")
    risk_categories: list[RiskCategoryType] = strawberry_django.field(
        description="The risk categories it bears on (a handful: not paginated)."
    )


@strawberry_django.type(
    m.CategorySla,
    name="ComplaintCategorySla",
    description="Hours for one complaint category, on every channel or on one (which then "
    "overrides the category's row); without a row a complaint has its priority's SLA.",
)
class CategorySlaType(TenantNode):
    min_role = Role.VIEWER

    category: ComplaintCategoryEnum = strawberry_django.field(description="The category.")
    response_hours: int = strawberry_django.field(description="Hours to a first response.")
    resolution_hours: int = strawberry_django.field(description="Hours to resolution.")

    @strawberry_django.field(only=["channel"], description="The channel; null: every channel.")
    def channel(self) -> ComplaintChannelEnum | None:
        return ComplaintChannelEnum(self.channel) if self.channel else None


@strawberry_django.type(m.Mention, name="Mention", description="One post, article or review.")
class MentionType(TenantNode):
    min_role = Role.VIEWER

    source: SourceType = strawberry_django.field(description="The feed it came from.")
    story: StoryType = strawberry_django.field(description="The story it belongs to.")
    external_id: str = strawberry_django.field(description="Its id on the channel.")
    channel: ChannelEnum = strawberry_django.field(description="Its source's channel.")
    url: str = strawberry_django.field(description="Link; may be empty.")
    author: str = strawberry_django.field(description="Author's name or handle.")
    reach: BigInt = strawberry_django.field(description="The author's followers or audience.")
    published_at: strawberry.auto = strawberry_django.field(description="When published.")
    text: str = strawberry_django.field(description="The text.")
    language: LanguageEnum = strawberry_django.field(description="zh, en or und (detected).")
    likes: BigInt = strawberry_django.field(description="Likes when last sent.")
    shares: BigInt = strawberry_django.field(description="Shares or reposts when last sent.")
    comments: BigInt = strawberry_django.field(description="Comments when last sent.")
    views: BigInt = strawberry_django.field(description="Views when last sent.")
    sentiment_score: float | None = strawberry_django.field(
        description="−1 (negative) to 1 (positive); null until scored."
    )
    sentiment_confidence: float | None = strawberry_django.field(description="0 to 1.")
    scorer_name: str = strawberry_django.field(description="Scorer that scored it; empty: none.")
    scorer_version: str = strawberry_django.field(description="That scorer's version.")
    scored_at: strawberry.auto = strawberry_django.field(description="When it was scored.")

    labelled_at: strawberry.auto = strawberry_django.field(
        description="When an analyst labelled it; null: not labelled."
    )
    topics: list[TopicType] = strawberry_django.field(
        description="The topics it is tagged with, by code (at most one per topic of the "
        "tenant: not paginated)."
    )

    @strawberry_django.field(only=["sentiment_label"], description="Null until scored.")
    def sentiment_label(self) -> SentimentLabelEnum | None:
        return SentimentLabelEnum(self.sentiment_label) if self.sentiment_label else None

    @strawberry_django.field(
        only=["human_label"],
        description="An analyst's label (kept through re-scoring); null: none.",
    )
    def human_label(self) -> SentimentLabelEnum | None:
        return SentimentLabelEnum(self.human_label) if self.human_label else None


@strawberry_django.type(
    m.LexiconTerm,
    name="SentimentLexiconTerm",
    description="A word or phrase of the tenant's lexicon; its weight moves a mention's score.",
)
class LexiconTermType(TenantNode):
    min_role = Role.VIEWER

    term: str = strawberry_django.field(description="Matched case-insensitively, as a substring.")
    weight: float = strawberry_django.field(description="Added to the score: −1 to 1.")
    active: bool = strawberry_django.field(description="False: not applied.")


@strawberry_django.type(
    m.Complaint, name="Complaint", description="A customer complaint, with its SLA due times."
)
class ComplaintType(TenantNode):
    min_role = Role.ANALYST  # customer matters: analysts and above

    reference: str = strawberry_django.field(description="The tenant's ticket number.")
    channel: ComplaintChannelEnum = strawberry_django.field(description="How it came in.")
    regulator_hotline: str = strawberry_django.field(
        description="For a regulator referral: 12378, 12363, a local number."
    )
    category: ComplaintCategoryEnum = strawberry_django.field(description="What it is about.")
    priority: PriorityEnum = strawberry_django.field(description="Sets the SLA.")
    customer_ref: str = strawberry_django.field(description="Pseudonymised customer reference.")
    product: str = strawberry_django.field(description="Product concerned; may be empty.")
    summary: str = strawberry_django.field(description="What the customer says.")
    status: ComplaintStatusEnum = strawberry_django.field(description="Where it stands.")
    assignee: UserType | None = strawberry_django.field(description="Who handles it.")
    received_at: strawberry.auto = strawberry_django.field(description="When it came in.")
    first_response_at: strawberry.auto = strawberry_django.field(description="First response.")
    resolved_at: strawberry.auto = strawberry_django.field(description="When resolved.")
    response_due_at: strawberry.auto = strawberry_django.field(description="First response due.")
    resolution_due_at: strawberry.auto = strawberry_django.field(description="Resolution due.")
    response_breached_at: strawberry.auto = strawberry_django.field(
        description="When the tick found the first response late; null: not breached."
    )
    resolution_breached_at: strawberry.auto = strawberry_django.field(
        description="When the tick found the resolution late; null: not breached."
    )
    satisfaction: int | None = strawberry_django.field(description="1 to 5, if asked.")
    created_at: strawberry.auto = strawberry_django.field(description="When recorded.")

    @strawberry_django.field(only=["channel"], description="Referred by a regulator.")
    def regulator_referred(self) -> bool:
        return self.channel == m.ComplaintChannel.REGULATOR


@strawberry.type(name="ComplaintSla", description="Hours to respond and resolve, per priority.")
class SlaType:
    priority: PriorityEnum = strawberry.field(description="The priority.")
    response_hours: int = strawberry.field(description="Hours to a first response.")
    resolution_hours: int = strawberry.field(description="Hours to resolution.")


@strawberry.type(name="ReputationDay", description="The figures of one day and its index.")
class DayType:
    day: date = strawberry.field(description="The day (the tenant's time zone).")
    mentions: int = strawberry.field(description="Mentions published that day.")
    scored: int = strawberry.field(description="Of them, scored.")
    negative: int = strawberry.field(description="Scored negative.")
    positive: int = strawberry.field(description="Scored positive.")
    reach: float = strawberry.field(description="Sum of their reach.")
    negative_share: float | None = strawberry.field(description="negative / scored, 0 to 1.")
    net_sentiment: float | None = strawberry.field(
        description="Reach-weighted mean score, −1 to 1 (weights 1 + reach)."
    )
    complaints_received: int = strawberry.field(description="Complaints received that day.")
    complaints_open: int = strawberry.field(description="Open at the end of the day.")
    sla_breaches: int = strawberry.field(description="Due times passed that day.")
    regulator_complaints: int = strawberry.field(description="Regulator referrals received.")
    brand: float | None = strawberry.field(
        description="Brand metrics covering the day, 0 to 1 (mean of their normalised values); "
        "null: none covers it."
    )
    index: float | None = strawberry.field(
        description="Reputation index, 0 to 100; null on a day with nothing measured (no scored "
        "mention, complaint or SLA breach)."
    )
    computed_at: datetime = strawberry.field(description="When computed.")


@strawberry.type(
    name="ScorerEvaluation",
    description="How one scorer version's labels compare with the analysts' labels.",
)
class EvaluationType:
    language: LanguageEnum = strawberry.field(description="Language of the mentions.")
    scorer_name: str = strawberry.field(description="The scorer.")
    scorer_version: str = strawberry.field(description="Its version.")
    labelled: int = strawberry.field(description="Mentions scored by it and labelled by people.")
    accuracy: float | None = strawberry.field(description="Share where both labels agree.")
    negative_precision: float | None = strawberry.field(
        description="Of those it called negative, the share people labelled negative."
    )
    negative_recall: float | None = strawberry.field(
        description="Of those people labelled negative, the share it called negative."
    )


@strawberry.type(name="ReputationSettings", description="Scorer choice and index weights.")
class SettingsType:
    scorer_zh: str = strawberry.field(description="Chinese scorer; empty: platform default.")
    scorer_en: str = strawberry.field(description="English scorer; empty: platform default.")
    scorer_zh_in_use: str = strawberry.field(description="The Chinese scorer in use.")
    scorer_en_in_use: str = strawberry.field(description="The English scorer in use.")
    available_scorers: list[str] = strawberry.field(description="Registered scorer names.")
    lexicon_version: int = strawberry.field(description="Bumped by every lexicon change.")
    weight_sentiment: float = strawberry.field(description="Weight of net sentiment.")
    weight_negative_share: float = strawberry.field(description="Weight of the negative share.")
    weight_complaints: float = strawberry.field(description="Weight of complaints.")
    weight_brand: float = strawberry.field(
        description="Weight of the brand metrics covering a day (left out when none does)."
    )
    complaint_capacity: int = strawberry.field(
        description="Complaints plus twice the breaches in a day that zero that part."
    )
