"""The closed sets of the assessments API, each value described."""

from enum import Enum

import strawberry

e = strawberry.enum_value


@strawberry.enum(name="AssessmentDatasetKind", description="What a dataset's rows are.")
class DatasetKindEnum(Enum):
    LOAN_BOOK = e(
        "loan_book",
        description="Loans or applications: loan_id, ead, optional lgd, pd, default (0/1), "
        "segment; every other column is a numeric feature.",
    )
    POSITIONS = e(
        "positions", description="Positions: instrument, asset_class, exposure, currency."
    )
    RETURNS = e("returns", description="Daily returns: date, instrument, return (long format).")
    CASH_FLOWS = e(
        "cash_flows",
        description="Cash flows: maturity_days, inflow, outflow, source, counterparty.",
    )
    SCENARIOS = e("scenarios", description="Stress scenarios: scenario, shock, asset_class, value.")
    LOAN_PERFORMANCE = e(
        "loan_performance",
        description="Monthly loan performance: loan_id, origination_date, as_of, days_past_due, "
        "balance (one row per loan and month).",
    )


@strawberry.enum(name="AssessmentFileFormat", description="The kind of file an upload reads.")
class FileFormatEnum(Enum):
    CSV = e("csv", description="Comma-separated, UTF-8 (BOM ok) or GB18030.")
    XLSX = e("xlsx", description="Excel workbook; the first sheet (always parsed as a job).")
    JSON = e("json", description='A list of objects, or {"rows": [...]}; keys are headings.')


@strawberry.enum(name="AssessmentVersionStatus", description="Where a dataset version stands.")
class VersionStatusEnum(Enum):
    PARSING = e("parsing", description="A job is parsing and checking the file.")
    READY = e("ready", description="Stored; runs may use it.")
    REJECTED = e("rejected", description="The file had problems (see the job's result).")


@strawberry.enum(name="AssessmentRunKind", description="What a run computes.")
class RunKindEnum(Enum):
    SCORECARD_DEVELOPMENT = e(
        "scorecard_development",
        description="WoE binning, IV, L2 logistic regression, points, grades, validation; "
        "stores a scorecard version.",
    )
    CREDIT_SCORING = e(
        "credit_scoring",
        description="Scores a loan book with a stored scorecard: grades, PD, expected loss, "
        "PSI (and AUC/KS/calibration when the book has outcomes).",
    )
    MARKET_VAR = e(
        "market_var",
        description="Historical, parametric and Monte Carlo VaR/ES; component VaR; backtest.",
    )
    LIQUIDITY = e(
        "liquidity",
        description="Maturity ladder, cumulative gap, coverage ratio, survival horizon, HHI.",
    )
    STRESS_TEST = e("stress_test", description="Scenario shocks next to the baseline.")
    CREDIT_PORTFOLIO = e(
        "credit_portfolio",
        description="Loan-book concentration (industry, maturity, grade, segment: shares, HHI, "
        "top-N), past-due and NPL rates; vintages and roll rates from a performance history.",
    )


@strawberry.enum(name="AssessmentRunStatus", description="Where a run stands.")
class RunStatusEnum(Enum):
    QUEUED = e("queued", description="Waiting for a worker.")
    RUNNING = e("running", description="Being computed (see the job's progress).")
    SUCCEEDED = e("succeeded", description="Done; results stored.")
    FAILED = e("failed", description="Failed or refused by its inputs (see error).")
    CANCELLED = e("cancelled", description="Cancelled; nothing stored.")


@strawberry.enum(name="AssessmentRunOrder", description="How the run list is sorted.")
class RunOrder(Enum):
    CREATED = e("created", description="Newest first.")
    CREATED_ASC = e("created_asc", description="Oldest first.")


@strawberry.enum(name="AssessmentDatasetOrder", description="How the dataset list is sorted.")
class DatasetOrder(Enum):
    NAME = e("name", description="By name.")
    CREATED = e("created", description="Newest first.")


@strawberry.enum(name="AssessmentVersionOrder", description="How the version list is sorted.")
class VersionOrder(Enum):
    NUMBER = e("number", description="By dataset name, newest version first.")
    CREATED = e("created", description="Newest upload first.")


@strawberry.enum(name="ScorecardOrder", description="How the scorecard list is sorted.")
class ScorecardOrder(Enum):
    NAME = e("name", description="By name, newest version first.")
    CREATED = e("created", description="Newest fit first.")


