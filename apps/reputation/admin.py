"""Reputation in the tenant admin. Sources, topics, lexicon, SLAs, brand metrics, complaints
and settings are written through the services; mentions, stories and days are ingested or
computed data, shown read-only; complaints move along their lifecycle with the list's actions."""

from django.contrib import admin
from django.db import models

from apps.core.admin_site import (
    ReadOnlyTenantModelAdmin,
    ServiceModelAdmin,
    SettingsAdmin,
    tenant_admin_site,
    user_id,
)
from apps.reputation import models as m
from apps.reputation.selectors import reputation_settings
from apps.reputation.services import brand, complaints, lexicon, sources, topics


class SourceAdmin(ServiceModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["code", "name", "channel", "active"]
    list_filter = ["channel", "active"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "channel", "url", "active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def service_save(self, request, values, obj):
        if obj is None:
            return sources.source_create(actor=request.user, **values)
        return sources.source_update(source_id=obj.pk, actor=request.user, **values)


class LexiconTermAdmin(ServiceModelAdmin):
    list_display = ["term", "weight", "active"]
    list_filter = ["active"]
    search_fields = ["term"]
    fields = ["term", "weight", "active"]

    def service_save(self, request, values, obj):
        if obj is None:
            return lexicon.term_create(actor=request.user, **values)
        return lexicon.term_update(term_id=obj.pk, actor=request.user, **values)


class ComplaintSlaAdmin(ServiceModelAdmin):
    list_display = ["priority", "response_hours", "resolution_hours"]
    fields = ["priority", "response_hours", "resolution_hours"]
    send_unchanged = True  # the service takes the whole SLA

    def get_readonly_fields(self, request, obj=None):
        return ["priority"] if obj is not None else []

    def service_save(self, request, values, obj):
        values.setdefault("priority", obj.priority if obj else None)
        return complaints.sla_update(**values)


class TopicAdmin(ServiceModelAdmin):
    list_display = ["code", "name", "keywords", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "keywords_zh", "keywords_en", "risk_categories", "active"]
    filter_horizontal = ["risk_categories"]

    @admin.display(description="keywords")
    def keywords(self, obj: m.Topic) -> str:
        return _excerpt(", ".join([*obj.keywords_zh, *obj.keywords_en]))

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def service_save(self, request, values, obj):
        if "risk_categories" in values:
            values["risk_categories"] = [c.code for c in values["risk_categories"]]
        if obj is None:
            return topics.topic_create(actor=request.user, **values)
        return topics.topic_update(topic_id=obj.pk, actor=request.user, **values)


class CategorySlaAdmin(ServiceModelAdmin):
    list_display = ["category", "channel_or_all", "response_hours", "resolution_hours"]
    list_filter = ["category", "channel"]
    fields = ["category", "channel", "response_hours", "resolution_hours"]
    send_unchanged = True  # the service takes the whole row

    @admin.display(description="channel", ordering="channel")
    def channel_or_all(self, obj: m.CategorySla) -> str:
        return obj.get_channel_display() if obj.channel else "Every channel"

    def get_readonly_fields(self, request, obj=None):
        return ["category", "channel"] if obj is not None else []

    def service_save(self, request, values, obj):
        if obj is not None:
            values.update(category=obj.category, channel=obj.channel)
        return complaints.category_sla_set(actor=request.user, **values)


class BrandMetricAdmin(ServiceModelAdmin):
    list_display = ["metric", "source", "period_start", "period_end", "value", "sample_size"]
    list_filter = ["metric", "source"]
    date_hierarchy = "period_end"
    fields = ["metric", "source", "period_start", "period_end", "value", "sample_size"]
    send_unchanged = True  # one figure, identified by metric, source and period

    def get_readonly_fields(self, request, obj=None):
        return ["metric", "source", "period_start", "period_end"] if obj is not None else []

    def service_save(self, request, values, obj):
        if obj is not None:
            values.update(
                metric=obj.metric,
                source=obj.source,
                period_start=obj.period_start,
                period_end=obj.period_end,
            )
        brand.brand_metrics_ingest(metrics=[values], actor=request.user)
        return m.BrandMetric.objects.get(
            metric=values["metric"],
            source=" ".join(str(values["source"]).split()),
            period_start=values["period_start"],
            period_end=values["period_end"],
        )

    service_fields = {
        "metrics.0.metric": "metric",
        "metrics.0.source": "source",
        "metrics.0.period_start": "period_start",
        "metrics.0.period_end": "period_end",
        "metrics.0.value": "value",
        "metrics.0.sample_size": "sample_size",
    }


@admin.action(description="Mark in progress (first response)")
def start(modeladmin, request, queryset):
    modeladmin.move(request, queryset, m.ComplaintStatus.IN_PROGRESS, "in progress")


@admin.action(description="Mark resolved")
def resolve(modeladmin, request, queryset):
    modeladmin.move(request, queryset, m.ComplaintStatus.RESOLVED, "resolved")


@admin.action(description="Close")
def close(modeladmin, request, queryset):
    modeladmin.move(request, queryset, m.ComplaintStatus.CLOSED, "closed")


class ComplaintAdmin(ServiceModelAdmin):
    list_display = [
        "reference",
        "category",
        "channel",
        "priority",
        "status",
        "received_at",
        "response_due_at",
        "resolution_due_at",
        "assignee",
    ]
    list_filter = ["status", "channel", "category", "priority"]
    search_fields = ["reference", "customer_ref", "summary"]
    date_hierarchy = "received_at"
    actions = [start, resolve, close]
    fields = [
        "reference",
        "channel",
        "regulator_hotline",
        "category",
        "priority",
        "customer_ref",
        "product",
        "summary",
        "assignee",
        "received_at",
        "satisfaction",
        "status",
        "first_response_at",
        "resolved_at",
        "response_due_at",
        "resolution_due_at",
        "response_breached_at",
        "resolution_breached_at",
    ]
    readonly_fields = [
        "status",
        "first_response_at",
        "resolved_at",
        "response_due_at",
        "resolution_due_at",
        "response_breached_at",
        "resolution_breached_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["reference", "channel", "received_at"] if obj is not None else []
        return [*self.readonly_fields, *fixed]

    def move(self, request, queryset, to: str, done: str) -> None:
        self.run_each(
            request,
            queryset,
            lambda c: complaints.complaint_transition(complaint_id=c.pk, to=to, actor=request.user),
            done=done,
        )

    def service_save(self, request, values, obj):
        if "assignee" in values:
            values["assignee_id"] = user_id(values.pop("assignee"))
        if obj is None:
            return complaints.complaint_create(actor=request.user, **values)
        return complaints.complaint_update(complaint_id=obj.pk, actor=request.user, **values)


class ReputationSettingsAdmin(SettingsAdmin):
    fields = [
        "scorer_zh",
        "scorer_en",
        "weight_sentiment",
        "weight_negative_share",
        "weight_complaints",
        "weight_brand",
        "complaint_capacity",
        "lexicon_version",
    ]
    readonly_fields = ["lexicon_version"]

    def get_queryset(self, request):
        reputation_settings()  # the row exists before the list shows it
        return super().get_queryset(request)

    def service_save(self, request, values, obj):
        return lexicon.settings_update(actor=request.user, **values)


class MentionAdmin(ReadOnlyTenantModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "published_at",
        "channel",
        "source",
        "author",
        "excerpt",
        "reach",
        "language",
        "sentiment_label",
        "score",
        "scorer_name",
    ]
    list_filter = ["channel", "language", "sentiment_label", "scorer_name"]
    search_fields = ["text", "author", "external_id"]
    list_select_related = ["source"]
    date_hierarchy = "published_at"

    @admin.display(description="text")
    def excerpt(self, obj: m.Mention) -> str:
        """What was said, on one line: a risk officer reads the list, not each mention."""
        return _excerpt(obj.text)

    @admin.display(description="sentiment score", ordering="sentiment_score")
    def score(self, obj: m.Mention) -> str:
        return _rounded(obj.sentiment_score)


EXCERPT_CHARACTERS = 80


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT_CHARACTERS else line[: EXCERPT_CHARACTERS - 1] + "…"


def _rounded(value: float | None, places: int = 2) -> str:
    """A score or share as people read it (scorers answer with 16 decimals); empty: none."""
    return "" if value is None else f"{value:.{places}f}"


class StoryAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["__str__", "language", "mention_count", "total_reach", "last_seen_at"]
    list_filter = ["language"]
    search_fields = ["sample_text"]


class ReputationDayAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "day",
        "mentions",
        "negative",
        "share",
        "sentiment",
        "complaints_received",
        "sla_breaches",
        "index_rounded",
    ]
    date_hierarchy = "day"

    @admin.display(description="negative share", ordering="negative_share")
    def share(self, obj: m.ReputationDay) -> str:
        return _rounded(obj.negative_share)

    @admin.display(description="net sentiment", ordering="net_sentiment")
    def sentiment(self, obj: m.ReputationDay) -> str:
        return _rounded(obj.net_sentiment)

    @admin.display(description="index", ordering="index")
    def index_rounded(self, obj: m.ReputationDay) -> str:
        return _rounded(obj.index, 1)


for model, model_admin in [
    (m.Source, SourceAdmin),
    (m.Mention, MentionAdmin),
    (m.Story, StoryAdmin),
    (m.LexiconTerm, LexiconTermAdmin),
    (m.Complaint, ComplaintAdmin),
    (m.ComplaintSla, ComplaintSlaAdmin),
    (m.ReputationSettings, ReputationSettingsAdmin),
    (m.ReputationDay, ReputationDayAdmin),
    (m.Topic, TopicAdmin),
    (m.CategorySla, CategorySlaAdmin),
    (m.BrandMetric, BrandMetricAdmin),
]:
    tenant_admin_site.register(model, model_admin)
