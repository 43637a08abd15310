"""Switching matrices carries every current rating over, as new history, never silently lost."""

from apps.risks.models import RiskAssessment, RiskMatrix
from apps.risks.services import assessments, configuration, register

THREE_BY_THREE = {
    "likelihood": [{"label": "Low"}, {"label": "Medium"}, {"label": "High"}],
    "impact": [{"label": "Low"}, {"label": "Medium"}, {"label": "High"}],
    "grid": [
        ["low", "medium", "high"],
        ["medium", "high", "critical"],
        ["high", "critical", "critical"],
    ],
}


def test_switching_maps_inherent_and_residual_ratings(credit, world):
    risk = register.risk_create(title="FX mismatch", category_id=credit.pk)
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=5, impact=4)
    assessments.assessment_record(risk_id=risk.pk, kind="residual", likelihood=2, impact=2)
    unrated = register.risk_create(title="Not assessed yet", category_id=credit.pk)
    new = configuration.matrix_create(name="Board 3×3", definition=THREE_BY_THREE)
    assert new.version == 2 and not new.is_active

    activated, mapped = configuration.matrix_activate(
        matrix_id=new.pk, actor=world.user("a", "admin")
    )
    assert activated.is_active and mapped == 2
    assert RiskMatrix.objects.filter(is_active=True).count() == 1
    risk.refresh_from_db()
    assert (risk.inherent_likelihood, risk.inherent_impact, risk.inherent_level) == (
        3,
        3,
        "critical",
    )
    assert (risk.residual_likelihood, risk.residual_impact) == (2, 2)
    migrated = RiskAssessment.objects.filter(risk=risk, method="matrix_migration")
    assert migrated.count() == 2 and all(a.matrix_id == new.pk for a in migrated)
    assert "L5×I4" in migrated.get(kind="inherent").rationale
    assert RiskAssessment.objects.filter(risk=risk).count() == 4  # the old ones are kept
    assert not RiskAssessment.objects.filter(risk=unrated).exists()


def test_a_broken_matrix_is_refused_and_activating_twice_is_refused(in_a):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        configuration.matrix_create(
            name="Broken", definition={"likelihood": [], "impact": [], "grid": []}
        )
    assert refused.value.error_dict["definition"][0].code == "matrix_invalid"
    active = RiskMatrix.objects.get(is_active=True)
    with pytest.raises(ValidationError):
        configuration.matrix_activate(matrix_id=active.pk, actor=None)
