"""Complaints from a CSV/XLSX file (an Upload or base64), all rows or none, inline."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from apps.core.graphql.permissions import IsAnalyst
from apps.core.graphql.uploads import (
    BASE64_DESCRIPTION,
    FILE_DESCRIPTION,
    import_error_type,
    import_file,
)
from apps.reputation.errors import ReputationErrorCode
from apps.reputation.services.complaint_import import MAX_BYTES, complaints_import


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


@strawberry.type
class ComplaintImportMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Record complaints from a CSV/XLSX file (at most 2,000 rows): all rows or "
        "none; a reference recorded already is skipped, so a file sent twice adds nothing.",
    )
    def complaints_import(
        self,
        info: Info,
        input: Annotated[ComplaintsImportInput, strawberry.argument(description="The file.")],
    ) -> ComplaintsImportPayload:
        outcome, errors = import_file(
            input,
            max_bytes=MAX_BYTES,
            error_type=ReputationImportErrorType,
            codes=ReputationErrorCode,
            run=lambda content: complaints_import(
                content=content,
                file_format=str(input.format.value),
                actor=info.context.request.user,
            ),
        )
        if outcome is None:
            return ComplaintsImportPayload(errors=errors)
        return ComplaintsImportPayload(
            errors=[], created_count=outcome.created, unchanged_count=outcome.unchanged
        )
