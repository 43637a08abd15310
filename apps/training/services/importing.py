"""Results from a CSV/XLSX file, upserted by (employee number, course code, completed at).

All or nothing: every row is checked first (spreadsheet row numbers, columns as headed in the
file), then written. Importing the same file twice changes nothing the second time.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from apps.core.tabular import (
    FILE_ROW,
    HEADER_ROW,
    RowError,
    RowsRejected,
    UnreadableFile,
    header_names,
    read_rows,
)
from apps.people.selectors import people as directory
from apps.training.errors import TrainingErrorCode as Code
from apps.training.models import Course, RecordSource, TrainingRecord
from apps.training.services.common import Problems
from apps.training.services.records import check_result, expiry

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = (
    "employee_number",
    "course_code",
    "completed_at",
    "attended",
    "score",
    "passed",
    "certificate_number",
    "source",
)
REQUIRED = ("employee_number", "course_code", "completed_at")
TRUE = {"true", "yes", "y", "1", "是", "通过"}
FALSE = {"false", "no", "n", "0", "否", "未通过"}


@dataclass(frozen=True)
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def file_error(message: str) -> RowsRejected:
    return RowsRejected([RowError(FILE_ROW, None, message, Code.IMPORT_INVALID.value)])


def _when(text: str) -> datetime | None:
    moment = parse_datetime(text) if "T" in text or ":" in text else None
    if moment is None:
        day = parse_date(text)
        if day is None:
            return None
        moment = datetime.combine(day, time.min)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _flag(text: str, default: bool | None) -> tuple[bool | None, bool]:
    """(value, ok)."""
    if text == "":
        return default, True
    low = text.lower()
    if low in TRUE:
        return True, True
    if low in FALSE:
        return False, True
    return None, False


def records_import(*, content: bytes, file_format: str, actor=None) -> ImportOutcome:
    """Raises RowsRejected listing every problem; then nothing is written."""
    if len(content) > MAX_BYTES:
        raise file_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        rows = list(read_rows(content, file_format))
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc
    if not rows:
        raise file_error("The file is empty.")
    headings = header_names(rows[0])
    missing = [c for c in REQUIRED if c not in headings]
    if missing:
        raise file_error(f"Missing columns: {', '.join(missing)}.")
    unknown = [rows[0][i] for i, h in enumerate(headings) if h and h not in COLUMNS]
    if unknown:
        raise file_error(f"Unknown columns: {', '.join(unknown)}.")
    data = [(n, cells) for n, cells in enumerate(rows[1:], HEADER_ROW + 1) if any(cells)]
    if len(data) > MAX_ROWS:
        raise file_error(f"At most {MAX_ROWS} rows per file.")
    label = {h: rows[0][i] for i, h in enumerate(headings) if h}
    people = dict(directory().order_by().values_list("employee_number", "id"))
    courses = {c.code: c for c in Course.objects.all()}
    errors: list[RowError] = []
    parsed: dict[tuple, tuple[int, dict]] = {}
    for number, cells in data:
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headings) if h}

        def bad(column: str, message: str, code: Code = Code.INVALID, number=number) -> None:
            errors.append(RowError(number, label.get(column), message, code.value))

        person_id = people.get(values["employee_number"])
        if person_id is None:
            bad("employee_number", "No person has this employee number.", Code.NOT_FOUND)
        course = courses.get(values["course_code"].strip().lower())
        if course is None:
            bad("course_code", "No course has this code.", Code.NOT_FOUND)
        completed_at = _when(values["completed_at"])
        if completed_at is None:
            bad("completed_at", "A date (YYYY-MM-DD) or date and time (ISO 8601).")
        attended, ok = _flag(values.get("attended", ""), True)
        if not ok:
            bad("attended", "Yes or no.")
        passed, ok = _flag(values.get("passed", ""), None)
        if not ok:
            bad("passed", "Yes or no.")
        score = None
        if values.get("score"):
            try:
                score = int(float(values["score"]))
            except ValueError:
                bad("score", "A whole number from 0 to 100.")
        source = values.get("source") or RecordSource.ELEARNING_IMPORT
        if source not in RecordSource.values:
            bad("source", f"One of {', '.join(RecordSource.values)}.")
        certificate = values.get("certificate_number", "")
        if len(certificate) > 80:
            bad("certificate_number", "At most 80 characters.")
        problems = Problems()
        passed = check_result(course, score, passed, attended, completed_at, problems)
        for field, field_errors in problems.errors.items():
            if field == "completed_at" and completed_at is None:
                continue  # reported above, as the file spells it
            for error in field_errors:
                bad(field, " ".join(error.messages))
        if person_id is None or course is None or completed_at is None:
            continue
        key = (person_id, course.pk, completed_at)
        if key in parsed:
            bad("completed_at", f"Same attempt as row {parsed[key][0]}.")
            continue
        parsed[key] = (
            number,
            {
                "attended": bool(attended),
                "score": score,
                "passed": passed,
                "certificate_number": certificate,
                "source": source,
                "expires_on": expiry(course, completed_at) if passed else None,
                "course_version": course.version,
            },
        )
    if errors:
        raise RowsRejected(errors)
    with transaction.atomic():
        return _write(parsed)


def _write(parsed: dict[tuple, tuple[int, dict]]) -> ImportOutcome:
    existing = {
        (r.person_id, r.course_id, r.completed_at): r
        for r in TrainingRecord.objects.select_for_update().filter(
            person_id__in={k[0] for k in parsed}, course_id__in={k[1] for k in parsed}
        )
    }
    created = updated = unchanged = 0
    for (person_id, course_id, completed_at), (_, fields) in parsed.items():
        record = existing.get((person_id, course_id, completed_at))
        if record is None:
            TrainingRecord.objects.create(
                person_id=person_id, course_id=course_id, completed_at=completed_at, **fields
            )
            created += 1
            continue
        fields = {k: v for k, v in fields.items() if k != "course_version"}
        changed = [k for k, v in fields.items() if getattr(record, k) != v]
        if not changed:
            unchanged += 1
            continue
        for k in changed:
            setattr(record, k, fields[k])
        record.save(update_fields=[*changed, "updated_at"])  # saved one by one: audit sees it
        updated += 1
    return ImportOutcome(created=created, updated=updated, unchanged=unchanged)
