"""Each run kind's parameters: names, defaults and ranges, checked before a run is queued.

A run stores its parameters with the defaults filled in, so a re-run with the same stored
parameters, inputs and seed reproduces it exactly."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from apps.assessments.errors import AssessmentErrorCode as Code
from apps.assessments.models import RunKind
from apps.core.errors import refuse

# The algorithm behind each kind; bumped when a change would move a result.
MODEL_VERSIONS: dict[str, str] = {
    RunKind.SCORECARD_DEVELOPMENT: "woe-logit-l2/1",
    RunKind.CREDIT_SCORING: "scorecard-el/1",
    RunKind.MARKET_VAR: "var-es-backtest/2",  # 2: Student-t rows
    RunKind.LIQUIDITY: "ladder-coverage/1",
    RunKind.STRESS_TEST: "shocks/1",
    RunKind.CREDIT_PORTFOLIO: "concentration-vintage/1",
}


@dataclass(frozen=True)
class Param:
    kind: str  # int | float | money | choice | text | confidences
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


LIQUIDITY = {
    "liquid_assets": Param("money", None, 0, 1e15),
    "haircut": Param("float", 0.0, 0, 1),
    "runoff": Param("float", 1.0, 0, 1),
    "inflow_rate": Param("float", 0.5, 0, 1),
    "horizon_days": Param("int", 365, 1, 3650),
}
SPECS: dict[str, dict[str, Param]] = {
    RunKind.SCORECARD_DEVELOPMENT: {
        "name": Param("text", "scorecard"),
        "bins": Param("int", 5, 2, 20),
        "binning": Param("choice", "monotonic", choices=("quantile", "monotonic")),
        "c": Param("float", 1.0, 1e-4, 1e4),
        "base_score": Param("float", 600.0, 100, 1000),
        "base_odds": Param("float", 50.0, 0.01, 1000),
        "pdo": Param("float", 20.0, 1, 200),
        "grades": Param("int", 5, 2, 10),
        "validation_share": Param("float", 0.3, 0, 0.5),
        "lgd": Param("float", 0.45, 0, 1),
    },
    RunKind.CREDIT_SCORING: {"lgd": Param("float", 0.45, 0, 1)},
    RunKind.MARKET_VAR: {
        "confidences": Param("confidences", [0.95, 0.975, 0.99], 0.5, 0.9999),
        "horizon_days": Param("int", 1, 1, 250),
        "mc_scenarios": Param("int", 10_000, 0, 200_000),
        "backtest_days": Param("int", 250, 0, 1000),
        "backtest_window": Param("int", 250, 20, 2000),
        "var_limit": Param("money", None, 0.01, 1e15),
        "t_dof": Param("float", None, 2.01, 1000),  # Student-t ν; None: fitted
    },
    RunKind.LIQUIDITY: LIQUIDITY,
    RunKind.STRESS_TEST: {**LIQUIDITY, "liquid_assets": Param("money", 0, 0, 1e15)},
    RunKind.CREDIT_PORTFOLIO: {
        "top_n": Param("int", 5, 1, 50),
        "npl_days": Param("int", 90, 1, 365),  # NPL: more than this many days past due
    },
}
REQUIRED: dict[str, set[str]] = {RunKind.LIQUIDITY: {"liquid_assets"}}


def _one(name: str, spec: Param, value: Any) -> Any:
    field = f"parameters.{name}"
    if spec.kind == "text":
        text = str(value).strip()
        if not text or len(text) > 120:
            raise refuse(field, "1 to 120 characters.", Code.INVALID)
        return text
    if spec.kind == "choice":
        if value not in spec.choices:
            raise refuse(field, f"One of {', '.join(spec.choices)}.", Code.INVALID)
        return value
    if spec.kind == "confidences":
        values = value if isinstance(value, list) else [value]
        if not values or len(values) > 5:
            raise refuse(field, "One to five confidence levels.", Code.INVALID)
        return sorted({_number(field, spec, v, float) for v in values})
    if spec.kind == "money":
        number = _number(field, spec, value, Decimal)
        return str(number.quantize(Decimal("0.01")))
    return _number(field, spec, value, int if spec.kind == "int" else float)


def _number(field: str, spec: Param, value: Any, cast) -> Any:
    try:
        if isinstance(value, bool) or (cast is int and float(value) != int(float(value))):
            raise ValueError
        number = cast(str(value)) if cast is Decimal else cast(value)
    except (TypeError, ValueError, InvalidOperation):
        raise refuse(field, "A number.", Code.INVALID) from None
    if cast is Decimal and not number.is_finite():
        raise refuse(field, "A finite number.", Code.INVALID)
    if (spec.low is not None and number < spec.low) or (
        spec.high is not None and number > spec.high
    ):
        raise refuse(field, f"Between {spec.low:g} and {spec.high:g}.", Code.OUT_OF_RANGE)
    return number


def checked_parameters(kind: str, given: dict[str, Any] | None) -> dict[str, Any]:
    """The parameters with defaults in, JSON-ready; refuses unknown names and bad values."""
    specs = SPECS[kind]
    given = dict(given or {})
    unknown = sorted(set(given) - set(specs))
    if unknown:
        raise refuse("parameters", f"Unknown parameters: {', '.join(unknown)}.", Code.INVALID)
    for name in REQUIRED.get(kind, ()):
        if given.get(name) is None:
            raise refuse(f"parameters.{name}", "Needed for this kind of run.", Code.INVALID)
    out = {}
    for name, spec in specs.items():
        value = given.get(name, spec.default)
        out[name] = None if value is None else _one(name, spec, value)
    return out
