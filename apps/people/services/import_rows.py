"""Reading an HR file's rows for the people import (importing.py): each row checked and turned
into service keyword arguments, every problem of the file collected at once."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from apps.accounts.models import Membership
from apps.core.schemas import tenant_connection
from apps.core.tabular import (
    FILE_ROW,
    HEADER_ROW,
    RowError,
    RowsRejected,
    header_names,
)
from apps.people.errors import PeopleErrorCode as Code
from apps.people.models import Department, Person
from apps.people.services.people import (
    manages_itself,
    normalised,
)

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = (
    "employee_number",
    "name",
    "department",
    "job_role",
    "job_title",
    "email",
    "phone",
    "manager",
    "hired_on",
    "left_on",
    "active",
    "user",
)
REQUIRED = ("employee_number", "name")
# Import column → service field, for plain texts.
TEXT_FIELDS = {
    "employee_number": "employee_number",
    "name": "full_name",
    "job_role": "job_role",
    "job_title": "job_title",
    "email": "email",
    "phone": "phone",
}
SERVICE_COLUMNS = {
    "full_name": "name",
    "department_id": "department",
    "manager_id": "manager",
    "user_id": "user",
    **{field: column for column, field in TEXT_FIELDS.items() if column != "name"},
    "hired_on": "hired_on",
    "left_on": "left_on",
    "active": "active",
}
TRUE = {"true", "yes", "y", "1", "是", "在职", "active"}
FALSE = {"false", "no", "n", "0", "否", "离职", "inactive"}
ROLE_CODE = re.compile(r"^[a-z0-9_-]*$")


def file_error(message: str) -> RowsRejected:
    return RowsRejected([RowError(FILE_ROW, None, message, Code.IMPORT_INVALID.value)])


@dataclass
class ImportRow:
    row: int
    number: str
    fields: dict  # service keyword arguments, manager excluded
    manager: str | None  # the manager's employee number; None: column absent; "": no manager


class RowReader:
    """Reads and checks the rows; collects every error instead of stopping at the first."""

    def __init__(self, lines: Iterator[list[str]]) -> None:
        self.lines = lines
        self.errors: list[RowError] = []
        self.headings: dict[str, str] = {}  # column name → heading as the file writes it
        today = timezone.localdate()
        self.today = today
        members = Membership.objects.filter(tenant__schema_name=tenant_connection().schema_name)
        self.members = {e.lower(): pk for e, pk in members.values_list("user__email", "user_id")}
        self.departments = {d.code: d for d in Department.objects.all()}

    def fail(self, row: int, column: str | None, message: str, code: Code = Code.INVALID) -> None:
        heading = self.headings.get(column, column) if column else None
        self.errors.append(RowError(row, heading, message, code.value))

    def rows(self) -> list[ImportRow]:
        names = self._header(next(self.lines, []))
        rows: list[ImportRow] = []
        for number, cells in enumerate(self.lines, start=HEADER_ROW + 1):
            if not any(cells):
                continue
            if len(rows) >= MAX_ROWS:  # stop reading: the rest of a huge file is never parsed
                raise file_error(f"At most {MAX_ROWS} data rows; this file has more.")
            rows.append(self._row(number, self._by_column(number, names, cells)))
        if not rows and not self.errors:
            raise file_error("The file has no data rows.")
        return rows

    def _header(self, cells: list[str]) -> list[str | None]:
        names = header_names(cells)
        for cell, name in zip(cells, names, strict=True):
            if name in COLUMNS:
                self.headings[name] = cell
            elif name:
                self.fail(HEADER_ROW, name, f"Unknown column {cell!r}.", Code.IMPORT_INVALID)
        for name in sorted({n for n in names if n and names.count(n) > 1}):
            self.fail(HEADER_ROW, name, f"Column {name!r} appears twice.", Code.IMPORT_INVALID)
        for name in REQUIRED:
            if name not in names:
                self.fail(HEADER_ROW, name, f"Column {name!r} is required.", Code.IMPORT_INVALID)
        if self.errors:
            raise RowsRejected(self.errors)
        return names

    def _by_column(self, row: int, names: list[str | None], cells: list[str]) -> dict[str, str]:
        values = {name: "" for name in names if name}  # a short row leaves the rest blank
        for position, value in enumerate(cells):
            name = names[position] if position < len(names) else None
            if name is None and value:
                message = f"A value in column {position + 1}, which has no heading."
                self.fail(row, None, message)
            elif name:
                values[name] = value
        return values

    def _row(self, row: int, cells: dict[str, str]) -> ImportRow:
        fields: dict = {}
        for column, field in TEXT_FIELDS.items():
            if column not in cells:
                continue
            value, limit = cells[column], getattr(Person._meta.get_field(field), "max_length", None)
            if limit and len(value) > limit:
                self.fail(row, column, f"At most {limit} characters.")
            fields[field] = value
        for column in REQUIRED:
            if not cells.get(column):
                self.fail(row, column, f"A person needs {column.replace('_', ' ')}.")
        if fields.get("email"):
            try:
                validate_email(fields["email"])
            except ValidationError:
                self.fail(row, "email", f"{fields['email']!r} is not an e-mail address.")
        if fields.get("job_role") and not ROLE_CODE.match(fields["job_role"].lower()):
            self.fail(row, "job_role", "A short code: letters, digits, _ or -.")
        for column in ("hired_on", "left_on"):
            if column in cells:
                fields[column] = self._date(row, column, cells[column])
        if "active" in cells:
            fields["active"] = self._flag(row, cells["active"])
        elif fields.get("left_on"):
            fields["active"] = fields["left_on"] > self.today
        hired, left = fields.get("hired_on"), fields.get("left_on")
        if hired and left and left < hired:
            message = "A person cannot leave before being hired."
            self.fail(row, "left_on", message, Code.LEFT_BEFORE_HIRED)
        if "department" in cells:
            fields["department_id"] = self._department(row, cells["department"], fields)
        if "user" in cells:
            email = cells["user"].lower()
            fields["user_id"] = self.members.get(email) if email else None
            if email and fields["user_id"] is None:
                message = f"{email} is not a member of this tenant."
                self.fail(row, "user", message, Code.NOT_A_MEMBER)
        # A row with errors still takes part in the checks across rows, so they are reported too.
        return ImportRow(row, cells["employee_number"], normalised(fields), cells.get("manager"))

    def _date(self, row: int, column: str, text: str) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10].replace("/", "-"))
        except ValueError:
            self.fail(row, column, f"{text!r} is not a date (YYYY-MM-DD).")
            return None

    def _flag(self, row: int, text: str) -> bool:
        value = text.lower()
        if value in TRUE or not value:
            return True
        if value not in FALSE:
            self.fail(row, "active", f"{text!r} is not yes/no (true/false, 1/0, 在职/离职).")
        return False

    def _department(self, row: int, code: str, fields: dict):
        if not code:
            return None
        department = self.departments.get(code.lower()) or self.departments.get(code)
        if department is None:
            self.fail(row, "department", f"No department with code {code!r}.", Code.NOT_FOUND)
            return None
        if not department.active and fields.get("active", True):
            self.fail(row, "department", f"Department {code!r} is deactivated.", Code.INACTIVE)
        return department.pk

    def check_references(self, rows: list[ImportRow], existing: dict[str, Person]) -> None:
        """Across rows: duplicate numbers and users, managers that exist, no management loops."""
        first_row: dict[str, int] = {}
        users: dict = {}
        for row in rows:
            if row.number in first_row:
                message = f"Employee number {row.number} is also on row {first_row[row.number]}."
                self.fail(row.row, "employee_number", message, Code.EMPLOYEE_NUMBER_TAKEN)
            first_row.setdefault(row.number, row.row)
            user = row.fields.get("user_id")
            if user is not None and user in users:
                message = f"This user is also linked on row {users[user]}."
                self.fail(row.row, "user", message, Code.USER_TAKEN)
            users.setdefault(user, row.row)
        known = set(first_row) | set(existing)
        number_of = {p.pk: n for n, p in existing.items()}
        links = {n: number_of.get(p.manager_id) for n, p in existing.items() if p.manager_id}
        for row in rows:
            if row.manager is not None:
                links[row.number] = row.manager or None
        for row in rows:
            if not row.manager:
                continue
            if row.manager not in known:
                message = f"No person with employee number {row.manager!r} (file or directory)."
                self.fail(row.row, "manager", message, Code.NOT_FOUND)
            elif row.manager == row.number or manages_itself(row.number, row.manager, links):
                message = "A person cannot (indirectly) manage themselves."
                self.fail(row.row, "manager", message, Code.MANAGER_CYCLE)