@strawberry.enum(name="AssessmentFigureCode", description="A summary figure of a run.")
class FigureCodeEnum(Enum):
    ROWS = e("rows", description="Rows (loans, days, cash flows) used.")
    DEFAULTS = e("defaults", description="Defaults in the sample.")
    INFORMATION_VALUE = e("information_value", description="IV of a feature (segment).")
    AUC = e("auc", description="Area under the ROC curve (segment: sample).")
    GINI = e("gini", description="2·AUC − 1.")
    KS = e("ks", description="Kolmogorov-Smirnov distance of defaults and non-defaults.")
    PSI = e("psi", description="Population stability: score (blank) or a feature (segment).")
    HOSMER_LEMESHOW = e("hosmer_lemeshow", description="Hosmer-Lemeshow χ² over grades.")
    HOSMER_LEMESHOW_P = e("hosmer_lemeshow_p", description="Its p-value (grades − 2 degrees).")
    PORTFOLIO_PD = e("portfolio_pd", description="EAD-weighted PD, 0 to 1.")
    EXPECTED_LOSS = e("expected_loss", description="Σ PD × LGD × EAD (segment: scenario).")
    EXPOSURE = e("exposure", description="Σ EAD.")
    VAR_LIMIT_UTILISATION = e("var_limit_utilisation", description="VaR 99% ÷ limit × 100.")
    COMPONENT_VAR = e("component_var", description="Component VaR 99% of an asset class.")
    BACKTEST_EXCEPTIONS = e("backtest_exceptions", description="Days the loss exceeded VaR 99%.")
    BACKTEST_DAYS = e("backtest_days", description="Days backtested.")
    KUPIEC_LR = e("kupiec_lr", description="Kupiec proportion-of-failures statistic.")
    KUPIEC_P = e("kupiec_p", description="Its χ²(1) p-value.")
    CHRISTOFFERSEN_LR = e(
        "christoffersen_lr", description="Christoffersen independence of exceptions (LR)."
    )
    CHRISTOFFERSEN_P = e("christoffersen_p", description="Its χ²(1) p-value.")
    LIQUID_ASSETS = e("liquid_assets", description="Liquid assets after haircut.")
    NET_OUTFLOWS_30D = e("net_outflows_30d", description="Stressed net outflows over 30 days.")
    COVERAGE_RATIO = e("coverage_ratio", description="Liquid assets ÷ net outflows (30 days).")
    SURVIVAL_DAYS = e("survival_days", description="Days until the cash runs out (capped).")
    FUNDING_HHI = e("funding_hhi", description="HHI of outflows by counterparty, 0 to 1.")
    STRESS_LOSS = e("stress_loss", description="Position loss under a scenario's price shocks.")
    T_DOF = e("t_dof", description="Degrees of freedom of the Student-t VaR (fitted or given).")
    VAR_99 = e("var_99", description="Historical VaR 99%, one day.")
    CONCENTRATION_HHI = e(
        "concentration_hhi", description="HHI of EAD by a dimension (segment), 0 to 1."
    )
    TOP_SHARE = e("top_share", description="EAD share of the topN largest segments (segment).")
    SEGMENT_SHARE = e(
        "segment_share", description="EAD share of one segment (segment: dimension:segment)."
    )
    OVERDUE_RATE = e("overdue_rate", description="Share of EAD (or balance) past due, 0 to 1.")
    NPL_RATE = e(
        "npl_rate",
        description="Share more than nplDays past due; segment latest_month: of the history.",
    )


@strawberry.enum(name="AssessmentVarMethod", description="How a VaR was computed.")
class VarMethodEnum(Enum):
    HISTORICAL = e("historical", description="Historical simulation (inverted empirical CDF).")
    PARAMETRIC = e("parametric", description="Normal, zero mean, sample σ, √h scaling.")
    STUDENT_T = e(
        "student_t",
        description="Student-t, zero mean, scale (and ν unless given) fitted by maximum "
        "likelihood, √h scaling.",
    )
    MONTE_CARLO = e("monte_carlo", description="Correlated normal scenarios, seeded.")


@strawberry.enum(name="AssessmentLadderBucket", description="A maturity bucket.")
class LadderBucketEnum(Enum):
    D001 = e("d001", description="Up to 1 day.")
    D007 = e("d007", description="2 to 7 days.")
    D030 = e("d030", description="8 to 30 days.")
    D090 = e("d090", description="31 to 90 days.")
    D180 = e("d180", description="91 to 180 days.")
    D365 = e("d365", description="181 to 365 days.")
    D999 = e("d999", description="Over a year.")


@strawberry.enum(name="AssessmentCurve", description="A chart a run stores.")
class CurveEnum(Enum):
    ROC = e("roc", description="x: false-positive rate, y: true-positive rate.")
    BACKTEST = e("backtest", description="x: day of the backtest, y: loss − VaR 99%.")


@strawberry.enum(name="BaselZone", description="Basel traffic light of a 250-day backtest.")
class BaselZoneEnum(Enum):
    GREEN = e("green", description="0 to 4 exceptions.")
    YELLOW = e("yellow", description="5 to 9 exceptions.")
    RED = e("red", description="10 or more exceptions.")


@strawberry.enum(name="AssessmentConcentrationDimension", description="How a book is cut.")
class ConcentrationDimensionEnum(Enum):
    INDUSTRY = e("industry", description="The loan book's industry column.")
    MATURITY = e("maturity", description="Remaining maturity (maturity_days) in ladder buckets.")
    GRADE = e("grade", description="The loan book's grade column.")
    SEGMENT = e("segment", description="The loan book's segment column.")


@strawberry.enum(name="AssessmentDpdBucket", description="A days-past-due bucket.")
class DpdBucketEnum(Enum):
    CURRENT = e("current", description="Not past due.")
    DPD_1_30 = e("dpd_1_30", description="1 to 30 days past due.")
    DPD_31_60 = e("dpd_31_60", description="31 to 60 days past due.")
    DPD_61_90 = e("dpd_61_90", description="61 to 90 days past due.")
    DPD_90_PLUS = e("dpd_90_plus", description="More than 90 days past due.")
