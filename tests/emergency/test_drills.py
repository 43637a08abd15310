"""Drills: criteria copied at scheduling, missed when the date passes, the cadence calendar,
and results fed back into the register's controls (and so the residual proposal)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.emergency.dates import add_months
from tests.emergency.conftest import make_plan
from tests.emergency.test_plans import codes


@pytest.fixture
def risk_with_control(in_a):
    from apps.risks.models import RiskCategory
    from apps.risks.services import assessments, controls, register

    credit = RiskCategory.objects.get(code="credit")
    risk = register.risk_create(title="DR failure", category_id=credit.pk, status="open")
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=4, impact=4)
    control = controls.control_save(
        name="DR switch-over",
        control_type="preventive",
        kind="technical",
        effectiveness="effective",
        risk_ids=[risk.pk],
    )
    risk.refresh_from_db()
    return risk, control


def test_success_criteria_are_copied_when_scheduled(world, org):
    from apps.emergency.services import drills, plans

    plan = make_plan(world, org)
    drill = drills.drill_schedule(plan_id=plan.pk, scheduled_on=timezone.localdate())
    draft = plans.version_new_draft(plan_id=plan.pk)
    plans.version_update(version_id=draft.pk, success_criteria=["Something else"])
    drill.refresh_from_db()
    assert drill.success_criteria == ["Service back within 4 hours"]


def test_a_drill_whose_date_passed_without_result_is_missed_once(world, org):
    from apps.emergency.models import Drill
    from apps.emergency.services import drills
    from apps.notifications.models import WebhookDelivery
    from apps.notifications.services import webhook_create

    webhook_create(name="h", url="https://hooks.example.com/x")
    plan = make_plan(world, org)
    today = timezone.localdate()
    drill = drills.drill_schedule(plan_id=plan.pk, scheduled_on=today - timedelta(days=1))
    outcome = drills.daily(today=today)
    assert outcome["drills_missed"] == 1
    drill.refresh_from_db()
    assert drill.status == "missed"
    assert drills.daily(today=today)["drills_missed"] == 0
    assert WebhookDelivery.objects.filter(event="emergency.drill_missed").count() == 1
    # The calendar schedules the next one from the missed date + cadence (12 months).
    upcoming = Drill.objects.get(plan=plan, status="scheduled")
    assert upcoming.scheduled_on == add_months(today - timedelta(days=1), 12)


def test_a_failed_drill_finding_lowers_the_control_and_the_residual_follows(
    world, org, risk_with_control
):
    from apps.emergency.services import drills
    from apps.risks.services.assessments import residual_proposal

    risk, control = risk_with_control
    # Effective preventive control: likelihood 4 − 2 = 2.
    assert residual_proposal(risk=risk).likelihood == 2
    plan = make_plan(world, org, risk_ids=[risk.pk])
    held = timezone.localdate() - timedelta(days=2)
    drill = drills.drill_schedule(plan_id=plan.pk, scheduled_on=held)
    with pytest.raises(ValidationError) as early:
        drills.finding_create(drill_id=drill.pk, title="Slow", severity="high")
    assert codes(early.value) == {"drill_id": ["invalid_transition"]}
    drills.drill_record(drill_id=drill.pk, result="fail", held_on=held)
    drills.finding_create(
        drill_id=drill.pk, title="Switch-over took 3 hours", severity="high", control_id=control.pk
    )
    control.refresh_from_db()
    assert (control.effectiveness, control.last_tested_at) == ("partially_effective", held)
    assert control.effectiveness_changed_at is not None
    # Partially effective takes one level off: 4 − 1 = 3.
    assert residual_proposal(risk=risk).likelihood == 3


def test_a_passed_drill_sets_last_tested_on_the_plans_controls(world, org, risk_with_control):
    from apps.emergency.services import drills

    risk, control = risk_with_control
    plan = make_plan(world, org, risk_ids=[risk.pk])
    held = timezone.localdate() - timedelta(days=1)
    drill = drills.drill_schedule(plan_id=plan.pk, scheduled_on=held)
    drills.drill_record(drill_id=drill.pk, result="pass", held_on=held)
    control.refresh_from_db()
    assert (control.effectiveness, control.last_tested_at) == ("effective", held)


def test_the_plan_shows_last_drill_failed_and_open_findings(api, world, org):
    from django.db import connection
    from strawberry.relay import to_base64

    from apps.emergency.services import drills

    plan = make_plan(world, org)
    held = timezone.localdate() - timedelta(days=1)
    drill = drills.drill_schedule(plan_id=plan.pk, scheduled_on=held)
    drills.drill_record(drill_id=drill.pk, result="fail", held_on=held)
    drills.finding_create(drill_id=drill.pk, title="No backup commander", severity="medium")
    connection.set_schema_to_public()
    data = api("a", "viewer").ok(
        "query($id: ID!) { emergencyPlan(id: $id) { lastDrillFailed noDrillWithinCycle "
        "openFindings } }",
        {"id": to_base64("EmergencyPlan", plan.pk)},
    )
    assert data["emergencyPlan"] == {
        "lastDrillFailed": True,
        "noDrillWithinCycle": False,
        "openFindings": 1,
    }


def test_a_finding_becomes_a_treatment_action_on_a_linked_risk_once(world, org, risk_with_control):
    from apps.emergency.services import drills
    from apps.risks.models import RiskCategory, TreatmentAction
    from apps.risks.services import register

    risk, control = risk_with_control
    other = register.risk_create(
        title="Not in the plan", category_id=RiskCategory.objects.get(code="credit").pk
    )
    plan = make_plan(world, org, risk_ids=[risk.pk])
    held = timezone.localdate() - timedelta(days=2)
    drill = drills.drill_schedule(plan_id=plan.pk, scheduled_on=held, kind="functional")
    drills.drill_record(drill_id=drill.pk, result="fail", held_on=held)
    due = held + timedelta(days=30)
    finding = drills.finding_create(
        drill_id=drill.pk,
        title="DR script out of date",
        severity="high",
        owner_id=org["ana"].pk,  # linked to the analyst member
        due_on=due,
        control_id=control.pk,
    )
    with pytest.raises(ValidationError) as outside:
        drills.finding_action_create(finding_id=finding.pk, risk_id=other.pk)
    assert codes(outside.value) == {"risk_id": ["not_found"]}
    assert not TreatmentAction.objects.exists()

    finding = drills.finding_action_create(finding_id=finding.pk, risk_id=risk.pk)
    action = TreatmentAction.objects.get()
    assert finding.action_id == action.pk
    assert (action.risk_id, action.title, action.due_date, action.control_id) == (
        risk.pk,
        "DR script out of date",
        due,
        control.pk,
    )
    assert action.owner_id == org["ana"].pk  # the same directory person
    assert action.description == (
        f"Drill finding (High) of the functional drill of {plan.code} on {held}."
    )
    with pytest.raises(ValidationError) as twice:
        drills.finding_action_create(finding_id=finding.pk, risk_id=risk.pk)
    assert codes(twice.value) == {"id": ["invalid_transition"]}
    assert TreatmentAction.objects.count() == 1
