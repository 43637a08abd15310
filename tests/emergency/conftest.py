"""Fixtures of the emergency tests: people, an approved plan, a red signal. Built through the
services (as a request or a task would), in tenant A's schema."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def org(in_a):
    return org_people(in_a)


def org_people(world) -> dict:
    from apps.people.services import departments, people

    unit = departments.department_create(code="crisis", name_en="Crisis team")

    def person(number, user=None):
        return people.person_create(
            employee_number=number,
            full_name=f"Person {number}",
            department_id=unit.pk,
            user_id=user.pk if user else None,
        )

    return {
        "ana": person("E1", world.user("a", "analyst")),  # commander
        "bo": person("E2", world.user("a", "viewer")),  # deputy / assignee of steps
        "cy": person("E3"),  # backup, communications
        "di": person("E4", world.user("a", "risk_manager")),
    }


def level(code: str):
    from apps.emergency.models import SeverityLevel

    return SeverityLevel.objects.get(code=code)


def make_plan(world, org, *, code="outage", triggers=(), risk_ids=(), cadence=12, approve=True):
    """A plan with two steps (step 2 after step 1), a commander and a deputy, approved by the
    risk manager (the analyst wrote it)."""
    from apps.emergency.models import Scenario
    from apps.emergency.services import plans

    analyst, manager = world.user("a", "analyst"), world.user("a", "risk_manager")
    plan = plans.plan_create(
        code=code,
        name=f"Plan {code}",
        scenario_id=Scenario.objects.get(code="system_outage").pk,
        risk_ids=list(risk_ids),
        drill_cadence_months=cadence,
        actor=analyst,
    )
    draft = plan.versions.get()
    plans.version_update(
        version_id=draft.pk,
        actor=analyst,
        success_criteria=["Service back within 4 hours"],
        roles=[
            {"role": "commander", "person_id": org["ana"].pk, "backup_id": org["cy"].pk},
            {"role": "deputy", "person_id": org["bo"].pk},
        ],
        steps=[
            {
                "phase": "response",
                "action": "Confirm the outage",
                "responsible_role": "deputy",
                "time_target_minutes": 30,
                "depends_on": [],
            },
            {
                "phase": "response",
                "action": "Switch to DR",
                "responsible_role": "commander",
                "time_target_minutes": 120,
                "depends_on": [1],
            },
        ],
        triggers=[dict(t) for t in triggers],
    )
    if approve:
        plans.version_transition(version_id=draft.pk, to="in_review", actor=analyst)
        plans.version_transition(
            version_id=draft.pk, to="approved", actor=manager, actor_role="risk_manager"
        )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def indicator(in_a):
    from apps.early_warning.services import indicators
    from apps.risks.models import RiskCategory

    credit = RiskCategory.objects.get(code="credit")
    kri = indicators.indicator_save(
        code="outflow",
        name="Outflow",
        category_id=credit.pk,
        amber=1.0,
        red=2.0,
        frequency_minutes=60,
    )
    rule = indicators.rule_save(indicator_id=kri.pk, kind="threshold", params={})
    return kri, rule


def raise_signal(indicator, value: float, hours_ago: int = 1):
    """One observation and a scan: a signal of the severity the value reaches."""
    from apps.early_warning.services.ingestion import PointIn, ingest
    from apps.early_warning.services.scans import scan

    ingest([PointIn(indicator.code, timezone.now() - timedelta(hours=hours_ago), value, None)])
    scan(indicator_ids=[indicator.pk], now=timezone.now())
    return indicator.signals.get(status="open")
