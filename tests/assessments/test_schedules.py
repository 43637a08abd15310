"""Scheduled runs: once per period whatever the ticks do, on the newest ready version of the
template's datasets; a refused period is noted and not retried."""

from datetime import date

import pytest

from apps.assessments.models import AssessmentRun
from apps.assessments.services.runs import run_create
from apps.assessments.services.schedules import (
    period_of,
    schedule_create,
    schedule_update,
    scheduled_runs_due,
)
from tests.assessments.test_runs import done

FLOWS = ("maturity_days,inflow,outflow", "0,0,100", "20,50,0")


def test_periods_of_each_cadence():
    # 2026-12-31 is a Thursday of ISO week 53 of 2026; 2027-01-01 a Friday of the same week
    assert period_of("daily", date(2026, 12, 31)) == "2026-12-31"
    assert period_of("weekly", date(2026, 12, 31)) == "2026-W53"
    assert period_of("weekly", date(2027, 1, 1)) == "2026-W53"
    assert period_of("monthly", date(2027, 1, 1)) == "2027-01"


@pytest.fixture
def template(upload):
    flows = upload("cash_flows", *FLOWS, name="flows")
    return done(
        run_create(kind="liquidity", cash_flows=flows.pk, parameters={"liquid_assets": "250"})
    )


def _scheduled(schedule) -> list[tuple[str, object]]:
    return list(
        AssessmentRun.objects.filter(schedule=schedule)
        .order_by("period")
        .values_list("period", "cash_flows__number")
    )


def test_the_tick_twice_makes_one_run_per_period(template, upload):
    from apps.core.periodic import tick_handlers

    daily = schedule_create(name="daily LCR", template_id=template.pk, cadence="daily")
    monthly = schedule_create(name="monthly LCR", template_id=template.pk, cadence="monthly")
    tick = tick_handlers()["assessments.scheduled_runs"]
    assert tick() == {"created": 2, "refused": 0}
    assert tick() == {"created": 0, "refused": 0}  # the same day: nothing more
    assert len(_scheduled(daily)) == len(_scheduled(monthly)) == 1
    # explicit days from here (the test must not depend on today's date)
    upload("cash_flows", *FLOWS, "30,0,10", dataset_id=template.cash_flows.dataset_id)  # v2
    for day in (date(2030, 3, 30), date(2030, 3, 30), date(2030, 3, 31)):
        scheduled_runs_due(today=day)
    assert _scheduled(daily)[-2:] == [("2030-03-30", 2), ("2030-03-31", 2)]
    assert _scheduled(monthly)[-1] == ("2030-03", 2)  # once in March, on the new version
    assert len(_scheduled(monthly)) == 2
    run = AssessmentRun.objects.get(schedule=daily, period="2030-03-31")
    assert (run.kind, run.parameters, run.status) == ("liquidity", template.parameters, "queued")


def test_a_refused_period_is_noted_once_and_an_inactive_schedule_waits(template):
    from apps.assessments.models import DatasetVersion

    schedule = schedule_create(name="weekly", template_id=template.pk, cadence="weekly")
    DatasetVersion.objects.filter(pk=template.cash_flows_id).update(status="rejected")
    assert scheduled_runs_due(today=date(2030, 1, 7)) == {"created": 0, "refused": 1}
    assert scheduled_runs_due(today=date(2030, 1, 8)) == {"created": 0, "refused": 0}
    schedule.refresh_from_db()
    assert (schedule.last_period, schedule.last_error) == ("2030-W02", "This version is rejected.")
    DatasetVersion.objects.filter(pk=template.cash_flows_id).update(status="ready")
    schedule_update(schedule_id=schedule.pk, active=False)
    assert scheduled_runs_due(today=date(2030, 1, 14)) == {"created": 0, "refused": 0}
    schedule_update(schedule_id=schedule.pk, active=True)
    assert scheduled_runs_due(today=date(2030, 1, 14)) == {"created": 1, "refused": 0}
    assert _scheduled(schedule) == [("2030-W03", 1)]
