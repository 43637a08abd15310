"""apps/core/lifecycle.py: the one transition function every status machine uses.

The helper is exercised through real machines (the register's risks, jobs); the last test walks
apps/ and fails when a service assigns a status outside the lifecycle.
"""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core import services as jobs
from apps.core.audit import acting_as
from apps.core.lifecycle import Lifecycle, allowed_transitions, transition
from apps.core.models import Job
from apps.core.module import JOB_DIAGNOSTICS
from apps.risks.errors import RiskErrorCode
from apps.risks.models import ActionStatus, Risk, RiskCategory, RiskStatus, TreatmentAction
from apps.risks.services import controls, register


@pytest.fixture
def in_a(world):
    with schema_context(world.a.schema_name):
        yield world


@pytest.fixture
def risk(in_a):
    credit = RiskCategory.objects.get(code="credit")
    made = register.risk_create(title="Borrowers default in a downturn", category_id=credit.pk)
    return Risk.objects.select_for_update().get(pk=made.pk)


def _status_entries(obj) -> list[LogEntry]:
    entries = LogEntry.objects.filter(object_pk=str(obj.pk), action=LogEntry.Action.UPDATE)
    return [e for e in entries if "status" in (e.changes or {})]


def test_an_allowed_transition_sets_the_status_and_saves_it(risk):
    change = transition(risk, RiskStatus.OPEN)
    assert (change.before, change.to) == ("draft", "open")
    assert Risk.objects.get(pk=risk.pk).status == "open"


def test_a_refused_transition_names_the_field_and_code_and_changes_nothing(risk):
    entries_before = LogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        transition(risk, RiskStatus.IN_TREATMENT)  # a draft is opened first
    (error,) = refused.value.error_dict["to"]
    assert error.code == "invalid_transition"
    assert error.messages == ["A draft risk cannot become in_treatment."]
    assert risk.status == "draft" and Risk.objects.get(pk=risk.pk).status == "draft"
    assert LogEntry.objects.count() == entries_before


def test_the_refusal_reads_as_english(risk):
    transition(risk, RiskStatus.OPEN)
    with pytest.raises(ValidationError) as refused:
        transition(risk, RiskStatus.DRAFT)
    assert refused.value.error_dict["to"][0].messages == ["An open risk cannot become draft."]


def test_the_call_may_name_its_own_input_field(risk):
    with pytest.raises(ValidationError) as refused:
        transition(risk, RiskStatus.IN_TREATMENT, field="target")
    assert list(refused.value.error_dict) == ["target"]
    with pytest.raises(ValidationError) as whole_call:
        transition(risk, RiskStatus.IN_TREATMENT, field=None)
    assert whole_call.value.error_list[0].code == "invalid_transition"


def test_an_unknown_status_is_refused_the_same_way(risk):
    with pytest.raises(ValidationError) as refused:
        transition(risk, "archived")
    assert refused.value.error_dict["to"][0].code == "invalid_transition"


def test_an_internal_target_is_reached_only_by_the_modules_own_services(risk):
    transition(risk, RiskStatus.OPEN)
    with pytest.raises(ValidationError) as refused:
        transition(risk, RiskStatus.ACCEPTED)
    assert refused.value.error_dict["to"][0].code == "invalid_transition"
    assert transition(risk, RiskStatus.ACCEPTED, internal=True).to == "accepted"


def test_the_audit_trail_has_the_status_before_and_after_with_the_actor(risk, world):
    manager = world.user("a", "risk_manager")
    transition(risk, RiskStatus.OPEN, actor=manager)
    (entry,) = _status_entries(risk)
    assert entry.changes["status"] == ["draft", "open"]
    assert entry.actor_id == manager.pk


def test_inside_a_job_the_entry_keeps_the_jobs_label_and_names_the_actor(risk, world):
    analyst = world.user("a", "analyst")
    with acting_as(system="system: test job 1", cid="job-1"):
        transition(risk, RiskStatus.OPEN, actor=analyst)
    (entry,) = _status_entries(risk)
    assert entry.actor_id == analyst.pk
    assert entry.additional_data["system"] == "system: test job 1" and entry.cid == "job-1"


def test_the_event_callback_runs_once_after_saving_with_the_callers_clock(risk):
    seen = []
    clock = timezone.now() - timedelta(days=3)

    def event(change):
        seen.append((change.to, change.now, Risk.objects.get(pk=risk.pk).status))

    transition(risk, RiskStatus.OPEN, now=clock, event=event)
    assert seen == [("open", clock, "open")]
    with pytest.raises(ValidationError):
        transition(risk, RiskStatus.DRAFT, event=event)
    assert len(seen) == 1  # a refusal publishes nothing


def test_hooks_see_the_callers_clock(risk):
    """A treatment action done stamps the time the lifecycle was given, not the wall clock's."""
    made = controls.action_create(risk_id=risk.pk, title="Tighten the scorecard")
    action = TreatmentAction.objects.select_for_update().get(pk=made.pk)
    clock = timezone.now() - timedelta(days=1)
    assert transition(action, ActionStatus.DONE, now=clock, field="status").now == clock
    assert TreatmentAction.objects.get(pk=made.pk).completed_at == clock


def test_allowed_transitions_lists_what_a_person_may_do_next(risk):
    assert allowed_transitions(risk) == ["open", "closed"]
    transition(risk, RiskStatus.OPEN)
    assert allowed_transitions(risk) == ["in_treatment", "closed"]  # accepted: via acceptance


