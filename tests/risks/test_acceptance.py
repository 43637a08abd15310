"""Acceptance: decided by someone else, bound to what was approved, voided by material change."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.risks.models import AcceptanceStatus, Risk, RiskStatus
from apps.risks.services import acceptance, assessments, register
from tests.risks.people import person_for


@pytest.fixture
def assessed_risk(credit, world):
    risk = register.risk_create(
        title="Collection agency misconduct",
        category_id=credit.pk,
        status=RiskStatus.OPEN,
        treatment_strategy="accept",
        owner_id=person_for(world.user("a", "analyst")).pk,
    )
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=3, impact=3)
    return Risk.objects.get(pk=risk.pk)


def request(risk, world, days=90):
    return acceptance.acceptance_request(
        risk_id=risk.pk,
        actor=world.user("a", "analyst"),
        justification="Cheaper than the controls it would need.",
        expires_on=timezone.localdate() + timedelta(days=days),
    )


def approve(item, world, role="risk_manager"):
    return acceptance.acceptance_decide(
        acceptance_id=item.pk,
        actor=world.user("a", role),
        actor_role=role,
        approve=True,
        comment="Within appetite.",
    )


def test_approval_accepts_the_risk_and_keeps_a_snapshot(assessed_risk, world):
    item = approve(request(assessed_risk, world), world)
    assessed_risk.refresh_from_db()
    assert item.status == AcceptanceStatus.APPROVED and assessed_risk.status == RiskStatus.ACCEPTED
    assert item.snapshot["current_level"] == "medium"
    assert item.snapshot["assessments"]["inherent"]["likelihood"] == 3
    assert item.snapshot["owner_id"] == str(person_for(world.user("a", "analyst")).pk)


def test_nobody_approves_their_own_request_and_analysts_cannot_decide(assessed_risk, world):
    item = request(assessed_risk, world)
    with pytest.raises(ValidationError) as own:
        acceptance.acceptance_decide(
            acceptance_id=item.pk,
            actor=world.user("a", "analyst"),
            actor_role="risk_manager",
            approve=True,
        )
    assert own.value.error_list[0].code == "self_approval"
    with pytest.raises(ValidationError):
        acceptance.acceptance_decide(
            acceptance_id=item.pk,
            actor=world.user("a", "viewer"),
            actor_role="analyst",
            approve=True,
        )


def test_one_live_request_per_risk_and_expiry_is_bounded(assessed_risk, world):
    request(assessed_risk, world)
    with pytest.raises(ValidationError) as twice:
        request(assessed_risk, world)
    assert twice.value.error_dict["risk_id"][0].code == "acceptance_pending"
    other = register.risk_create(
        title="Other", category_id=assessed_risk.category_id, status="open"
    )
    assessments.assessment_record(risk_id=other.pk, kind="inherent", likelihood=1, impact=1)
    with pytest.raises(ValidationError) as too_long:
        request(Risk.objects.get(pk=other.pk), world, days=400)
    assert too_long.value.error_dict["expires_on"][0].code == "expiry_too_long"


@pytest.mark.parametrize(
    "change,reason",
    [
        (
            lambda risk, world: assessments.assessment_record(
                risk_id=risk.pk, kind="inherent", likelihood=5, impact=4
            ),
            "level rose",
        ),
        (
            lambda risk, world: register.risk_update(
                risk_id=risk.pk, treatment_strategy="mitigate"
            ),
            "treatment changed",
        ),
        (
            lambda risk, world: register.risk_update(
                risk_id=risk.pk, owner_id=person_for(world.user("a", "admin")).pk
            ),
            "owner changed",
        ),
    ],
)
def test_a_material_change_voids_the_acceptance_and_says_why(assessed_risk, world, change, reason):
    item = approve(request(assessed_risk, world), world)
    change(assessed_risk, world)
    item.refresh_from_db()
    assessed_risk.refresh_from_db()
    assert item.status == AcceptanceStatus.VOIDED and reason in item.void_reason.lower()
    assert assessed_risk.status == RiskStatus.OPEN


def test_a_change_that_is_not_material_keeps_the_acceptance(assessed_risk, world):
    item = approve(request(assessed_risk, world), world)
    register.risk_update(risk_id=assessed_risk.pk, description="Clarified wording.")
    assessments.assessment_record(risk_id=assessed_risk.pk, kind="residual", likelihood=1, impact=2)
    item.refresh_from_db()
    assert item.status == AcceptanceStatus.APPROVED


def test_expiry_reopens_the_risk_once(assessed_risk, world):
    item = approve(request(assessed_risk, world, days=10), world)
    later = timezone.localdate() + timedelta(days=11)
    assert acceptance.expire_due(later) == 1
    assert acceptance.expire_due(later) == 0
    item.refresh_from_db()
    assessed_risk.refresh_from_db()
    assert item.status == AcceptanceStatus.EXPIRED and assessed_risk.status == RiskStatus.OPEN
