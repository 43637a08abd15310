"""Datasets (versioned columnar tables), scorecard versions, runs and their typed results, the
register mapping and run schedules.

A dataset version's rows are stored as one `.npy` blob per column in PostgreSQL (bytea), in the
tenant's own schema: isolated as every other row, written in the version's transaction (all or
nothing), backed up with the rest (docs/decisions.md, "Assessments").
"""

from apps.assessments.models.datasets import (
    Dataset,
    DatasetColumn,
    DatasetKind,
    DatasetVersion,
    VersionStatus,
)
from apps.assessments.models.register import Cadence, RatingKind, RegisterMapping, RunSchedule
from apps.assessments.models.reserve import (
    MovementKind,
    MovementStatus,
    ReserveAdequacy,
    ReserveFund,
    ReserveMovement,
)
from apps.assessments.models.results import (
    ConcentrationDimension,
    CurveKind,
    DpdBucket,
    FigureCode,
    LadderBucket,
    RunBin,
    RunColumn,
    RunConcentrationRow,
    RunCurvePoint,
    RunFigure,
    RunGrade,
    RunLadderRow,
    RunRollRate,
    RunVar,
    RunVintageRow,
    VarMethod,
)
from apps.assessments.models.runs import AssessmentRun, RunKind, RunStatus, Scorecard
from apps.assessments.models.uploads import StagedFile, UploadChunk, UploadSession, UploadStatus

__all__ = [
    "AssessmentRun",
    "Cadence",
    "ConcentrationDimension",
    "CurveKind",
    "Dataset",
    "DatasetColumn",
    "DatasetKind",
    "DatasetVersion",
    "DpdBucket",
    "FigureCode",
    "LadderBucket",
    "MovementKind",
    "MovementStatus",
    "RatingKind",
    "RegisterMapping",
    "ReserveAdequacy",
    "ReserveFund",
    "ReserveMovement",
    "RunBin",
    "RunColumn",
    "RunConcentrationRow",
    "RunCurvePoint",
    "RunFigure",
    "RunGrade",
    "RunKind",
    "RunLadderRow",
    "RunRollRate",
    "RunSchedule",
    "RunStatus",
    "RunVar",
    "RunVintageRow",
    "Scorecard",
    "StagedFile",
    "UploadChunk",
    "UploadSession",
    "UploadStatus",
    "VarMethod",
    "VersionStatus",
]
