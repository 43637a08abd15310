"""Datasets in: a file (CSV, XLSX, JSON rows) or arrays from code, checked all or nothing and
stored as a new version. Small CSV/JSON files are stored inline; XLSX and large files are
parsed by a job on the heavy queue (the version waits PARSING, then READY or REJECTED)."""

import base64
import json

import numpy as np
from django.db import transaction

from apps.assessments import tables
from apps.assessments.errors import AssessmentErrorCode as Code
from apps.assessments.models import (
    Dataset,
    DatasetColumn,
    DatasetKind,
    DatasetVersion,
    StagedFile,
    VersionStatus,
)
from apps.assessments.module import JOB_DATASET
from apps.core import services as jobs
from apps.core.background import JobRejected
from apps.core.errors import refuse
from apps.core.lifecycle import Lifecycle, transition
from apps.core.tabular import (
    FILE_ROW,
    HEADER_ROW,
    RowError,
    RowsRejected,
    UnreadableFile,
    check_before_parsing,
    header_names,
    read_rows,
)
from apps.core.transactions import enqueue_task_on_commit

FORMATS = ("csv", "xlsx", "json")
MAX_ROWS = 1_000_000
MAX_BYTES = 256 * 1024 * 1024  # the service's bound; the API's request limit is smaller
INLINE_ROWS = 2_000  # above this, or for any XLSX file, the parse is a job
PARSE_TASK = "assessments.parse_dataset"

