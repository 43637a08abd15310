"""Running a run, as its job: compute, then store every result, the fitted scorecard and the
indicator observations in one transaction — or none of it (a cancelled or failed run keeps
nothing). The same inputs, parameters and seed give the same numbers on any worker."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.assessments.models import AssessmentRun, RunKind, RunStatus, Scorecard
from apps.assessments.services import compute_credit, compute_market, compute_portfolio, results
from apps.assessments.services.compute_market import InputProblem
from apps.assessments.services.indicators import publish_points
from apps.assessments.services.register import write_to_register
from apps.assessments.services.runs import cancelled_result, run_transition
from apps.core import services as jobs
from apps.core.background import TRANSIENT_ERRORS, JobRejected
from apps.core.models import Job, JobStatus
from apps.notifications.services import publish

COMPUTE: dict[str, Callable] = {
    RunKind.SCORECARD_DEVELOPMENT: compute_credit.develop,
    RunKind.CREDIT_SCORING: compute_credit.score_book,
    RunKind.MARKET_VAR: compute_market.value_at_risk,
    RunKind.LIQUIDITY: compute_market.cash_ladder,
    RunKind.STRESS_TEST: compute_market.stress_test,
    RunKind.CREDIT_PORTFOLIO: compute_portfolio.credit_portfolio,
}


class Cancelled(JobRejected):
    """The job fails with the run's id in its result, so `AssessmentRunResult.run` finds it."""

    def __init__(self, run_id) -> None:
        super().__init__("The run was cancelled.", cancelled_result(run_id))


def _locked(run_id) -> AssessmentRun:
    return AssessmentRun.objects.select_for_update().get(pk=run_id)


def _announce(run: AssessmentRun, event: str) -> None:
    publish(
        event=event,
        dedup_key=f"{event}:{run.pk}",
        payload={"run": str(run.pk), "kind": run.kind, "status": run.status, "error": run.error},
    )


def _fail(run_id, message: str) -> None:
    with transaction.atomic():
        run = _locked(run_id)
        if run.status in (RunStatus.QUEUED, RunStatus.RUNNING):
            run_transition(run, RunStatus.FAILED, error=message)
            _announce(run, "assessments.run_failed")


MAX_RESTARTS = 3  # a run that keeps killing its worker (memory) fails instead


GIVE_UP = "give up"


def _take_over(run: AssessmentRun, job) -> bool | str:
    """A running run met again: a new attempt of its own job (the earlier attempt's worker is
    gone — run_job starts no second attempt while one is alive), or the sweep's new job for a
    run whose job it failed as lost (`rerun_when_lost`). Nothing of the lost attempt was stored
    (results are written in one transaction at the end), so the run is computed again from its
    stored inputs, parameters and seed: the same figures. False: another job has it;
    GIVE_UP: it was lost too often."""
    if run.job_id is not None and run.job_id != job.pk:
        current = Job.objects.filter(pk=run.job_id).values_list("status", flat=True).first()
        if current not in (None, JobStatus.FAILED):
            return False  # its own job is still on it
    if run.restarts >= MAX_RESTARTS:
        return GIVE_UP
    run.job_id, run.restarts = job.pk, run.restarts + 1
    run.save(update_fields=["job", "restarts", "updated_at"])
    return True


def execute(job) -> dict:
    """The job's work (apps.assessments.tasks.run): see the module docstring."""
    run_id = job.input.get("run")
    if run_id is None:  # a finished job drops its input: nothing left to do
        return {"skipped": True}
    given_up = ""
    with transaction.atomic():
        run = _locked(run_id)
        if run.status == RunStatus.CANCELLED:
            raise Cancelled(run_id)
        if run.status == RunStatus.QUEUED:
            run_transition(run, RunStatus.RUNNING)
        elif run.status != RunStatus.RUNNING or not (taken := _take_over(run, job)):
            return {"run": str(run.pk), "status": run.status}
        elif taken == GIVE_UP:
            given_up = f"The run lost its worker {run.restarts + 1} times; it is not tried again."
    if given_up:
        _fail(run_id, given_up)
        raise JobRejected(given_up, {"run": str(run_id)})

    def progress(percent: int) -> None:
        if AssessmentRun.objects.filter(pk=run_id, status=RunStatus.CANCELLED).exists():
            raise Cancelled(run_id)
        jobs.job_progress(job_id=job.pk, progress=percent)

    try:
        run = AssessmentRun.objects.select_related("scorecard").get(pk=run_id)
        outcome = COMPUTE[run.kind](run, progress)
        return _store(run_id, outcome)
    except Cancelled:
        raise
    except InputProblem as problem:
        _fail(run_id, str(problem))
        raise JobRejected(str(problem), {"run": str(run_id)}) from None
    except TRANSIENT_ERRORS:
        raise  # retried: the run stays running and the retry computes it again (_take_over)
    except Exception as exc:
        _fail(run_id, f"{type(exc).__name__}: {exc}")
        raise


@transaction.atomic
def _store(run_id, outcome: results.Results) -> dict:
    run = _locked(run_id)
    if run.status != RunStatus.RUNNING:
        raise Cancelled(run_id)
    results.write(run, outcome)
    if outcome.scorecard is not None:
        name = run.parameters["name"]
        latest = Scorecard.objects.filter(name=name).aggregate(v=Max("version"))["v"] or 0
        Scorecard.objects.create(
            name=name, version=latest + 1, run=run, specification=outcome.scorecard
        )
    now = timezone.now()
    written = write_to_register(run, results.stored_figures(outcome), actor=run.created_by)
    run.register_note = written.note
    run_transition(run, RunStatus.SUCCEEDED, now=now)
    run.save(update_fields=["register_note"])
    points = publish_points(outcome.points, at=now)
    _announce(run, "assessments.run_finished")
    return {
        "run": str(run.pk),
        "figures": len(outcome.figures),
        "points": points,
        "assessments": written.assessments,
        "limits": written.limits,
    }
