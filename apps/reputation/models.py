"""Mentions of the brand (by source and channel, grouped into stories), their sentiment, the
tenant's sentiment lexicon, complaints with SLAs, and the reputation figures of each day.

Mentions are ingested in bulk (services/ingestion.py: COPY into a staging table, then one
upsert per table), so they are data like observations: not audited row by row.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.core.models import TenantModel, UserRef


class Channel(models.TextChoices):
    """Where a mention was published. A new channel is one line here (and its GraphQL enum
    value, generated from these choices)."""

    WEIBO = "weibo", "Weibo"
    WECHAT = "wechat", "WeChat"
    DOUYIN = "douyin", "Douyin"
    BAIDU = "baidu", "Baidu (Tieba, Zhidao, search)"
    NEWS = "news", "News media"
    FORUM = "forum", "Forums"
    APP_STORE = "app_store", "App store reviews"
    OWN_FEED = "own_feed", "The tenant's own feeds"
    OTHER = "other", "Other"


class Language(models.TextChoices):
    ZH = "zh", "Chinese"
    EN = "en", "English"
    UND = "und", "Undetermined (no letters)"


class SentimentLabel(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Positive"


class Source(TenantModel):
    """One feed of mentions (a Weibo keyword search, an app store's reviews, a news crawler)."""

    code = models.SlugField(max_length=60, unique=True, help_text="Permanent; ingestion uses it.")
    name = models.CharField(max_length=200)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    url = models.URLField("URL", max_length=500, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "mention source"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_channel_display()})"


class Story(TenantModel):
    """Mentions whose normalised text is the same (reposts, copies): counted once, with the
    reach of all of them."""

    fingerprint = models.CharField(max_length=40, unique=True, editable=False)
    sample_text = models.TextField(max_length=2000)
    language = models.CharField(max_length=3, choices=Language.choices)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    mention_count = models.PositiveIntegerField(default=0)
    total_reach = models.BigIntegerField(default=0, help_text="Sum of its mentions' reach.")

    class Meta:
        ordering = ["-total_reach", "-id"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["-last_seen_at"], name="story_last_seen")]

    def __str__(self) -> str:
        return self.sample_text[:60]


class Mention(TenantModel):
    # No index of their own on source and story: the unique (source, external id) and
    # mention_story lead with them. Every index is written again by ingestion and scoring.
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="mentions", db_index=False
    )
    external_id = models.CharField(max_length=200, help_text="The id on the channel.")
    channel = models.CharField(max_length=20, choices=Channel.choices, editable=False)
    story = models.ForeignKey(
        Story, on_delete=models.PROTECT, related_name="mentions", db_index=False
    )
    url = models.URLField("URL", max_length=1000, blank=True)
    author = models.CharField(max_length=200, blank=True)
    reach = models.BigIntegerField(default=0, help_text="The author's followers or audience.")
    published_at = models.DateTimeField()
    text = models.TextField(max_length=10_000)
    topics = models.ManyToManyField(
        "reputation.Topic", through="reputation.MentionTopic", related_name="mentions", blank=True
    )
    language = models.CharField(max_length=3, choices=Language.choices)
    likes = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    comments = models.BigIntegerField(default=0)
    views = models.BigIntegerField(default=0)
    sentiment_score = models.FloatField(null=True, blank=True, help_text="−1 to 1.")
    sentiment_label = models.CharField(
        max_length=10, choices=SentimentLabel.choices, blank=True, default=""
    )
    sentiment_confidence = models.FloatField(null=True, blank=True, help_text="0 to 1.")
    scorer_name = models.CharField(max_length=60, blank=True, default="")
    scorer_version = models.CharField(max_length=40, blank=True, default="")
    lexicon_version = models.PositiveIntegerField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    # An analyst's label: kept through re-scoring, the truth scorers are evaluated against.
    human_label = models.CharField(
        max_length=10, choices=SentimentLabel.choices, blank=True, default=""
    )
    labelled_by = UserRef(null=True, blank=True)
    labelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="mention_once_per_source"
            ),
            models.CheckConstraint(
                condition=Q(sentiment_score__isnull=True)
                | Q(sentiment_score__gte=-1, sentiment_score__lte=1),
                name="mention_score_range",
            ),
        ]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="mention_published"),
            models.Index(fields=["story", "-published_at"], name="mention_story"),
            # No index may name a column scoring writes (not even a partial index's condition):
            # then scoring's UPDATE is a HOT update that rewrites none of these indexes. New
            # mentions are found by their arrival number instead (ScoringMark, at the end).
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.external_id}"


