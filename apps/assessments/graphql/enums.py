"""The closed sets of the assessments API, each value described.

Model-backed sets are built from the model's TextChoices (`choices_enum`), so a value added to a
model cannot be missing here (SEGMENT_SHARE once was); to the type checker each GraphQL enum is
the model enum itself (the pattern of apps/accounts/graphql/types.py)."""

from enum import Enum
from typing import TYPE_CHECKING

from apps.assessments import models as m
from apps.core.graphql.errors import choices_enum


class _FileFormatEnum(Enum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class _BaselZoneEnum(Enum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


if TYPE_CHECKING:
    DatasetKindEnum = m.DatasetKind
    FileFormatEnum = _FileFormatEnum
    VersionStatusEnum = m.VersionStatus
    RunKindEnum = m.RunKind
    RunStatusEnum = m.RunStatus
    FigureCodeEnum = m.FigureCode
    VarMethodEnum = m.VarMethod
    LadderBucketEnum = m.LadderBucket
    CurveEnum = m.CurveKind
    BaselZoneEnum = _BaselZoneEnum
    ConcentrationDimensionEnum = m.ConcentrationDimension
    DpdBucketEnum = m.DpdBucket
else:
    DatasetKindEnum = choices_enum(
        m.DatasetKind,
        "AssessmentDatasetKind",
        "What a dataset's rows are.",
        descriptions={
            m.DatasetKind.LOAN_BOOK: (
                "Loans or applications: loan_id, ead, optional lgd, pd, default (0/1), "
                "segment, industry, grade, maturity_days, days_past_due; every other column "
                "is a numeric feature."
            ),
            m.DatasetKind.POSITIONS: "Positions: instrument, asset_class, exposure, currency.",
            m.DatasetKind.RETURNS: "Daily returns: date, instrument, return (long format).",
            m.DatasetKind.CASH_FLOWS: (
                "Cash flows: maturity_days, inflow, outflow, source, counterparty."
            ),
            m.DatasetKind.SCENARIOS: "Stress scenarios: scenario, shock, asset_class, value.",
            m.DatasetKind.LOAN_PERFORMANCE: (
                "Monthly loan performance: loan_id, origination_date, as_of, days_past_due, "
                "balance (one row per loan and month)."
            ),
        },
    )
    FileFormatEnum = choices_enum(
        _FileFormatEnum,
        "AssessmentFileFormat",
        "The kind of file an upload reads.",
        descriptions={
            _FileFormatEnum.CSV: "Comma-separated, UTF-8 (BOM ok) or GB18030.",
            _FileFormatEnum.XLSX: "Excel workbook; the first sheet (always parsed as a job).",
            _FileFormatEnum.JSON: 'A list of objects, or {"rows": [...]}; keys are headings.',
        },
    )
    VersionStatusEnum = choices_enum(
        m.VersionStatus,
        "AssessmentVersionStatus",
        "Where a dataset version stands.",
        descriptions={
            m.VersionStatus.PARSING: "A job is parsing and checking the file.",
            m.VersionStatus.READY: "Stored; runs may use it.",
            m.VersionStatus.REJECTED: "The file had problems (see the job's result).",
        },
    )
    RunKindEnum = choices_enum(
        m.RunKind,
        "AssessmentRunKind",
        "What a run computes.",
        descriptions={
            m.RunKind.SCORECARD_DEVELOPMENT: (
                "WoE binning, IV, L2 logistic regression, points, grades, validation; stores a "
                "scorecard version."
            ),
            m.RunKind.CREDIT_SCORING: (
                "Scores a loan book with a stored scorecard: grades, PD, expected loss, PSI (and "
                "AUC/KS/calibration when the book has outcomes)."
            ),
            m.RunKind.MARKET_VAR: (
                "Historical, parametric and Monte Carlo VaR/ES; component VaR; backtest."
            ),
            m.RunKind.LIQUIDITY: (
                "Maturity ladder, cumulative gap, coverage ratio, survival horizon, HHI."
            ),
            m.RunKind.STRESS_TEST: "Scenario shocks next to the baseline.",
            m.RunKind.CREDIT_PORTFOLIO: (
                "Loan-book concentration (industry, maturity, grade, segment: shares, HHI, "
                "top-N), past-due and NPL rates; vintages and roll rates from a performance "
                "history."
            ),
        },
    )
    RunStatusEnum = choices_enum(
        m.RunStatus,
        "AssessmentRunStatus",
        "Where a run stands.",
        descriptions={
            m.RunStatus.QUEUED: "Waiting for a worker.",
            m.RunStatus.RUNNING: "Being computed (see the job's progress).",
            m.RunStatus.SUCCEEDED: "Done; results stored.",
            m.RunStatus.FAILED: "Failed or refused by its inputs (see error).",
            m.RunStatus.CANCELLED: "Cancelled; nothing stored.",
        },
    )
    FigureCodeEnum = choices_enum(
        m.FigureCode,
        "AssessmentFigureCode",
        "A summary figure of a run.",
        descriptions={
            m.FigureCode.ROWS: "Rows (loans, days, cash flows) used.",
            m.FigureCode.DEFAULTS: "Defaults in the sample.",
            m.FigureCode.INFORMATION_VALUE: "IV of a feature (segment).",
            m.FigureCode.AUC: "Area under the ROC curve (segment: sample).",
            m.FigureCode.GINI: "2·AUC − 1.",
            m.FigureCode.KS: "Kolmogorov-Smirnov distance of defaults and non-defaults.",
            m.FigureCode.PSI: "Population stability: score (blank) or a feature (segment).",
            m.FigureCode.HOSMER_LEMESHOW: "Hosmer-Lemeshow χ² over grades.",
            m.FigureCode.HOSMER_LEMESHOW_P: "Its p-value (grades − 2 degrees).",
            m.FigureCode.PORTFOLIO_PD: "EAD-weighted PD, 0 to 1.",
            m.FigureCode.EXPECTED_LOSS: "Σ PD × LGD × EAD (segment: scenario).",
            m.FigureCode.EXPOSURE: "Σ EAD.",
            m.FigureCode.VAR_LIMIT_UTILISATION: "VaR 99% ÷ limit × 100.",
            m.FigureCode.COMPONENT_VAR: "Component VaR 99% of an asset class.",
            m.FigureCode.BACKTEST_EXCEPTIONS: "Days the loss exceeded VaR 99%.",
            m.FigureCode.BACKTEST_DAYS: "Days backtested.",
            m.FigureCode.KUPIEC_LR: "Kupiec proportion-of-failures statistic.",
            m.FigureCode.KUPIEC_P: "Its χ²(1) p-value.",
            m.FigureCode.CHRISTOFFERSEN_LR: "Christoffersen independence of exceptions (LR).",
            m.FigureCode.CHRISTOFFERSEN_P: "Its χ²(1) p-value.",
            m.FigureCode.LIQUID_ASSETS: "Liquid assets after haircut.",
            m.FigureCode.NET_OUTFLOWS_30D: "Stressed net outflows over 30 days.",
            m.FigureCode.COVERAGE_RATIO: "Liquid assets ÷ net outflows (30 days).",
            m.FigureCode.SURVIVAL_DAYS: "Days until the cash runs out (capped).",
            m.FigureCode.FUNDING_HHI: "HHI of outflows by counterparty, 0 to 1.",
            m.FigureCode.STRESS_LOSS: "Position loss under a scenario's price shocks.",
            m.FigureCode.T_DOF: "Degrees of freedom of the Student-t VaR (fitted or given).",
            m.FigureCode.VAR_99: "Historical VaR 99%, one day.",
            m.FigureCode.CONCENTRATION_HHI: "HHI of EAD by a dimension (segment), 0 to 1.",
            m.FigureCode.TOP_SHARE: "EAD share of the topN largest segments (segment).",
            m.FigureCode.SEGMENT_SHARE: "EAD share of one segment (segment: dimension:segment).",
            m.FigureCode.OVERDUE_RATE: "Share of EAD (or balance) past due, 0 to 1.",
            m.FigureCode.NPL_RATE: (
                "Share more than nplDays past due; segment latest_month: of the history."
            ),
        },
    )
    VarMethodEnum = choices_enum(
        m.VarMethod,
        "AssessmentVarMethod",
        "How a VaR was computed.",
        descriptions={
            m.VarMethod.HISTORICAL: "Historical simulation (inverted empirical CDF).",
            m.VarMethod.PARAMETRIC: "Normal, zero mean, sample σ, √h scaling.",
            m.VarMethod.STUDENT_T: (
                "Student-t, zero mean, scale (and ν unless given) fitted by maximum likelihood, "
                "√h scaling."
            ),
            m.VarMethod.MONTE_CARLO: "Correlated normal scenarios, seeded.",
        },
    )
    LadderBucketEnum = choices_enum(
        m.LadderBucket,
        "AssessmentLadderBucket",
        "A maturity bucket.",
        descriptions={
            m.LadderBucket.D001: "Up to 1 day.",
            m.LadderBucket.D007: "2 to 7 days.",
            m.LadderBucket.D030: "8 to 30 days.",
            m.LadderBucket.D090: "31 to 90 days.",
            m.LadderBucket.D180: "91 to 180 days.",
            m.LadderBucket.D365: "181 to 365 days.",
            m.LadderBucket.D999: "Over a year.",
        },
    )
    CurveEnum = choices_enum(
        m.CurveKind,
        "AssessmentCurve",
        "A chart a run stores.",
        descriptions={
            m.CurveKind.ROC: "x: false-positive rate, y: true-positive rate.",
            m.CurveKind.BACKTEST: "x: day of the backtest, y: loss − VaR 99%.",
        },
    )
    BaselZoneEnum = choices_enum(
        _BaselZoneEnum,
        "BaselZone",
        "Basel traffic light of a 250-day backtest.",
        descriptions={
            _BaselZoneEnum.GREEN: "0 to 4 exceptions.",
            _BaselZoneEnum.YELLOW: "5 to 9 exceptions.",
            _BaselZoneEnum.RED: "10 or more exceptions.",
        },
    )
    ConcentrationDimensionEnum = choices_enum(
        m.ConcentrationDimension,
        "AssessmentConcentrationDimension",
        "How a book is cut.",
        descriptions={
            m.ConcentrationDimension.INDUSTRY: "The loan book's industry column.",
            m.ConcentrationDimension.MATURITY: (
                "Remaining maturity (maturity_days) in ladder buckets."
            ),
            m.ConcentrationDimension.GRADE: "The loan book's grade column.",
            m.ConcentrationDimension.SEGMENT: "The loan book's segment column.",
        },
    )
    DpdBucketEnum = choices_enum(
        m.DpdBucket,
        "AssessmentDpdBucket",
        "A days-past-due bucket.",
        descriptions={
            m.DpdBucket.CURRENT: "Not past due.",
            m.DpdBucket.DPD_1_30: "1 to 30 days past due.",
            m.DpdBucket.DPD_31_60: "31 to 60 days past due.",
            m.DpdBucket.DPD_61_90: "61 to 90 days past due.",
            m.DpdBucket.DPD_90_PLUS: "More than 90 days past due.",
        },
    )
