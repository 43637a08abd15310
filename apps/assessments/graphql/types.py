"""Datasets, versions, scorecards and runs, with a run's results as typed rows.

A run's result lists are bounded by what the run computes (a figure per code and segment, a
row per grade, bin, bucket or VaR method, at most 101 ROC points and `backtestDays` backtest
points), so they are plain lists, fetched with the run (prefetched for a page of runs)."""

from datetime import date, datetime
from decimal import Decimal

import strawberry
import strawberry_django
from strawberry import relay

from apps.accounts.roles import Role
from apps.assessments import models as m
from apps.assessments.graphql.enums import (
    BaselZoneEnum,
    ConcentrationDimensionEnum,
    CurveEnum,
    DatasetKindEnum,
    DpdBucketEnum,
    FigureCodeEnum,
    FileFormatEnum,
    LadderBucketEnum,
    RunKindEnum,
    RunStatusEnum,
    VarMethodEnum,
    VersionStatusEnum,
)
from apps.assessments.graphql.register import LimitBindingType, limit_bindings
from apps.assessments.quant.market import traffic_light
from apps.core.graphql.nodes import TenantNode
from apps.core.graphql.types import JobType


@strawberry_django.type(
    m.Dataset, name="AssessmentDataset", description="A named table runs work on, versioned."
)
class DatasetType(TenantNode):
    min_role = Role.VIEWER

    name: str = strawberry_django.field(description="Unique name.")
    kind: DatasetKindEnum = strawberry_django.field(description="What its rows are.")
    description: str = strawberry_django.field(description="Free text.")
    latest_number: int = strawberry_django.field(description="The last version's number.")
    created_at: datetime = strawberry_django.field(description="When it was created.")


@strawberry_django.type(
    m.DatasetVersion,
    name="AssessmentDatasetVersion",
    description="One upload of a dataset: its rows, stored as columns.",
)
class DatasetVersionType(TenantNode):
    min_role = Role.VIEWER

    dataset: DatasetType = strawberry_django.field(description="The dataset.")
    number: int = strawberry_django.field(description="1, 2, … per dataset.")
    status: VersionStatusEnum = strawberry_django.field(description="Parsing, ready, rejected.")
    row_count: int = strawberry_django.field(description="Rows stored.")
    columns: list[str] = strawberry_django.field(description="Column names stored.")
    file_format: str = strawberry_django.field(description="csv, xlsx, json or arrays.")
    job: JobType | None = strawberry_django.field(description="The parse job (large files).")
    created_at: datetime = strawberry_django.field(description="When it was uploaded.")


@strawberry.type(name="ScorecardBin", description="One bin of a feature of a scorecard.")
class ScorecardBinType:
    upper: float | None = strawberry.field(description="Upper edge (inclusive); null: none.")
    woe: float = strawberry.field(description="Weight of evidence, ln(%good / %bad).")
    points: float = strawberry.field(description="Points a value in this bin adds.")


@strawberry.type(name="ScorecardFeature", description="A feature of a scorecard.")
class ScorecardFeatureType:
    name: str = strawberry.field(description="The loan book column.")
    coefficient: float = strawberry.field(description="Logistic coefficient on its WoE.")
    bins: list[ScorecardBinType] = strawberry.field(description="Its bins, lowest first.")


@strawberry.type(name="ScorecardGrade", description="A grade of a scorecard.")
class ScorecardGradeType:
    grade: str = strawberry.field(description="A (best) …")
    min_score: float | None = strawberry.field(description="Lowest score of it; null: last.")
    pd: float = strawberry.field(description="Its PD (mean model PD on development loans).")


