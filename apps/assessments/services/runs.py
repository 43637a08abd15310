"""Starting and cancelling runs. A run is a row with its inputs (dataset versions, scorecard),
checked parameters, model version and seed, and a Job on the heavy queue that computes it."""

import secrets

import numpy as np
from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import Role
from apps.assessments.errors import AssessmentErrorCode as Code
from apps.assessments.models import (
    AssessmentRun,
    DatasetKind,
    DatasetVersion,
    RunKind,
    RunStatus,
    Scorecard,
    VersionStatus,
)
from apps.assessments.module import JOB_RUN
from apps.assessments.selectors import version_arrays
from apps.assessments.services.parameters import MODEL_VERSIONS, checked_parameters
from apps.assessments.services.register import checked_limit_bindings
from apps.assessments.tables import feature_columns
from apps.core import services as jobs
from apps.core.errors import refuse
from apps.core.lifecycle import Lifecycle, transition
from apps.core.models import JobStatus
from apps.core.transactions import enqueue_task_on_commit
from apps.risks.selectors import risks_by_ids

RUN_TASK = "assessments.run"
INPUTS = ("loan_book", "positions", "returns", "cash_flows", "scenarios", "loan_performance")
# What each kind reads: inputs it needs, and the columns it needs in them.
NEEDS: dict[str, dict[str, tuple[str, ...]]] = {
    RunKind.SCORECARD_DEVELOPMENT: {"loan_book": ("default",)},
    RunKind.CREDIT_SCORING: {"loan_book": ()},
    RunKind.MARKET_VAR: {"positions": (), "returns": ()},
    RunKind.LIQUIDITY: {"cash_flows": ()},
    RunKind.STRESS_TEST: {"scenarios": ()},
    RunKind.CREDIT_PORTFOLIO: {},
}
OPTIONAL_INPUTS: dict[str, dict[str, tuple[str, ...]]] = {
    RunKind.STRESS_TEST: {"loan_book": ("pd",), "positions": (), "cash_flows": ()},
    RunKind.CREDIT_PORTFOLIO: {"loan_book": (), "loan_performance": ()},
}
MIN_CLASS_COUNT = 5  # defaults and non-defaults a scorecard needs, each


def is_risk_manager(role: str | None) -> bool:
    """A risk manager or admin (an unknown or missing role is neither)."""
    return role in Role.values and Role.rank(role) >= Role.rank(Role.RISK_MANAGER)


def check_may_bind_limits(field: str, bindings, actor_role: str | None) -> None:
    """Setting register limits is a risk manager's write (as limitUpdate is), however the run
    comes about: created, repeated or scheduled. `actor_role` None: the system (the tick
    repeating a schedule a risk manager made)."""
    if bindings and actor_role is not None and not is_risk_manager(actor_role):
        raise refuse(
            field,
            "This run sets register limits: only a risk manager or admin may start it.",
            Code.NOT_PERMITTED,
        )


def _stamp(change) -> list[str]:
    if change.to == RunStatus.RUNNING:
        change.obj.started_at = change.now
        return ["started_at"]
    change.obj.finished_at = change.now
    return ["finished_at"]


RUN_LIFECYCLE = Lifecycle(
    model=AssessmentRun,
    statuses=RunStatus,
    table={
        RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED, RunStatus.CANCELLED},
        RunStatus.RUNNING: {RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED},
        RunStatus.SUCCEEDED: set(),
        RunStatus.FAILED: set(),
        RunStatus.CANCELLED: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    field=None,
    noun="run",
    internal={RunStatus.RUNNING, RunStatus.SUCCEEDED, RunStatus.FAILED},  # the worker's moves
    on_enter={s: _stamp for s in RunStatus.values if s != RunStatus.QUEUED},
)


def _version(field: str, version_id, kind: str, columns: tuple[str, ...]) -> DatasetVersion:
    version = DatasetVersion.objects.select_related("dataset").filter(pk=version_id).first()
    if version is None:
        raise refuse(field, "No such dataset version.", Code.NOT_FOUND)
    if version.dataset.kind != kind:
        raise refuse(
            field,
            f"A {DatasetKind(kind).label.lower()} dataset is needed.",
            Code.WRONG_DATASET_KIND,
        )
    if version.status != VersionStatus.READY:
        raise refuse(field, f"This version is {version.status}.", Code.DATASET_NOT_READY)
    missing = [c for c in columns if c not in version.columns]
    if missing:
        raise refuse(field, f"Missing columns: {', '.join(missing)}.", Code.MISSING_COLUMN)
    return version


