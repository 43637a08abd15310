"""A run met again while it is `running` — a new attempt of its own job after its worker died,
or the sweep's new job for a run whose job was failed as lost — is computed again from its
stored inputs and seed (nothing of the lost attempt was stored), unless another live job has
it; a run lost too often fails; a run whose job was lost and that nothing took over is failed
by the tick. The real killed worker: test_worker_lost.py."""

from decimal import Decimal

import pytest

from apps.assessments.models import RunFigure
from apps.assessments.module import JOB_RUN
from apps.assessments.services.execute import MAX_RESTARTS, execute
from apps.assessments.services.runs import run_create, run_transition, runs_fail_orphaned
from apps.core import services as jobs
from apps.core.models import Job


@pytest.fixture
def lost(upload):
    """A liquidity run whose worker died after it started: running, its job running too."""
    flows = upload("cash_flows", "maturity_days,inflow,outflow", "0,0,100", "20,0,200")
    run = run_create(kind="liquidity", cash_flows=flows.pk, parameters={"liquid_assets": "600"})
    jobs.job_start(job_id=run.job_id, worker="gone:1:0")
    run_transition(run, "running")
    return run


def figures(run) -> dict:
    return {(f.code, f.segment): f.value for f in RunFigure.objects.filter(run=run)}


def test_a_new_attempt_of_its_own_job_computes_the_run_again(lost):
    execute(Job.objects.get(pk=lost.job_id))
    lost.refresh_from_db()
    assert (lost.status, lost.restarts) == ("succeeded", 1)
    # 30-day outflows 300 at run-off 1.0, no inflows: 600 / 300 = 2
    assert figures(lost)[("coverage_ratio", "")] == Decimal("2.00000000")


def test_the_sweeps_new_job_takes_the_run_over_once_its_job_failed(lost):
    old = lost.job_id
    again = jobs.job_create(kind=JOB_RUN, input={"run": str(lost.pk)})
    jobs.job_start(job_id=again.pk, worker="here:1:0")
    assert execute(again) == {"run": str(lost.pk), "status": "running"}  # old job still on it
    lost.refresh_from_db()
    assert (lost.job_id, lost.restarts, lost.figures.exists()) == (old, 0, False)
    jobs.job_fail(job_id=old, error="The worker running this job stopped answering.")
    assert execute(again)["run"] == str(lost.pk)
    lost.refresh_from_db()
    assert (lost.status, lost.job_id, lost.restarts) == ("succeeded", again.pk, 1)
    assert figures(lost)[("coverage_ratio", "")] == Decimal("2.00000000")


def test_a_run_lost_too_often_fails(lost):
    from apps.core.background import JobRejected

    lost.restarts = MAX_RESTARTS
    lost.save(update_fields=["restarts"])
    with pytest.raises(JobRejected):
        execute(Job.objects.get(pk=lost.job_id))
    lost.refresh_from_db()
    assert lost.status == "failed" and lost.error == (
        f"The run lost its worker {MAX_RESTARTS + 1} times; it is not tried again."
    )
    assert not lost.figures.exists()


def test_the_tick_fails_a_run_whose_job_was_lost_and_not_taken_over(lost, upload):
    flows = upload("cash_flows", "maturity_days,outflow", "1,10", name="other")
    waiting = run_create(kind="liquidity", cash_flows=flows.pk, parameters={"liquid_assets": 1})
    jobs.job_fail(job_id=lost.job_id, error="The worker running this job stopped answering.")
    jobs.job_fail(job_id=waiting.job_id, error="This job was never started by a worker.")
    # the sweep ran the lost one again: that job is live, so the run is left to it
    again = jobs.job_create(kind=JOB_RUN, input={"run": str(lost.pk)})
    assert runs_fail_orphaned() == {"failed": 1}
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.status == "running"
    assert (waiting.status, waiting.error) == ("failed", "This job was never started by a worker.")
    jobs.job_fail(job_id=again.pk, error="lost again")
    assert runs_fail_orphaned() == {"failed": 1}
    lost.refresh_from_db()
    assert (lost.status, lost.error) == ("failed", "The worker running this job stopped answering.")
    assert runs_fail_orphaned() == {"failed": 0}  # idempotent
