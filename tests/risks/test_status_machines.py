"""Each of the register's status machines refuses a forbidden move with INVALID_TRANSITION on the
input field that named the target, and changes nothing (the row and the audit trail)."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.risks.models import AcceptanceStatus, Risk, RiskAcceptance, RiskStatus, TreatmentAction
from apps.risks.services import acceptance, assessments, controls, register
from tests.risks.people import person_for


def _row(model, pk) -> dict:
    return model.objects.filter(pk=pk).values().get()


@pytest.fixture
def risk(credit, world):
    made = register.risk_create(
        title="Collection agency misconduct",
        category_id=credit.pk,
        status=RiskStatus.OPEN,
        treatment_strategy="accept",
        owner_id=person_for(world.user("a", "analyst")).pk,
    )
    assessments.assessment_record(risk_id=made.pk, kind="inherent", likelihood=3, impact=3)
    return Risk.objects.get(pk=made.pk)


def _request(risk, world):
    return acceptance.acceptance_request(
        risk_id=risk.pk,
        actor=world.user("a", "analyst"),
        justification="Cheaper than the controls it would need.",
        expires_on=timezone.localdate() + timedelta(days=30),
    )


def _decide(item, world, approve=True):
    return acceptance.acceptance_decide(
        acceptance_id=item.pk,
        actor=world.user("a", "risk_manager"),
        actor_role="risk_manager",
        approve=approve,
        comment="Within appetite.",
    )


def test_a_risk_refuses_a_forbidden_move_and_changes_nothing(risk):
    register.risk_transition(risk_id=risk.pk, to=RiskStatus.CLOSED)
    before, entries = _row(Risk, risk.pk), LogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        register.risk_transition(risk_id=risk.pk, to=RiskStatus.IN_TREATMENT)
    assert refused.value.error_dict["to"][0].code == "invalid_transition"
    assert _row(Risk, risk.pk) == before and LogEntry.objects.count() == entries


def test_an_action_refuses_a_forbidden_move_and_changes_nothing(risk):
    action = controls.action_create(risk_id=risk.pk, title="Audit the agency")
    controls.action_update(action_id=action.pk, status="cancelled")
    before, entries = _row(TreatmentAction, action.pk), LogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        controls.action_update(action_id=action.pk, status="done", title="Renamed")
    assert refused.value.error_dict["status"][0].code == "invalid_transition"
    assert _row(TreatmentAction, action.pk) == before and LogEntry.objects.count() == entries


def test_an_action_done_and_its_fields_are_one_audited_save(risk):
    action = controls.action_create(risk_id=risk.pk, title="Audit the agency")
    entries = LogEntry.objects.count()
    done = controls.action_update(action_id=action.pk, status="done", title="Agency audited")
    assert (done.status, done.title) == ("done", "Agency audited") and done.completed_at
    assert LogEntry.objects.count() == entries + 1
    reopened = controls.action_update(action_id=action.pk, status="in_progress")
    assert reopened.completed_at is None


def test_a_decided_acceptance_is_not_decided_again_and_nothing_changes(risk, world):
    item = _decide(_request(risk, world), world, approve=False)
    assert item.status == AcceptanceStatus.REJECTED
    before, entries = _row(RiskAcceptance, item.pk), LogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        _decide(item, world, approve=True)
    assert refused.value.error_dict["approve"][0].code == "invalid_transition"
    assert _row(RiskAcceptance, item.pk) == before and LogEntry.objects.count() == entries
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.OPEN


def test_an_approved_acceptance_is_not_decided_again(risk, world):
    item = _decide(_request(risk, world), world)
    before = _row(RiskAcceptance, item.pk)
    with pytest.raises(ValidationError) as refused:
        _decide(item, world, approve=False)
    assert refused.value.error_dict["approve"][0].code == "invalid_transition"
    assert _row(RiskAcceptance, item.pk) == before


def test_the_table_is_checked_before_who_decides(risk, world):
    """A decided acceptance is refused as such, even to someone who may not decide at all."""
    item = _decide(_request(risk, world), world, approve=False)
    with pytest.raises(ValidationError) as refused:
        acceptance.acceptance_decide(
            acceptance_id=item.pk,
            actor=world.user("a", "analyst"),
            actor_role="analyst",
            approve=True,
        )
    assert refused.value.error_dict["approve"][0].code == "invalid_transition"


def test_an_ended_acceptance_records_when_and_why_with_one_clock(risk, world):
    item = _decide(_request(risk, world), world)
    clock = timezone.now() - timedelta(minutes=5)  # the caller's clock, not the wall clock
    register.risk_transition(risk_id=risk.pk, to=RiskStatus.OPEN, now=clock)
    item.refresh_from_db()
    assert (item.status, item.void_reason) == (AcceptanceStatus.VOIDED, "Risk moved to open.")
    assert item.voided_at == clock


def test_expiry_ends_the_acceptance_and_reopens_the_risk(risk, world):
    item = _decide(_request(risk, world), world)
    later = item.expires_at + timedelta(days=1)
    assert acceptance.expire_due(later) == 1
    item.refresh_from_db()
    assert (item.status, item.void_reason) == ("expired", f"Expired on {item.expires_at}.")
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.OPEN
    assert acceptance.expire_due(later) == 0
