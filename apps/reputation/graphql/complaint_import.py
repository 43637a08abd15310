"""Complaints from a CSV/XLSX file (an Upload or base64), all rows or none: inline up to
2,000 rows, a background job beyond (up to 100,000 rows and 20 MB)."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import strawberry
from django.db import transaction
from strawberry.file_uploads import Upload
from strawberry.types import Info

from apps.core.graphql.permissions import IsAnalyst
from apps.core.graphql.types import JobType
from apps.core.graphql.uploads import (
    BASE64_DESCRIPTION,
    FILE_DESCRIPTION,
    import_error_type,
    import_file,
)
from apps.core.tabular import UnreadableFile, count_data_rows
from apps.reputation.errors import ReputationErrorCode
from apps.reputation.services.complaint_import import (
    MAX_JOB_BYTES,
    MAX_ROWS,
    complaints_import,
    complaints_import_enqueue,
)


@strawberry.enum(name="ComplaintFileFormat", description="The kind of file an import reads.")
class ComplaintFileFormat(Enum):
    CSV = strawberry.enum_value("csv", description="Comma-separated, UTF-8 (BOM ok) or GB18030.")
    XLSX = strawberry.enum_value("xlsx", description="Excel workbook; the first sheet is read.")


if TYPE_CHECKING:  # a class built at run time (import_error_type)
    ReputationImportErrorType: TypeAlias = Any
else:
    ReputationImportErrorType = import_error_type("ReputationImportError", ReputationErrorCode)


@strawberry.input(
    description="A complaints file: columns reference, channel, category, summary (required), "
    "received_at, priority, customer_ref, product, regulator_hotline (optional); channel, "
    "category and priority as their enum values in lower case (e.g. online, fees, urgent)."
)
class ComplaintsImportInput:
    format: ComplaintFileFormat = strawberry.field(description="CSV or XLSX.")
    file: Upload | None = strawberry.field(default=None, description=FILE_DESCRIPTION)
    content_base64: str | None = strawberry.field(default=None, description=BASE64_DESCRIPTION)


@strawberry.type(description="What a complaints import did, or every problem of the file.")
class ComplaintsImportPayload:
    errors: list[ReputationImportErrorType] = strawberry.field(
        description="Every problem; when any, nothing was written."
    )
    created_count: int = strawberry.field(default=0, description="Complaints recorded.")
    unchanged_count: int = strawberry.field(
        default=0, description="Rows whose reference was recorded already (left as they are)."
    )
    job: JobType | None = strawberry.field(
        default=None,
        description="For a file past 2,000 rows: the import job (poll it; its result holds the "
        "counts or every problem). Null when imported inline.",
    )


@strawberry.type
class ComplaintImportMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Record complaints from a CSV/XLSX file: all rows or none; a reference "
        "recorded already is skipped, so a file sent twice adds nothing. Up to 2,000 rows "
        "inline; a larger file (up to 100,000 rows, 20 MB) becomes a job.",
    )
    def complaints_import(
        self,
        info: Info,
        input: Annotated[ComplaintsImportInput, strawberry.argument(description="The file.")],
    ) -> ComplaintsImportPayload:
        file_format, actor = str(input.format.value), info.context.request.user

        def run(content: bytes) -> ComplaintsImportPayload:
            try:
                rows = count_data_rows(content, file_format)
            except UnreadableFile:  # the inline path says why, as a file error
                rows = 0
            if rows > MAX_ROWS:
                with transaction.atomic():
                    job = complaints_import_enqueue(
                        content=content, file_format=file_format, actor=actor
                    )
                return ComplaintsImportPayload(errors=[], job=job)
            outcome = complaints_import(content=content, file_format=file_format, actor=actor)
            return ComplaintsImportPayload(
                errors=[], created_count=outcome.created, unchanged_count=outcome.unchanged
            )

        payload, errors = import_file(
            input,
            max_bytes=MAX_JOB_BYTES,
            error_type=ReputationImportErrorType,
            codes=ReputationErrorCode,
            run=run,
        )
        return payload or ComplaintsImportPayload(errors=errors)
