"""What each kind of dataset holds, and turning rows of text cells into checked NumPy columns.

Columns are converted a whole column at a time (NumPy parses a million numbers in well under
a second); only a column that fails is walked cell by cell, to say which rows are wrong.
No ORM here: services/datasets.py reads the file and stores the arrays.
"""

import io
from dataclasses import dataclass

import numpy as np

from apps.assessments.errors import AssessmentErrorCode as Code
from apps.assessments.quant.stress import SHOCKS
from apps.core.tabular import HEADER_ROW, RowError

MAX_ERRORS = 200  # a file with more problems is reported with the first 200


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text | number | money | ratio | integer | flag | date | choice
    required: bool = True  # the heading must be there
    blank_as: str | None = None  # a blank cell reads as this; None: a blank is an error
    choices: tuple[str, ...] = ()
    signed: bool = True  # money and numbers: negative allowed


KINDS: dict[str, tuple[Column, ...]] = {
    "loan_book": (
        Column("loan_id", "text"),
        Column("ead", "money", signed=False),
        Column("lgd", "ratio", required=False),
        Column("pd", "ratio", required=False),
        Column("default", "flag", required=False),
        Column("segment", "text", required=False, blank_as=""),
        # concentration and quality (credit_portfolio runs)
        Column("industry", "text", required=False, blank_as=""),
        Column("grade", "text", required=False, blank_as=""),
        Column("maturity_days", "integer", required=False),
        Column("days_past_due", "integer", required=False),
    ),
    "loan_performance": (
        Column("loan_id", "text"),
        Column("origination_date", "date"),
        Column("as_of", "date"),
        Column("days_past_due", "integer"),
        Column("balance", "money", required=False, signed=False),
    ),
    "positions": (
        Column("instrument", "text"),
        Column("asset_class", "text"),
        Column("exposure", "money"),
        Column("currency", "text", required=False, blank_as=""),
    ),
    "returns": (
        Column("date", "date"),
        Column("instrument", "text"),
        Column("return", "number"),
    ),
    "cash_flows": (
        Column("maturity_days", "integer"),
        Column("inflow", "money", required=False, blank_as="0", signed=False),
        Column("outflow", "money", required=False, blank_as="0", signed=False),
        Column("source", "text", required=False, blank_as=""),
        Column("counterparty", "text", required=False, blank_as=""),
    ),
    "scenarios": (
        Column("scenario", "text"),
        Column("shock", "choice", choices=SHOCKS),
        Column("asset_class", "text", required=False, blank_as=""),
        Column("value", "number"),
    ),
}
# Loan books may carry any further numeric columns: the scorecard's candidate features.
FEATURES_ALLOWED = {"loan_book"}
MONEY_LIMIT = 1e15  # stored results are Decimal(24, 2)


def feature_columns(columns: list[str]) -> list[str]:
    """A loan book's candidate features: every column that is not one of the declared ones."""
    fixed = {c.name for c in KINDS["loan_book"]}
    return [c for c in columns if c not in fixed]


ZIP_MAGIC = b"PK"  # an .npz: a text column as codes + labels (a plain .npy starts \x93NUMPY)


TEXT_MAGIC = b"FKT1"  # a text column as raw codes + raw labels (below)


