"""Import of risks from CSV or XLSX: every row checked first, then all written or none.

A row without an `id` becomes a new risk; a row with the `id` an export wrote updates that
risk (an exported register, edited in a spreadsheet, goes back in without duplicates): its
columns are set, an empty cell clears an optional one, a changed status is a transition and a
changed rating a new assessment. Rows go through register.risk_create / risk_update /
risk_transition and assessments.assessment_record, so an import obeys exactly the rules the API
does. The checks here come first only so that a user sees every problem of the file at once.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import transaction
from django.db.models import Field

from apps.accounts.models import Membership, User
from apps.core.schemas import tenant_connection
from apps.core.tabular import RowError, RowsRejected, UnreadableFile, read_rows
from apps.people.selectors import person_ids_by_key
from apps.risks.errors import RiskErrorCode as Code
from apps.risks.models import (
    Risk,
    RiskCategory,
    RiskSource,
    RiskStatus,
    TreatmentStrategy,
)
from apps.risks.selectors import active_matrix
from apps.risks.services.transfer import (
    FORMATS,
    HEADER_ROW,
    IMPORT_COLUMNS,
    READ_ONLY_COLUMNS,
    REQUIRED_COLUMNS,
    TAG_SEPARATOR,
    file_error,
    global_pk,
    risk_pk_from_id,
)
from apps.risks.services.transfer_rows import (
    CLEARED,
    RowFailed,
    existing_risks,
    row_create,
    row_update,
)

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
TEXT_COLUMNS = ("title", "description", "business_line", "causes", "consequences", "department")
CHOICE_COLUMNS = {
    "source": list(RiskSource.values),
    "status": [RiskStatus.DRAFT.value, RiskStatus.OPEN.value],  # what risk_create accepts
    "treatment_strategy": list(TreatmentStrategy.values),
}
UPDATE_STATUSES = list(RiskStatus.values)  # an update moves the risk through its lifecycle
AXES = ("likelihood", "impact")
LOSS_LIMIT = Decimal(10) ** 16  # RiskAssessment.expected_loss: 18 digits, 2 of them decimals
Fail = Callable[..., None]  # records one error of the current row: fail(column, message, code)


@dataclass
class _Context:
    """Looked up once per file, not once per row."""

    categories: dict[str, Any]  # code → id
    members: dict[str, int]  # lower-case e-mail → user id
    owners: dict[str, Any]  # employee number, or a linked member's lower-case e-mail → person id
    size: dict[str, int]  # axis → number of levels on the active matrix


@dataclass
class _Plan:
    """A row that passed every check: what to create for it."""

    row: int
    fields: dict[str, Any]  # risk_create keyword arguments
    cleared: set[str]  # service fields whose cell was present and empty (updates clear them)
    risk_id: Any  # the risk a row with an id updates; None: create one
    inherent: tuple[int, int] | None
    residual: tuple[int, int] | None
    expected_loss: Decimal | None
    currency: str


class Imported(list):
    """The risks created or updated, in file order; `updated` says how many were updates."""

    updated: int = 0


def risks_import(*, content: bytes, file_format: str, actor: User | None) -> Imported:
    """Create (no id) or update (its id) one risk, with its ratings, per non-empty row.

    All or nothing: raises RowsRejected listing every error, and then nothing is written.
    Returns the risks in file order.
    """
    if file_format not in FORMATS:
        raise file_error(f"Format is one of {', '.join(FORMATS)}.", Code.INVALID)
    if len(content) > MAX_BYTES:
        raise file_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    context = _context()
    if actor is not None and actor.pk not in context.members.values():
        raise file_error("You are not a member of this tenant.", Code.NOT_A_MEMBER)

    rows = _read_rows(content, file_format)
    header = _header(next(rows, []))
    errors: list[RowError] = []
    plans: list[_Plan] = []
    data_rows = 0
    for number, cells in enumerate(rows, start=HEADER_ROW + 1):
        if not any(cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:  # stop reading: the rest of a huge file is never parsed
            raise file_error(f"At most {MAX_ROWS} data rows; this file has more.")
        plan = _plan(number, _by_column(number, header, cells, errors), context, errors)
        if plan is not None:
            plans.append(plan)
    if not plans and not errors:
        raise file_error("The file has no data rows.")
    existing = existing_risks(plans, errors)
    if errors:
        raise RowsRejected(errors)

    with transaction.atomic():
        written: list[Risk] = []
        for plan in plans:
            try:
                if plan.risk_id is None:
                    written.append(row_create(plan, actor))
                else:
                    written.append(row_update(plan, existing[plan.risk_id], actor))
            except RowFailed as failed:
                errors.extend(failed.errors)
        if errors:  # a service refused what the checks let through: undo every row
            raise RowsRejected(errors)
    # The assessments updated other instances of each risk: read the final state once.
    by_id = Risk.objects.select_related("category").in_bulk([risk.pk for risk in written])
    result = Imported(by_id[risk.pk] for risk in written)
    result.updated = sum(1 for plan in plans if plan.risk_id is not None)
    return result


def count_data_rows(*, content: bytes, file_format: str) -> int:
    """Non-empty rows under the header, read but not checked: decides inline or background."""
    if file_format not in FORMATS:
        raise file_error(f"Format is one of {', '.join(FORMATS)}.", Code.INVALID)
    rows = _read_rows(content, file_format)
    next(rows, None)
    return sum(1 for cells in rows if any(cells))


# Reading -------------------------------------------------------------------------------------


def _read_rows(content: bytes, file_format: str) -> Iterator[list[str]]:
    """The shared reader (apps/core/tabular.py); an unreadable file is an error of the file."""
    try:
        yield from read_rows(content, file_format)
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc


def _header(cells: list[str]) -> list[str | None]:
    """Column names by position (None for a blank heading); refuses a header it cannot use."""
    names = [cell.lower().replace(" ", "_").replace("-", "_") or None for cell in cells]
    known = set(IMPORT_COLUMNS) | set(READ_ONLY_COLUMNS)
    errors = [
        _error(HEADER_ROW, cell, f"Unknown column {cell!r}.", Code.IMPORT_INVALID)
        for cell, name in zip(cells, names, strict=True)
        if name and name not in known
    ]
    errors += [
        _error(HEADER_ROW, name, f"Column {name!r} appears twice.", Code.IMPORT_INVALID)
        for name in sorted({name for name in names if name and names.count(name) > 1})
    ]
    errors += [
        _error(HEADER_ROW, name, f"Column {name!r} is required.", Code.IMPORT_INVALID)
        for name in REQUIRED_COLUMNS
        if name not in names
    ]
    if errors:
        raise RowsRejected(errors)
    return names


def _by_column(
    row: int, header: list[str | None], cells: list[str], errors: list[RowError]
) -> dict[str, str]:
    # Every column of the header, even where a short row (trailing empty XLSX cells) ends early.
    values: dict[str, str] = {name: "" for name in header if name in IMPORT_COLUMNS}
    for position, value in enumerate(cells):
        name = header[position] if position < len(header) else None
        if name is None and value:
            message = f"A value in column {position + 1}, which has no heading."
            errors.append(_error(row, None, message, Code.IMPORT_INVALID))
        elif name in IMPORT_COLUMNS:
            values[name] = value
    return values


# Checking ------------------------------------------------------------------------------------


def _context() -> _Context:
    members = Membership.objects.filter(tenant__schema_name=tenant_connection().schema_name)
    return _Context(
        categories=dict(RiskCategory.objects.values_list("code", "id")),
        members={email.lower(): pk for email, pk in members.values_list("user__email", "user_id")},
        owners=person_ids_by_key(),
        size=dict(zip(AXES, active_matrix().size, strict=True)),
    )


def _max_length(field: Any) -> int | None:
    return field.max_length if isinstance(field, Field) else None


def _plan(
    row: int, cells: dict[str, str], context: _Context, errors: list[RowError]
) -> _Plan | None:
    found = len(errors)

    def fail(column: str, message: str, code: Code = Code.INVALID) -> None:
        errors.append(_error(row, column, message, code))

    fields: dict[str, Any] = {}
    cleared: set[str] = set()
    risk_id = None
    if cells.get("id"):
        risk_id = risk_pk_from_id(cells["id"])
        if risk_id is None:
            fail("id", "Not the id of a risk (leave it empty to create one).", Code.NOT_FOUND)
    for column in TEXT_COLUMNS:
        value, limit = cells.get(column, ""), _max_length(Risk._meta.get_field(column))
        if limit and len(value) > limit:
            fail(column, f"At most {limit} characters.")
        elif value:
            fields[column] = value
        elif column in cells:
            cleared.add(column)
    if not cells.get("title"):
        fail("title", "A risk needs a title.")
    code = cells.get("category", "").lower()
    if not code:
        fail("category", "A risk needs a category code, e.g. credit.")
    elif code not in context.categories:
        fail("category", f"No category with code {code!r}.", Code.NOT_FOUND)
    else:
        fields["category_id"] = context.categories[code]
    for column, choices in CHOICE_COLUMNS.items():
        if column == "status" and cells.get("id"):
            choices = UPDATE_STATUSES
        value = cells.get(column, "").lower()
        if value and value not in choices:
            fail(column, f"{value!r} is not one of: {', '.join(choices)}.")
        elif value:
            fields[column] = value
        elif column in cells and column in CLEARED:
            cleared.add(column)
    if key := cells.get("owner", "").strip():
        owner_id = _owner(key, context.owners)
        if owner_id is None:
            fail("owner", f"No person {key!r} in the directory.", Code.NOT_FOUND)
        else:
            fields["owner_id"] = owner_id  # an inactive one is refused by the service
    elif "owner" in cells:
        cleared.add("owner_id")
    tags = [tag.strip() for tag in cells.get("tags", "").split(TAG_SEPARATOR) if tag.strip()]
    tags_field = Risk._meta.get_field("tags")
    tag_limit = _max_length(tags_field.base_field if isinstance(tags_field, ArrayField) else None)
    tag_limit = tag_limit or 40
    if any(len(tag) > tag_limit for tag in tags):
        fail("tags", f"A tag has at most {tag_limit} characters.")
    elif tags:
        fields["tags"] = tags
    elif "tags" in cells:
        cleared.add("tags")

    inherent = _rating(cells, "inherent", context.size, fail)
    residual = _rating(cells, "residual", context.size, fail)
    if not any(cells.get(f"inherent_{axis}") for axis in AXES):
        needs = "needs an inherent rating (inherent_likelihood and inherent_impact) in its row"
        residual_given = [f"residual_{axis}" for axis in AXES if cells.get(f"residual_{axis}")]
        if residual_given:
            fail(residual_given[0], f"A residual rating {needs}.", Code.NOT_ASSESSED)
        for column in ("expected_loss", "currency"):  # they are stored on the inherent rating
            if cells.get(column):
                fail(column, f"{column} {needs}.", Code.NOT_ASSESSED)
    loss = _loss(cells.get("expected_loss", ""), fail)
    currency = cells.get("currency", "").upper() or "CNY"
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        fail("currency", "An ISO 4217 code, e.g. CNY.")
    if len(errors) > found:
        return None
    return _Plan(row, fields, cleared, risk_id, inherent, residual, loss, currency)


def _owner(key: str, owners: dict[str, Any]) -> Any | None:
    """An owner cell: an employee number (what exports write), a Person global id, or the
    e-mail of a member linked to a person (what exports wrote before owners were people)."""
    if key in owners:
        return owners[key]
    if "@" in key:
        return owners.get(key.lower())
    person_id = global_pk(key, "Person")
    return person_id if person_id is not None and person_id in set(owners.values()) else None


def _rating(
    cells: dict[str, str], kind: str, size: dict[str, int], fail: Fail
) -> tuple[int, int] | None:
    """Both axes or neither; whole numbers on the active matrix. None when absent or wrong."""
    texts = {axis: cells.get(f"{kind}_{axis}", "") for axis in AXES}
    if not any(texts.values()):
        return None
    values: dict[str, int] = {}
    for axis, text in texts.items():
        column = f"{kind}_{axis}"
        number = _whole(text)
        if not text:
            fail(column, f"Give {kind}_likelihood and {kind}_impact together.")
        elif number is None:
            fail(column, f"{text!r} is not a whole number.")
        elif not 1 <= number <= size[axis]:
            message = f"{axis.capitalize()} is 1 to {size[axis]} on the active matrix."
            fail(column, message, Code.OUT_OF_RANGE)
        else:
            values[axis] = number
    return (values["likelihood"], values["impact"]) if len(values) == len(AXES) else None


def _whole(text: str) -> int | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return int(number) if number.is_finite() and number == number.to_integral_value() else None


def _loss(text: str, fail: Fail) -> Decimal | None:
    if not text:
        return None
    try:
        loss = Decimal(text.replace(",", "").replace(" ", ""))  # 2,500,000.00 as Excel shows it
    except InvalidOperation:
        loss = Decimal("NaN")
    if not loss.is_finite():
        fail("expected_loss", f"{text!r} is not a number.")
    elif loss < 0:
        fail("expected_loss", "A loss is zero or more.")
    elif loss >= LOSS_LIMIT or loss != loss.quantize(Decimal("0.01")):
        fail("expected_loss", "At most 16 digits before the decimal point and 2 after.")
    else:
        return loss
    return None


def _error(row: int, column: str | None, message: str, code: Code) -> RowError:
    return RowError(row, column, message, code.value)


# In the background ---------------------------------------------------------------------------


def import_as_job(*, task, job_id) -> dict:
    """Run the import stored on a job, all or nothing as inline; a rejection fails the job with
    every row error in its result."""
    import base64
    from dataclasses import asdict

    from apps.core.background import JobRejected, run_job

    def work(job) -> dict:
        content = base64.b64decode(job.input["content"])
        try:
            with transaction.atomic():
                created = risks_import(
                    content=content, file_format=job.input["format"], actor=job.created_by
                )
        except RowsRejected as rejected:
            raise JobRejected(
                f"{len(rejected.errors)} problem(s) in the file; nothing was imported.",
                {"errors": [asdict(error) for error in rejected.errors]},
            ) from rejected
        return {"created": len(created) - created.updated, "updated": created.updated}

    return run_job(task, job_id, work)
