"""Reads of topics and brand metrics: lists, mentions of a topic, per-topic figures."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.reputation.models import BrandMetric, MentionTopic, Topic

TOPIC_ORDERINGS = {"code": ("code",), "name": ("name", "code"), "created": ("-created_at", "-id")}
BRAND_METRIC_ORDERINGS = {
    "period": ("period_start", "period_end", "metric", "source", "id"),
}


def topics(*, active: bool | None = None) -> QuerySet[Topic]:
    qs = Topic.objects.all()
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by(*TOPIC_ORDERINGS["code"])


def tagged_with(topic_ids: list) -> Exists:
    """Mentions tagged with any of these topics (one EXISTS on the tag index, no duplicates)."""
    return Exists(MentionTopic.objects.filter(mention_id=OuterRef("pk"), topic_id__in=topic_ids))


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)),
    )


def negative_by_topic(first: date, last: date) -> dict[date, dict[str, int]]:
    """{day: {topic code: negative mentions}} for every day from `first` to `last` and every
    active topic (0 when none: a quiet day is a measured day for the spike rules)."""
    start, end = _bounds(first, last)
    codes = list(Topic.objects.filter(active=True).values_list("code", flat=True))
    if not codes:
        return {}
    rows = (
        MentionTopic.objects.filter(
            topic__active=True,
            mention__published_at__gte=start,
            mention__published_at__lt=end,
            mention__sentiment_label="negative",
        )
        .annotate(day=TruncDate("mention__published_at"))
        .values("day", "topic__code")
        .annotate(n=Count("id"))
    )
    out = {
        first + timedelta(days=n): dict.fromkeys(codes, 0) for n in range((last - first).days + 1)
    }
    for row in rows:
        out[row["day"]][row["topic__code"]] = row["n"]
    return out


def topic_breakdown(*, start: datetime, end: datetime) -> list[dict]:
    """Mentions published in [start, end) per topic (a mention of two topics counts in both):
    counts per sentiment label, unscored, reach; one aggregate, largest first."""
    label = "mention__sentiment_label"
    return list(
        MentionTopic.objects.filter(mention__published_at__gte=start, mention__published_at__lt=end)
        .values("topic_id")
        .annotate(
            mentions=Count("id"),
            negative=Count("id", filter=Q(**{label: "negative"})),
            neutral=Count("id", filter=Q(**{label: "neutral"})),
            positive=Count("id", filter=Q(**{label: "positive"})),
            unscored=Count("id", filter=Q(mention__scored_at__isnull=True)),
            reach_sum=Sum("mention__reach"),
        )
        .order_by("-mentions", "topic_id")
    )


def topics_by_id(ids: list) -> dict:
    return {t.pk: t for t in Topic.objects.filter(pk__in=ids)}


def brand_metrics(
    *,
    metrics: list[str] | None = None,
    sources: list[str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[BrandMetric]:
    """Figures whose period overlaps [start, end], oldest period first."""
    qs = BrandMetric.objects.all()
    if metrics:
        qs = qs.filter(metric__in=metrics)
    if sources:
        qs = qs.filter(source__in=sources)
    if start is not None:
        qs = qs.filter(period_end__gte=start)
    if end is not None:
        qs = qs.filter(period_start__lte=end)
    return qs.order_by(*BRAND_METRIC_ORDERINGS["period"])
