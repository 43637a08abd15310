"""Reading CSV and XLSX files as rows of text cells, for every app's spreadsheet import.

Generic: no app's columns or error codes. A file that cannot be read raises UnreadableFile,
which each import turns into its own typed error (a problem of the whole file).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

FORMATS = ("csv", "xlsx")
# A spreadsheet treats a cell starting with one of these as a formula (CSV/formula injection);
# exports prefix such cells with an apostrophe, imports drop it again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class UnreadableFile(ValueError):
    """The file is not text or a workbook we can read; the message says why, for a user."""


def read_rows(content: bytes, file_format: str) -> Iterator[list[str]]:
    """Every row (header included) as stripped text cells; empty rows are kept (numbering)."""
    if file_format not in FORMATS:
        raise UnreadableFile(f"Format is one of {', '.join(FORMATS)}.")
    return _read_csv(content) if file_format == "csv" else _read_xlsx(content)


def count_data_rows(content: bytes, file_format: str) -> int:
    """Non-empty rows under the header: decides whether an import runs inline or as a job."""
    rows = read_rows(content, file_format)
    next(rows, None)
    return sum(1 for cells in rows if any(cells))


def header_names(cells: list[str]) -> list[str | None]:
    """Headings as column names: lower case, spaces and hyphens as underscores; None if blank."""
    return [cell.lower().replace(" ", "_").replace("-", "_") or None for cell in cells]


def unneutralise(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS) else value


def _read_csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")  # with or without the BOM Excel writes
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")  # Excel on a Chinese Windows saves CSV so
        except UnicodeDecodeError as exc:
            raise UnreadableFile("The CSV file is neither UTF-8 nor GB18030 text.") from exc
    try:
        for cells in csv.reader(io.StringIO(text, newline="")):
            yield [unneutralise(cell).strip() for cell in cells]
    except csv.Error as exc:
        raise UnreadableFile(f"The CSV file cannot be read: {exc}.") from exc


def _read_xlsx(content: bytes) -> Iterator[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike for a bad file
        raise UnreadableFile("Not a readable XLSX file.") from exc
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [unneutralise(_xlsx_text(value)).strip() for value in values]
    finally:
        book.close()


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an employee number typed as 1001 may be stored as 1001.0
    if hasattr(value, "date") and hasattr(value, "hour") and not (value.hour or value.minute):
        return value.date().isoformat()  # a date cell comes back as midnight datetime
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


FILE_ROW = 0  # RowError.row for a problem of the whole file (size, encoding, no rows)
HEADER_ROW = 1


@dataclass(frozen=True)
class RowError:
    """One problem of an import: spreadsheet row (header = 1, 0 = the whole file) and column."""

    row: int
    column: str | None
    message: str
    code: str  # a value of the importing app's error-code enum


class RowsRejected(Exception):
    """Nothing was imported; `errors` lists every problem found, in row order."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = sorted(errors, key=lambda e: e.row)
        super().__init__(f"Import refused: {len(self.errors)} error(s).")
