"""Reads of the reputation module: lists with their filters and orders, the settings row."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Q, QuerySet

from apps.reputation.models import (
    Complaint,
    ComplaintSla,
    LexiconTerm,
    Mention,
    ReputationDay,
    ReputationSettings,
    Source,
    Story,
)

MENTION_ORDERINGS = {
    "published": ("-published_at", "-id"),
    "published_asc": ("published_at", "id"),
    "reach": ("-reach", "-published_at", "-id"),
    "score": ("sentiment_score", "-published_at", "-id"),  # most negative first; unscored last
}
STORY_ORDERINGS = {
    "reach": ("-total_reach", "-id"),
    "mentions": ("-mention_count", "-total_reach", "-id"),
    "last_seen": ("-last_seen_at", "-id"),
}
COMPLAINT_ORDERINGS = {
    "received": ("-received_at", "-id"),
    "received_asc": ("received_at", "id"),
    "response_due": ("response_due_at", "id"),
    "resolution_due": ("resolution_due_at", "id"),
}


def reputation_settings() -> ReputationSettings:
    settings, _ = ReputationSettings.objects.get_or_create(singleton=True)
    return settings


def scorer_overrides(settings: ReputationSettings | None = None) -> dict[str, str]:
    settings = settings or reputation_settings()
    return {"zh": settings.scorer_zh, "en": settings.scorer_en}


SOURCE_ORDERINGS = {"code": ("code",), "name": ("name", "code"), "created": ("-created_at", "-id")}
LEXICON_ORDERINGS = {"term": ("term",), "weight": ("weight", "term")}


def sources(
    *, channels: list[str] | None = None, active: bool | None = None, order: str = "code"
) -> QuerySet[Source]:
    qs = Source.objects.all()
    if channels:
        qs = qs.filter(channel__in=channels)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by(*SOURCE_ORDERINGS[order])


@dataclass
class MentionFilters:
    channels: list[str] | None = None
    source_ids: list | None = None
    languages: list[str] | None = None
    labels: list[str] | None = None
    story_id: UUID | str | None = None
    published_from: datetime | None = None
    published_before: datetime | None = None
    min_reach: int | None = None
    unscored: bool | None = None
    search: str = ""
    topic_ids: list | None = None


def mentions(filters: MentionFilters | None = None, order: str = "published") -> QuerySet[Mention]:
    f = filters or MentionFilters()
    qs = Mention.objects.all()
    if f.channels:
        qs = qs.filter(channel__in=f.channels)
    if f.source_ids is not None:
        qs = qs.filter(source_id__in=f.source_ids)
    if f.languages:
        qs = qs.filter(language__in=f.languages)
    if f.labels:
        qs = qs.filter(sentiment_label__in=f.labels)
    if f.story_id is not None:
        qs = qs.filter(story_id=f.story_id)
    if f.published_from is not None:
        qs = qs.filter(published_at__gte=f.published_from)
    if f.published_before is not None:
        qs = qs.filter(published_at__lt=f.published_before)
    if f.min_reach is not None:
        qs = qs.filter(reach__gte=f.min_reach)
    if f.unscored is not None:
        qs = qs.filter(scored_at__isnull=f.unscored)
    if f.topic_ids is not None:
        from apps.reputation.selectors.topics import tagged_with

        qs = qs.filter(tagged_with(f.topic_ids))
    if term := f.search.strip():
        qs = qs.filter(Q(text__icontains=term) | Q(author__icontains=term))
    ordering = MENTION_ORDERINGS[order]
    if order == "score":
        from django.db.models import F

        return qs.order_by(F("sentiment_score").asc(nulls_last=True), *ordering[1:])
    return qs.order_by(*ordering)


@dataclass
class StoryFilters:
    languages: list[str] | None = None
    seen_from: datetime | None = None
    seen_before: datetime | None = None
    min_mentions: int | None = None


def stories(filters: StoryFilters | None = None, order: str = "reach") -> QuerySet[Story]:
    f = filters or StoryFilters()
    qs = Story.objects.all()
    if f.languages:
        qs = qs.filter(language__in=f.languages)
    if f.seen_from is not None:
        qs = qs.filter(last_seen_at__gte=f.seen_from)
    if f.seen_before is not None:
        qs = qs.filter(first_seen_at__lt=f.seen_before)
    if f.min_mentions is not None:
        qs = qs.filter(mention_count__gte=f.min_mentions)
    return qs.order_by(*STORY_ORDERINGS[order])


@dataclass
class ComplaintFilters:
    statuses: list[str] | None = None
    channels: list[str] | None = None
    categories: list[str] | None = None
    priorities: list[str] | None = None
    received_from: datetime | None = None
    received_before: datetime | None = None
    breached: bool | None = None
    regulator: bool | None = None
    assignee_id: int | None = None


def complaints(
    filters: ComplaintFilters | None = None, order: str = "received"
) -> QuerySet[Complaint]:
    f = filters or ComplaintFilters()
    qs = Complaint.objects.all()
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.channels:
        qs = qs.filter(channel__in=f.channels)
    if f.categories:
        qs = qs.filter(category__in=f.categories)
    if f.priorities:
        qs = qs.filter(priority__in=f.priorities)
    if f.received_from is not None:
        qs = qs.filter(received_at__gte=f.received_from)
    if f.received_before is not None:
        qs = qs.filter(received_at__lt=f.received_before)
    if f.breached is not None:
        breached = Q(response_breached_at__isnull=False) | Q(resolution_breached_at__isnull=False)
        qs = qs.filter(breached) if f.breached else qs.exclude(breached)
    if f.regulator is not None:
        qs = qs.filter(channel="regulator") if f.regulator else qs.exclude(channel="regulator")
    if f.assignee_id is not None:
        qs = qs.filter(assignee_id=f.assignee_id)
    return qs.order_by(*COMPLAINT_ORDERINGS[order])


def slas() -> dict[str, ComplaintSla]:
    return {sla.priority: sla for sla in ComplaintSla.objects.all()}


def lexicon(*, active: bool | None = None, order: str = "term") -> QuerySet[LexiconTerm]:
    qs = LexiconTerm.objects.all()
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by(*LEXICON_ORDERINGS[order])


def days(start: date, end: date) -> QuerySet[ReputationDay]:
    """The computed days from `start` to `end`, both included, oldest first."""
    return ReputationDay.objects.filter(day__gte=start, day__lte=end).order_by("day")


@dataclass(frozen=True)
class Evaluation:
    language: str
    scorer_name: str
    scorer_version: str
    labelled: int
    correct: int
    predicted_negative: int
    true_negative: int  # predicted negative and labelled negative
    labelled_negative: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.labelled if self.labelled else None

    @property
    def negative_precision(self) -> float | None:
        return self.true_negative / self.predicted_negative if self.predicted_negative else None

    @property
    def negative_recall(self) -> float | None:
        return self.true_negative / self.labelled_negative if self.labelled_negative else None


def scorer_evaluation() -> list[Evaluation]:
    """Per language and scorer version: how its labels compare with the analysts' (mentions
    both scored and labelled), in one aggregate."""
    from django.db.models import Count, F

    rows = (
        Mention.objects.exclude(human_label="")
        .filter(scored_at__isnull=False)
        .values("language", "scorer_name", "scorer_version")
        .annotate(
            labelled=Count("id"),
            correct=Count("id", filter=Q(sentiment_label=F("human_label"))),
            predicted_negative=Count("id", filter=Q(sentiment_label="negative")),
            true_negative=Count("id", filter=Q(sentiment_label="negative", human_label="negative")),
            labelled_negative=Count("id", filter=Q(human_label="negative")),
        )
        .order_by("language", "scorer_name", "scorer_version")
    )
    return [Evaluation(**row) for row in rows]


BREAKDOWNS = {"channel": "channel", "language": "language"}


def mention_breakdown(*, by: str, start: datetime, end: datetime) -> list[dict]:
    """Mentions published in [start, end) grouped by channel or language: counts per sentiment
    label, unscored, and reach; one aggregate, largest group first."""
    from django.db.models import Count, Sum

    key = BREAKDOWNS[by]
    return list(
        Mention.objects.filter(published_at__gte=start, published_at__lt=end)
        .values(key)
        .annotate(
            mentions=Count("id"),
            negative=Count("id", filter=Q(sentiment_label="negative")),
            neutral=Count("id", filter=Q(sentiment_label="neutral")),
            positive=Count("id", filter=Q(sentiment_label="positive")),
            unscored=Count("id", filter=Q(scored_at__isnull=True)),
            reach_sum=Sum("reach"),
        )
        .order_by("-mentions", key)
    )