def _check_scorecard_sample(version: DatasetVersion, parameters: dict) -> None:
    arrays = version_arrays(version.pk, ["default"])
    defaults = int(arrays["default"].sum())
    share = 1 - parameters["validation_share"]
    if min(defaults, version.row_count - defaults) * share < MIN_CLASS_COUNT:
        raise refuse(
            "loan_book",
            f"The development sample needs {MIN_CLASS_COUNT} defaults and {MIN_CLASS_COUNT} "
            f"non-defaults at least ({defaults} defaults in {version.row_count} rows).",
            Code.TOO_FEW_OBSERVATIONS,
        )
    if not feature_columns(version.columns):
        raise refuse("loan_book", "No feature columns to score on.", Code.MISSING_COLUMN)


def _check_market_history(returns: DatasetVersion, parameters: dict) -> None:
    days = len(np.unique(version_arrays(returns.pk, ["date"])["date"]))
    worst = max(parameters["confidences"])
    needed = int(np.ceil(1 / (1 - worst) - 1e-9))
    if days < needed:
        raise refuse(
            "returns",
            f"{days} days of returns; a {worst:.2%} VaR needs at least {needed}.",
            Code.TOO_FEW_OBSERVATIONS,
        )
    if (
        parameters["backtest_days"]
        and days < parameters["backtest_days"] + parameters["backtest_window"]
    ):
        raise refuse(
            "parameters.backtest_days",
            f"Backtesting {parameters['backtest_days']} days on a {parameters['backtest_window']}"
            f"-day window needs {parameters['backtest_days'] + parameters['backtest_window']} "
            f"days of returns; there are {days} (0 turns backtesting off).",
            Code.TOO_FEW_OBSERVATIONS,
        )


@transaction.atomic
def run_create(
    *,
    kind: str,
    parameters: dict | None = None,
    seed: int | None = None,
    scorecard_id=None,
    risk_ids: list | None = None,
    limits: list[dict] | None = None,
    actor=None,
    actor_role: str | None = None,
    schedule=None,
    period: str = "",
    send: bool = True,
    **version_ids,
) -> AssessmentRun:
    """Check the inputs and parameters, then queue the run (its job is sent after commit;
    `send=False`: the caller runs the job itself in this process, as the demo data does)."""
    if kind not in RunKind.values:
        raise refuse("kind", "Unknown kind of run.", Code.INVALID)
    check_may_bind_limits("limits", limits, actor_role)
    unknown = set(version_ids) - set(INPUTS)
    if unknown:
        raise TypeError(f"run_create() got unexpected inputs {sorted(unknown)}")
    checked = checked_parameters(kind, parameters)
    if seed is not None and not 0 <= seed < 2**63:
        raise refuse("seed", "Between 0 and 2⁶³ − 1.", Code.OUT_OF_RANGE)
    run = AssessmentRun(
        kind=kind,
        parameters=checked,
        model_version=MODEL_VERSIONS[kind],
        seed=secrets.randbits(31) if seed is None else seed,
        created_by=actor,
        schedule=schedule,
        period=period,
    )
    needs = NEEDS[kind]
    optional = OPTIONAL_INPUTS.get(kind, {})
    for name in INPUTS:
        given = version_ids.get(name)
        if given is None:
            if name in needs:
                raise refuse(name, "Needed for this kind of run.", Code.INVALID)
            continue
        if name not in needs and name not in optional:
            raise refuse(name, "Not an input of this kind of run.", Code.INVALID)
        columns = needs.get(name, optional.get(name, ()))
        setattr(run, name, _version(name, given, name, columns))
    if kind == RunKind.STRESS_TEST and not (run.loan_book or run.positions or run.cash_flows):
        raise refuse(
            None, "A stress test needs a loan book, positions or cash flows.", Code.INVALID
        )
    if kind == RunKind.CREDIT_PORTFOLIO and not (run.loan_book or run.loan_performance):
        raise refuse(
            None, "A credit-portfolio run needs a loan book or a performance history.", Code.INVALID
        )
    if kind == RunKind.CREDIT_SCORING:
        run.scorecard = Scorecard.objects.filter(pk=scorecard_id).first() if scorecard_id else None
        if run.scorecard is None:
            raise refuse("scorecard_id", "No such scorecard.", Code.NOT_FOUND)
        features = run.scorecard.specification["features"]
        assert run.loan_book is not None  # needed by the kind, checked above
        _version("loan_book", run.loan_book.pk, "loan_book", tuple(f["name"] for f in features))
    elif scorecard_id is not None:
        raise refuse("scorecard_id", "Only scoring runs take a scorecard.", Code.INVALID)
    if kind == RunKind.SCORECARD_DEVELOPMENT:
        assert run.loan_book is not None
        _check_scorecard_sample(run.loan_book, checked)
    if kind == RunKind.MARKET_VAR:
        assert run.returns is not None
        _check_market_history(run.returns, checked)
    if risk_ids:
        found = risks_by_ids(risk_ids)
        if len(found) != len(set(map(str, risk_ids))):
            raise refuse("risk_ids", "Some risks do not exist.", Code.NOT_FOUND)
        run.risk_ids = sorted({str(r.pk) for r in found})  # text: the audit log stores JSON
    run.limit_bindings = checked_limit_bindings(limits)
    run.full_clean(exclude=["job", "schedule"])
    run.save()
    run.job = jobs.job_create(kind=JOB_RUN, created_by=actor, input={"run": str(run.pk)})
    run.save(update_fields=["job", "updated_at"])
    if send:
        enqueue_task_on_commit(RUN_TASK, str(run.job.pk))
    return run


