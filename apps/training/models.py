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


class IdList(ArrayField):
    """A list of ids of other apps' objects, read back as strings: the audit trail stores a
    change as JSON, and the UUIDs PostgreSQL returns for an ArrayField of UUIDs are not JSON
    (updating a course that already had links failed in the audit's pre-save)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_field", models.UUIDField())
        super().__init__(**kwargs)

    def from_db_value(self, value, expression, connection):
        return None if value is None else [str(item) for item in value]


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
    risk_category_ids = IdList(default=list, blank=True, help_text="Linked risk categories.")
    emergency_plan_ids = IdList(
        default=list, blank=True, help_text="Emergency plans whose roles the course prepares."
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
    department_ids = IdList(default=list, blank=True)
    job_roles = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    person_ids = IdList(default=list, blank=True)
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
        indexes = [
            models.Index(fields=["person", "course", "-completed_at"], name="record_last"),
            # what coverage reads: passed attempts in (person, course) order, expiry included,
            # so the last completion per pair is grouped off an index-only scan
            models.Index(
                fields=["person", "course", "completed_at"],
                include=["expires_on"],
                condition=models.Q(passed=True),
                name="record_passed_pair",
            ),
        ]

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
    OWNER_DIGEST = "owner_digest", "Weekly digest to the department's training owner"


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


class TrainingOwner(TenantModel):
    """The directory person who answers for a department's training (sub-departments
    included): they get the weekly digest of its overdue trainings. One per department."""

    department = models.OneToOneField(
        "people.Department", on_delete=models.CASCADE, related_name="training_owner"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="training_departments"
    )

    class Meta:
        ordering = ["department__path"]
        verbose_name = "department training owner"

    def __str__(self) -> str:
        return f"{self.person.full_name} for {self.department.code}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed (attendance recorded)"
    CANCELLED = "cancelled", "Cancelled"


class TrainingSession(TenantModel):
    """A scheduled run of a course: when, who teaches, where (a place and/or online), how many.
    Completing it with the attendance writes one record per attendee (source: session)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    instructor = models.CharField(max_length=120)
    location = models.CharField("place", max_length=200, blank=True)
    online_url = models.URLField("online URL", max_length=500, blank=True)
    capacity = models.PositiveIntegerField(help_text="Seats; further enrolments are waitlisted.")
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "training session"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(location="", online_url=""), name="session_has_a_place"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} on {self.starts_at:%Y-%m-%d %H:%M}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    WAITLISTED = "waitlisted", "Waitlisted"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Absent"


class Enrolment(TenantModel):
    """A person's seat (or place on the waitlist, first come first served) in a session."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="training_enrolments"
    )
    status = models.CharField(max_length=20, choices=EnrolmentStatus.choices)
    queued_at = models.DateTimeField(help_text="Waitlist order: earliest first.")
    record = models.OneToOneField(
        TrainingRecord,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolment",
        help_text="The record written from the attendance.",
    )

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="enrolment_once")]

    def __str__(self) -> str:
        return f"{self.person.full_name} in {self.session}"


class CampaignTopic(models.TextChoices):
    FINANCIAL_LITERACY = "financial_literacy", "Financial literacy"
    RISK_AND_RETURN = "risk_and_return", "Risk and return"
    SCAMS_AND_PHISHING = "scams_and_phishing", "Scams and phishing"
    PASSWORD_SAFETY = "password_safety", "Password safety"
    CREDIT_CULTURE = "credit_culture", "Credit culture"


class CampaignSegment(models.TextChoices):
    ALL_CUSTOMERS = "all_customers", "All customers"
    NOVICE_INVESTORS = "novice_investors", "Novice investors"
    EXPERIENCED_INVESTORS = "experienced_investors", "Experienced investors"
    BORROWERS = "borrowers", "Borrowers"
    ELDERLY = "elderly", "Elderly customers"
    STUDENTS = "students", "Students"


class CampaignChannel(models.TextChoices):
    APP = "app", "App"
    WECHAT = "wechat", "WeChat official account"
    SMS = "sms", "SMS"
    LECTURE = "lecture", "Lecture"
    INVESTOR_MEETUP = "investor_meetup", "Investor meet-up"


class ContentKind(models.TextChoices):
    ARTICLE = "article", "Article"
    VIDEO = "video", "Video"
    QUIZ = "quiz", "Quiz"
    POSTER = "poster", "Poster or leaflet"
    LIVE = "live", "Live session"


class EducationCampaign(TenantModel):
    """Customer education (用户教育): consumer-protection and anti-fraud outreach to a segment,
    on a channel, over a period; planned and reached counts feed a built-in reach indicator."""

    code = models.SlugField(max_length=60, unique=True, help_text="Permanent identifier.")
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=30, choices=CampaignTopic.choices)
    segment = models.CharField(max_length=30, choices=CampaignSegment.choices)
    channel = models.CharField(max_length=30, choices=CampaignChannel.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    planned_reach = models.PositiveIntegerField(help_text="Customers the campaign aims to reach.")
    reached = models.PositiveIntegerField(default=0, help_text="Customers reached so far.")
    risk_category_ids = IdList(default=list, blank=True, help_text="Linked risk categories.")
    contents = models.JSONField(
        default=list,
        blank=True,
        help_text="Content items: [{title, kind, channel, link}], checked by the service.",
    )

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = "customer-education campaign"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(planned_reach__gte=1), name="campaign_has_a_target"),
        ]

    @property
    def reach_percent(self) -> float:
        return round(100.0 * self.reached / self.planned_reach, 2) if self.planned_reach else 0.0

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class CampaignReach(TenantModel):
    """A campaign's reach in one period, as measured by its channel (ingested in bulk):
    impressions, learners (customers who started the content), completions and the quiz
    pass rate. The campaign's `reached` is the sum of its periods' learners."""

    campaign = models.ForeignKey(
        EducationCampaign, on_delete=models.PROTECT, related_name="reach_periods"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    learners = models.PositiveIntegerField(default=0, help_text="New learners in the period.")
    completions = models.PositiveIntegerField(default=0)
    quiz_pass_rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="0–100 %; empty: no quiz."
    )

    class Meta:
        ordering = ["campaign", "period_start"]
        verbose_name = "campaign reach period"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "period_start"], name="reach_once_a_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="reach_period_order"
            ),
            models.CheckConstraint(
                condition=Q(completions__lte=models.F("learners")), name="reach_completions_le"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} {self.period_start}–{self.period_end}"
