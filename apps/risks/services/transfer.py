"""Moving the risk register in and out as CSV or XLSX: what both directions share.

The import (transfer_import.py) reads the columns the export (transfer_export.py) writes, so an
exported register can be edited in a spreadsheet and imported again.
"""

import base64
import binascii
import uuid
from dataclasses import dataclass

from apps.core.tabular import FILE_ROW, RowError, RowsRejected
from apps.risks.errors import RiskErrorCode as Code

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# What an import may set, in the order an export writes them (`id`: the risk a row updates).
IMPORT_COLUMNS = (
    "id",
    "title",
    "category",
    "description",
    "business_line",
    "causes",
    "consequences",
    "source",
    "owner",
    "department",
    "status",
    "treatment_strategy",
    "tags",
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "expected_loss",
    "currency",
)
# Written by the export, accepted and ignored by the import (the register derives them).
READ_ONLY_COLUMNS = (
    "reference",
    "inherent_level",
    "residual_level",
    "current_level",
    "above_appetite",
    "next_review_at",
    "created_at",
)
EXPORT_COLUMNS = (*IMPORT_COLUMNS, *READ_ONLY_COLUMNS)
REQUIRED_COLUMNS = ("title", "category")
TAG_SEPARATOR = ";"

# A spreadsheet treats a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Export side: a leading apostrophe makes a spreadsheet show the text, not run it."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def unneutralise(value: str) -> str:
    """Import side: drop the apostrophe an export added, so a round trip is exact."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS) else value


def global_risk_id(pk) -> str:
    """The Relay global id of a risk, as the API spells it (base64 of `Risk:<uuid hex>`)."""
    return base64.b64encode(f"Risk:{pk}".encode()).decode()


def risk_pk_from_id(text: str) -> uuid.UUID | None:
    """The risk key a file's `id` cell names: a global id (what exports write) or, from files
    exported before ids were global, the bare UUID. None when it is neither."""
    return global_pk(text, "Risk", bare=True)


def global_pk(text: str, type_name: str, *, bare: bool = False) -> uuid.UUID | None:
    """The UUID key a global id of `type_name` names (`bare`: a bare UUID is accepted too);
    None for anything else. One spelling names an object."""
    text = text.strip()
    try:
        decoded = base64.b64decode(text, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        if not bare:
            return None
        decoded = f"{type_name}:{text}"
    found_type, _, key = decoded.partition(":")
    try:
        pk = uuid.UUID(key)
    except ValueError:
        return None
    return pk if found_type == type_name and str(pk) == key else None


HEADER_ROW = 1


def file_error(message: str, code: Code = Code.IMPORT_INVALID) -> RowsRejected:
    return RowsRejected([RowError(FILE_ROW, None, message, code.value)])


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content_type: str
    content: bytes
    row_count: int
