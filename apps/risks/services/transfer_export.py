"""Export of a (filtered) risk register to CSV or XLSX, in the columns the import reads."""

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from apps.risks.models import AssessmentKind, Risk, RiskAssessment
from apps.risks.services.transfer import (
    CONTENT_TYPES,
    EXPORT_COLUMNS,
    FORMATS,
    TAG_SEPARATOR,
    ExportedFile,
    global_risk_id,
    neutralise,
)

CHUNK = 2_000


def risks_export(*, queryset: QuerySet[Risk], file_format: str) -> ExportedFile:
    """Write every risk of `queryset` (already filtered and permitted by the caller)."""
    if file_format not in FORMATS:
        raise ValueError(f"file_format is one of {FORMATS}, not {file_format!r}")
    rows = _rows(queryset)
    content, count = _csv(rows) if file_format == "csv" else _xlsx(rows)
    return ExportedFile(
        filename=f"risks-{timezone.now():%Y%m%d-%H%M%S}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
        content=content,
        row_count=count,
    )


def _rows(queryset: QuerySet[Risk]) -> Iterator[list[Any]]:
    # The loss and currency live on the latest inherent assessment, not on the risk: two
    # correlated subqueries (served by the assessment_latest index) keep it one streamed query.
    latest = RiskAssessment.objects.filter(
        risk=OuterRef("pk"), kind=AssessmentKind.INHERENT
    ).order_by("-assessed_at", "-created_at")
    risks = queryset.select_related("owner", "category").annotate(
        export_expected_loss=Subquery(latest.values("expected_loss")[:1]),
        export_currency=Subquery(latest.values("currency")[:1]),
    )
    for risk in risks.iterator(chunk_size=CHUNK):
        values = {
            "id": global_risk_id(risk.pk),
            "title": risk.title,
            "category": risk.category.code,
            "description": risk.description,
            "business_line": risk.business_line,
            "causes": risk.causes,
            "consequences": risk.consequences,
            "source": risk.source,
            # The person's employee number: what the import matches (a global id works too).
            "owner": risk.owner.employee_number if risk.owner else None,
            "department": risk.department,
            "status": risk.status,
            "treatment_strategy": risk.treatment_strategy,
            "tags": TAG_SEPARATOR.join(risk.tags),
            "inherent_likelihood": risk.inherent_likelihood,
            "inherent_impact": risk.inherent_impact,
            "residual_likelihood": risk.residual_likelihood,
            "residual_impact": risk.residual_impact,
            "expected_loss": risk.export_expected_loss,
            "currency": risk.export_currency,
            "reference": risk.reference,
            "inherent_level": risk.inherent_level,
            "residual_level": risk.residual_level,
            "current_level": risk.current_level,
            "above_appetite": risk.above_appetite,
            "next_review_at": risk.next_review_at,
            "created_at": risk.created_at,
        }
        yield [values[column] for column in EXPORT_COLUMNS]


def _csv(rows: Iterator[list[Any]]) -> tuple[bytes, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        count += 1
    # The BOM is how Excel knows the file is UTF-8; without it Chinese text turns to mojibake.
    return buffer.getvalue().encode("utf-8-sig"), count


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value) if isinstance(value, str) else str(value)


def _xlsx(rows: Iterator[list[Any]]) -> tuple[bytes, int]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # streams rows to disk instead of holding a cell tree
    sheet = book.create_sheet("Risks")
    sheet.append(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def _xlsx_cell(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: UTC
    if isinstance(value, str):
        # openpyxl refuses control characters, and stores a string starting with = as a formula.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)) or None  # "" as an empty cell
    return value