@strawberry_django.type(
    m.Scorecard, name="Scorecard", description="A fitted scorecard version (from a run)."
)
class ScorecardType(TenantNode):
    min_role = Role.VIEWER

    name: str = strawberry_django.field(description="Name given at development.")
    version: int = strawberry_django.field(description="1, 2, … per name.")
    created_at: datetime = strawberry_django.field(description="When it was fitted.")
    specification: strawberry.Private[dict]  # the model's field, read by the resolvers below

    @strawberry_django.field(only=["specification"], description="Features, bins and points.")
    def features(self) -> list[ScorecardFeatureType]:
        return [
            ScorecardFeatureType(
                name=f["name"],
                coefficient=f["coefficient"],
                bins=[
                    ScorecardBinType(upper=u, woe=w, points=p)
                    for u, w, p in zip([*f["edges"], None], f["woe"], f["points"], strict=True)
                ],
            )
            for f in self.specification["features"]
        ]

    @strawberry_django.field(only=["specification"], description="Grades, best first.")
    def grades(self) -> list[ScorecardGradeType]:
        return [ScorecardGradeType(**g) for g in self.specification["grades"]]

    @strawberry_django.field(
        only=["specification"], description="Score = offset + factor · ln odds."
    )
    def offset(self) -> float:
        return self.specification["offset"]

    @strawberry_django.field(only=["specification"], description="PDO / ln 2.")
    def factor(self) -> float:
        return self.specification["factor"]


@strawberry_django.type(m.RunFigure, name="AssessmentFigure", description="A summary figure.")
class FigureType:
    code: FigureCodeEnum = strawberry_django.field(description="Which figure.")
    segment: str = strawberry_django.field(
        description="Blank: the whole; else a feature, sample, asset class or scenario."
    )
    value: Decimal = strawberry_django.field(description="The value (amounts to the cent).")


@strawberry_django.type(m.RunGrade, name="AssessmentGradeRow", description="A grade's results.")
class GradeRowType:
    grade: str = strawberry_django.field(description="A (best) …")
    min_score: float | None = strawberry_django.field(description="Lowest score; null: last.")
    count: int = strawberry_django.field(description="Loans.")
    defaults: int | None = strawberry_django.field(description="Defaults; null: no outcomes.")
    pd: float = strawberry_django.field(description="The grade's PD.")
    observed_rate: float | None = strawberry_django.field(description="Defaults ÷ loans.")
    binomial_p: float | None = strawberry_django.field(description="Binomial test of the PD.")
    exposure: Decimal = strawberry_django.field(description="Σ EAD.")
    expected_loss: Decimal = strawberry_django.field(description="Σ PD × LGD × EAD.")


@strawberry_django.type(m.RunBin, name="AssessmentWoeBin", description="A WoE table row.")
class WoeBinType:
    feature: str = strawberry_django.field(description="The feature.")
    index: int = strawberry_django.field(description="0 = lowest values.")
    upper: float | None = strawberry_django.field(description="Upper edge; null: no bound.")
    count: int = strawberry_django.field(description="Development loans in it.")
    defaults: int = strawberry_django.field(description="Defaults among them.")
    woe: float = strawberry_django.field(description="ln(%good / %bad).")
    iv: float = strawberry_django.field(description="(%good − %bad) × WoE.")
    points: float = strawberry_django.field(description="Scorecard points.")


@strawberry_django.type(m.RunVar, name="AssessmentVar", description="VaR and ES of one method.")
class VarType:
    method: VarMethodEnum = strawberry_django.field(description="How.")
    confidence: Decimal = strawberry_django.field(description="e.g. 0.99.")
    horizon_days: int = strawberry_django.field(description="Days (√h scaling).")
    var: Decimal = strawberry_django.field(description="Value at risk (a loss, positive).")
    es: Decimal = strawberry_django.field(description="Expected shortfall beyond it.")


@strawberry_django.type(
    m.RunLadderRow, name="AssessmentLadderRow", description="A maturity bucket of the ladder."
)
class LadderRowType:
    bucket: LadderBucketEnum = strawberry_django.field(description="The bucket.")
    inflow: Decimal = strawberry_django.field(description="Contractual inflows.")
    outflow: Decimal = strawberry_django.field(description="Contractual outflows.")
    gap: Decimal = strawberry_django.field(description="Inflow − outflow.")
    cumulative_gap: Decimal = strawberry_django.field(description="Gap up to this bucket.")


