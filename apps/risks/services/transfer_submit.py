"""An import as the API submits it: small files inline (all or nothing), large ones as a job."""

import base64
from dataclasses import dataclass, field

from django.db import transaction

from apps.core import services as jobs
from apps.core.models import Job
from apps.core.tabular import UnreadableFile, check_before_parsing
from apps.core.transactions import enqueue_task_on_commit
from apps.risks.models import Risk
from apps.risks.module import JOB_IMPORT
from apps.risks.services.transfer import file_error
from apps.risks.services.transfer_import import count_data_rows, risks_import

# Above this many rows an import runs in the background (≈20 ms a row through the services).
INLINE_ROWS = 300
IMPORT_TASK = "risks.import_file"


@dataclass
class ImportSubmitted:
    created: list[Risk] = field(default_factory=list)
    job: Job | None = None


def import_submit(
    *, content: bytes, file_format: str, actor, inline_rows: int | None = None
) -> ImportSubmitted:
    """Import now (CSV up to `inline_rows`, default INLINE_ROWS) or queue a job that will,
    after commit. Raises RowsRejected (nothing written) for a bad file or bad rows imported
    inline. An XLSX file is always a job: the web process only runs the cheap zip checks."""
    limit = INLINE_ROWS if inline_rows is None else inline_rows
    try:
        check_before_parsing(content, file_format)
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc
    if file_format == "xlsx" or count_data_rows(content=content, file_format=file_format) > limit:
        with transaction.atomic():
            job = jobs.job_create(
                kind=JOB_IMPORT,
                created_by=actor,
                input={"format": file_format, "content": base64.b64encode(content).decode()},
            )
            enqueue_task_on_commit(IMPORT_TASK, str(job.pk))
        return ImportSubmitted(job=job)
    with transaction.atomic():
        return ImportSubmitted(
            created=risks_import(content=content, file_format=file_format, actor=actor)
        )