def test_a_declaration_must_name_every_status():
    with pytest.raises(ValueError):
        Lifecycle(
            model=Risk,
            statuses=RiskStatus,
            table={RiskStatus.DRAFT: {RiskStatus.OPEN}},
            refusal_code=RiskErrorCode.INVALID_TRANSITION,
        )
    with pytest.raises(ValueError):
        Lifecycle(
            model=Risk,
            statuses=RiskStatus,
            table={**{s: set() for s in RiskStatus.values}, "draft": {"archived"}},
            refusal_code=RiskErrorCode.INVALID_TRANSITION,
        )
    assert allowed_transitions(Risk(status="draft")) == ["open", "closed"]  # still the real one


# --- jobs ---------------------------------------------------------------------------------------


def test_a_finished_job_is_not_started_again_and_nothing_changes(in_a):
    job = jobs.job_create(kind=JOB_DIAGNOSTICS)
    jobs.job_start(job_id=job.pk)
    jobs.job_succeed(job_id=job.pk, result={"rows": 1})
    before = Job.objects.filter(pk=job.pk).values().get()
    with pytest.raises(ValidationError) as refused:
        jobs.job_start(job_id=job.pk)
    assert refused.value.error_list[0].code == "invalid_transition"
    assert not hasattr(refused.value, "error_dict")  # no input names a job's status
    assert Job.objects.filter(pk=job.pk).values().get() == before


def test_stale_running_jobs_fail_through_the_lifecycle_and_finished_ones_stay(in_a):
    stale = jobs.job_create(kind=JOB_DIAGNOSTICS)
    jobs.job_start(job_id=stale.pk)
    done = jobs.job_create(kind=JOB_DIAGNOSTICS)
    jobs.job_start(job_id=done.pk)
    jobs.job_succeed(job_id=done.pk)
    long_ago = timezone.now() - timedelta(hours=5)
    Job.objects.filter(pk__in=[stale.pk, done.pk]).update(updated_at=long_ago)
    assert jobs.jobs_fail_stale(older_than=timedelta(hours=1)) == 1
    failed = Job.objects.get(pk=stale.pk)
    assert failed.status == "failed" and "stopped answering" in failed.error
    assert failed.finished_at is not None
    assert Job.objects.get(pk=done.pk).status == "succeeded"


# --- nothing else assigns a status --------------------------------------------------------------

APPS = Path(__file__).resolve().parents[2] / "apps"
# (file, function) → why it may set a status itself. Empty: every status moves through a
# Lifecycle; an entry here would be a debt.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _status_writes(tree: ast.AST):
    """(function, line) of `x.status = …`, `x.status, y = …`, `setattr(x, "status", …)` and
    `….update(status=…)`."""

    def targets(node):
        if isinstance(node, ast.Tuple | ast.List):
            for element in node.elts:
                yield from targets(element)
        else:
            yield node

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, ast.FunctionDef) else function
            if isinstance(child, ast.Assign | ast.AugAssign | ast.AnnAssign):
                assigned = child.targets if isinstance(child, ast.Assign) else [child.target]
                for target in (t for a in assigned for t in targets(a)):
                    if isinstance(target, ast.Attribute) and target.attr == "status":
                        yield name, child.lineno
            if isinstance(child, ast.Call):
                func = child.func
                if isinstance(func, ast.Name) and func.id == "setattr" and len(child.args) > 1:
                    arg = child.args[1]
                    if isinstance(arg, ast.Constant) and arg.value == "status":
                        yield name, child.lineno
                updates = isinstance(func, ast.Attribute) and func.attr == "update"
                if updates and any(k.arg == "status" for k in child.keywords):
                    yield name, child.lineno
            yield from walk(child, name)

    yield from walk(tree, "<module>")


def test_no_service_sets_a_status_outside_the_lifecycle():
    found = set()
    for path in APPS.rglob("*.py"):
        relative = path.relative_to(APPS).as_posix()
        if "/migrations/" in relative or relative == "core/lifecycle.py":
            continue
        for function, line in _status_writes(ast.parse(path.read_text(), str(path))):
            found.add((relative, function, line))
    unexpected = sorted(f for f in found if f[:2] not in EXCEPTIONS)
    assert unexpected == [], "set the status with apps.core.lifecycle.transition()"
    stale = set(EXCEPTIONS) - {f[:2] for f in found}
    assert not stale, f"exceptions that no longer write a status: {sorted(stale)}"


def test_the_status_check_sees_the_forms_it_forbids():
    source = (
        "def f(a, b):\n"
        "    a.status = 1\n"
        "    a.status, b.x = 1, 2\n"
        "    setattr(a, 'status', 1)\n"
        "    A.objects.filter().update(status=1)\n"
        "    a.other = 1\n"
    )
    assert [line for _, line in _status_writes(ast.parse(source))] == [2, 3, 4, 5]


def test_every_apps_error_codes_include_invalid_transition():
    import importlib
    from enum import Enum

    found = 0
    for path in sorted(APPS.glob("*/errors.py")):
        module = importlib.import_module(f"apps.{path.parent.name}.errors")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Enum)
                and value.__name__.endswith("ErrorCode")
            ):
                found += 1
                assert value["INVALID_TRANSITION"].value == "invalid_transition", value
    assert found >= 7
