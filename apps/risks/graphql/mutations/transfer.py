"""Import of the register from CSV/XLSX: small files inline, large ones as a background job."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
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
from apps.risks.graphql.errors import RiskErrorCode
from apps.risks.graphql.types import RiskType
from apps.risks.services import transfer_submit
from apps.risks.services.transfer_import import MAX_BYTES
from apps.risks.services.transfer_submit import import_submit

# Read at each call (tests lower it); the service's own default is the same.
INLINE_ROWS = transfer_submit.INLINE_ROWS


@strawberry.enum(name="TransferFormat", description="The file format of an export or import.")
class TransferFormat(Enum):
    CSV = strawberry.enum_value("csv", description="Comma-separated, UTF-8 with a BOM.")
    XLSX = strawberry.enum_value("xlsx", description="An Excel workbook (imported as a job).")


# Built at run time (a UserError with row and column); to the type checker, any type.
if TYPE_CHECKING:
    RiskImportErrorType = Any
else:
    RiskImportErrorType = import_error_type("RiskImportError", RiskErrorCode)


@strawberry.input(description="A register file, in the columns riskExport writes.")
class RiskImportInput:
    format: TransferFormat = strawberry.field(description="CSV or XLSX.")
    file: Upload | None = strawberry.field(default=None, description=FILE_DESCRIPTION)
    content_base64: str | None = strawberry.field(default=None, description=BASE64_DESCRIPTION)


@strawberry.type(description="What an import did, or every problem of the file.")
class RiskImportPayload:
    errors: list[RiskImportErrorType] = strawberry.field(
        description="Every problem of the file; when any, nothing was imported."
    )
    created_count: int = strawberry.field(default=0, description="Rows without an id: created.")
    updated_count: int = strawberry.field(
        default=0, description="Rows with the id of a risk: that risk updated."
    )
    risks: list[RiskType] = strawberry.field(
        default_factory=list,
        description=f"The risks created or updated, in file order (inline imports, at most "
        f"{INLINE_ROWS}).",
    )
    job: JobType | None = strawberry.field(
        default=None, description="For a large file: poll it; rejected rows are in its result."
    )


@strawberry.type
class TransferMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Import a register file (analyst and above), all rows or none: a row with "
        "the `id` of a risk (as riskExport writes it) updates that risk, a row without one "
        "creates a risk. Large and XLSX files run as a job.",
    )
    def risk_import(
        self,
        info: Info,
        input: Annotated[RiskImportInput, strawberry.argument(description="The file.")],
    ) -> RiskImportPayload:
        submitted, errors = import_file(
            input,
            max_bytes=MAX_BYTES,
            error_type=RiskImportErrorType,
            codes=RiskErrorCode,
            run=lambda content: import_submit(
                content=content,
                file_format=str(input.format.value),
                actor=info.context.request.user,
                inline_rows=INLINE_ROWS,
            ),
        )
        if submitted is None:
            return RiskImportPayload(errors=errors)
        imported = submitted.created
        updated = getattr(imported, "updated", 0)
        return RiskImportPayload(
            errors=[],
            created_count=len(imported) - updated,
            updated_count=updated,
            risks=imported,  # type: ignore[arg-type]
            job=submitted.job,  # type: ignore[arg-type]  # the model, which JobType resolves
        )
