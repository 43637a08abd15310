"""What a computation hands back, and writing it as typed rows in one go."""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from apps.assessments import tables
from apps.assessments.models import (
    AssessmentRun,
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
)

CENT = Decimal("0.01")


def money(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT)


EXACT_FLOAT = 2**53  # every integer up to here is a float64


def sum_cents_by(index: np.ndarray, cents: np.ndarray, groups: int) -> np.ndarray:
    """Exact integer sums of cents per group. A float64 bincount is exact while every partial
    sum is an integer below 2⁵³ (Σ|cents| bounds them all) and ~10× faster than np.add.at;
    beyond that, np.add.at in int64."""
    if float(np.abs(cents).sum()) < EXACT_FLOAT:
        return np.bincount(index, weights=cents, minlength=groups).astype(np.int64)
    out = np.zeros(groups, dtype=np.int64)
    np.add.at(out, index, cents)
    return out


def cents_to_money(cents: int) -> Decimal:
    """An exact sum kept in integer cents, as Decimal."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def figure_value(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal("0.00000001"))


@dataclass
class Results:
    figures: list[tuple[str, str, float | Decimal]] = field(default_factory=list)
    grades: list[dict] = field(default_factory=list)
    bins: list[dict] = field(default_factory=list)
    var_rows: list[dict] = field(default_factory=list)
    ladder: list[dict] = field(default_factory=list)
    concentration: list[dict] = field(default_factory=list)
    vintages: list[dict] = field(default_factory=list)
    roll_rates: list[dict] = field(default_factory=list)
    curves: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    scorecard: dict | None = None  # a development run's fitted specification
    points: dict[str, float] = field(default_factory=dict)  # indicator code → observation

    def figure(self, code: str, value, segment: str = "") -> None:
        self.figures.append((code, segment, value))


def stored_figures(results: Results) -> dict[tuple[str, str], Decimal]:
    """{(code, segment): value} as the figures are stored."""
    return {
        (code, segment): value if isinstance(value, Decimal) else figure_value(value)
        for code, segment, value in results.figures
    }


def write(run: AssessmentRun, results: Results) -> None:
    RunFigure.objects.bulk_create(
        RunFigure(run=run, code=code, segment=segment, value=value)
        for (code, segment), value in stored_figures(results).items()
    )
    RunGrade.objects.bulk_create(RunGrade(run=run, **row) for row in results.grades)
    RunBin.objects.bulk_create(RunBin(run=run, **row) for row in results.bins)
    RunVar.objects.bulk_create(RunVar(run=run, **row) for row in results.var_rows)
    RunLadderRow.objects.bulk_create(RunLadderRow(run=run, **row) for row in results.ladder)
    RunConcentrationRow.objects.bulk_create(
        RunConcentrationRow(run=run, **row) for row in results.concentration
    )
    RunVintageRow.objects.bulk_create(RunVintageRow(run=run, **row) for row in results.vintages)
    RunRollRate.objects.bulk_create(RunRollRate(run=run, **row) for row in results.roll_rates)
    RunCurvePoint.objects.bulk_create(
        RunCurvePoint(run=run, curve=curve, index=i, x=float(x), y=float(y))
        for curve, (xs, ys) in results.curves.items()
        for i, (x, y) in enumerate(zip(xs, ys, strict=True))
    )
    RunColumn.objects.bulk_create(
        RunColumn(run=run, name=name, data=tables.to_bytes(values))
        for name, values in results.columns.items()
    )
