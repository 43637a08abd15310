from datetime import datetime
from typing import Annotated, cast

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
from strawberry.types import Info

from apps.core.graphql.errors import UserError
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.core.graphql.resolvers import run_service
from apps.core.graphql.types import JobType
from apps.core.graphql.uploads import UploadRefused, read_file
from apps.early_warning import models as m
from apps.early_warning.graphql.catalogue import CatalogueMutations
from apps.early_warning.graphql.errors import WarningError, WarningErrorCode
from apps.early_warning.graphql.signals import SignalMutations
from apps.early_warning.graphql.types import (
    WarningSettingsType,
)
from apps.early_warning.services import indicators, ingestion, scans
from apps.early_warning.services import jobs as scan_jobs
from apps.early_warning.services.ingestion import IngestRejected, PointError, PointIn

MAX_CSV_BYTES = 5 * 1024 * 1024  # 10,000 points of CSV are well under 1 MB

UNSET = strawberry.UNSET
Errors = list[WarningError]  # type: ignore[valid-type]


def _run(payload, call, *, input=None, fields=None):
    return run_service(payload, WarningError, WarningErrorCode, call, input=input, fields=fields)


@strawberry.input(description="One point of an indicator.")
class ObservationInput:
    indicator: str = strawberry.field(description="The indicator's code.")
    observed_at: datetime = strawberry.field(description="When it was measured.")
    value: float = strawberry.field(description="The value (a finite number).")
    dimensions: JSON | None = strawberry.field(default=None, description='e.g. {"channel": "app"}')


@strawberry.input(description="Points to store.")
class ObservationsIngestInput:
    points: list[ObservationInput] = strawberry.field(description="At most 10,000.")
    scan: bool = strawberry.field(default=True, description="Scan the touched indicators after.")


@strawberry.input(description="Points as compact rows.")
class ObservationsIngestRowsInput:
    rows: JSON = strawberry.field(
        description='Compact and fast: [["npl_ratio", "2026-11-01T00:00:00Z", 2.5, {"channel": '
        '"app"}], …] (dimensions optional). At most 10,000.'
    )
    scan: bool = strawberry.field(default=True, description="Scan the touched indicators after.")


@strawberry.input(description="Points as CSV (text or an upload).")
class ObservationsIngestCsvInput:
    csv: str | None = strawberry.field(
        default=None,
        description="The CSV text; header indicator,observed_at,value[,dimension...]. Or upload "
        "it as `file`.",
    )
    file: Upload | None = strawberry.field(
        default=None,
        description="The same CSV (UTF-8) as a multipart upload (GraphQL multipart request "
        f"spec), at most {MAX_CSV_BYTES // (1024 * 1024)} MB.",
    )
    scan: bool = strawberry.field(default=True, description="Scan the touched indicators after.")


@strawberry.type(
    name="ObservationError", description="A problem of one point; nothing of the call was stored."
)
class ObservationErrorType(UserError):
    index: int = strawberry.field(description="Position of the point (CSV: the row, header = 1).")
    code: WarningErrorCode = strawberry.field(description="Stable machine-readable code.")


@strawberry.type(
    description="How many points were stored, and the scan queued, or every bad point."
)
class ObservationsIngestPayload:
    errors: list[ObservationErrorType] = strawberry.field(
        description="Every bad point; when any, nothing was stored."
    )
    count: int = strawberry.field(default=0, description="Points stored (upserted).")
    scan: JobType | None = strawberry.field(
        default=None, description="The scan job queued for the touched indicators; poll it."
    )


@strawberry.input(description="What to scan.")
class ScanRunInput:
    indicators: list[relay.GlobalID] | None = strawberry.field(
        default=None,
        description="Omit to scan every active indicator, due or not; unknown ids are refused.",
    )


@strawberry.type(description="The scan job, or why not.")
class ScanRunPayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    job: JobType | None = strawberry.field(
        default=None, description="Poll it for progress and the result."
    )


@strawberry.input(description="New warning settings.")
class WarningSettingsInput:
    escalate_red_after_minutes: int = strawberry.field(description="1 minute to 7 days.")


@strawberry.type(description="The settings as saved, or why not.")
class WarningSettingsPayload:
    errors: Errors = strawberry.field(
        description="Empty when it worked; otherwise nothing was changed."
    )
    settings: WarningSettingsType | None = strawberry.field(default=None, description="As saved.")