@transaction.atomic
def cancelled_result(run_id) -> dict:
    """A cancelled run's job result: it names the run, so `AssessmentRunResult.run` finds it."""
    return {"cancelled": True, "run": str(run_id)}


def run_cancel(*, run_id, actor=None) -> AssessmentRun:
    """Stop a queued or running run: its job fails now if it never started; a running worker
    notices at its next stage and stores nothing."""
    run = AssessmentRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise refuse("run_id", "No such run.", Code.NOT_FOUND)
    transition(run, RunStatus.CANCELLED, actor=actor, field="run_id")
    if run.job is not None and run.job.status == JobStatus.QUEUED:
        jobs.job_fail(
            job_id=run.job_id,
            error="Cancelled before it started.",
            result=cancelled_result(run.pk),
        )
    return run


def run_transition(run: AssessmentRun, to: str, *, error: str = "", now=None) -> None:
    """The worker's moves (running, succeeded, failed) on a locked run."""
    changes = {"error": error[:4000]} if error else {}
    transition(run, to, internal=True, now=now or timezone.now(), changes=changes)


def run_repeat(*, run_id, actor=None, actor_role: str | None = None) -> AssessmentRun:
    """A new run with the same kind, inputs, parameters and seed (a check that a result
    reproduces); one that sets register limits only by a risk manager or admin."""
    run = AssessmentRun.objects.filter(pk=run_id).first()
    if run is None:
        raise refuse("run_id", "No such run.", Code.NOT_FOUND)
    check_may_bind_limits("run_id", run.limit_bindings, actor_role)
    return run_create(
        kind=run.kind,
        parameters=run.parameters,
        seed=run.seed,
        scorecard_id=run.scorecard_id,
        risk_ids=run.risk_ids,
        limits=run.limit_bindings,
        actor=actor,
        **{name: getattr(run, f"{name}_id") for name in INPUTS if getattr(run, f"{name}_id")},
    )


def runs_fail_orphaned() -> dict:
    """Queued or running runs whose job failed (the sweep: its worker was lost, or its message
    never ran) and that no live job carries: failed, with the job's error. A job the sweep ran
    again (`rerun_when_lost`) is live, and takes the run over when it starts."""
    failed = 0
    orphans = AssessmentRun.objects.filter(
        status__in=[RunStatus.QUEUED, RunStatus.RUNNING], job__status=JobStatus.FAILED
    ).values_list("pk", flat=True)
    for run_id in list(orphans[:100]):
        if jobs.jobs_active(kind=JOB_RUN, input={"run": str(run_id)}).exists():
            continue
        with transaction.atomic():
            run = (
                AssessmentRun.objects.select_for_update(of=("self",))
                .select_related("job")
                .get(pk=run_id)
            )
            if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING) or run.job is None:
                continue
            if run.job.status != JobStatus.FAILED:
                continue  # taken over meanwhile
            run_transition(run, RunStatus.FAILED, error=run.job.error or "Its job was lost.")
            failed += 1
    return {"failed": failed}
