"""Risk matrices as data, and the pure functions that score on them (no ORM here).

A matrix has `likelihood` levels (rows) and `impact` levels (columns), each with a label, an
optional description and optional numeric bounds (likelihood as an annual probability, impact as
money), and a `grid` naming the risk level of every cell: grid[likelihood - 1][impact - 1].
Matrices need not be square. Ratings are 1-based positions on each axis.
"""

from dataclasses import dataclass
from decimal import Decimal
from math import ceil
from typing import Any

from apps.risks.levels import RiskLevel


class MatrixError(ValueError):
    """The definition is not a usable matrix; the message says why."""


@dataclass(frozen=True)
class Rating:
    likelihood: int
    impact: int
    score: int
    level: str


def validate(definition: dict[str, Any]) -> None:
    likelihood, impact = definition.get("likelihood"), definition.get("impact")
    grid = definition.get("grid")
    if not isinstance(likelihood, list) or not 2 <= len(likelihood) <= 10:
        raise MatrixError("A matrix has 2 to 10 likelihood levels.")
    if not isinstance(impact, list) or not 2 <= len(impact) <= 10:
        raise MatrixError("A matrix has 2 to 10 impact levels.")
    for axis, levels in (("likelihood", likelihood), ("impact", impact)):
        for position, level in enumerate(levels, start=1):
            if not isinstance(level, dict) or not str(level.get("label", "")).strip():
                raise MatrixError(f"{axis} level {position} needs a label.")
        _check_bounds(axis, levels)
    if not isinstance(grid, list) or len(grid) != len(likelihood):
        raise MatrixError("The grid has one row per likelihood level.")
    for row_number, row in enumerate(grid, start=1):
        if not isinstance(row, list) or len(row) != len(impact):
            raise MatrixError(f"Grid row {row_number} has one cell per impact level.")
        for cell in row:
            if cell not in RiskLevel.values:
                raise MatrixError(f"Unknown risk level {cell!r} in the grid.")
    _check_monotonic(grid)
    colours = definition.get("colours", {})
    if not isinstance(colours, dict) or any(key not in RiskLevel.values for key in colours):
        raise MatrixError("Colours are given per risk level (low, medium, high, critical).")


def _check_bounds(axis: str, levels: list[dict]) -> None:
    previous = None
    for position, level in enumerate(levels, start=1):
        low, high = level.get("min"), level.get("max")
        if low is None and high is None:
            continue
        try:
            low_d = Decimal(str(low)) if low is not None else None
            high_d = Decimal(str(high)) if high is not None else None
        except ArithmeticError as exc:
            raise MatrixError(f"{axis} level {position} has bounds that are not numbers.") from exc
        if low_d is not None and high_d is not None and low_d > high_d:
            raise MatrixError(f"{axis} level {position}: min is above max.")
        if previous is not None and low_d is not None and low_d < previous:
            raise MatrixError(f"{axis} levels must rise: level {position} starts below the last.")
        previous = high_d if high_d is not None else low_d


def _check_monotonic(grid: list[list[str]]) -> None:
    # More likely or more severe is never a lower level: a matrix that says otherwise is a typo.
    rank = RiskLevel.rank
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if c and rank(cell) < rank(row[c - 1]):
                raise MatrixError(f"Row {r + 1}: the level falls as impact rises.")
            if r and rank(cell) < rank(grid[r - 1][c]):
                raise MatrixError(f"Column {c + 1}: the level falls as likelihood rises.")


def rate(definition: dict[str, Any], likelihood: int, impact: int) -> Rating:
    rows, columns = len(definition["likelihood"]), len(definition["impact"])
    if not 1 <= likelihood <= rows:
        raise MatrixError(f"Likelihood is 1 to {rows} on this matrix.")
    if not 1 <= impact <= columns:
        raise MatrixError(f"Impact is 1 to {columns} on this matrix.")
    return Rating(
        likelihood, impact, likelihood * impact, definition["grid"][likelihood - 1][impact - 1]
    )


