"""Chunked uploads (analysts): start → append base64 chunks of up to 6 MB → finish (a version,
parsed by a job) — files past one request's size without the admin."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.types import Info

from apps.accounts.roles import Role
from apps.assessments import models as m
from apps.assessments.graphql.enums import DatasetKindEnum, FileFormatEnum
from apps.assessments.graphql.errors import AssessmentError, AssessmentErrorCode
from apps.assessments.graphql.types import DatasetType, DatasetVersionType
from apps.assessments.services import uploads
from apps.core.errors import refuse
from apps.core.graphql.errors import choices_enum
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.permissions import IsAnalyst
from apps.core.graphql.resolvers import run_service
from apps.core.graphql.uploads import UploadRefused, decode_base64_file

Errors = list[AssessmentError]  # type: ignore[valid-type]


if TYPE_CHECKING:
    UploadStatusEnum = m.UploadStatus
else:
    UploadStatusEnum = choices_enum(
        m.UploadStatus,
        "AssessmentUploadStatus",
        "Where a chunked upload stands.",
        descriptions={
            m.UploadStatus.OPEN: "Taking chunks.",
            m.UploadStatus.FINISHED: "Joined; a version was made.",
        },
    )


@strawberry_django.type(
    m.UploadSession,
    name="AssessmentUpload",
    description="A dataset file arriving in chunks.",
)
class UploadType(TenantNode):
    min_role = Role.VIEWER

    file_format: str = strawberry_django.field(description="csv, xlsx or json.")
    status: UploadStatusEnum = strawberry_django.field(description="Open or finished.")
    received_bytes: int = strawberry_django.field(description="Bytes received so far.")
    name: str = strawberry_django.field(description="A new dataset's name (blank: a version).")
    dataset: DatasetType | None = strawberry_django.field(description="The dataset, if existing.")
    version: DatasetVersionType | None = strawberry_django.field(description="The version made.")
    created_at: datetime = strawberry_django.field(description="When it was started.")


@strawberry.input(description="A chunked upload to start: a new dataset, or a new version.")
class AssessmentUploadStartInput:
    dataset: relay.GlobalID | None = strawberry.field(
        default=None, description="An AssessmentDataset to add a version to; null: a new one."
    )
    name: str = strawberry.field(default="", description="A new dataset's unique name.")
    kind: DatasetKindEnum | None = strawberry.field(
        default=None, description="A new dataset's kind."
    )
    description: str = strawberry.field(default="", description="A new dataset's description.")
    format: FileFormatEnum = strawberry.field(description="CSV, XLSX or JSON.")


@strawberry.input(description="One chunk of the file, in order from 0.")
class AssessmentUploadAppendInput:
    upload: relay.GlobalID = strawberry.field(description="The AssessmentUpload.")
    index: int = strawberry.field(description="0, 1, 2, …; sending one again replaces it.")
    content_base64: str = strawberry.field(description="Up to 6 MB of the file, base64-encoded.")


@strawberry.input(description="Join the chunks and parse the file.")
class AssessmentUploadFinishInput:
    upload: relay.GlobalID = strawberry.field(description="The AssessmentUpload.")
    chunks: int = strawberry.field(description="How many chunks were sent (0 … chunks − 1).")


@strawberry.type(description="The upload as it stands (and the version, once finished).")
class AssessmentUploadPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    upload: UploadType | None = strawberry.field(default=None, description="The upload.")
    version: DatasetVersionType | None = strawberry.field(
        default=None, description="Finish: the version, parsing as a job."
    )


def _upload_id(gid) -> object:
    return pk_or_nothing(gid, "AssessmentUpload", m.UploadSession)


def _chunk(text: str) -> bytes:
    try:
        return decode_base64_file(text, max_bytes=uploads.CHUNK_MAX_BYTES)
    except UploadRefused as refused:
        raise refuse("content", str(refused), AssessmentErrorCode.INVALID) from None


@strawberry.type
class UploadMutation:
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Start a chunked upload (checked now: format, dataset or name and kind).",
    )
    def assessment_upload_start(
        self,
        info: Info,
        input: Annotated[AssessmentUploadStartInput, strawberry.argument(description="What.")],
    ) -> AssessmentUploadPayload:
        return run_service(
            AssessmentUploadPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "upload": uploads.upload_start(
                    file_format=input.format.value,
                    dataset_id=pk_or_nothing(input.dataset, "AssessmentDataset", m.Dataset),
                    name=input.name,
                    kind=input.kind.value if input.kind else "",
                    description=input.description,
                    actor=info.context.request.user,
                )
            },
            input=input,
            fields={"file_format": "format"},
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Send one chunk.")
    def assessment_upload_append(
        self,
        input: Annotated[AssessmentUploadAppendInput, strawberry.argument(description="Chunk.")],
    ) -> AssessmentUploadPayload:
        return run_service(
            AssessmentUploadPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "upload": uploads.upload_append(
                    upload_id=_upload_id(input.upload),
                    index=input.index,
                    content=_chunk(input.content_base64),
                )
            },
            input=input,
            fields={"upload_id": "upload", "content": "contentBase64"},
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Join the chunks into the file and queue its parse: a new version, parsing.",
    )
    def assessment_upload_finish(
        self,
        info: Info,
        input: Annotated[AssessmentUploadFinishInput, strawberry.argument(description="Which.")],
    ) -> AssessmentUploadPayload:
        def finish() -> dict:
            version = uploads.upload_finish(
                upload_id=_upload_id(input.upload),
                chunks=input.chunks,
                actor=info.context.request.user,
            )
            return {"version": version, "upload": m.UploadSession.objects.get(version=version)}

        return run_service(
            AssessmentUploadPayload,
            AssessmentError,
            AssessmentErrorCode,
            finish,
            input=input,
            fields={"upload_id": "upload"},
        )
