"""Complaints from a CSV or XLSX file, all or nothing, idempotent on the reference.

Every row is checked (the file's row numbers, its column headings) and written through
complaint_create, so an import obeys the rules the API does (pseudonymised customer
references, SLA due times, the received event). A reference already recorded is left as it
is (a file sent twice adds nothing); one seen twice in the file is an error.
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime

from apps.core.tabular import (
    FILE_ROW,
    HEADER_ROW,
    RowError,
    RowsRejected,
    UnreadableFile,
    header_names,
    read_rows,
)
from apps.reputation.errors import ReputationErrorCode as Code
from apps.reputation.models import Complaint
from apps.reputation.services.complaints import complaint_create

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2_000  # inline; a larger file is a job
MAX_JOB_BYTES = 20 * 1024 * 1024
MAX_JOB_ROWS = 100_000
IMPORT_TASK = "reputation.import_complaints"
REQUIRED = ("reference", "channel", "category", "summary")
OPTIONAL = ("received_at", "priority", "customer_ref", "product", "regulator_hotline")


@dataclass(frozen=True)
class ComplaintImportOutcome:
    created: int = 0
    unchanged: int = 0  # references already recorded


class _Rollback(Exception):
    pass


def _file_error(message: str) -> RowsRejected:
    return RowsRejected([RowError(FILE_ROW, None, message, Code.IMPORT_INVALID.value)])


def complaints_import(
    *,
    content: bytes,
    file_format: str,
    actor=None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> ComplaintImportOutcome:
    """Create one complaint per new reference. Raises RowsRejected listing every problem;
    then nothing is written. Inline at most MAX_ROWS rows; the job passes its own limits."""
    if len(content) > max_bytes:
        raise _file_error(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    try:
        lines = list(read_rows(content, file_format))
    except UnreadableFile as exc:
        raise _file_error(str(exc)) from exc
    if not lines:
        raise _file_error("The file is empty: a header row is needed.")
    headings = lines[0]
    names = header_names(headings)
    heading = {name: headings[i] for i, name in enumerate(names) if name}
    errors = [
        RowError(HEADER_ROW, None, f"The column '{name}' is required.", Code.IMPORT_INVALID.value)
        for name in REQUIRED
        if name not in heading
    ]
    unknown = [
        h for h, n in zip(headings, names, strict=True) if n and n not in REQUIRED + OPTIONAL
    ]
    errors += [
        RowError(HEADER_ROW, h, "Not a complaint column.", Code.IMPORT_INVALID.value)
        for h in unknown
    ]
    rows = [(number, cells) for number, cells in enumerate(lines[1:], start=2) if any(cells)]
    if len(rows) > max_rows:
        errors.append(
            RowError(FILE_ROW, None, f"At most {max_rows:,} rows a file.", Code.TOO_MANY.value)
        )
    if errors:
        raise RowsRejected(errors)
    recorded = set(
        Complaint.objects.filter(
            reference__in=[_cell(cells, names, "reference") for _, cells in rows]
        ).values_list("reference", flat=True)
    )
    created = unchanged = 0
    seen: dict[str, int] = {}
    try:
        with transaction.atomic():
            for number, cells in rows:
                values = {n: _cell(cells, names, n) for n in REQUIRED + OPTIONAL if n in heading}
                reference = values["reference"]
                if reference in seen:
                    errors.append(
                        RowError(
                            number,
                            heading["reference"],
                            f"Also on row {seen[reference]}.",
                            Code.CODE_TAKEN.value,
                        )
                    )
                    continue
                seen[reference] = number
                if reference in recorded:
                    unchanged += 1
                    continue
                errors += _create(number, values, heading, actor)
                created += 1
            if errors:
                raise _Rollback
    except _Rollback:
        raise RowsRejected(errors) from None
    return ComplaintImportOutcome(created=created, unchanged=unchanged)


def _cell(cells: list[str], names: list[str | None], name: str) -> str:
    index = names.index(name)
    return cells[index].strip() if index < len(cells) else ""


def _create(number: int, values: dict, heading: dict, actor) -> list[RowError]:
    received_raw = values.pop("received_at", "")
    fields = {k: (v.lower() if k in ("channel", "category", "priority") else v)
              for k, v in values.items() if v or k in REQUIRED}  # fmt: skip
    if received_raw:
        received = parse_datetime(received_raw)
        if received is None:
            return [
                RowError(
                    number,
                    heading["received_at"],
                    "A date-time with a time zone, e.g. 2026-11-01T08:30:00+08:00.",
                    Code.INVALID.value,
                )
            ]
        fields["received_at"] = received
    try:
        with transaction.atomic():
            complaint_create(actor=actor, **fields)
    except ValidationError as exc:
        out = []
        for field, problems in exc.error_dict.items():
            column = None if field == NON_FIELD_ERRORS else heading.get(field, field)
            for problem in problems:
                out.append(
                    RowError(number, column, " ".join(problem.messages), problem.code or "invalid")
                )
        return out
    return []


def complaints_import_enqueue(*, content: bytes, file_format: str, actor=None):
    """A file past the inline limit, as a job (all or nothing as inline; its result lists the
    rows' problems). The file travels in the job's input and leaves it when the job is done."""
    import base64

    from apps.core import services as jobs
    from apps.core.transactions import enqueue_task_on_commit
    from apps.reputation.module import JOB_COMPLAINT_IMPORT

    if len(content) > MAX_JOB_BYTES:
        raise _file_error(f"The file is larger than {MAX_JOB_BYTES // (1024 * 1024)} MB.")
    job = jobs.job_create(
        kind=JOB_COMPLAINT_IMPORT,
        created_by=actor,
        input={"format": file_format, "content": base64.b64encode(content).decode()},
    )
    enqueue_task_on_commit(IMPORT_TASK, str(job.pk))
    return job


def import_as_job(*, task, job_id) -> dict:
    """The file stored on a job, imported all or nothing; a rejection fails the job with every
    row's problem in its result."""
    import base64
    from dataclasses import asdict

    from apps.core.background import JobRejected, run_job

    def work(job) -> dict:
        try:
            outcome = complaints_import(
                content=base64.b64decode(job.input["content"]),
                file_format=job.input["format"],
                actor=job.created_by,
                max_rows=MAX_JOB_ROWS,
                max_bytes=MAX_JOB_BYTES,
            )
        except RowsRejected as rejected:
            raise JobRejected(
                f"{len(rejected.errors)} problem(s) in the file; nothing was imported.",
                {"errors": [asdict(error) for error in rejected.errors]},
            ) from rejected
        return asdict(outcome)

    return run_job(task, job_id, work)
