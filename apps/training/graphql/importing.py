"""Results from CSV/XLSX, inline (at most INLINE_ROWS rows; larger files are refused in this
slice: the background job is a later step)."""

from enum import Enum
from typing import Annotated

import strawberry
from django.db import transaction
from strawberry.types import Info

from apps.core.graphql.permissions import IsRiskManager
from apps.core.graphql.uploads import (
    UploadRefused,
    decode_base64_file,
    import_error_type,
    row_errors,
)
from apps.core.tabular import FILE_ROW, RowError, RowsRejected, UnreadableFile, count_data_rows
from apps.training.graphql.errors import TrainingErrorCode
from apps.training.services.importing import MAX_BYTES, records_import

INLINE_ROWS = 300


@strawberry.enum(name="TrainingFileFormat", description="The kind of file an import reads.")
class TrainingFileFormat(Enum):
    CSV = strawberry.enum_value("csv", description="Comma-separated, UTF-8 (BOM ok) or GB18030.")
    XLSX = strawberry.enum_value("xlsx", description="Excel workbook; the first sheet is read.")


TrainingImportErrorType = import_error_type("TrainingImportError", TrainingErrorCode)


@strawberry.input(description="A file of training results.")
class TrainingRecordsImportInput:
    format: TrainingFileFormat = strawberry.field(description="CSV or XLSX.")
    content_base64: str = strawberry.field(description="The file, base64-encoded.")


@strawberry.type(description="What an import did, or every problem of the file.")
class TrainingRecordsImportPayload:
    errors: list[TrainingImportErrorType] = strawberry.field(
        description="Every problem; when any, nothing was written."
    )
    created_count: int = strawberry.field(default=0, description="Records added.")
    updated_count: int = strawberry.field(default=0, description="Records changed.")
    unchanged_count: int = strawberry.field(default=0, description="Rows already recorded.")


def _errors(errors: list) -> list[TrainingImportErrorType]:
    return row_errors(TrainingImportErrorType, TrainingErrorCode, errors)


def _file_error(message: str) -> TrainingRecordsImportPayload:
    return TrainingRecordsImportPayload(
        errors=_errors([RowError(FILE_ROW, None, message, TrainingErrorCode.IMPORT_INVALID.value)])
    )


@strawberry.type
class ImportMutations:
    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Import results by (employee number, course code, completed at): all or none.",
    )
    def training_records_import(
        self,
        info: Info,
        input: Annotated[TrainingRecordsImportInput, strawberry.argument(description="File.")],
    ) -> TrainingRecordsImportPayload:
        try:
            content = decode_base64_file(input.content_base64, max_bytes=MAX_BYTES)
        except UploadRefused as refused:
            return _file_error(str(refused))
        try:
            if count_data_rows(content, input.format.value) > INLINE_ROWS:
                return _file_error(f"At most {INLINE_ROWS} rows per file for now.")
            with transaction.atomic():
                outcome = records_import(
                    content=content,
                    file_format=input.format.value,
                    actor=info.context.request.user,
                )
        except UnreadableFile as exc:
            return _file_error(str(exc))
        except RowsRejected as rejected:
            return TrainingRecordsImportPayload(errors=_errors(rejected.errors))
        return TrainingRecordsImportPayload(
            errors=[],
            created_count=outcome.created,
            updated_count=outcome.updated,
            unchanged_count=outcome.unchanged,
        )
