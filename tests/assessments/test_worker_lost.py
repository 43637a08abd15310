"""A worker killed with SIGKILL in the middle of a Monte Carlo VaR run: the run's job stops
beating, the next tick's sweep fails it and runs it again as a new job, which takes the run
over and computes it again from its stored inputs, parameters and seed — the same figures as
the same run computed here, in the test process. The killed worker's late redelivery does
nothing. Real processes; a 3 s heartbeat staleness (production: 5 min)."""

import time

import numpy as np
import pytest
from auditlog.models import LogEntry
from django.db import connection
from django_tenants.utils import schema_context

from apps.assessments.models import AssessmentRun, Dataset, DatasetVersion, RunFigure, RunVar
from apps.assessments.services.datasets import dataset_version_from_arrays
from apps.assessments.services.execute import execute
from apps.assessments.services.runs import RUN_TASK, run_create, run_repeat
from apps.core.models import Job
from apps.core.tasks import tenant_tick
from config.celery import app
from tests.kit.worker import start_worker, stop_worker, wait_for

pytestmark = pytest.mark.worker
SCHEMA = "tenant_a"
STALE_SECONDS = 3
POSITIONS, DAYS = 150, 260  # with 200,000 scenarios: seconds of work, killed well before the end


def test_the_tenant_exists(world):  # makes the test database (see tests/core/test_worker.py)
    assert world.a.schema_name == SCHEMA


@pytest.fixture
def book(django_db_blocker):
    rng = np.random.default_rng(11)
    names = np.array([f"P{i:03}" for i in range(POSITIONS)])
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        positions = dataset_version_from_arrays(
            arrays={
                "instrument": names,
                "asset_class": np.where(np.arange(POSITIONS) % 2 == 0, "equity", "bond"),
                "exposure": rng.uniform(1000, 5000, POSITIONS).round(2),
            },
            name="lost positions",
            kind="positions",
        )
        returns = dataset_version_from_arrays(
            arrays={
                "date": np.repeat(np.datetime64("2025-01-01") + np.arange(DAYS), POSITIONS).astype(
                    "datetime64[D]"
                ),
                "instrument": np.tile(names, DAYS),
                "return": rng.normal(0, 0.01, DAYS * POSITIONS),
            },
            name="lost returns",
            kind="returns",
        )
    yield positions, returns
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        versions = [positions.pk, returns.pk]
        runs = list(AssessmentRun.objects.filter(positions_id=positions.pk))
        job_ids = {r.job_id for r in runs} | set(
            Job.objects.filter(input__run__in=[str(r.pk) for r in runs]).values_list(
                "pk", flat=True
            )
        )
        made = [*versions, positions.dataset_id, returns.dataset_id, *(r.pk for r in runs)]
        AssessmentRun.objects.filter(pk__in=[r.pk for r in runs]).delete()
        Job.objects.filter(pk__in=job_ids).delete()
        Job.objects.filter(
            kind="assessment_run", result__run__in=[str(r.pk) for r in runs]
        ).delete()
        DatasetVersion.objects.filter(pk__in=versions).delete()
        Dataset.objects.filter(pk__in=[positions.dataset_id, returns.dataset_id]).delete()
        LogEntry.objects.filter(object_pk__in=[str(pk) for pk in made]).delete()
    connection.set_schema_to_public()


def _results(run) -> tuple[dict, list]:
    figures = {(f.code, f.segment): f.value for f in RunFigure.objects.filter(run=run)}
    rows = list(
        RunVar.objects.filter(run=run)
        .order_by("method", "confidence")
        .values_list("method", "confidence", "var", "es")
    )
    return figures, rows


def test_a_run_killed_with_its_worker_is_run_again_with_the_same_figures(book, django_db_blocker):
    positions, returns = book
    with django_db_blocker.unblock():
        slow = start_worker(FENGKONG_JOB_HEARTBEAT_SECONDS="0.5")
        try:
            with schema_context(SCHEMA):
                run = run_create(
                    kind="market_var",
                    positions=positions.pk,
                    returns=returns.pk,
                    seed=2026,
                    parameters={"mc_scenarios": 200_000, "backtest_days": 0},
                )
                lost_job = run.job_id

                def started() -> bool:
                    return AssessmentRun.objects.filter(pk=run.pk, status="running").exists()

                assert wait_for(started, every=0.02), "the worker never started the run"
        finally:
            stop_worker(slow, kill=True)

        with schema_context(SCHEMA):
            run.refresh_from_db()
            assert run.status == "running" and not run.figures.exists(), "killed too late"
            fresh = start_worker(FENGKONG_JOB_HEARTBEAT_STALE_SECONDS=str(STALE_SECONDS))
            try:
                time.sleep(STALE_SECONDS + 0.5)
                tick = tenant_tick.apply_async().get(timeout=60)  # the next tick

                def finished() -> bool:
                    return AssessmentRun.objects.get(pk=run.pk).status in ("succeeded", "failed")

                assert wait_for(finished, 180), "the lost run was not run again"
                # the visibility timeout hands the killed worker's message out again: nothing
                late = app.send_task(RUN_TASK, args=[str(lost_job)]).get(timeout=30)
                assert late == {"status": "failed", "skipped": True}, late
            finally:
                stop_worker(fresh)
            run.refresh_from_db()
            assert run.status == "succeeded", run.error
            (rerun,) = tick["core.stale_jobs"]["rerun"]
            assert (str(run.job_id), run.restarts) == (rerun, 1)
            lost = Job.objects.get(pk=lost_job)
            assert lost.status == "failed" and "stopped answering" in lost.error
            # the same run, computed here from the same stored inputs and seed
            reference = run_repeat(run_id=run.pk)
            execute(reference.job)
            reference.refresh_from_db()
            assert reference.status == "succeeded" and reference.seed == run.seed == 2026
            again, expected = _results(run), _results(reference)
            assert again == expected
            assert ("var_99", "") in again[0] and any(m == "monte_carlo" for m, *_ in again[1])
    connection.set_schema_to_public()