@strawberry_django.type(m.RunCurvePoint, name="AssessmentCurvePoint", description="A point.")
class CurvePointType:
    curve: CurveEnum = strawberry_django.field(description="Which chart.")
    x: float = strawberry_django.field(description="x (see the curve).")
    y: float = strawberry_django.field(description="y (see the curve).")


@strawberry_django.type(
    m.RunConcentrationRow,
    name="AssessmentConcentrationRow",
    description="One segment of a loan book cut by one dimension.",
)
class ConcentrationRowType:
    dimension: ConcentrationDimensionEnum = strawberry_django.field(description="The cut.")
    segment: str = strawberry_django.field(description="Industry, grade, bucket or segment.")
    rank: int = strawberry_django.field(description="1 = the largest share.")
    loans: int = strawberry_django.field(description="Loans in it.")
    exposure: Decimal = strawberry_django.field(description="Σ EAD.")
    share: float = strawberry_django.field(description="Its EAD ÷ the book's, 0 to 1.")
    overdue_rate: float | None = strawberry_django.field(
        description="EAD share past due (null: the book has no days_past_due)."
    )
    npl_rate: float | None = strawberry_django.field(
        description="EAD share more than nplDays past due (null: no days_past_due)."
    )


@strawberry_django.type(
    m.RunVintageRow, name="AssessmentVintageRow", description="A vintage at a month on book."
)
class VintageRowType:
    vintage: date = strawberry_django.field(description="First day of the origination month.")
    months_on_book: int = strawberry_django.field(description="As-of month − origination month.")
    loans: int = strawberry_django.field(description="Loans observed.")
    balance: Decimal = strawberry_django.field(description="Σ balance (0: none given).")
    overdue_rate: float = strawberry_django.field(description="Balance share past due.")
    npl_rate: float = strawberry_django.field(description="Balance share over nplDays.")


@strawberry_django.type(
    m.RunRollRate, name="AssessmentRollRate", description="A month's move between dpd buckets."
)
class RollRateType:
    from_bucket: DpdBucketEnum = strawberry_django.field(description="Bucket in month m.")
    to_bucket: DpdBucketEnum = strawberry_django.field(description="Bucket in month m + 1.")
    loans: int = strawberry_django.field(description="Loans that moved so.")
    rate: float = strawberry_django.field(description="Share of the from-bucket's loans.")


@strawberry.type(name="AssessmentBacktest", description="A VaR backtest's verdict.")
class BacktestType:
    days: int = strawberry.field(description="Days backtested.")
    exceptions: int = strawberry.field(description="Days the loss exceeded VaR 99%.")
    zone: BaselZoneEnum | None = strawberry.field(
        description="Basel traffic light (null unless 250 days were backtested)."
    )


