"""Writes of the assessments module (analysts and up): upload a dataset version, start, cancel
or repeat a run — each a thin call of one service."""

from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.assessments.graphql.enums import (
    DatasetKindEnum,
    FileFormatEnum,
    RunKindEnum,
)
from apps.assessments.graphql.errors import (
    AssessmentError,
    AssessmentErrorCode,
    AssessmentImportError,
)
from apps.assessments.graphql.register import LimitBindingInput, RegisterMappingMutation
from apps.assessments.graphql.reserve import ReserveMutation
from apps.assessments.graphql.schedules import ScheduleMutation
from apps.assessments.graphql.types import DatasetVersionType, RunType
from apps.assessments.graphql.uploads import UploadMutation
from apps.assessments.models import AssessmentRun, Dataset, DatasetVersion, Scorecard
from apps.assessments.services import datasets, runs
from apps.core.graphql.errors import ApiError, errors_from_validation
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.core.graphql.resolvers import run_service
from apps.core.graphql.uploads import UploadRefused, decode_base64_file, row_errors
from apps.core.tabular import FILE_ROW, RowsRejected

Errors = list[AssessmentError]  # type: ignore[valid-type]
# The API's uploads are bounded by the request size (DATA_UPLOAD_MAX_MEMORY_SIZE); larger
# files come in through the admin or the service (docs/assessments.md).
API_MAX_BYTES = 6 * 1024 * 1024


@strawberry.input(description="A new version of a dataset, from a file.")
class AssessmentDatasetUploadInput:
    dataset: relay.GlobalID | None = strawberry.field(
        default=None, description="An AssessmentDataset to add a version to; null: a new one."
    )
    name: str = strawberry.field(default="", description="A new dataset's unique name.")
    kind: DatasetKindEnum | None = strawberry.field(
        default=None, description="A new dataset's kind."
    )
    description: str = strawberry.field(default="", description="A new dataset's description.")
    format: FileFormatEnum = strawberry.field(description="CSV, XLSX or JSON.")
    content_base64: str = strawberry.field(description="The file, base64-encoded.")


@strawberry.type(description="The version made (ready, or parsing as a job), or every problem.")
class AssessmentDatasetUploadPayload:
    errors: list[AssessmentImportError] = strawberry.field(  # type: ignore[valid-type]
        description="Every problem; when any, nothing was written."
    )
    version: DatasetVersionType | None = strawberry.field(default=None, description="As made.")


@strawberry.input(
    description="Parameters of a run; those left out take their defaults (docs/assessments.md)."
)
class AssessmentParametersInput:
    name: str | None = strawberry.field(default=None, description="Scorecard name.")
    bins: int | None = strawberry.field(default=None, description="Bins per feature, 2–20.")
    binning: str | None = strawberry.field(default=None, description="quantile or monotonic.")
    c: float | None = strawberry.field(default=None, description="Inverse L2 strength.")
    base_score: float | None = strawberry.field(default=None, description="Score at base odds.")
    base_odds: float | None = strawberry.field(default=None, description="Good:bad odds.")
    pdo: float | None = strawberry.field(default=None, description="Points to double odds.")
    grades: int | None = strawberry.field(default=None, description="Grades, 2–10.")
    validation_share: float | None = strawberry.field(
        default=None, description="Held-out share, 0–0.5."
    )
    lgd: float | None = strawberry.field(default=None, description="LGD where none is given.")
    confidences: list[float] | None = strawberry.field(
        default=None, description="VaR confidences, e.g. [0.95, 0.99]."
    )
    horizon_days: int | None = strawberry.field(default=None, description="Horizon in days.")
    mc_scenarios: int | None = strawberry.field(
        default=None, description="Monte Carlo scenarios, 0 (off) to 200,000."
    )
    backtest_days: int | None = strawberry.field(default=None, description="0 turns it off.")
    backtest_window: int | None = strawberry.field(default=None, description="VaR window.")
    var_limit: Decimal | None = strawberry.field(default=None, description="VaR limit.")
    t_dof: float | None = strawberry.field(
        default=None, description="Student-t degrees of freedom, 2.01–1000; null: fitted."
    )
    liquid_assets: Decimal | None = strawberry.field(default=None, description="Liquid assets.")
    haircut: float | None = strawberry.field(default=None, description="0–1.")
    runoff: float | None = strawberry.field(default=None, description="Outflow run-off, 0–1.")
    inflow_rate: float | None = strawberry.field(default=None, description="Inflows counted.")
    top_n: int | None = strawberry.field(
        default=None, description="Segments in the top-N share, 1–50."
    )
    npl_days: int | None = strawberry.field(
        default=None, description="Non-performing: more than this many days past due (90)."
    )


