"""When a message for a job arrives again, run_job decides from the job row: a finished job or
one a live worker is running is left alone; a stale one, one whose process is gone, or the task's
own retry is a new attempt. (The real-process cases: test_reliability_redelivery.py.)"""

import socket
import subprocess
import sys
from datetime import timedelta

from django.utils import timezone

from apps.core import services
from apps.core.background import run_job
from apps.core.models import Job
from apps.core.module import JOB_DIAGNOSTICS


class Task:
    max_retries = 3

    def __init__(self, retries: int = 0) -> None:
        self.request = type("Request", (), {"retries": retries})()


def _running(worker: str, *, beat_age: timedelta = timedelta(seconds=1)) -> Job:
    job = services.job_create(kind=JOB_DIAGNOSTICS)
    services.job_start(job_id=job.pk, worker=worker)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - beat_age)
    return job


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _run(job: Job, retries: int = 0) -> tuple[dict, list]:
    calls: list = []
    outcome = run_job(Task(retries), job.pk, lambda j: calls.append(j.attempts) or {"n": 1})
    return outcome, calls


HOST = socket.gethostname()


def test_a_copy_of_a_job_a_live_worker_runs_does_nothing(in_a):
    import os

    mine = _running(f"{HOST}:{os.getpid()}:0")
    elsewhere = _running("another-host:4242:0")
    for job in (mine, elsewhere):
        outcome, calls = _run(job)
        assert outcome == {"status": "running", "skipped": True} and calls == []
        assert Job.objects.get(pk=job.pk).attempts == 1


def test_a_job_whose_process_is_gone_or_silent_is_a_new_attempt(in_a, settings):
    settings.FENGKONG_JOB_HEARTBEAT_STALE_SECONDS = 300
    gone = _running(f"{HOST}:{_dead_pid()}:0")
    silent = _running("another-host:4242:0", beat_age=timedelta(minutes=6))
    for job in (gone, silent):
        outcome, calls = _run(job)
        assert outcome == {"status": "succeeded", "n": 1} and calls == [2]
        assert Job.objects.get(pk=job.pk).result == {"n": 1}


def test_the_tasks_own_retry_is_a_new_attempt(in_a):
    import os

    job = _running(f"{HOST}:{os.getpid()}:0")
    outcome, calls = _run(job, retries=1)
    assert outcome == {"status": "succeeded", "n": 1} and calls == [2]
    assert Job.objects.get(pk=job.pk).worker == f"{HOST}:{os.getpid()}:1"


def test_a_finished_job_is_left_alone(in_a):
    job = _running("another-host:1:0", beat_age=timedelta(hours=1))
    services.job_fail(job_id=job.pk, error="lost")
    outcome, calls = _run(job)
    assert outcome == {"status": "failed", "skipped": True} and calls == []
