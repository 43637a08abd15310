"""Results from CSV/XLSX: small CSV files inline, large ones and workbooks as a background job."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from apps.core.graphql.permissions import IsRiskManager
from apps.core.graphql.types import JobType
from apps.core.graphql.uploads import (
    BASE64_DESCRIPTION,
    FILE_DESCRIPTION,
    import_error_type,
    import_file,
)
from apps.training.graphql.errors import TrainingErrorCode
from apps.training.services.import_submit import import_submit
from apps.training.services.importing import MAX_BYTES, ImportOutcome


@strawberry.enum(name="TrainingFileFormat", description="The kind of file an import reads.")
class TrainingFileFormat(Enum):
    CSV = strawberry.enum_value("csv", description="Comma-separated, UTF-8 (BOM ok) or GB18030.")
    XLSX = strawberry.enum_value("xlsx", description="Excel workbook; the first sheet is read.")


if TYPE_CHECKING:  # a class built at run time (import_error_type)
    TrainingImportErrorType: TypeAlias = Any
else:
    TrainingImportErrorType = import_error_type("TrainingImportError", TrainingErrorCode)


@strawberry.input(description="A file of training results.")
class TrainingRecordsImportInput:
    format: TrainingFileFormat = strawberry.field(description="CSV or XLSX.")
    file: Upload | None = strawberry.field(default=None, description=FILE_DESCRIPTION)
    content_base64: str | None = strawberry.field(default=None, description=BASE64_DESCRIPTION)


@strawberry.type(description="What an import did, or every problem of the file.")
class TrainingRecordsImportPayload:
    errors: list[TrainingImportErrorType] = strawberry.field(
        description="Every problem; when any, nothing was written."
    )
    created_count: int = strawberry.field(default=0, description="Records added.")
    updated_count: int = strawberry.field(default=0, description="Records changed.")
    unchanged_count: int = strawberry.field(default=0, description="Rows already recorded.")
    job: JobType | None = strawberry.field(
        default=None,
        description="For a large file or a workbook: poll it; rejected rows are in its result.",
    )


@strawberry.type
class ImportMutations:
    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Import results by (employee number, course code, completed at): all or "
        "none. Over 300 rows, or XLSX, the import runs as a job.",
    )
    def training_records_import(
        self,
        info: Info,
        input: Annotated[TrainingRecordsImportInput, strawberry.argument(description="File.")],
    ) -> TrainingRecordsImportPayload:
        submitted, errors = import_file(
            input,
            max_bytes=MAX_BYTES,
            error_type=TrainingImportErrorType,
            codes=TrainingErrorCode,
            run=lambda content: import_submit(
                content=content,
                file_format=str(input.format.value),
                actor=info.context.request.user,
            ),
        )
        if submitted is None:
            return TrainingRecordsImportPayload(errors=errors)
        if submitted.job is not None:
            # the Job row; strawberry_django resolves it as JobType
            return TrainingRecordsImportPayload(errors=[], job=submitted.job)  # type: ignore[arg-type]
        outcome = submitted.outcome or ImportOutcome()
        return TrainingRecordsImportPayload(
            errors=[],
            created_count=outcome.created,
            updated_count=outcome.updated,
            unchanged_count=outcome.unchanged,
        )
