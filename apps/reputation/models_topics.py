"""Topics (keyword lists in zh and en that tag mentions) and brand metrics (survey and
analytics figures per period). Imported into models.py, so Django sees them as the app's."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from apps.core.models import TenantModel


class Topic(TenantModel):
    """What mentions are about (data leak, fees, withdrawal problems…): a mention that holds
    one of its keywords is tagged with it (services/topics.py). Chinese keywords are matched on
    jieba's segmentation, English ones on word boundaries."""

    code = models.SlugField(max_length=60, unique=True, help_text="Permanent; filters name it.")
    name = models.CharField(max_length=200)
    keywords_zh = ArrayField(
        models.CharField(max_length=100), default=list, blank=True, verbose_name="Chinese keywords"
    )
    keywords_en = ArrayField(
        models.CharField(max_length=100), default=list, blank=True, verbose_name="English keywords"
    )
    risk_categories = models.ManyToManyField(
        "risks.RiskCategory", blank=True, related_name="reputation_topics"
    )
    active = models.BooleanField(default=True, help_text="False: no longer matched.")

    class Meta:
        ordering = ["code"]
        verbose_name = "mention topic"

    def __str__(self) -> str:
        return self.name


class MentionTopic(models.Model):
    """A mention tagged with a topic (many-to-many). Written in bulk by the matching step of
    the scoring job (services/topics.py), like the mentions themselves: not audited."""

    id = models.BigAutoField(primary_key=True)
    mention = models.ForeignKey("reputation.Mention", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = "mention topic tag"
        constraints = [
            # Leads with the topic: "mentions of this topic" and the unique check in one index.
            models.UniqueConstraint(fields=["topic", "mention"], name="mention_topic_once")
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} ← {self.mention_id}"


class BrandMetricKind(models.TextChoices):
    """What a brand metric measures. Every one but NPS is a percentage (0–100); NPS runs from
    −100 to 100."""

    AWARENESS = "awareness", "Awareness (知名度), % of the surveyed who know the brand"
    FAVOURABILITY = "favourability", "Favourability (美誉度), % with a good opinion"
    LOYALTY = "loyalty", "Loyalty (忠诚度), % who would choose the brand again"
    SATISFACTION = "satisfaction", "Satisfaction, % satisfied (CSAT)"
    NPS = "nps", "Net promoter score, −100 to 100"
    RETENTION = "retention", "Retention, % of customers kept over the period"
    CONVERSION = "conversion", "Conversion, % of prospects who became customers"
    ACTIVITY = "activity", "Activity, % of customers active in the period"


class BrandMetric(TenantModel):
    """One figure of one period from one source (a survey, an analytics export). Ingested in
    bulk, idempotent on (metric, source, period): sent again, the value is replaced."""

    metric = models.CharField(max_length=20, choices=BrandMetricKind.choices)
    source = models.CharField(max_length=100, help_text="The survey or analytics feed.")
    period_start = models.DateField()
    period_end = models.DateField(help_text="Last day of the period (included).")
    value = models.FloatField(help_text="0–100 (NPS −100–100).")
    sample_size = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Respondents."
    )

    class Meta:
        ordering = ["-period_end", "metric", "source"]
        verbose_name = "brand metric"
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "source", "period_start", "period_end"],
                name="brand_metric_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="brand_metric_period"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=-100, value__lte=100), name="brand_metric_value_range"
            ),
        ]
        indexes = [models.Index(fields=["period_end", "period_start"], name="brand_metric_period")]

    def __str__(self) -> str:
        return f"{self.get_metric_display().split(',')[0]} {self.period_start}–{self.period_end}"
