"""One object of each emergency Node type, for tests/security/test_node_walk.py."""

from datetime import timedelta

from django.utils import timezone


def emergency_objects(*, analyst, manager, person, control, signal) -> dict:
    from apps.emergency.models import Scenario, SeverityLevel
    from apps.emergency.services import activations, drills, plans, response

    level = SeverityLevel.objects.get(code="II")
    plan = plans.plan_create(
        code="walk",
        name="Walk",
        scenario_id=Scenario.objects.get(code="fraud_wave").pk,
        actor=analyst,
    )
    version = plan.versions.get()
    plans.version_update(
        version_id=version.pk,
        roles=[{"role": "commander", "person_id": person.pk}],
        steps=[
            {
                "phase": "response",
                "action": "Freeze",
                "responsible_role": "commander",
                "time_target_minutes": 10,
            }
        ],
        triggers=[{"kind": "manual", "level_id": level.pk}],
        strategies=[{"level_id": level.pk, "strategy": "Convene."}],
        resources=[{"kind": "reserve", "name": "Reserve", "amount": "1000.00"}],
        communications=[{"audience": "staff", "channel": "email"}],
    )
    plans.version_transition(version_id=version.pk, to="in_review", actor=analyst)
    plans.version_transition(
        version_id=version.pk, to="approved", actor=manager, actor_role="risk_manager"
    )
    activation = activations.activation_declare(
        plan_id=plan.pk, level_id=level.pk, signal_id=signal.pk, actor=analyst
    )
    communication = response.communication_record(
        activation_id=activation.pk, audience="staff", channel="email", summary="Told."
    )
    drill = drills.drill_schedule(
        plan_id=plan.pk, scheduled_on=timezone.localdate() - timedelta(days=1)
    )
    drills.drill_record(
        drill_id=drill.pk, result="partial", step_timings=[{"position": 1, "finished_minutes": 12}]
    )
    finding = drills.finding_create(
        drill_id=drill.pk, title="Slow", severity="low", control_id=control.pk
    )
    return {
        "emergency scenario": plan.scenario_id,
        "severity level": level.pk,
        "emergency plan": plan.pk,
        "plan version": version.pk,
        "plan role": version.roles.get().pk,
        "plan step": version.steps.get().pk,
        "plan trigger": version.triggers.get().pk,
        "plan strategy": version.strategies.get().pk,
        "plan resource": version.resources.get().pk,
        "plan communication": version.communications.get().pk,
        "activation": activation.pk,
        "activation task": activation.tasks.get().pk,
        "activation role": activation.roles.get().pk,
        "timeline event": activation.timeline.first().pk,
        "activation communication": communication.pk,
        "regulator report": activation.regulator_reports.get().pk,
        "drill": drill.pk,
        "drill finding": finding.pk,
        "drill step timing": drill.step_timings.get().pk,
    }
