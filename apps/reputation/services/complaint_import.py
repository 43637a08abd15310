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
MAX_ROWS = 2_000
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


def complaints_import(*, content: bytes, file_format: str, actor=None) -> ComplaintImportOutcome:
    """Create one complaint per new reference. Raises RowsRejected listing every problem;
    then nothing is written."""
    if len(content) > MAX_BYTES:
        raise _file_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
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
    if len(rows) > MAX_ROWS:
        errors.append(
            RowError(FILE_ROW, None, f"At most {MAX_ROWS:,} rows a file.", Code.TOO_MANY.value)
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