class LexiconTerm(TenantModel):
    """A word or phrase that moves a mention's score: fintech words a general model misses
    ("frozen", "跑路"). Matched case-insensitively as a substring."""

    term = models.CharField(max_length=100, unique=True)
    weight = models.FloatField(
        validators=[MinValueValidator(-1), MaxValueValidator(1)],
        help_text="Added to the model's score (−1 to 1); negative for bad news.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["term"]
        verbose_name = "lexicon term"

    def __str__(self) -> str:
        return f"{self.term} ({self.weight:+.2f})"


class ComplaintChannel(models.TextChoices):
    ONLINE = "online", "Online (app, web, e-mail)"
    HOTLINE = "hotline", "24h customer hotline"
    SOCIAL = "social", "Social media"
    BRANCH = "branch", "Branch or counter"
    REGULATOR = "regulator", "Regulator referral (12378, 12363, local hotlines)"


class ComplaintCategory(models.TextChoices):
    FEES = "fees", "Fees and charges"
    COLLECTION = "collection", "Collection practices"
    WITHDRAWAL = "withdrawal", "Withdrawals and payouts"
    SERVICE = "service", "Service quality"
    DATA_PRIVACY = "data_privacy", "Personal data and privacy"
    FRAUD = "fraud", "Fraud and scams"
    PRODUCT = "product", "Product terms and mis-selling"
    OTHER = "other", "Other"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class ComplaintSla(TenantModel):
    """Hours to a first response and to resolution, for one priority."""

    priority = models.CharField(max_length=10, choices=Priority.choices, unique=True)
    response_hours = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    resolution_hours = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["priority"]
        verbose_name = "complaint SLA"
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution_hours__gte=models.F("response_hours")),
                name="sla_resolution_after_response",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_priority_display()}: {self.response_hours} h / {self.resolution_hours} h"


class CategorySla(TenantModel):
    """Hours for one complaint category, on every channel (channel empty) or on one channel
    (overrides the category's row). Without a row: the SLA of the complaint's priority."""

    category = models.CharField(max_length=20, choices=ComplaintCategory.choices)
    channel = models.CharField(
        max_length=12, choices=ComplaintChannel.choices, blank=True, help_text="Empty: every one."
    )
    response_hours = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    resolution_hours = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["category", "channel"]
        verbose_name = "complaint SLA by category"
        constraints = [
            models.UniqueConstraint(fields=["category", "channel"], name="category_sla_once"),
            models.CheckConstraint(
                condition=Q(resolution_hours__gte=models.F("response_hours")),
                name="category_sla_resolution_after_response",
            ),
        ]

    def __str__(self) -> str:
        where = self.get_channel_display() if self.channel else "every channel"
        return (
            f"{self.get_category_display()} ({where}): "
            f"{self.response_hours} h / {self.resolution_hours} h"
        )


class Complaint(TenantModel):
    reference = models.CharField(max_length=80, unique=True, help_text="The tenant's ticket.")
    channel = models.CharField(max_length=12, choices=ComplaintChannel.choices)
    regulator_hotline = models.CharField(
        max_length=20, blank=True, help_text="For a referral: 12378, 12363, a local number."
    )
    category = models.CharField(max_length=20, choices=ComplaintCategory.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default="normal")
    customer_ref = models.CharField(
        "customer reference",
        max_length=80,
        blank=True,
        help_text="Pseudonymised (never a raw phone or identity-card number).",
    )
    product = models.CharField(max_length=100, blank=True)
    summary = models.TextField(max_length=5000)
    status = models.CharField(
        max_length=12, choices=ComplaintStatus.choices, default="received", db_index=True
    )
    assignee = UserRef(null=True, blank=True)
    received_at = models.DateTimeField(db_index=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    response_due_at = models.DateTimeField()
    resolution_due_at = models.DateTimeField()
    response_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaint_satisfaction_1_5",
            )
        ]

    @property
    def regulator_referred(self) -> bool:
        return self.channel == ComplaintChannel.REGULATOR

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_category_display()})"


