"""An import as the API submits it: small CSV files inline (all or nothing), large ones and
every XLSX workbook as a job (the web process runs only the cheap zip checks on a workbook)."""

import base64
from dataclasses import asdict, dataclass

from django.db import transaction

from apps.core import services as jobs
from apps.core.models import Job
from apps.core.tabular import RowsRejected, UnreadableFile, check_before_parsing, count_data_rows
from apps.core.transactions import enqueue_task_on_commit
from apps.training.module import JOB_IMPORT
from apps.training.services.importing import (
    MAX_BYTES,
    ImportOutcome,
    file_error,
    records_import,
)

# Above this many rows an import runs in the background.
INLINE_ROWS = 300
IMPORT_TASK = "training.import_file"


@dataclass
class ImportSubmitted:
    outcome: ImportOutcome | None = None
    job: Job | None = None


def import_submit(
    *, content: bytes, file_format: str, actor=None, inline_rows: int | None = None
) -> ImportSubmitted:
    """Import now or queue a job that will, after commit. Raises RowsRejected (nothing
    written) for a bad file, or for bad rows of a file imported inline."""
    limit = INLINE_ROWS if inline_rows is None else inline_rows
    if len(content) > MAX_BYTES:
        raise file_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        check_before_parsing(content, file_format)
        queued = file_format == "xlsx" or count_data_rows(content, file_format) > limit
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc
    if queued:
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
            outcome=records_import(content=content, file_format=file_format, actor=actor)
        )


def import_as_job(*, task, job_id) -> dict:
    """The import stored on a job, all or nothing as inline; a rejection fails the job with
    every row error in its result (the same rows and columns an inline import reports)."""
    from apps.core.background import JobRejected, run_job

    def work(job) -> dict:
        try:
            with transaction.atomic():
                outcome = records_import(
                    content=base64.b64decode(job.input["content"]),
                    file_format=job.input["format"],
                    actor=job.created_by,
                )
        except RowsRejected as rejected:
            raise JobRejected(
                f"{len(rejected.errors)} problem(s) in the file; nothing was imported.",
                {"errors": [asdict(error) for error in rejected.errors]},
            ) from rejected
        return asdict(outcome)

    return run_job(task, job_id, work)
