"""Activations: tasks and their due times, the overdue notice (once), commander handover,
the regulator's deadline, closing rules and the loss event in the register."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.emergency.conftest import level, make_plan
from tests.emergency.test_plans import codes


@pytest.fixture
def declared(world, org):
    from apps.emergency.services.activations import activation_declare

    plan = make_plan(world, org)
    now = timezone.now()
    activation = activation_declare(
        plan_id=plan.pk,
        level_id=level("II").pk,
        amount_involved="1250000.50",
        now=now,
        actor=world.user("a", "analyst"),
    )
    return activation, now


def test_steps_become_tasks_due_at_declaration_plus_their_target(declared, org):
    activation, now = declared
    tasks = list(activation.tasks.order_by("position"))
    assert [(t.action, t.assignee_id, t.due_at, t.status) for t in tasks] == [
        ("Confirm the outage", org["bo"].pk, now + timedelta(minutes=30), "pending"),
        ("Switch to DR", org["ana"].pk, now + timedelta(minutes=120), "pending"),
    ]
    assert activation.amount_involved == Decimal("1250000.50")
    assert list(activation.timeline.values_list("kind", flat=True)) == [
        "declared",
        "role_assigned",
        "role_assigned",
    ]


def test_a_task_waits_for_its_dependencies_and_a_skip_needs_a_reason(declared):
    from apps.emergency.services.response import task_transition

    activation, _ = declared
    first, second = activation.tasks.order_by("position")
    with pytest.raises(ValidationError) as waiting:
        task_transition(task_id=second.pk, to="done")
    assert codes(waiting.value) == {"to": ["invalid_transition"]}
    with pytest.raises(ValidationError) as no_reason:
        task_transition(task_id=first.pk, to="skipped")
    assert codes(no_reason.value) == {"reason": ["incomplete"]}
    task_transition(task_id=first.pk, to="skipped", reason="Monitoring confirmed it")
    task_transition(task_id=second.pk, to="done")
    second.refresh_from_db()
    assert second.status == "done" and second.finished_at is not None
    assert list(activation.timeline.filter(task__isnull=False).values_list("kind", flat=True)) == [
        "task_skipped",
        "task_done",
    ]


def test_an_overdue_task_notifies_its_assignee_and_the_commander_once(declared, world):
    from apps.emergency.services.response import overdue_sweep
    from apps.notifications.models import Notification

    activation, now = declared
    later = now + timedelta(minutes=31)  # step 1 (30 min) is late, step 2 (120 min) is not
    assert overdue_sweep(now=later) == 1
    assert overdue_sweep(now=later + timedelta(minutes=5)) == 0
    recipients = sorted(
        Notification.objects.filter(event="emergency.task_overdue").values_list(
            "recipient__email", flat=True
        )
    )
    # Assignee (deputy) is Person E2, the viewer's person; the commander E1 is the analyst's.
    assert recipients == ["analyst@a.test", "viewer@a.test"]
    assert activation.timeline.filter(kind="task_overdue").count() == 1


def test_a_handover_ends_the_previous_commanders_term(declared, org):
    from apps.emergency.services.activations import role_assign

    activation, _ = declared
    role_assign(activation_id=activation.pk, role="commander", person_id=org["di"].pk)
    terms = list(activation.roles.filter(role="commander").order_by("started_at", "created_at"))
    assert [(t.person_id, t.ended_at is None) for t in terms] == [
        (org["ana"].pk, False),
        (org["di"].pk, True),
    ]
    assert activation.roles.filter(role="commander", ended_at__isnull=True).count() == 1
    with pytest.raises(ValidationError) as again:
        role_assign(activation_id=activation.pk, role="commander", person_id=org["di"].pk)
    assert codes(again.value) == {"person_id": ["invalid"]}


def test_the_regulator_report_is_met_or_missed_against_the_levels_deadline(declared):
    from apps.emergency.services.activations import level_change
    from apps.emergency.services.response import regulator_report_submit

    activation, now = declared
    (report,) = activation.regulator_reports.all()
    assert report.due_at == now + timedelta(hours=4)  # level II: 4 hours
    assert report.outcome(now + timedelta(hours=3)) == "pending"
    assert report.outcome(now + timedelta(hours=5)) == "missed"
    regulator_report_submit(report_id=report.pk, submitted_at=timezone.now())
    report.refresh_from_db()
    assert report.outcome(now + timedelta(days=2)) == "met"
    # Escalation to level I owes a report due 2 hours after the declaration (already late
    # when declared more than 2 hours ago; here: due at now + 2 h).
    level_change(activation_id=activation.pk, level_id=level("I").pk)
    escalated = activation.regulator_reports.get(level__code="I")
    assert escalated.due_at == now + timedelta(hours=2)
    late = escalated.due_at + timedelta(minutes=1)
    escalated.submitted_at = late
    assert escalated.outcome(late) == "missed"


def test_closing_needs_root_cause_lessons_and_actions(declared):
    from apps.emergency.services.activations import activation_close

    activation, _ = declared
    with pytest.raises(ValidationError) as refused:
        activation_close(
            activation_id=activation.pk,
            root_cause="Disk full",
            lessons_learned=" ",
            follow_up_actions="Alerting",
        )
    assert codes(refused.value) == {"lessons_learned": ["incomplete"]}
    activation.refresh_from_db()
    assert activation.status == "active" and activation.closed_at is None


def test_closing_by_transition_is_refused(declared):
    from apps.emergency.services.activations import activation_transition

    activation, _ = declared
    with pytest.raises(ValidationError) as refused:
        activation_transition(activation_id=activation.pk, to="closed")
    assert codes(refused.value) == {"to": ["invalid_transition"]}


def test_a_closed_activation_records_a_loss_event_on_its_risks(world, org):
    from apps.emergency.services.activations import activation_close, activation_declare
    from apps.risks.models import RiskCategory
    from apps.risks.models.losses import RiskLossEvent
    from apps.risks.services.register import risk_create

    credit = RiskCategory.objects.get(code="credit")
    risk = risk_create(title="Outage of core banking", category_id=credit.pk)
    plan = make_plan(world, org, risk_ids=[risk.pk])
    activation = activation_declare(
        plan_id=plan.pk, level_id=level("III").pk, estimated_loss=Decimal("80000.00")
    )
    activation.refresh_from_db()
    assert activation.risk_ids == [risk.pk]  # the plan's risks, by default
    closed = activation_close(
        activation_id=activation.pk,
        root_cause="Disk full",
        lessons_learned="Watch disks",
        follow_up_actions="Alerting on 80%",
        plan_rating=4,
        estimated_loss=Decimal("75000.25"),
    )
    assert closed.status == "closed" and closed.closed_at is not None
    (event,) = RiskLossEvent.objects.filter(risk=risk)
    assert (event.amount, event.currency, event.source, event.reference) == (
        Decimal("75000.25"),
        "CNY",
        "emergency",
        str(activation.pk),
    )
    assert "Disk full" in event.description