def to_bytes(array: np.ndarray) -> bytes:
    """A column as `.npy`; a text column of repeated values as its integer codes (the smallest
    unsigned type that holds them) and its distinct labels, both raw little-endian after a
    16-byte header: `FKT1`, the codes' and the labels' item sizes and the label count (uint32
    each). Fixed-width UTF-32 repeats every name in full (an instrument of 5 characters is 20
    bytes a row, its code 2); reading is two `np.frombuffer` and one `np.take`, where the
    earlier `.npz` (zip) form cost 4× that (docs/decisions.md, "Assessments: text columns")."""
    if array.dtype.kind == "U" and array.ndim == 1:
        labels, codes = np.unique(array, return_inverse=True)
        if len(labels) <= len(array) // 2:  # keys (loan ids) are all distinct: kept plain
            codes = codes.astype(np.dtype(np.min_scalar_type(len(labels))).newbyteorder("<"))
            labels = labels.astype(labels.dtype.newbyteorder("<"))
            header = np.array(
                [codes.dtype.itemsize, labels.dtype.itemsize // 4, len(labels)], dtype="<u4"
            )
            return TEXT_MAGIC + header.tobytes() + codes.tobytes() + labels.tobytes()
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    raw = bytes(data)
    if raw[:4] == TEXT_MAGIC:
        code_size, width, count = (int(v) for v in np.frombuffer(raw, "<u4", 3, 4))
        rows = (len(raw) - 16 - count * width * 4) // code_size
        codes = np.frombuffer(raw, f"<u{code_size}", rows, 16)
        labels = np.frombuffer(raw, f"<U{width}", count, 16 + rows * code_size)
        return np.take(labels, codes)  # a new, writable array
    if raw[:2] == ZIP_MAGIC:  # the earlier form of text columns
        with np.load(io.BytesIO(raw), allow_pickle=False) as parts:
            return parts["labels"][parts["codes"]]
    return np.load(io.BytesIO(raw), allow_pickle=False)  # numbers, dates, older text columns


def convert_column(col: Column, cells: np.ndarray) -> np.ndarray | None:
    """The whole column at once, or None when any cell is wrong (then walked one by one)."""
    try:
        if col.type in ("text", "choice"):
            out = cells.astype(str)
            if col.type == "choice" and not np.isin(out, col.choices).all():
                return None
            return None if (out == "").any() and col.blank_as is None else out
        if col.type == "date":
            dates = cells.astype("datetime64[D]")
            return None if np.isnat(dates).any() else dates  # "" and "NaT" parse as NaT
        values = cells.astype(float)
    except ValueError:
        return None
    if not np.isfinite(values).all():
        return None
    if col.type == "integer":
        if (values != np.round(values)).any() or (values < 0).any():
            return None
        return values.astype(np.int64)
    if col.type == "flag":
        return values.astype(np.int8) if np.isin(values, (0, 1)).all() else None
    if col.type == "ratio" and ((values < 0) | (values > 1)).any():
        return None
    if col.type == "money" and (np.abs(values) >= MONEY_LIMIT).any():
        return None
    if not col.signed and (values < 0).any():
        return None
    return values


def _cell_problem(col: Column, cell: str) -> str | None:
    """Why one cell is wrong (the slow path), or None."""
    if col.type == "text":
        return None if cell else "A value is needed."
    if col.type == "choice":
        return None if cell in col.choices else f"One of {', '.join(col.choices)}."
    if col.type == "date":
        try:
            day = np.datetime64(cell, "D")
        except ValueError:
            return "A date, YYYY-MM-DD."
        return "A date, YYYY-MM-DD." if np.isnat(day) else None
    try:
        value = float(cell)
    except ValueError:
        return "A number."
    if not np.isfinite(value):
        return "A finite number."
    if col.type == "integer" and (value != round(value) or value < 0):
        return "A whole number, zero or more."
    if col.type == "flag" and value not in (0, 1):
        return "0 or 1."
    if col.type == "ratio" and not 0 <= value <= 1:
        return "Between 0 and 1."
    if col.type == "money" and abs(value) >= MONEY_LIMIT:
        return "Too large an amount."
    if not col.signed and value < 0:
        return "Zero or more."
    return None


def columns_of(kind: str, headings: list[str]) -> tuple[list[Column], list[str]]:
    """The file's columns as specs (features of a loan book are numbers), and the problems of
    the header: missing or unknown columns, repeated headings."""
    known = {c.name: c for c in KINDS[kind]}
    problems = []
    missing = [c.name for c in KINDS[kind] if c.required and c.name not in headings]
    if missing:
        problems.append(f"Missing columns: {', '.join(missing)}.")
    repeated = sorted({h for h in headings if headings.count(h) > 1})
    if repeated:
        problems.append(f"Repeated columns: {', '.join(repeated)}.")
    columns = []
    for heading in headings:
        if heading in known:
            columns.append(known[heading])
        elif kind in FEATURES_ALLOWED and heading.isidentifier():
            columns.append(Column(heading, "number"))
        else:
            problems.append(f"Unknown column: {heading or '(blank)'}.")
    return columns, problems


def convert(
    kind: str, headings: list[str], labels: list[str], rows: list[list[str]], numbers: list[int]
) -> tuple[dict[str, np.ndarray], list[RowError]]:
    """Checked arrays, one per column, or every problem (row numbers from `numbers`)."""
    columns, problems = columns_of(kind, headings)
    if problems:
        return {}, [RowError(0, None, " ".join(problems), Code.IMPORT_INVALID.value)]
    width = len(headings)
    grid = np.array([(r + [""] * width)[:width] for r in rows], dtype=str).reshape(-1, width)
    arrays: dict[str, np.ndarray] = {}
    errors: list[RowError] = []
    for i, col in enumerate(columns):
        cells = grid[:, i]
        if col.blank_as is not None:
            cells = np.where(cells == "", col.blank_as, cells)
        values = convert_column(col, cells)
        if values is not None:
            arrays[col.name] = values
            continue
        for j, cell in enumerate(cells):
            problem = _cell_problem(col, str(cell))
            if problem:
                errors.append(RowError(numbers[j], labels[i], problem, Code.INVALID.value))
                if len(errors) >= MAX_ERRORS:
                    return {}, errors
    if not errors:
        errors = _duplicates(kind, arrays, numbers)
    return ({} if errors else with_defaults(kind, arrays)), errors


def with_defaults(kind: str, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Optional columns the file left out, filled with their blank value (an absent `source`
    is blank, an absent `inflow` zero), so every run finds the columns it reads."""
    rows = len(next(iter(arrays.values())))
    for col in KINDS[kind]:
        if col.name not in arrays and col.blank_as is not None:
            filled = convert_column(col, np.full(rows, col.blank_as))
            assert filled is not None  # a column's blank value always converts
            arrays[col.name] = filled
    return arrays


def _duplicates(kind: str, arrays: dict[str, np.ndarray], numbers: list[int]) -> list[RowError]:
    """A key that must be unique: a loan's id, a position's instrument, a (date, instrument)."""
    keys = {
        "loan_book": ("loan_id",),
        "positions": ("instrument",),
        "returns": ("date", "instrument"),
        "loan_performance": ("as_of", "loan_id"),  # one row per loan and month
    }
    if kind not in keys:
        return []
    if kind == "returns":
        key = np.char.add(arrays["date"].astype(str), np.char.add("|", arrays["instrument"]))
    elif kind == "loan_performance":
        month = arrays["as_of"].astype("datetime64[M]").astype(str)
        key = np.char.add(month, np.char.add("|", arrays["loan_id"]))
    else:
        key = arrays[keys[kind][0]]
    _, counts = np.unique(key, return_counts=True)
    if (counts == 1).all():
        return []
    seen: dict[str, int] = {}
    errors = []
    for j, k in enumerate(key):
        if k in seen:
            errors.append(
                RowError(numbers[j], keys[kind][-1], f"Same as row {seen[k]}.", Code.INVALID.value)
            )
            if len(errors) >= MAX_ERRORS:
                break
        else:
            seen[k] = numbers[j]
    return errors


__all__ = ["HEADER_ROW", "KINDS", "convert", "from_bytes", "to_bytes"]