def _rejected(rejected: IngestRejected) -> ObservationsIngestPayload:
    known = {c.value: c for c in WarningErrorCode}
    return ObservationsIngestPayload(
        errors=[
            ObservationErrorType(
                index=e.index,
                field=e.field,
                message=e.message,
                code=known.get(e.code, WarningErrorCode.INVALID),
            )
            for e in rejected.errors
        ]
    )


def _ingested(
    points: list[PointIn], rows: list[int] | None, scan: bool, actor
) -> ObservationsIngestPayload:
    try:
        done, job = scan_jobs.ingest_then_scan(points, positions=rows, scan=scan, actor=actor)
    except IngestRejected as rejected:
        return _rejected(rejected)
    return ObservationsIngestPayload(errors=[], count=done.count, scan=job)  # type: ignore[arg-type]


@strawberry.type
class EarlyWarningMutation(CatalogueMutations, SignalMutations):
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Store points (upserted; all or none) and scan what they touch.",
    )
    def observations_ingest(
        self,
        info: Info,
        input: Annotated[
            ObservationsIngestInput,
            strawberry.argument(description="The points, and whether to scan after."),
        ],
    ) -> ObservationsIngestPayload:
        # `dimensions` is JSON to the checker; the ingestion service checks it is {str: str}
        points = [
            PointIn(
                p.indicator, p.observed_at, p.value, cast("dict[str, str] | None", p.dimensions)
            )
            for p in input.points
        ]
        return _ingested(points, None, input.scan, info.context.request.user)

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="The same, as compact JSON rows (for large batches).",
    )
    def observations_ingest_rows(
        self,
        info: Info,
        input: Annotated[
            ObservationsIngestRowsInput,
            strawberry.argument(description="The rows, and whether to scan after."),
        ],
    ) -> ObservationsIngestPayload:
        try:
            points = ingestion.points_from_rows(input.rows)
        except IngestRejected as rejected:
            return _rejected(rejected)
        return _ingested(points, None, input.scan, info.context.request.user)

    @strawberry.mutation(permission_classes=[IsAnalyst], description="The same, from CSV text.")
    def observations_ingest_csv(
        self,
        info: Info,
        input: Annotated[
            ObservationsIngestCsvInput,
            strawberry.argument(description="The CSV (text or upload), and whether to scan after."),
        ],
    ) -> ObservationsIngestPayload:
        try:
            if (input.csv is None) == (input.file is None):
                raise UploadRefused("Send the CSV once: as `csv` text or as `file` (an upload).")
            text = input.csv
            if input.file is not None:
                content, _ = read_file(
                    content_base64=None, file=input.file, max_bytes=MAX_CSV_BYTES
                )
                text = content.decode("utf-8")
            points, rows = ingestion.points_from_csv(text)  # type: ignore[arg-type]
        except (UploadRefused, UnicodeDecodeError) as refused:
            message = (
                "The file is not UTF-8."
                if isinstance(refused, UnicodeDecodeError)
                else str(refused)
            )
            where = "file" if input.file is not None else "csv"
            return _rejected(IngestRejected([PointError(0, where, message, "invalid")]))
        except IngestRejected as rejected:
            return _rejected(rejected)
        return _ingested(points, rows, input.scan, info.context.request.user)

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Scan now; poll the job.")
    def scan_run(
        self,
        info: Info,
        input: Annotated[
            ScanRunInput, strawberry.argument(description="Which indicators to scan.")
        ],
    ) -> ScanRunPayload:
        ids = (
            None
            if input.indicators is None
            else [pk_or_nothing(g, "Indicator", m.Indicator) for g in input.indicators]
        )
        return _run(
            ScanRunPayload,
            lambda: {
                "job": scans.scan_request(indicator_ids=ids, created_by=info.context.request.user)
            },
            input=input,
        )

    @strawberry.mutation(permission_classes=[IsRiskManager])
    def warning_settings_update(
        self,
        input: Annotated[
            WarningSettingsInput, strawberry.argument(description="The new settings.")
        ],
    ) -> WarningSettingsPayload:
        return _run(
            WarningSettingsPayload,
            lambda: {
                "settings": indicators.settings_update(
                    escalate_red_after_minutes=input.escalate_red_after_minutes
                )
            },
            input=input,
        )
