"""HR sync: people from a CSV or XLSX file, upserted by employee number, all or nothing.

Every row is checked first so a user sees every problem of the file at once (spreadsheet row
numbers, column names as in the header); then rows are written through person_create and
person_update, so an import obeys exactly the rules the API does. A manager may be a row later
in the same file: people are written first, managers second.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.tabular import (
    FILE_ROW,
    RowError,
    RowsRejected,
    UnreadableFile,
    read_rows,
)
from apps.people.errors import PeopleErrorCode as Code
from apps.people.models import Person
from apps.people.services.import_rows import (
    MAX_BYTES,
    SERVICE_COLUMNS,
    ImportRow,
    RowReader,
    file_error,
)
from apps.people.services.people import (
    person_create,
    person_deactivate,
    person_update,
)


@dataclass(frozen=True)
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0  # people not in the file, when asked to deactivate them


def people_import(
    *, content: bytes, file_format: str, actor=None, deactivate_missing: bool = False
) -> ImportOutcome:
    """Upsert one person per non-empty row. Raises RowsRejected listing every error; then
    nothing is written. `deactivate_missing`: active people not in the file are deactivated."""
    if len(content) > MAX_BYTES:
        raise file_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        reader = RowReader(read_rows(content, file_format))
        rows = reader.rows()
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc
    existing = _adopt_placeholders(rows, {p.employee_number: p for p in Person.objects.all()})
    reader.check_references(rows, existing)
    if reader.errors:
        raise RowsRejected(reader.errors)
    with transaction.atomic():
        return _write(rows, existing, reader.headings, deactivate_missing, actor)


# The number the register's owner migration gave a user who owned risks before the directory
# existed (apps/risks/migrations/0010_owners_to_people.py): a stand-in until HR sends the real one.
PLACEHOLDER_NUMBER = re.compile(r"USER-\d+(?:-\d+)?")


def _adopt_placeholders(rows: list[ImportRow], existing: dict[str, Person]) -> dict[str, Person]:
    """A row whose employee number is new takes over the stand-in person of the same member
    (else of the same e-mail address, when only one stand-in has it): that person — with the
    risks, controls and actions they own — gets the real number, instead of a duplicate."""
    stand_ins = [p for n, p in existing.items() if PLACEHOLDER_NUMBER.fullmatch(n)]
    if not stand_ins:
        return existing
    by_user: dict[Any, Person] = {p.user_id: p for p in stand_ins if p.user_id is not None}
    by_email: dict[str, list[Person]] = {}
    for p in stand_ins:
        if p.email:
            by_email.setdefault(p.email.lower(), []).append(p)
    adopted = dict(existing)
    taken: set = set()
    for row in rows:
        if row.number in existing:
            continue
        person = by_user.get(row.fields.get("user_id"))
        if person is None:
            same_email = by_email.get((row.fields.get("email") or "").lower(), [])
            person = same_email[0] if len(same_email) == 1 else None
        if person is None or person.pk in taken:
            continue
        taken.add(person.pk)
        del adopted[person.employee_number]
        adopted[row.number] = person
    return adopted


def count_data_rows(*, content: bytes, file_format: str) -> int:
    from apps.core.tabular import count_data_rows as count

    try:
        return count(content, file_format)
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc


def check_before_parsing(*, content: bytes, file_format: str) -> None:
    """The cheap checks (zip and shared-strings limits of an XLSX file) the web process runs
    before it queues a workbook: a refused file is one error of the file."""
    from apps.core.tabular import check_before_parsing as check

    try:
        check(content, file_format)
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc


def _write(
    rows: list[ImportRow],
    existing: dict[str, Person],
    headings: dict[str, str],
    deactivate_missing: bool,
    actor,
) -> ImportOutcome:
    errors: list[RowError] = []
    created = updated = 0
    touched: set[str] = set()
    people = dict(existing)
    today = timezone.localdate()
    for row in rows:  # pass 1: everyone, without managers (a manager may be a later row)
        person = existing.get(row.number)
        if row.fields.get("active") is False and not row.fields.get("left_on"):
            row.fields["left_on"] = (person.left_on if person else None) or today
        changes = _changes(person, row.fields) if person else row.fields
        if person and row.manager is not None and person.manager_id is not None:
            wanted = existing.get(row.manager)
            if wanted is None or wanted.pk != person.manager_id:
                changes["manager_id"] = None  # re-linked in pass 2; never a transient loop
        with _row_errors(row.row, headings, errors):
            if person is None:
                people[row.number] = person_create(actor=actor, **row.fields)
                created += 1
                touched.add(row.number)
            elif changes:
                people[row.number] = person_update(person_id=person.pk, actor=actor, **changes)
                touched.add(row.number)
    if errors:
        raise RowsRejected(errors)
    for row in rows:  # pass 2: managers, now that every row exists
        if row.manager is None:
            continue
        person = people[row.number]
        manager_id = people[row.manager].pk if row.manager else None
        if person.manager_id != manager_id:
            with _row_errors(row.row, headings, errors):
                person_update(person_id=person.pk, actor=actor, manager_id=manager_id)
                touched.add(row.number)
    if errors:
        raise RowsRejected(errors)
    updated = len(touched) - created
    deactivated = 0
    if deactivate_missing:
        in_file = {row.number for row in rows}
        for number, person in existing.items():
            if number in in_file or not person.active:
                continue
            with _row_errors(FILE_ROW, headings, errors, who=number):
                person_deactivate(person_id=person.pk, actor=actor)
                deactivated += 1
        if errors:
            raise RowsRejected(errors)
    unchanged = len(rows) - created - updated
    return ImportOutcome(created, updated, unchanged, deactivated)


def _changes(person: Person, fields: dict) -> dict:
    return {f: v for f, v in fields.items() if getattr(person, f) != v}


@contextmanager
def _row_errors(
    row: int, headings: dict[str, str], errors: list[RowError], who: str = ""
) -> Iterator[None]:
    """A service's ValidationError becomes this row's errors, named by the file's headings."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):  # keyed by field; None: the whole input
            by_field: dict[Any, list] = exc.error_dict
        else:
            by_field = {None: exc.error_list}
        known = {code.value for code in Code}
        for field, field_errors in by_field.items():
            column = SERVICE_COLUMNS.get(field or "") if row != FILE_ROW else None
            for error in field_errors:
                message = str(error.message % error.params if error.params else error.message)
                errors.append(
                    RowError(
                        row,
                        headings.get(column, column) if column else None,
                        f"{who}: {message}" if who else message,
                        error.code if error.code in known else Code.INVALID.value,
                    )
                )


def import_as_job(*, task, job_id) -> dict:
    """The import stored on a job, all or nothing as inline; a rejection fails the job with
    every row error in its result."""
    import base64

    from apps.core.background import JobRejected, run_job

    def work(job) -> dict:
        try:
            outcome = people_import(
                content=base64.b64decode(job.input["content"]),
                file_format=job.input["format"],
                actor=job.created_by,
                deactivate_missing=job.input.get("deactivate_missing", False),
            )
        except RowsRejected as rejected:
            raise JobRejected(
                f"{len(rejected.errors)} problem(s) in the file; nothing was imported.",
                {"errors": [asdict(error) for error in rejected.errors]},
            ) from rejected
        return asdict(outcome)

    return run_job(task, job_id, work)