class ReputationSettings(TenantModel):
    """One row per tenant: scorer overrides and the weights of the reputation index."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    scorer_zh = models.CharField(
        "Chinese scorer", max_length=60, blank=True, help_text="Empty: the platform default."
    )
    scorer_en = models.CharField(
        "English scorer", max_length=60, blank=True, help_text="Empty: the platform default."
    )
    lexicon_version = models.PositiveIntegerField(default=1, editable=False)
    # The (scorers, versions, lexicon version) every mention was last scored against: while it
    # is the current one, a scoring job has only the new mentions to look at (ScoringMark).
    scored_with = models.CharField(max_length=500, blank=True, default="", editable=False)
    weight_sentiment = models.FloatField(default=0.4, validators=[MinValueValidator(0)])
    weight_negative_share = models.FloatField(default=0.4, validators=[MinValueValidator(0)])
    weight_complaints = models.FloatField(default=0.2, validators=[MinValueValidator(0)])
    weight_brand = models.FloatField(
        default=0.2,
        validators=[MinValueValidator(0)],
        help_text="Weight of the brand metrics covering the day (left out when none does).",
    )
    complaint_capacity = models.PositiveIntegerField(
        default=20,
        validators=[MinValueValidator(1)],
        help_text="Complaints (plus twice the SLA breaches) in a day that bring that part of "
        "the index to zero.",
    )
    index_run_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "reputation settings"
        verbose_name_plural = "reputation settings"
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="reputation_settings_one_row")
        ]

    def __str__(self) -> str:
        return "Reputation settings"


class ReputationDay(TenantModel):
    """The figures of one day and the index made of them (services/index.py)."""

    day = models.DateField(unique=True)
    mentions = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    reach = models.BigIntegerField(default=0)
    negative_share = models.FloatField(null=True, blank=True, help_text="0 to 1; none unscored.")
    net_sentiment = models.FloatField(
        null=True, blank=True, help_text="Reach-weighted mean score, −1 to 1."
    )
    complaints_received = models.PositiveIntegerField(default=0)
    complaints_open = models.PositiveIntegerField(default=0)
    sla_breaches = models.PositiveIntegerField(default=0)
    regulator_complaints = models.PositiveIntegerField(default=0)
    brand = models.FloatField(
        null=True, blank=True, help_text="Brand metrics covering the day, 0 to 1; none: no metric."
    )
    index = models.FloatField(null=True, blank=True, help_text="0 (worst) to 100 (best).")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-day"]
        verbose_name = "reputation day"

    def __str__(self) -> str:
        return f"Reputation {self.day}"


# --- Scoring progress (services/scoring.py; migration 0050) ---------------------------------
class ScoringMark(models.Model):
    """How far the scoring job has read the new mentions. Every mention is numbered as it is
    stored: `seq`, an identity column of the mentions table with a unique index, added by
    migration 0050 in SQL and named by no model (only scoring's own SQL reads it), so the
    model and its migrations stay as they are. Ingestion calls of a tenant take turns (an
    advisory lock held to commit), so the mentions visible to a reader are always a prefix of
    that numbering: the job reads `seq > ScoringMark.seq` in order — one index range, however
    many mentions were scored or deleted before — and moves the mark on. One row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seq = models.BigIntegerField(
        default=0, help_text="Every mention numbered up to this one has been scored once."
    )

    class Meta:
        verbose_name = "scoring mark"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="scoring_mark_one_row")]

    def __str__(self) -> str:
        return f"scored up to mention #{self.seq}"


# The topics and brand metrics live in their own file (this one would pass 400 lines).
from apps.reputation.models_topics import (  # noqa: E402, F401
    BrandMetric,
    BrandMetricKind,
    MentionTopic,
    Topic,
)