VERSION_LIFECYCLE = Lifecycle(
    model=DatasetVersion,
    statuses=VersionStatus,
    table={
        VersionStatus.PARSING: {VersionStatus.READY, VersionStatus.REJECTED},
        VersionStatus.READY: set(),
        VersionStatus.REJECTED: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    field=None,
    noun="dataset version",
    internal={VersionStatus.READY, VersionStatus.REJECTED},  # only the parse moves it
)


def file_error(message: str) -> RowsRejected:
    return RowsRejected([RowError(FILE_ROW, None, message, Code.IMPORT_INVALID.value)])


def _rows(content: bytes, file_format: str) -> list[list[str]]:
    """Header first, as text cells (JSON: a list of objects, keys as headings)."""
    if file_format != "json":
        try:
            return list(read_rows(content, file_format))
        except UnreadableFile as exc:
            raise file_error(str(exc)) from exc
    try:
        items = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise file_error("Not a JSON document (UTF-8).") from exc
    if isinstance(items, dict):
        items = items.get("rows")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise file_error('JSON rows are a list of objects, or {"rows": [...]}.')
    headings = list(dict.fromkeys(key for item in items for key in item))

    def text(value) -> str:
        return (
            "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        )

    return [headings] + [[text(item.get(h)) for h in headings] for item in items]


def parse(content: bytes, file_format: str, kind: str) -> dict[str, np.ndarray]:
    """Checked columns of the file, or RowsRejected with every problem (nothing is stored)."""
    if len(content) > MAX_BYTES:
        raise file_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    rows = _rows(content, file_format)
    if not rows:
        raise file_error("The file is empty.")
    labels = rows[0]
    headings = [h or "" for h in header_names(labels)]
    data = [(n, cells) for n, cells in enumerate(rows[1:], HEADER_ROW + 1) if any(cells)]
    if not data:
        raise file_error("The file has a header but no rows.")
    if len(data) > MAX_ROWS:
        raise file_error(f"At most {MAX_ROWS:,} rows per dataset.")
    arrays, errors = tables.convert(
        kind, headings, labels, [cells for _, cells in data], [n for n, _ in data]
    )
    if errors:
        raise RowsRejected(errors)
    return arrays


def dataset_for_upload(*, dataset_id, name: str, kind: str, description: str, actor) -> Dataset:
    if dataset_id is not None:
        dataset = Dataset.objects.select_for_update().filter(pk=dataset_id).first()
        if dataset is None:
            raise refuse("dataset_id", "No such dataset.", Code.NOT_FOUND)
        return dataset
    name = (name or "").strip()
    if not name:
        raise refuse("name", "A new dataset needs a name.", Code.INVALID)
    if kind not in DatasetKind.values:
        raise refuse("kind", "A new dataset needs a kind.", Code.INVALID)
    if Dataset.objects.filter(name=name).exists():
        raise refuse("name", "A dataset of this name exists.", Code.NAME_TAKEN)
    dataset = Dataset(name=name, kind=kind, description=description, created_by=actor)
    dataset.full_clean()
    dataset.save()
    return dataset


def new_version(dataset: Dataset, file_format: str, actor) -> DatasetVersion:
    dataset.latest_number += 1
    dataset.save(update_fields=["latest_number", "updated_at"])
    return DatasetVersion.objects.create(
        dataset=dataset, number=dataset.latest_number, file_format=file_format, created_by=actor
    )


def _store(version: DatasetVersion, arrays: dict[str, np.ndarray]) -> DatasetVersion:
    DatasetColumn.objects.bulk_create(
        DatasetColumn(version=version, name=name, data=tables.to_bytes(values))
        for name, values in arrays.items()
    )
    version.row_count = len(next(iter(arrays.values())))
    version.columns = list(arrays)
    transition(version, VersionStatus.READY, internal=True, changes={}, save_all=True)
    return version


def _count_rows(content: bytes, file_format: str) -> int:
    if file_format == "json":
        return len(_rows(content, "json")) - 1
    return sum(1 for cells in read_rows(content, file_format) if any(cells)) - 1


@transaction.atomic
def dataset_upload(
    *,
    content: bytes,
    file_format: str,
    dataset_id=None,
    name: str = "",
    kind: str = "",
    description: str = "",
    actor=None,
    inline_rows: int = INLINE_ROWS,
) -> DatasetVersion:
    """A new version of a dataset (a new dataset when `dataset_id` is None). Inline: READY, or
    RowsRejected and nothing written. As a job: PARSING, and the job says how it went."""
    if file_format not in FORMATS:
        raise refuse("file_format", f"One of {', '.join(FORMATS)}.", Code.INVALID)
    try:
        check_before_parsing(content, "csv" if file_format == "json" else file_format)
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc
    dataset = dataset_for_upload(
        dataset_id=dataset_id, name=name, kind=kind, description=description, actor=actor
    )
    version = new_version(dataset, file_format, actor)
    try:
        in_background = file_format == "xlsx" or _count_rows(content, file_format) > inline_rows
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc
    if not in_background:
        return _store(version, parse(content, file_format, dataset.kind))
    return parse_later(version, StagedFile.objects.create(data=content), actor)


def parse_later(version: DatasetVersion, staged: StagedFile, actor) -> DatasetVersion:
    """A job parses the staged file (the job names it: a 200 MB file is not a job's input)."""
    job = jobs.job_create(
        kind=JOB_DATASET,
        created_by=actor,
        input={"version": str(version.pk), "staged": staged.pk},
    )
    version.job = job
    version.save(update_fields=["job", "updated_at"])
    enqueue_task_on_commit(PARSE_TASK, str(job.pk))
    return version


def _staged_content(job) -> bytes | None:
    if "content" in job.input:  # a job queued before files were staged
        return base64.b64decode(job.input["content"])
    data = StagedFile.objects.filter(pk=job.input.get("staged")).values_list("data", flat=True)
    found = data.first()
    return None if found is None else bytes(found)


def parse_as_job(job) -> dict:
    """The job's work: parse and store, or reject the version with every row error."""
    version = DatasetVersion.objects.select_related("dataset").get(pk=job.input["version"])
    if version.status != VersionStatus.PARSING:
        return {"version": str(version.pk), "status": version.status}
    content = _staged_content(job)
    if content is None:
        raise JobRejected("The staged file is gone.", {"version": str(version.pk)})
    staged = StagedFile.objects.filter(pk=job.input.get("staged"))
    try:
        if version.file_format == "xlsx":
            try:
                check_before_parsing(content, "xlsx")  # a chunked upload was never checked
            except UnreadableFile as exc:
                raise file_error(str(exc)) from exc
        arrays = parse(content, version.file_format, version.dataset.kind)
    except RowsRejected as rejected:
        with transaction.atomic():
            locked = DatasetVersion.objects.select_for_update().get(pk=version.pk)
            transition(locked, VersionStatus.REJECTED, internal=True)
            staged.delete()
        errors = [e.__dict__ for e in rejected.errors]
        raise JobRejected(
            f"{len(errors)} problem(s) in the file.", {"version": str(version.pk), "errors": errors}
        ) from None
    with transaction.atomic():
        locked = DatasetVersion.objects.select_for_update().get(pk=version.pk)
        _store(locked, arrays)
        staged.delete()  # with the columns: a redelivery finds the version ready
    return {"version": str(version.pk), "rows": locked.row_count}


@transaction.atomic
def dataset_version_from_arrays(
    *, arrays: dict[str, np.ndarray], dataset_id=None, name: str = "", kind: str = "", actor=None
) -> DatasetVersion:
    """Ingest columns computed elsewhere (another system, a bench): the same checks as a file,
    applied to the arrays' text form only where a column does not already have the right type."""
    dataset = dataset_for_upload(
        dataset_id=dataset_id, name=name, kind=kind, description="", actor=actor
    )
    columns, problems = tables.columns_of(dataset.kind, list(arrays))
    if problems:
        raise refuse("arrays", " ".join(problems), Code.MISSING_COLUMN)
    lengths = {len(v) for v in arrays.values()}
    if len(lengths) != 1 or not 0 < lengths.pop() <= MAX_ROWS:
        raise refuse("arrays", f"Columns of one length, 1 to {MAX_ROWS:,} rows.", Code.INVALID)
    checked = {}
    for col in columns:
        values = tables.convert_column(col, np.asarray(arrays[col.name]))
        if values is None:
            raise refuse("arrays", f"Column {col.name}: values of the wrong type.", Code.INVALID)
        checked[col.name] = values
    checked = tables.with_defaults(dataset.kind, checked)
    return _store(new_version(dataset, "arrays", actor), checked)
