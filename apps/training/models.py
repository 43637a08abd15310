"""Courses, who must take them (requirements), what people did (records) and exemptions.

Obligations are never stored: they follow from requirements × the people directory, and the
status of each (person, course) is computed by one set-based query (selectors/status.py).
"""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from apps.accounts.roles import Role
from apps.core.models import TenantModel, UserRef


class Topic(models.TextChoices):
    COMPLIANCE = "compliance", "Compliance"
    RISK_AWARENESS = "risk_awareness", "Risk awareness"
    EMERGENCY_HANDLING = "emergency_handling", "Emergency handling"
    LEGAL = "legal", "Legal"
    ETHICS = "ethics", "Ethics"
    INFORMATION_SECURITY = "information_security", "Information security"
    MARKET_RISK = "market_risk", "Market risk"
    ANTI_FRAUD = "anti_fraud", "Anti-fraud"
    CONSUMER_PROTECTION = "consumer_protection", "Consumer protection"


class CourseFormat(models.TextChoices):
    LECTURE = "lecture", "Lecture"
    CASE_ANALYSIS = "case_analysis", "Case analysis"
    DRILL = "drill", "Drill"
    ONLINE = "online", "Online"
    SEMINAR = "seminar", "Seminar"
    EXAM = "exam", "Exam"


class Recurrence(models.TextChoices):
    ONCE = "once", "Once"
    EVERY_MONTHS = "every_months", "Every N months"
    COURSE_VALIDITY = "course_validity", "When the certificate expires"


class RecordSource(models.TextChoices):
    SESSION = "session", "Training session"
    ELEARNING_IMPORT = "elearning_import", "E-learning import"
    EXTERNAL = "external", "External provider"


class Course(TenantModel):
    """A course. A material change bumps `version` and sets `requires_retraining_since`."""

    code = models.SlugField(max_length=60, unique=True, help_text="Permanent identifier.")
    title_zh = models.CharField("title (Chinese)", max_length=200, blank=True)
    title_en = models.CharField("title (English)", max_length=200, blank=True)
    topic = models.CharField(max_length=30, choices=Topic.choices)
    format = models.CharField(max_length=20, choices=CourseFormat.choices)
    duration_minutes = models.PositiveIntegerField("duration (minutes)", default=60)
    pass_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)], help_text="0–100; empty: none."
    )
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long a completion counts; empty: never expires."
    )
    grace_days = models.PositiveSmallIntegerField(
        default=0, help_text="Days after the due date before an obligation is overdue."
    )
    materials_url = models.URLField("materials URL", max_length=500, blank=True)
    risk_category_ids = ArrayField(
        models.UUIDField(), default=list, blank=True, help_text="Linked risk categories."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    requires_retraining_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Completions before this do not count."
    )
    active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(title_zh="", title_en=""), name="course_has_title"),
            models.CheckConstraint(
                condition=Q(pass_score__isnull=True) | Q(pass_score__lte=100),
                name="course_pass_score_0_100",
            ),
        ]

    @property
    def title(self) -> str:
        return self.title_zh or self.title_en

    def __str__(self) -> str:
        return f"{self.title} ({self.code}) v{self.version}"


class Requirement(TenantModel):
    """Who must take a course: the union of departments (with sub-departments), job roles,
    member roles (people linked to a member account with that role here) and named people;
    first due N days after hire or after the requirement's creation (later)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="requirements")
    department_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    job_roles = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    person_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    member_roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices),
        default=list,
        blank=True,
        help_text="Members with these roles, through the person linked to their account.",
    )
    first_due_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days after hire or after this requirement was created (later)."
    )
    recurrence = models.CharField(max_length=20, choices=Recurrence.choices, default="once")
    recurrence_months = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["course__code", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recurrence="every_months") | Q(recurrence_months__gt=0),
                name="requirement_months_when_recurring",
            )
        ]

    def __str__(self) -> str:
        return f"Requirement of {self.course.code}"


class TrainingRecord(TenantModel):
    """One attempt of one person at one course; history is kept (a retake is a new record)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="training_records"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    course_version = models.PositiveIntegerField(default=1)
    attended = models.BooleanField(default=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    passed = models.BooleanField(default=True)
    completed_at = models.DateTimeField()
    certificate_number = models.CharField(max_length=80, blank=True)
    expires_on = models.DateField(null=True, blank=True, help_text="Completed + course validity.")
    source = models.CharField(max_length=20, choices=RecordSource.choices, default="session")

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = "training record"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "completed_at"], name="record_one_per_attempt"
            )
        ]
        indexes = [models.Index(fields=["person", "course", "-completed_at"], name="record_last")]

    def __str__(self) -> str:
        return f"{self.course.code} — {self.person.full_name} ({self.completed_at:%Y-%m-%d})"


class Exemption(TenantModel):
    """A person excused from a course, with a reason and who approved it."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="training_exemptions"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="exemptions")
    reason = models.TextField()
    approved_by = UserRef(help_text="The member who approved it.")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True, help_text="Empty: no end.")

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"Exemption of {self.person.full_name} from {self.course.code}"


def default_reminder_days() -> list[int]:
    return [30, 7]


class TrainingSettings(TenantModel):
    """One row per tenant."""

    due_soon_days = models.PositiveSmallIntegerField(
        default=30, help_text="An obligation is due soon this many days before its date."
    )
    reminder_days = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_reminder_days,
        blank=True,
        help_text="Days before a due date or a certificate's expiry when the person is reminded.",
    )
    indicators_run_on = models.DateField(null=True, blank=True, editable=False)
    reminders_run_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "training settings"
        verbose_name_plural = "training settings"

    def __str__(self) -> str:
        return "Training settings"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    CERTIFICATE_EXPIRING = "certificate_expiring", "Certificate expiring"
    OVERDUE = "overdue", "Overdue"
    MANAGER_DIGEST = "manager_digest", "Weekly digest to the manager"


class ReminderLog(TenantModel):
    """Each notice sent, once: the unique keys are what makes a second tick send nothing.

    A reminder is keyed by (person, course, kind, the date it is about, the offset); the
    manager's digest by (manager, kind, the week's Monday)."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="training_reminders",
        help_text="Who was reminded (the manager, for a digest).",
    )
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    about_on = models.DateField(help_text="The due or expiry date; a digest: its week's Monday.")
    offset_days = models.PositiveSmallIntegerField(default=0, help_text="Days before; 0: overdue.")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "training reminder"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "kind", "about_on", "offset_days"],
                condition=Q(course__isnull=False),
                name="reminder_once_per_offset",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "about_on"],
                condition=Q(course__isnull=True),
                name="digest_once_per_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person.full_name} ({self.about_on})"