def map_position(position: int, old_size: int, new_size: int) -> int:
    """Same relative place on an axis of another length: the top level stays the top level."""
    return max(1, min(new_size, ceil(position * new_size / old_size)))


def map_rating(old: dict[str, Any], new: dict[str, Any], likelihood: int, impact: int) -> Rating:
    """A rating on `old` carried to `new`.

    When both axes carry numeric bounds, the old level's midpoint picks the new level whose
    bounds hold it; otherwise the relative position on the axis is kept.
    """
    mapped = []
    for axis, position in (("likelihood", likelihood), ("impact", impact)):
        mapped.append(_map_axis(old[axis], new[axis], position))
    return rate(new, *mapped)


def _map_axis(old_levels: list[dict], new_levels: list[dict], position: int) -> int:
    midpoint = _midpoint(old_levels[position - 1])
    bounds = [_bounds(level) for level in new_levels]
    if midpoint is not None and all(bounds):
        for index, bound in enumerate(bounds, start=1):
            low, high = bound or (None, None)
            if (low is None or midpoint >= low) and (high is None or midpoint <= high):
                return index
    return map_position(position, len(old_levels), len(new_levels))


def _bounds(level: dict) -> tuple[Decimal | None, Decimal | None] | None:
    low, high = level.get("min"), level.get("max")
    if low is None and high is None:
        return None
    return (
        Decimal(str(low)) if low is not None else None,
        Decimal(str(high)) if high is not None else None,
    )


def _midpoint(level: dict) -> Decimal | None:
    low, high = _bounds(level) or (None, None)
    if low is None or high is None:
        return None
    return (low + high) / 2


DEFAULT_COLOURS = {"low": "#2e7d32", "medium": "#f9a825", "high": "#ef6c00", "critical": "#c62828"}


def default_definition() -> dict[str, Any]:
    """The 5×5 matrix a tenant starts with (domain.md gives no numbers; these are ours)."""
    likelihood = [
        {
            "label": "Rare",
            "description": "Not expected in the next 10 years",
            "min": 0,
            "max": 0.05,
        },
        {
            "label": "Unlikely",
            "description": "Could happen within 10 years",
            "min": 0.05,
            "max": 0.2,
        },
        {"label": "Possible", "description": "Could happen within 3 years", "min": 0.2, "max": 0.5},
        {"label": "Likely", "description": "Expected within a year", "min": 0.5, "max": 0.9},
        {
            "label": "Almost certain",
            "description": "Expected several times a year",
            "min": 0.9,
            "max": 1,
        },
    ]
    impact = [
        {
            "label": "Insignificant",
            "description": "Loss under ¥100k, no customer harm",
            "min": 0,
            "max": 100_000,
        },
        {
            "label": "Minor",
            "description": "Loss up to ¥1m, few customers affected",
            "min": 100_000,
            "max": 1_000_000,
        },
        {
            "label": "Moderate",
            "description": "Loss up to ¥10m, regulator may ask",
            "min": 1_000_000,
            "max": 10_000_000,
        },
        {
            "label": "Major",
            "description": "Loss up to ¥100m, regulatory action",
            "min": 10_000_000,
            "max": 100_000_000,
        },
        {
            "label": "Severe",
            "description": "Loss above ¥100m, licence or survival at stake",
            "min": 100_000_000,
        },
    ]
    lo, me, hi, cr = "low", "medium", "high", "critical"
    grid = [
        [lo, lo, lo, me, me],
        [lo, lo, me, me, hi],
        [lo, me, me, hi, hi],
        [me, me, hi, hi, cr],
        [me, hi, hi, cr, cr],
    ]
    return {
        "likelihood": likelihood,
        "impact": impact,
        "grid": grid,
        "colours": dict(DEFAULT_COLOURS),
    }