@strawberry.input(description="A run to start.")
class AssessmentRunCreateInput:
    kind: RunKindEnum = strawberry.field(description="What to compute.")
    loan_book: relay.GlobalID | None = strawberry.field(
        default=None, description="An AssessmentDatasetVersion (loan book)."
    )
    positions: relay.GlobalID | None = strawberry.field(default=None, description="A version.")
    returns: relay.GlobalID | None = strawberry.field(default=None, description="A version.")
    cash_flows: relay.GlobalID | None = strawberry.field(default=None, description="A version.")
    scenarios: relay.GlobalID | None = strawberry.field(default=None, description="A version.")
    loan_performance: relay.GlobalID | None = strawberry.field(
        default=None, description="A version (credit-portfolio runs)."
    )
    scorecard: relay.GlobalID | None = strawberry.field(
        default=None, description="A Scorecard (scoring runs)."
    )
    parameters: AssessmentParametersInput | None = strawberry.field(
        default=None, description="Parameters; defaults for those left out."
    )
    seed: str | None = strawberry.field(
        default=None, description="A 64-bit integer as text; null: a random one (stored)."
    )
    risks: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Risks the run informs (rated by the register mapping)."
    )
    limits: list[LimitBindingInput] | None = strawberry.field(
        default=None, description="Register limits the run sets (needs risk_manager)."
    )


@strawberry.input(description="A run, by id.")
class AssessmentRunInput:
    id: relay.GlobalID = strawberry.field(description="The AssessmentRun.")


@strawberry.type(description="The run, or why not.")
class AssessmentRunPayload:
    errors: Errors = strawberry.field(description="Empty when it worked.")
    run: RunType | None = strawberry.field(default=None, description="As it stands now.")


def _import_errors(errors) -> list:
    return row_errors(AssessmentImportError, AssessmentErrorCode, errors)


def _parameters(given: AssessmentParametersInput | None) -> dict[str, Any]:
    if given is None:
        return {}
    names = AssessmentParametersInput.__strawberry_definition__.fields  # type: ignore[attr-defined]
    return {
        f.python_name: getattr(given, f.python_name)
        for f in names
        if getattr(given, f.python_name) is not None
    }


