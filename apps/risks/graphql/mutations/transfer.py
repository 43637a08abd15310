"""Import of the register from CSV/XLSX: small files inline, large ones as a background job."""

from enum import Enum

import strawberry
from strawberry.types import Info

from apps.core.graphql.permissions import IsAnalyst
from apps.core.graphql.types import JobType
from apps.core.graphql.uploads import (
    UploadRefused,
    decode_base64_file,
    import_error_type,
    row_errors,
)
from apps.risks.graphql.errors import RiskErrorCode
from apps.risks.graphql.types import RiskType
from apps.risks.services import transfer_submit
from apps.risks.services.transfer import ImportRejected, ImportRowError
from apps.risks.services.transfer_import import MAX_BYTES
from apps.risks.services.transfer_submit import import_submit

# Read at each call (tests lower it); the service's own default is the same.
INLINE_ROWS = transfer_submit.INLINE_ROWS


@strawberry.enum(name="TransferFormat")
class TransferFormat(Enum):
    CSV = "csv"
    XLSX = "xlsx"


RiskImportErrorType = import_error_type("RiskImportError", RiskErrorCode)


@strawberry.input
class RiskImportInput:
    format: TransferFormat
    content_base64: str


@strawberry.type
class RiskImportPayload:
    errors: list[RiskImportErrorType]
    created_count: int = 0
    risks: list[RiskType] = strawberry.field(
        default_factory=list,
        description=f"The created risks (inline imports, at most {INLINE_ROWS}).",
    )
    job: JobType | None = strawberry.field(
        default=None, description="For a large file: poll it; rejected rows are in its result."
    )


def _errors(errors: list) -> list[RiskImportErrorType]:
    return row_errors(RiskImportErrorType, RiskErrorCode, errors)


def _file_error(message: str) -> RiskImportPayload:
    return RiskImportPayload(errors=_errors([ImportRowError(0, None, message, "import_invalid")]))


@strawberry.type
class TransferMutations:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Create risks from a CSV or XLSX file: all of them or none.",
    )
    def risk_import(self, info: Info, input: RiskImportInput) -> RiskImportPayload:
        try:
            content = decode_base64_file(input.content_base64, max_bytes=MAX_BYTES)
        except UploadRefused as refused:
            return _file_error(str(refused))
        try:
            submitted = import_submit(
                content=content,
                file_format=input.format.value,
                actor=info.context.request.user,
                inline_rows=INLINE_ROWS,
            )
        except ImportRejected as rejected:
            return RiskImportPayload(errors=_errors(rejected.errors))
        created = submitted.created
        return RiskImportPayload(
            errors=[], created_count=len(created), risks=created, job=submitted.job
        )  # type: ignore[arg-type]

