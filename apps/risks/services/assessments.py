"""Assessments: appended, never edited. The risk carries a copy of its latest ratings."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.core.validation import fits_column
from apps.risks import matrix as matrix_math
from apps.risks.errors import RiskErrorCode as Code
from apps.risks.levels import RiskLevel
from apps.risks.models import (
    AssessmentKind,
    AssessmentMethod,
    ControlType,
    Risk,
    RiskAssessment,
    RiskMatrix,
    RiskStatus,
)
from apps.risks.selectors import active_matrix, register_settings
from apps.risks.services.acceptance import void_on_material_change
from apps.risks.services.common import get_for_update, invalid
from apps.risks.services.register import derive


@transaction.atomic
def assessment_record(
    *,
    risk_id,
    kind: str,
    likelihood: int,
    impact: int,
    actor=None,
    method: str = AssessmentMethod.EXPERT,
    expected_loss: Decimal | None = None,
    currency: str = "CNY",
    rationale: str = "",
    assessed_at=None,
) -> RiskAssessment:
    risk = get_for_update(Risk, risk_id, field="risk_id", related=("category",))
    if kind not in AssessmentKind.values:
        raise invalid("kind", "Inherent or residual.")
    if method not in AssessmentMethod.values or method == AssessmentMethod.MATRIX_MIGRATION:
        raise invalid("method", "Unknown method.")
    expected_loss = fits_column(RiskAssessment, "expected_loss", expected_loss, Code.OUT_OF_RANGE)
    if expected_loss is not None and expected_loss < 0:
        raise invalid("expected_loss", "A loss is zero or more.")
    if len(currency) != 3 or not currency.isalpha():
        raise invalid("currency", "An ISO 4217 code, e.g. CNY.")
    matrix = active_matrix()
    try:
        rating = matrix_math.rate(matrix.definition, likelihood, impact)
    except matrix_math.MatrixError as exc:
        raise invalid(
            "likelihood" if "Likelihood" in str(exc) else "impact", str(exc), Code.OUT_OF_RANGE
        ) from exc
    return _append(
        risk,
        kind=kind,
        method=method,
        matrix=matrix,
        rating=rating,
        actor=actor,
        expected_loss=expected_loss,
        currency=currency.upper(),
        rationale=rationale,
        assessed_at=assessed_at or timezone.now(),
    )


def _append(
    risk: Risk,
    *,
    kind,
    method,
    matrix,
    rating,
    actor,
    expected_loss=None,
    currency="CNY",
    rationale="",
    assessed_at=None,
) -> RiskAssessment:
    """Insert the assessment and copy it onto the risk, derived columns included, in one save."""
    assessment = RiskAssessment.objects.create(
        risk=risk,
        kind=kind,
        method=method,
        matrix=matrix,
        likelihood=rating.likelihood,
        impact=rating.impact,
        score=rating.score,
        level=rating.level,
        expected_loss=expected_loss,
        currency=currency,
        rationale=rationale,
        assessor=actor,
        assessed_at=assessed_at,
    )
    previous_level = risk.current_level
    prefix = "inherent" if kind == AssessmentKind.INHERENT else "residual"
    fields = {
        f"{prefix}_{part}": getattr(rating, part)
        for part in ("likelihood", "impact", "score", "level")
    }
    for field, value in fields.items():
        setattr(risk, field, value)
    new_level = risk.residual_level or risk.inherent_level
    rose = not previous_level or RiskLevel.rank(new_level) > RiskLevel.rank(previous_level)
    fields.update(derive(risk, level_rose=rose))
    risk.save(update_fields=[*fields, "updated_at"])
    if risk.status == RiskStatus.ACCEPTED:  # only an accepted risk has an approval to void
        void_on_material_change(risk)
    return assessment


def residual_proposal(*, risk: Risk) -> matrix_math.Rating | None:
    """The residual rating the linked controls justify, from the current inherent rating.

    Rule (tenant-configurable in RegisterSettings.residual_steps): each effectiveness rating is
    worth a number of levels (default: effective 2, partially effective 1, otherwise 0).
    The best preventive control lowers likelihood by its steps; the best detective or corrective
    control lowers impact by its steps; neither goes below 1. None when not inherently assessed.
    """
    if not risk.inherent_likelihood or not risk.inherent_impact:
        return None
    steps = register_settings().residual_steps
    best = {"likelihood": 0, "impact": 0}
    live_controls = risk.controls.filter(archived_at__isnull=True)
    for control_type, effectiveness in live_controls.values_list("control_type", "effectiveness"):
        axis = "likelihood" if control_type == ControlType.PREVENTIVE else "impact"
        best[axis] = max(best[axis], int(steps.get(effectiveness, 0)))
    return matrix_math.rate(
        active_matrix().definition,
        max(1, risk.inherent_likelihood - best["likelihood"]),
        max(1, risk.inherent_impact - best["impact"]),
    )


def residual_apply_proposal(*, risk_id, actor=None) -> RiskAssessment:
    risk = get_for_update(Risk, risk_id, field="risk_id", related=("category",))
    rating = residual_proposal(risk=risk)
    if rating is None:
        raise invalid("risk_id", "Assess the inherent risk first.", Code.NOT_ASSESSED)
    assessment = _append(
        risk,
        kind=AssessmentKind.RESIDUAL,
        method=AssessmentMethod.EXPERT,
        matrix=active_matrix(),
        rating=rating,
        actor=actor,
        assessed_at=timezone.now(),
        rationale="Proposed from the inherent rating and the linked controls' effectiveness.",
    )
    if risk.residual_proposal is not None:
        risk.residual_proposal = None
        risk.save(update_fields=["residual_proposal", "updated_at"])
    return assessment


def carry_over_ratings(*, old: RiskMatrix, new: RiskMatrix, actor=None) -> int:
    mapped = 0
    now = timezone.now()
    for risk in Risk.objects.select_related("category").exclude(
        inherent_level="", residual_level=""
    ):
        for kind in (AssessmentKind.INHERENT, AssessmentKind.RESIDUAL):
            prefix = "inherent" if kind == AssessmentKind.INHERENT else "residual"
            likelihood, impact = (
                getattr(risk, f"{prefix}_likelihood"),
                getattr(risk, f"{prefix}_impact"),
            )
            if not likelihood:
                continue
            rating = matrix_math.map_rating(old.definition, new.definition, likelihood, impact)
            _append(
                risk,
                kind=kind,
                method=AssessmentMethod.MATRIX_MIGRATION,
                matrix=new,
                rating=rating,
                actor=actor,
                assessed_at=now,
                rationale=f"Carried from {old} L{likelihood}×I{impact} to {new}.",
            )
            mapped += 1
    return mapped
