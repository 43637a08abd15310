"""What a finished run writes to the register, through the register's own services only:

- a quantitative assessment on each linked risk, rated on the active matrix by the tenant's
  mapping for the run's kind (`RegisterMapping`: a figure per axis, through the tenant's bands
  or the matrix's own numeric bounds), with the run's figures as its rationale;
- the current value of each register limit the run is bound to (`limit_bindings`).

Both happen in the run's storing transaction: a run either succeeds with its register writes or
stores nothing. What was written, or why not, is the run's `register_note`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.assessments.errors import AssessmentErrorCode as Code
from apps.assessments.models import AssessmentRun, FigureCode, RatingKind, RegisterMapping, RunKind
from apps.assessments.selectors import active_matrix_definition, limits_by_ids
from apps.core.errors import refuse
from apps.risks.services.assessments import assessment_record
from apps.risks.services.configuration import limit_update

# Figures that are shares 0–1: written ×100 to a limit whose unit is "%".
SHARE_FIGURES = {
    FigureCode.PORTFOLIO_PD,
    FigureCode.OVERDUE_RATE,
    FigureCode.NPL_RATE,
    FigureCode.TOP_SHARE,
    FigureCode.SEGMENT_SHARE,
    FigureCode.COVERAGE_RATIO,
}
LIMIT_PLACES = Decimal("0.0001")  # RiskLimit.current_value has 4 places


# ---- the mapping -----------------------------------------------------------------------------


def level_from_bands(value: Decimal, bands: list[Decimal]) -> int:
    """1 + the thresholds reached: rising bands (higher is worse) are reached from below,
    falling ones (lower is worse) from above; a single threshold is rising."""
    rising = len(bands) < 2 or bands[0] < bands[-1]
    return 1 + sum(1 for t in bands if (value >= t if rising else value <= t))


def level_from_matrix(value: Decimal, levels: list[dict]) -> int | None:
    """The highest level whose lower bound the value reaches; None when a level above the
    first has no lower bound (the matrix cannot place a number)."""
    lows = [level.get("min") for level in levels[1:]]
    if any(low is None for low in lows):
        return None
    return 1 + sum(1 for low in lows if value >= Decimal(str(low)))


def _check_bands(field: str, bands: list[Decimal], levels: list[dict]) -> None:
    if not bands:
        if level_from_matrix(Decimal(0), levels) is None:
            raise refuse(
                field, "The active matrix has no bounds on this axis: give bands.", Code.INVALID
            )
        return
    if len(bands) != len(levels) - 1:
        raise refuse(
            field,
            f"The active matrix has {len(levels)} levels on this axis: give {len(levels) - 1} "
            "thresholds.",
            Code.INVALID,
        )
    steps = [b - a for a, b in zip(bands, bands[1:], strict=False)]
    if not (all(s > 0 for s in steps) or all(s < 0 for s in steps)):
        raise refuse(field, "Thresholds rise or fall strictly.", Code.INVALID)


def _figure(field: str, code: str, *, blank: bool = False) -> str:
    if (blank and code == "") or code in FigureCode.values:
        return code
    raise refuse(field, "Unknown figure.", Code.INVALID)


@transaction.atomic
def register_mapping_set(
    *,
    run_kind: str,
    likelihood_figure: str,
    impact_figure: str,
    likelihood_segment: str = "",
    impact_segment: str = "",
    likelihood_bands: list | None = None,
    impact_bands: list | None = None,
    loss_figure: str = "",
    loss_segment: str = "",
    rating_kind: str = RatingKind.RESIDUAL,
) -> RegisterMapping:
    """Create or replace the mapping of one kind of run (checked against the active matrix)."""
    if run_kind not in RunKind.values:
        raise refuse("run_kind", "Unknown kind of run.", Code.INVALID)
    if rating_kind not in RatingKind.values:
        raise refuse("rating_kind", "Inherent or residual.", Code.INVALID)
    definition = active_matrix_definition()
    likelihood = [Decimal(str(b)) for b in likelihood_bands or []]
    impact = [Decimal(str(b)) for b in impact_bands or []]
    _check_bands("likelihood_bands", likelihood, definition["likelihood"])
    _check_bands("impact_bands", impact, definition["impact"])
    mapping = RegisterMapping.objects.filter(run_kind=run_kind).first() or RegisterMapping(
        run_kind=run_kind
    )
    mapping.rating_kind = rating_kind
    mapping.likelihood_figure = _figure("likelihood_figure", likelihood_figure)
    mapping.impact_figure = _figure("impact_figure", impact_figure)
    mapping.loss_figure = _figure("loss_figure", loss_figure, blank=True)
    mapping.likelihood_segment, mapping.impact_segment = likelihood_segment, impact_segment
    mapping.loss_segment = loss_segment
    mapping.likelihood_bands = [float(b) for b in likelihood]
    mapping.impact_bands = [float(b) for b in impact]
    mapping.full_clean()
    mapping.save()
    return mapping


def register_mapping_delete(*, run_kind: str) -> bool:
    return RegisterMapping.objects.filter(run_kind=run_kind).delete()[0] > 0


# ---- limit bindings, checked when a run is created -------------------------------------------


def checked_limit_bindings(given: list[dict] | None) -> list[dict]:
    """[{limit, figure, segment}] with the limits found in the register; JSON-ready."""
    out = []
    for i, binding in enumerate(given or []):
        field = f"limits.{i}"
        figure = _figure(f"{field}.figure", str(binding.get("figure", "")))
        segment = str(binding.get("segment") or "")
        if len(segment) > 120:
            raise refuse(f"{field}.segment", "At most 120 characters.", Code.INVALID)
        out.append({"limit": str(binding.get("limit")), "figure": figure, "segment": segment})
    if len(out) > 20:
        raise refuse("limits", "At most 20 limits per run.", Code.INVALID)
    found = limits_by_ids([b["limit"] for b in out])
    for i, binding in enumerate(out):
        if binding["limit"] not in found:
            raise refuse(f"limits.{i}.limit", "No such limit.", Code.NOT_FOUND)
    return out


# ---- writing, when the run is stored ---------------------------------------------------------


@dataclass(frozen=True)
class Written:
    assessments: int
    limits: int
    note: str


def _value(figures: dict, code: str, segment: str) -> Decimal | None:
    return figures.get((code, segment))


def _rate(mapping: RegisterMapping, figures: dict, definition: dict) -> tuple[int, int, list]:
    """(likelihood, impact, lines of rationale), or raises LookupError with the reason."""
    levels, lines = [], []
    for axis in ("likelihood", "impact"):
        code = getattr(mapping, f"{axis}_figure")
        segment = getattr(mapping, f"{axis}_segment")
        bands = [Decimal(repr(b)) for b in getattr(mapping, f"{axis}_bands")]
        value = _value(figures, code, segment)
        name = f"{code}[{segment}]" if segment else code
        if value is None:
            raise LookupError(f"the run has no {name}")
        if bands:
            if len(bands) != len(definition[axis]) - 1:
                raise LookupError(f"the {axis} bands no longer fit the active matrix")
            level, how = level_from_bands(value, bands), "tenant bands"
        else:
            found = level_from_matrix(value, definition[axis])
            if found is None:
                raise LookupError(f"the active matrix has no {axis} bounds")
            level, how = found, "matrix bounds"
        levels.append(level)
        lines.append(f"{axis} {level} from {name} = {value.normalize():f} ({how})")
    return levels[0], levels[1], lines


def write_to_register(run: AssessmentRun, figures: dict, actor=None) -> Written:
    """Figures are {(code, segment): Decimal} as stored. Refusals of the register's services
    (a risk archived since the run was asked for) are noted, not fatal."""
    notes, count, limits = [], 0, 0
    mapping = RegisterMapping.objects.filter(run_kind=run.kind).first()
    if run.risk_ids and mapping is None:
        notes.append("No register mapping for this kind of run: no assessment recorded.")
    elif run.risk_ids and mapping is not None:
        definition = active_matrix_definition()
        try:
            likelihood, impact, lines = _rate(mapping, figures, definition)
        except LookupError as why:
            notes.append(f"No assessment recorded: {why}.")
        else:
            loss = _value(figures, mapping.loss_figure, mapping.loss_segment)
            rationale = (
                f"Assessment run {run.pk} ({run.get_kind_display()}, {run.model_version}, "
                f"seed {run.seed}): " + "; ".join(lines)
            )
            if loss is not None:
                rationale += f"; expected loss {mapping.loss_figure} = {loss.normalize():f}"
            for risk_id in run.risk_ids:
                try:
                    with transaction.atomic():
                        assessment_record(
                            risk_id=risk_id,
                            kind=mapping.rating_kind,
                            likelihood=likelihood,
                            impact=impact,
                            method="stress" if run.kind == RunKind.STRESS_TEST else "model",
                            expected_loss=None if loss is None else loss.quantize(Decimal("0.01")),
                            rationale=rationale + ".",
                            actor=actor,
                        )
                    count += 1
                except ValidationError as refused:
                    notes.append(f"Risk {risk_id} refused the assessment: {refused.messages[0]}")
            rated = f"Rated {count} risk(s) L{likelihood}×I{impact} ({mapping.rating_kind})."
            notes.insert(0, rated)
    found = limits_by_ids([b["limit"] for b in run.limit_bindings])
    for binding in run.limit_bindings:
        limit = found.get(binding["limit"])
        value = _value(figures, binding["figure"], binding["segment"])
        if limit is None or value is None:
            what = "gone" if limit is None else f"no {binding['figure']} in the run"
            notes.append(f"Limit {binding['limit']} not set: {what}.")
            continue
        if binding["figure"] in SHARE_FIGURES and limit.unit.strip() == "%":
            value *= 100
        try:
            with transaction.atomic():
                limit_update(limit_id=limit.pk, current_value=value.quantize(LIMIT_PLACES))
            limits += 1
            notes.append(f"Limit {limit.name} set to {value.quantize(LIMIT_PLACES)}.")
        except ValidationError as refused:
            notes.append(f"Limit {limit.name} refused the value: {refused.messages[0]}")
    return Written(count, limits, " ".join(notes))
