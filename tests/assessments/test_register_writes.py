"""A finished run rates its linked risks on the active matrix (the tenant's mapping) and sets
the register limits it is bound to — through the register's services. Levels worked by hand on
the default 5 × 5 matrix (likelihood bounds 0 / 0.05 / 0.2 / 0.5 / 0.9, its grid)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.assessments.services.execute import execute
from apps.assessments.services.register import (
    level_from_bands,
    level_from_matrix,
    register_mapping_set,
)
from apps.assessments.services.runs import run_create, run_repeat
from tests.assessments.test_portfolio import BOOK


@pytest.fixture
def risk(in_a):
    from apps.risks.models import RiskCategory
    from apps.risks.services.register import risk_create

    return risk_create(
        title="Property concentration", category_id=RiskCategory.objects.get(code="credit").pk
    )


@pytest.fixture
def limits(in_a):
    from apps.risks.services.configuration import limit_create

    return {
        "share": limit_create(name="Property share", cap=Decimal(30), unit="%"),
        "book": limit_create(name="Book size", cap=Decimal(5000), unit="CNY"),
    }


def test_levels_from_bands_and_from_matrix_bounds():
    rising = [Decimal(v) for v in ("100", "500", "900", "2000")]
    assert [level_from_bands(Decimal(v), rising) for v in ("0", "100", "899", "5000")] == [
        1,
        2,
        3,
        5,
    ]
    falling = [Decimal(v) for v in ("1.5", "1.2", "1.0", "0.8")]  # a coverage ratio
    assert [level_from_bands(Decimal(v), falling) for v in ("2", "1.2", "0.9", "0.5")] == [
        1,
        3,
        4,
        5,
    ]
    levels = [{"min": 0, "max": 0.05}, {"min": 0.05}, {"min": 0.2}, {"min": 0.5}, {"min": 0.9}]
    assert level_from_matrix(Decimal("0.4"), levels) == 3
    assert level_from_matrix(Decimal("0.05"), levels) == 2
    assert level_from_matrix(Decimal("1"), [{"label": "a"}, {"label": "b"}]) is None


def test_a_portfolio_run_rates_its_risk_and_sets_its_limits(upload, risk, limits):
    from apps.risks.models import RiskAssessment, RiskLimit

    register_mapping_set(
        run_kind="credit_portfolio",
        likelihood_figure="npl_rate",  # the matrix's likelihood bounds: 0.4 → 3 (0.2 ≤ p < 0.5)
        impact_figure="exposure",
        impact_bands=[100, 500, 900, 2000],  # 1,000 reaches three → 4
        loss_figure="exposure",
    )
    book = upload("loan_book", *BOOK, name="book")
    run = run_create(
        kind="credit_portfolio",
        loan_book=book.pk,
        risk_ids=[risk.pk],
        limits=[
            {
                "limit": limits["share"].pk,
                "figure": "segment_share",
                "segment": "industry:property",
            },
            {"limit": limits["book"].pk, "figure": "exposure"},
        ],
    )
    outcome = execute(run.job)
    assert (outcome["assessments"], outcome["limits"]) == (1, 2)
    (assessment,) = RiskAssessment.objects.filter(risk=risk)
    # default grid, row 3 (possible), column 4 (major): high
    assert (assessment.kind, assessment.method) == ("residual", "model")
    assert (assessment.likelihood, assessment.impact, assessment.level) == (3, 4, "high")
    assert assessment.expected_loss == Decimal("1000.00")
    assert "likelihood 3 from npl_rate = 0.4 (matrix bounds)" in assessment.rationale
    assert "impact 4 from exposure = 1000 (tenant bands)" in assessment.rationale
    risk.refresh_from_db()
    assert (risk.residual_likelihood, risk.residual_impact) == (3, 4)
    share = RiskLimit.objects.get(pk=limits["share"].pk)
    assert share.current_value == Decimal("50.0000") and share.breached  # 0.5 of EAD, in %
    assert RiskLimit.objects.get(pk=limits["book"].pk).current_value == Decimal("1000.0000")
    run.refresh_from_db()
    assert run.register_note.startswith("Rated 1 risk(s) L3×I4 (residual).")
    again = run_repeat(run_id=run.pk)
    assert again.limit_bindings == run.limit_bindings


def test_no_mapping_no_assessment_and_bad_mappings_or_limits_are_refused(upload, risk):
    from apps.risks.models import RiskAssessment

    book = upload("loan_book", *BOOK, name="book")
    run = run_create(kind="credit_portfolio", loan_book=book.pk, risk_ids=[risk.pk])
    execute(run.job)
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert run.register_note == "No register mapping for this kind of run: no assessment recorded."
    assert not RiskAssessment.objects.filter(risk=risk).exists()
    cases = [
        ({"impact_bands": [1, 2, 3]}, "impact_bands", "give 4 thresholds"),
        ({"impact_bands": [1, 3, 2, 4]}, "impact_bands", "rise or fall strictly"),
        ({"impact_figure": "nothing"}, "impact_figure", "Unknown figure"),
    ]
    for change, field, message in cases:
        given = {"run_kind": "credit_portfolio", "likelihood_figure": "npl_rate"}
        given |= {"impact_figure": "exposure", "impact_bands": [1, 2, 3, 4]} | change
        with pytest.raises(ValidationError) as refused:
            register_mapping_set(**given)
        assert message in refused.value.message_dict[field][0]
    with pytest.raises(ValidationError) as refused:
        run_create(
            kind="credit_portfolio",
            loan_book=book.pk,
            limits=[{"limit": "8b4f0c1e-0000-4000-8000-000000000000", "figure": "exposure"}],
        )
    assert refused.value.error_dict["limits.0.limit"][0].code == "not_found"