@strawberry_django.type(m.AssessmentRun, name="AssessmentRun", description="A model run.")
class RunType(TenantNode):
    min_role = Role.VIEWER

    kind: RunKindEnum = strawberry_django.field(description="What it computes.")
    status: RunStatusEnum = strawberry_django.field(description="Where it stands.")
    job: JobType | None = strawberry_django.field(description="Its job: progress in percent.")
    model_version: str = strawberry_django.field(description="Algorithm version of the kind.")
    seed: str = strawberry_django.field(description="Random seed (a 64-bit integer, as text).")
    loan_book: DatasetVersionType | None = strawberry_django.field(description="Input.")
    positions: DatasetVersionType | None = strawberry_django.field(description="Input.")
    returns: DatasetVersionType | None = strawberry_django.field(description="Input.")
    cash_flows: DatasetVersionType | None = strawberry_django.field(description="Input.")
    scenarios: DatasetVersionType | None = strawberry_django.field(description="Input.")
    loan_performance: DatasetVersionType | None = strawberry_django.field(description="Input.")
    scorecard: ScorecardType | None = strawberry_django.field(description="Scorecard used.")
    error: str = strawberry_django.field(description="Why it failed.")
    created_at: datetime = strawberry_django.field(description="When it was asked for.")
    started_at: datetime | None = strawberry_django.field(description="When a worker began.")
    finished_at: datetime | None = strawberry_django.field(description="When it ended.")
    figures: list[FigureType] = strawberry_django.field(description="Summary figures.")
    grades: list[GradeRowType] = strawberry_django.field(description="Results by grade.")
    bins: list[WoeBinType] = strawberry_django.field(description="WoE tables (development).")
    var_rows: list[VarType] = strawberry_django.field(description="VaR / ES by method.")
    ladder: list[LadderRowType] = strawberry_django.field(description="Maturity ladder.")
    curve_points: list[CurvePointType] = strawberry_django.field(description="Chart points.")
    concentration: list[ConcentrationRowType] = strawberry_django.field(
        description="Loan-book concentration by dimension (credit-portfolio runs)."
    )
    vintages: list[VintageRowType] = strawberry_django.field(
        description="Past-due and NPL rates by vintage and month on book."
    )
    roll_rates: list[RollRateType] = strawberry_django.field(
        description="Roll-rate matrix, 25 rows (credit-portfolio runs with a history)."
    )

    period: str = strawberry_django.field(
        description="The period of a scheduled run (2026-12-01, 2026-W49, 2026-12); blank: "
        "not scheduled."
    )
    register_note: str = strawberry_django.field(
        description="What the run wrote to the register (assessments, limits), or why not."
    )

    @strawberry_django.field(
        only=["limit_bindings"], description="Register limits the run sets from its figures."
    )
    def limit_bindings(self) -> list[LimitBindingType]:
        return limit_bindings(self)

    @strawberry_django.field(only=["risk_ids"], description="Ids of the linked Risk objects.")
    def risk_ids(self) -> list[relay.GlobalID]:
        return [relay.GlobalID("Risk", str(pk)) for pk in self.risk_ids]

    @strawberry_django.field(
        only=["parameters"], description="The parameters as run, defaults in (name: value)."
    )
    def parameters(self) -> list["ParameterType"]:
        return [ParameterType(name=k, value=_text(v)) for k, v in sorted(self.parameters.items())]

    @strawberry_django.field(
        prefetch_related=["figures"], description="The backtest (market runs that ran one)."
    )
    def backtest(self) -> BacktestType | None:
        figures = self.figures.all()  # type: ignore[attr-defined]  # the model's related manager
        found = {f.code: int(f.value) for f in figures if f.code.startswith("backtest")}
        if "backtest_exceptions" not in found:
            return None
        days, exceptions = found["backtest_days"], found["backtest_exceptions"]
        zone = BaselZoneEnum(traffic_light(exceptions)) if days == 250 else None
        return BacktestType(days=days, exceptions=exceptions, zone=zone)


def _text(value) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


@strawberry.type(name="AssessmentParameter", description="One parameter of a run.")
class ParameterType:
    name: str = strawberry.field(description="snake_case, as in AssessmentParametersInput.")
    value: str = strawberry.field(description="Its value as text; blank: not set.")


@strawberry.type(name="AssessmentFigureChange", description="One figure in two runs.")
class FigureChangeType:
    code: FigureCodeEnum = strawberry.field(description="Which figure.")
    segment: str = strawberry.field(description="Its segment.")
    a: Decimal | None = strawberry.field(description="In run a; null: not there.")
    b: Decimal | None = strawberry.field(description="In run b; null: not there.")
    change: Decimal | None = strawberry.field(description="b − a, when both have it.")


@strawberry.type(name="AssessmentComparison", description="Two runs side by side.")
class ComparisonType:
    a: RunType = strawberry.field(description="The earlier run asked for.")
    b: RunType = strawberry.field(description="The later run asked for.")
    same_inputs: bool = strawberry.field(description="Same kind, inputs, parameters and seed.")
    figures: list[FigureChangeType] = strawberry.field(description="Every figure of either.")


@strawberry.type(name="AssessmentLoanResult", description="One scored loan.")
class LoanResultType:
    loan_id: str = strawberry.field(description="As in the loan book.")
    score: float = strawberry.field(description="Scorecard points.")
    grade: str = strawberry.field(description="Its grade.")
    pd: float = strawberry.field(description="The grade's PD.")
    expected_loss: Decimal = strawberry.field(description="PD × LGD × EAD, to the cent.")


__all__ = ["FileFormatEnum"]