def _seed(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return -1  # refused by the service as out of range


def _role(info: Info) -> str:
    membership = getattr(info.context.request, "membership", None)
    return membership.role if membership else ""


def _version(gid) -> Any:
    return pk_or_nothing(gid, "AssessmentDatasetVersion", DatasetVersion)


def _limits(info: Info, given: list[LimitBindingInput] | None) -> list[dict]:
    """Setting a register limit is a risk manager's write (as limitUpdate is)."""
    from apps.risks.models import RiskLimit

    if given and not IsRiskManager().has_permission(None, info):
        raise ApiError(IsRiskManager.message, "FORBIDDEN")
    return [
        {
            "limit": str(pk_or_nothing(b.limit, "RiskLimit", RiskLimit)),
            "figure": b.figure.value,
            "segment": b.segment,
        }
        for b in given or []
    ]


@strawberry.type
class AssessmentsMutation(
    RegisterMappingMutation, ReserveMutation, ScheduleMutation, UploadMutation
):
    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Upload a dataset version: checked all or none; large or XLSX files are "
        "parsed by a job (the version is `parsing` until then).",
    )
    def assessment_dataset_upload(
        self,
        info: Info,
        input: Annotated[AssessmentDatasetUploadInput, strawberry.argument(description="File.")],
    ) -> AssessmentDatasetUploadPayload:
        from django.core.exceptions import ValidationError
        from django.db import transaction

        try:
            content = decode_base64_file(input.content_base64, max_bytes=API_MAX_BYTES)
        except UploadRefused as refused:
            return AssessmentDatasetUploadPayload(
                errors=[
                    AssessmentImportError(
                        row=FILE_ROW,
                        column=None,
                        message=str(refused),
                        code=AssessmentErrorCode.IMPORT_INVALID,
                    )
                ]
            )
        try:
            with transaction.atomic():
                version = datasets.dataset_upload(
                    content=content,
                    file_format=input.format.value,
                    dataset_id=pk_or_nothing(input.dataset, "AssessmentDataset", Dataset),
                    name=input.name,
                    kind=input.kind.value if input.kind else "",
                    description=input.description,
                    actor=info.context.request.user,
                )
        except RowsRejected as rejected:
            return AssessmentDatasetUploadPayload(errors=_import_errors(rejected.errors))
        except ValidationError as exc:
            errors: list[Any] = errors_from_validation(
                exc, AssessmentError, AssessmentErrorCode, input_type=AssessmentDatasetUploadInput
            )
            return AssessmentDatasetUploadPayload(
                errors=[
                    AssessmentImportError(
                        field=e.field, row=FILE_ROW, column=None, message=e.message, code=e.code
                    )
                    for e in errors
                ]
            )
        return AssessmentDatasetUploadPayload(errors=[], version=version)  # type: ignore[arg-type]

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Start a run: inputs and parameters are checked now, the computation is "
        "a job on the heavy queue.",
    )
    def assessment_run_create(
        self,
        info: Info,
        input: Annotated[AssessmentRunCreateInput, strawberry.argument(description="What.")],
    ) -> AssessmentRunPayload:
        from apps.risks.models import Risk

        limits = _limits(info, input.limits)
        versions = {
            name: _version(getattr(input, name))
            for name in runs.INPUTS
            if getattr(input, name) is not None
        }
        return run_service(
            AssessmentRunPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "run": runs.run_create(
                    kind=input.kind.value,
                    parameters=_parameters(input.parameters),
                    seed=_seed(input.seed),
                    scorecard_id=pk_or_nothing(input.scorecard, "Scorecard", Scorecard),
                    risk_ids=[pk_or_nothing(r, "Risk", Risk) for r in input.risks or []],
                    limits=limits,
                    actor=info.context.request.user,
                    actor_role=_role(info),
                    **versions,
                )
            },
            input=input,
            fields={"scorecard_id": "scorecard", "risk_ids": "risks"},
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Cancel a queued or running run; nothing of it is stored.",
    )
    def assessment_run_cancel(
        self,
        info: Info,
        input: Annotated[AssessmentRunInput, strawberry.argument(description="Which run.")],
    ) -> AssessmentRunPayload:
        return run_service(
            AssessmentRunPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "run": runs.run_cancel(
                    run_id=pk_or_nothing(input.id, "AssessmentRun", AssessmentRun),
                    actor=info.context.request.user,
                )
            },
            input=input,
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Start a new run with the same kind, inputs, parameters and seed.",
    )
    def assessment_run_repeat(
        self,
        info: Info,
        input: Annotated[AssessmentRunInput, strawberry.argument(description="Which run.")],
    ) -> AssessmentRunPayload:
        return run_service(
            AssessmentRunPayload,
            AssessmentError,
            AssessmentErrorCode,
            lambda: {
                "run": runs.run_repeat(
                    run_id=pk_or_nothing(input.id, "AssessmentRun", AssessmentRun),
                    actor=info.context.request.user,
                    actor_role=_role(info),
                )
            },
            input=input,
        )
