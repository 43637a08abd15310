"""HR sync from CSV/XLSX: small files inline, large ones as a background job."""

import base64
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import strawberry
from django.db import transaction
from strawberry.file_uploads import Upload
from strawberry.types import Info

from apps.core import services as jobs
from apps.core.graphql.permissions import IsTenantAdmin
from apps.core.graphql.types import JobType
from apps.core.graphql.uploads import (
    BASE64_DESCRIPTION,
    FILE_DESCRIPTION,
    import_error_type,
    import_file,
)
from apps.core.transactions import enqueue_on_commit
from apps.people.graphql.errors import PeopleErrorCode
from apps.people.module import JOB_IMPORT
from apps.people.services.importing import (
    MAX_BYTES,
    check_before_parsing,
    count_data_rows,
    people_import,
)

# Above this many rows an import runs in the background.
INLINE_ROWS = 300


@strawberry.enum(name="PeopleFileFormat", description="The kind of file an import reads.")
class PeopleFileFormat(Enum):
    CSV = strawberry.enum_value("csv", description="Comma-separated, UTF-8 (BOM ok) or GB18030.")
    XLSX = strawberry.enum_value("xlsx", description="Excel workbook; the first sheet is read.")


if TYPE_CHECKING:  # a class built at run time (import_error_type)
    PeopleImportErrorType: TypeAlias = Any
else:
    PeopleImportErrorType = import_error_type("PeopleImportError", PeopleErrorCode)


@strawberry.input(description="A staff file to sync the directory with.")
class PeopleImportInput:
    format: PeopleFileFormat = strawberry.field(description="CSV or XLSX.")
    file: Upload | None = strawberry.field(default=None, description=FILE_DESCRIPTION)
    content_base64: str | None = strawberry.field(default=None, description=BASE64_DESCRIPTION)
    deactivate_missing: bool = strawberry.field(
        default=False, description="Deactivate active people whose number is not in the file."
    )


@strawberry.type(description="What an import did, or every problem of the file.")
class PeopleImportPayload:
    errors: list[PeopleImportErrorType] = strawberry.field(
        description="Every problem; when any, nothing was written."
    )
    created_count: int = strawberry.field(default=0, description="People added.")
    updated_count: int = strawberry.field(default=0, description="People changed.")
    unchanged_count: int = strawberry.field(default=0, description="Rows that changed nothing.")
    deactivated_count: int = strawberry.field(
        default=0, description="People not in the file, deactivated."
    )
    job: JobType | None = strawberry.field(
        default=None, description="For a large file: poll it; rejected rows are in its result."
    )


@strawberry.type
class ImportMutations:
    @strawberry.mutation(
        permission_classes=[IsTenantAdmin],
        description="Sync people from a CSV/XLSX file by employee number: all rows or none.",
    )
    def people_import(
        self,
        info: Info,
        input: Annotated[
            PeopleImportInput, strawberry.argument(description="The file and how to apply it.")
        ],
    ) -> PeopleImportPayload:
        # str(): the checker sees strawberry's enum_value() wrapper; the member's value is "csv"
        file_format, actor = str(input.format.value), info.context.request.user

        def run(content: bytes) -> PeopleImportPayload:
            # An XLSX file is always a job: parsing a workbook is the worker's work.
            check_before_parsing(content=content, file_format=file_format)
            if (
                file_format == "xlsx"
                or count_data_rows(content=content, file_format=file_format) > INLINE_ROWS
            ):
                return _in_background(content, file_format, input.deactivate_missing, actor)
            with transaction.atomic():
                outcome = people_import(
                    content=content,
                    file_format=file_format,
                    actor=actor,
                    deactivate_missing=input.deactivate_missing,
                )
            return _imported(outcome)

        payload, errors = import_file(
            input,
            max_bytes=MAX_BYTES,
            error_type=PeopleImportErrorType,
            codes=PeopleErrorCode,
            run=run,
        )
        return payload or PeopleImportPayload(errors=errors)


def _imported(outcome) -> PeopleImportPayload:
    return PeopleImportPayload(
        errors=[],
        created_count=outcome.created,
        updated_count=outcome.updated,
        unchanged_count=outcome.unchanged,
        deactivated_count=outcome.deactivated,
    )


def _in_background(content: bytes, file_format: str, deactivate_missing: bool, actor):
    from apps.people import tasks

    with transaction.atomic():
        job = jobs.job_create(
            kind=JOB_IMPORT,
            created_by=actor,
            input={
                "format": file_format,
                "content": base64.b64encode(content).decode(),
                "deactivate_missing": deactivate_missing,
            },
        )
        enqueue_on_commit(tasks.import_file, str(job.pk))
    return PeopleImportPayload(errors=[], job=job)  # type: ignore[arg-type]
