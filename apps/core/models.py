"""Building blocks every tenant app uses, and the Job row that tracks long-running work."""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


# Typed Any to the checker: the user model is a setting, which a field factory cannot name.
def UserRef(**kwargs: Any) -> "models.ForeignKey[Any, Any]":  # noqa: N802 - reads like a field class
    """A tenant row's reference to a user, who lives in the public schema.

    DO_NOTHING without a database constraint: deleting a user from `public` must not make Django
    look for rows in tables that exist only in tenant schemas. Users are deactivated, never
    deleted (the admin refuses to delete them).
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,
    )


class TenantModel(models.Model):
    """Base of every tenant-schema entity exposed in the API.

    UUID keys make ids unique across tenants, so an id copied from tenant A names nothing on
    tenant B (a sequence would name B's own row with the same number).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        check_text_lengths(self)
        super().save(*args, **kwargs)


def check_text_lengths(instance: models.Model) -> None:
    """Free text is bounded: a TextField holds at most its own `max_length`, or
    FENGKONG_TEXT_MAX_CHARS. Checked on every save (services, admin, imports alike), so a
    megabyte pasted into a description is a typed error, not a row and an audit entry."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.TextField):
            continue
        limit = field.max_length or settings.FENGKONG_TEXT_MAX_CHARS
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > limit:
            errors[field.name] = ValidationError(
                f"At most {limit:,} characters (this has {len(value):,}).", code="max_length"
            )
    if errors:
        raise ValidationError(errors)


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


def _registered_job_kind(value: str) -> None:
    from apps.core.modules import job_kinds

    if value not in job_kinds():
        raise ValidationError(f"Unknown job kind {value!r}: declare it in a module manifest.")


class Job(TenantModel):
    """One long-running operation (scan, assessment, import), queryable for progress."""

    # One of the kinds the module manifests declare (apps/<app>/module.py: job_kinds).
    kind = models.CharField(max_length=40, validators=[_registered_job_kind])
    status = models.CharField(
        max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0 to 100.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    input = models.JSONField(
        default=dict,
        blank=True,
        help_text="The input the job works on, such as an uploaded file; emptied when done.",
    )
    result = models.JSONField(default=dict, blank=True, help_text="Summary of the outcome.")
    attempts = models.PositiveSmallIntegerField(default=0)
    # The outbox: which task runs this job, and when the broker accepted its message (null: not
    # sent yet, e.g. the broker was down at commit; the tick's sweep sends it again).
    task_name = models.CharField(max_length=100, blank=True, default="")
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # Written by the running worker (start, progress, and periodically): a running job whose
    # heartbeat is old lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Who runs the current attempt ("host:pid:retry"): a message delivered again while that
    # process is alive and beating is dropped, so one job never runs twice at once.
    worker = models.CharField(max_length=300, blank=True, default="")
    # What the committed part of the work has done (counters, where to resume), written in the
    # same transaction as that work: a new attempt after a lost worker goes on from here, and
    # its result covers the whole job, not only the last attempt.
    checkpoint = models.JSONField(default=dict, blank=True)
    created_by = UserRef(null=True, blank=True)

    # Set by services.jobs_lost on the jobs it returns (not a column): was it running?
    was_running: bool = False

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        from apps.core.modules import job_kinds

        return job_kinds().get(self.kind, self.kind)
