"""Files on their way in: a staged file waiting for its parse job, and chunked API uploads."""

from django.db import models

from apps.assessments.models.datasets import Dataset, DatasetKind, DatasetVersion
from apps.core.models import TenantModel, UserRef


class StagedFile(models.Model):
    """A file a parse job will read (the job names it, not carries it); deleted once parsed.
    In the tenant's schema like the column blobs, so it is isolated and backed up the same."""

    id = models.BigAutoField(primary_key=True)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"staged file {self.pk}"


class UploadStatus(models.TextChoices):
    OPEN = "open", "Open: taking chunks"
    FINISHED = "finished", "Finished: a version was made"


class UploadSession(TenantModel):
    """An upload in chunks (each within the API's request size): start → append → finish."""

    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=120, blank=True, help_text="A new dataset's name.")
    kind = models.CharField(max_length=20, choices=DatasetKind.choices, blank=True)
    description = models.TextField(blank=True, max_length=2000)
    file_format = models.CharField(max_length=8)
    status = models.CharField(
        max_length=10, choices=UploadStatus.choices, default=UploadStatus.OPEN
    )
    received_bytes = models.BigIntegerField(default=0)
    version = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = UserRef(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"upload {self.pk}"


class UploadChunk(models.Model):
    id = models.BigAutoField(primary_key=True)
    session = models.ForeignKey(UploadSession, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "index"], name="upload_chunk_index")
        ]

    def __str__(self) -> str:
        return f"chunk {self.index} of {self.session_id}"
