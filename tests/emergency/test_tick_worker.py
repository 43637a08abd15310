"""The tick on a real Celery worker: a red signal matched by an automatic trigger activates its
plan, and the tick run again (as beat does every minute) activates nothing more.

The worker is another process: the data is committed in tenant B and removed afterwards."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.kit.worker import WAIT, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.removes_committed]
SCHEMA = "tenant_b"


def test_the_tenant_exists(world):  # makes the test database (see tests/core/test_worker.py)
    assert world.b.schema_name == SCHEMA


@pytest.fixture
def automatic_plan(django_db_blocker):
    from apps.core.models import Job
    from apps.early_warning.models import Indicator
    from apps.early_warning.services import indicators
    from apps.early_warning.services.ingestion import PointIn, ingest
    from apps.early_warning.services.scans import scan
    from apps.emergency.models import (
        Activation,
        Drill,
        Plan,
        Scenario,
        SeverityLevel,
        TimelineEvent,
    )
    from apps.emergency.services import plans
    from apps.people.models import Person
    from apps.people.services.people import person_create
    from apps.risks.models import RiskCategory

    with django_db_blocker.unblock(), schema_context(SCHEMA):
        credit = RiskCategory.objects.get(code="credit")
        kri = indicators.indicator_save(
            code="tick_outflow",
            name="Outflow",
            category_id=credit.pk,
            amber=1.0,
            red=2.0,
            frequency_minutes=60,
        )
        indicators.rule_save(indicator_id=kri.pk, kind="threshold", params={})
        ingest([PointIn("tick_outflow", timezone.now() - timedelta(hours=1), 9.0, None)])
        scan(indicator_ids=[kri.pk], now=timezone.now())
        commander = person_create(employee_number="TICK1", full_name="Tick Commander")
        plan = plans.plan_create(
            code="tick_auto", name="Tick", scenario_id=Scenario.objects.get(code="fraud_wave").pk
        )
        version = plan.versions.get()
        plans.version_update(
            version_id=version.pk,
            roles=[{"role": "commander", "person_id": commander.pk}],
            steps=[
                {
                    "phase": "response",
                    "action": "Freeze accounts",
                    "responsible_role": "commander",
                    "time_target_minutes": 15,
                }
            ],
            triggers=[
                {
                    "kind": "indicator",
                    "indicator_id": kri.pk,
                    "severity": "red",
                    "automatic": True,
                    "level_id": SeverityLevel.objects.get(code="I").pk,
                }
            ],
        )
        plans.version_transition(version_id=version.pk, to="in_review")
        plans.version_transition(
            version_id=version.pk, to="approved", actor=_someone(), actor_role="admin"
        )
    connection.set_schema_to_public()
    yield plan
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        TimelineEvent.objects.filter(activation__plan__code="tick_auto").delete()
        Activation.objects.filter(plan__code="tick_auto").delete()
        # The daily handler may have run in the worker too (its claim is per day, so it runs
        # when no earlier test took today's) and scheduled the plan's first drill.
        Drill.objects.filter(plan__code="tick_auto").delete()
        Plan.objects.filter(code="tick_auto").delete()
        Person.objects.filter(employee_number="TICK1").delete()
        Indicator.objects.filter(code="tick_outflow").delete()
        Job.objects.filter(kind="warning_scan").delete()
    connection.set_schema_to_public()


def _someone():
    from apps.accounts.models import User

    return User.objects.get(email="admin@b.test")


def test_the_tick_activates_once_per_red_signal(worker, automatic_plan, django_db_blocker):
    from apps.core.tasks import tenant_tick
    from apps.emergency.models import Activation

    def activations() -> list:
        with django_db_blocker.unblock(), schema_context(SCHEMA):
            return list(
                Activation.objects.filter(plan__code="tick_auto").values_list(
                    "source", "level__code", "signal__indicator__code"
                )
            )

    with schema_context(SCHEMA):
        first = tenant_tick.apply_async().get(timeout=WAIT)
    assert first["emergency.response"] == {"activated": 1, "overdue": 0}, first
    with schema_context(SCHEMA):
        again = tenant_tick.apply_async().get(timeout=WAIT)
    assert again["emergency.response"] == {"activated": 0, "overdue": 0}, again
    assert wait_for(lambda: len(activations()) == 1)
    assert activations() == [("automatic", "I", "tick_outflow")]
