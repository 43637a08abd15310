"""The register's services: creation, transitions, assessments, residual proposals, appetite."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.risks import selectors
from apps.risks.models import (
    ControlEffectiveness,
    RiskAssessment,
    RiskCategory,
    RiskMatrix,
    RiskStatus,
)
from apps.risks.services import assessments, configuration, controls, register, reviews


def make_risk(category, **fields):
    return register.risk_create(
        title=fields.pop("title", "Borrowers default in a downturn"),
        category_id=category.pk,
        **fields,
    )


def codes(exc: ValidationError) -> dict:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_a_new_tenant_has_the_ten_categories_and_a_default_matrix(in_a):
    assert set(RiskCategory.objects.filter(seeded=True).values_list("code", flat=True)) == {
        "credit",
        "fraud",
        "market",
        "liquidity",
        "operational",
        "technology",
        "third_party",
        "legal_compliance",
        "reputational",
        "strategic",
    }
    assert RiskCategory.objects.get(code="credit").name_zh == "信用风险"
    active = RiskMatrix.objects.get(is_active=True)
    assert active.size == (5, 5)


def test_sub_categories_extend_the_tree_and_codes_are_unique(credit):
    child = configuration.category_create(
        code="consumer_credit", name_en="Consumer credit", parent_id=credit.pk
    )
    assert child.path == "credit/consumer_credit"
    with pytest.raises(ValidationError) as refused:
        configuration.category_create(code="credit", name_en="Again")
    assert codes(refused.value) == {"code": ["code_taken"]}


# Written by hand (not read from the code): who may move a risk where. ACCEPTED is in the
# register's table but reached only by approving an acceptance, so by hand it is refused.
BY_HAND = {
    "draft": {"open", "closed"},
    "open": {"in_treatment", "closed"},
    "in_treatment": {"open", "closed"},
    "accepted": {"open", "closed"},
    "closed": {"open"},
}
STATUSES = ["draft", "open", "in_treatment", "accepted", "closed"]


@pytest.mark.parametrize("start", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_every_transition_is_allowed_or_refused_as_written(credit, start, target):
    risk = make_risk(credit)
    register.Risk.objects.filter(pk=risk.pk).update(status=start)
    if target in BY_HAND[start]:
        assert register.risk_transition(risk_id=risk.pk, to=target).status == target
        assert register.Risk.objects.get(pk=risk.pk).status == target
    else:
        with pytest.raises(ValidationError) as refused:
            register.risk_transition(risk_id=risk.pk, to=target)
        assert codes(refused.value) == {"to": ["invalid_transition"]}
        assert register.Risk.objects.get(pk=risk.pk).status == start


def test_accepted_is_reached_only_through_an_acceptance(credit):
    risk = make_risk(credit, status=RiskStatus.OPEN)
    with pytest.raises(ValidationError) as refused:
        register.risk_transition(risk_id=risk.pk, to=RiskStatus.ACCEPTED)
    assert refused.value.error_dict["to"][0].messages == [
        "A risk is accepted by approving an acceptance request."
    ]
    moved = register.risk_transition(risk_id=risk.pk, to=RiskStatus.ACCEPTED, via_acceptance=True)
    assert moved.status == RiskStatus.ACCEPTED


def test_assessments_append_history_and_update_the_current_rating(credit):
    risk = make_risk(credit, status=RiskStatus.OPEN)
    assessments.assessment_record(
        risk_id=risk.pk,
        kind="inherent",
        likelihood=4,
        impact=4,
        expected_loss=Decimal("2500000.00"),
    )
    assessments.assessment_record(risk_id=risk.pk, kind="residual", likelihood=2, impact=3)
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=5, impact=4)
    risk.refresh_from_db()
    assert (risk.inherent_likelihood, risk.inherent_level) == (5, "critical")
    assert (risk.residual_score, risk.residual_level, risk.current_level) == (6, "medium", "medium")
    assert RiskAssessment.objects.filter(risk=risk).count() == 3


def test_ratings_off_the_matrix_are_refused(credit):
    risk = make_risk(credit)
    with pytest.raises(ValidationError) as refused:
        assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=6, impact=1)
    assert codes(refused.value) == {"likelihood": ["out_of_range"]}


def test_residual_is_proposed_from_control_effectiveness(credit):
    risk = make_risk(credit)
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=4, impact=5)
    controls.control_save(
        name="Credit committee approval",
        control_type="preventive",
        kind="authorisation",
        effectiveness=ControlEffectiveness.EFFECTIVE,
        risk_ids=[risk.pk],
    )
    controls.control_save(
        name="Early-arrears monitoring",
        control_type="detective",
        kind="supervision",
        effectiveness=ControlEffectiveness.PARTIALLY_EFFECTIVE,
        risk_ids=[risk.pk],
    )
    risk.refresh_from_db()
    proposal = assessments.residual_proposal(risk=risk)
    assert (proposal.likelihood, proposal.impact) == (2, 4)  # 4-2 and 5-1
    applied = assessments.residual_apply_proposal(risk_id=risk.pk)
    assert applied.kind == "residual" and applied.level == "medium"


def test_the_residual_rule_is_configurable(credit):
    configuration.settings_update(
        residual_steps={
            "effective": 3,
            "partially_effective": 0,
            "ineffective": 0,
            "not_assessed": 0,
        }
    )
    risk = make_risk(credit)
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=5, impact=5)
    controls.control_save(
        name="Limits",
        control_type="preventive",
        kind="technical",
        effectiveness="effective",
        risk_ids=[risk.pk],
    )
    risk.refresh_from_db()
    assert assessments.residual_proposal(risk=risk).likelihood == 2


def test_a_risk_above_appetite_is_flagged_including_sub_categories(credit):
    child = configuration.category_create(
        code="sme_credit", name_en="SME credit", parent_id=credit.pk
    )
    risk = make_risk(child)
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=4, impact=4)  # high
    risk.refresh_from_db()
    assert risk.above_appetite is False
    configuration.appetite_set(category_id=credit.pk, max_level="medium")
    risk.refresh_from_db()
    assert risk.above_appetite is True
    assessments.assessment_record(risk_id=risk.pk, kind="residual", likelihood=2, impact=2)  # low
    risk.refresh_from_db()
    assert risk.above_appetite is False


def test_review_cadence_follows_the_level(credit):
    risk = make_risk(credit)
    today = timezone.localdate()
    assert risk.next_review_at == today + timedelta(days=365)  # unassessed: the low cadence
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=5, impact=5)
    risk.refresh_from_db()
    assert risk.next_review_at == today + timedelta(days=30)  # critical comes forward
    configuration.settings_update(
        review_cadence_days={"low": 200, "medium": 100, "high": 50, "critical": 10}
    )
    review = reviews.review_record(risk_id=risk.pk, notes="Checked the arrears trend.")
    risk.refresh_from_db()
    assert review.next_review_at == risk.next_review_at == today + timedelta(days=10)


def test_overdue_reviews_are_queryable(credit):
    late = make_risk(credit, title="Late")
    on_time = make_risk(credit, title="On time")
    register.Risk.objects.filter(pk=late.pk).update(
        next_review_at=timezone.localdate() - timedelta(days=1)
    )
    overdue = set(
        register.Risk.objects.filter(selectors.overdue_filter()).values_list("title", flat=True)
    )
    assert "Late" in overdue and on_time.title not in overdue


def test_owners_are_active_people_of_this_tenants_directory(credit, world):
    from django_tenants.utils import schema_context

    from apps.people.services.people import person_deactivate
    from tests.risks.people import unlinked_person

    with schema_context(world.b.schema_name):
        foreign = unlinked_person("B001", "Of tenant B")
    with pytest.raises(ValidationError) as refused:
        make_risk(credit, owner_id=foreign.pk)
    assert codes(refused.value) == {"owner_id": ["not_found"]}
    with pytest.raises(ValidationError) as refused:
        make_risk(credit, owner_id=world.user("a", "analyst").pk)  # a user id is no person
    assert codes(refused.value) == {"owner_id": ["not_found"]}
    left = unlinked_person("A002", "Has left", active=False)
    with pytest.raises(ValidationError) as refused:
        make_risk(credit, owner_id=left.pk)
    assert codes(refused.value) == {"owner_id": ["person_inactive"]}
    staying = unlinked_person("A001", "Never logs in")
    risk = make_risk(credit, owner_id=staying.pk)
    assert register.Risk.objects.get(pk=risk.pk).owner == staying
    person_deactivate(person_id=staying.pk)  # an owner who leaves keeps what they owned
    kept = register.risk_update(risk_id=risk.pk, owner_id=staying.pk, title="Still owned")
    assert (kept.title, kept.owner_id) == ("Still owned", staying.pk)


def test_limits_report_utilisation_and_breach(in_a):
    limit = configuration.limit_save(
        name="Single-borrower exposure", cap=Decimal("1000000"), current_value=Decimal("850000")
    )
    assert limit.utilisation == Decimal("0.8500") and not limit.breached
    limit = configuration.limit_save(
        limit_id=limit.pk, name=limit.name, cap=limit.cap, current_value=Decimal("1200000")
    )
    assert limit.breached
    with pytest.raises(ValidationError):
        configuration.limit_save(name="Broken", cap=Decimal(0))
