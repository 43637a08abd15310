"""bin/_supervise: under bin/dev, a process that dies is started again; the others stay up.

honcho stops every process as soon as one ends, so bin/dev runs each Procfile line under
bin/_supervise. These run the real script (and real honcho) on throwaway commands.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUPERVISE = ROOT / "bin" / "_supervise"


def _wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_a_process_that_dies_is_started_again(tmp_path):
    runs = tmp_path / "runs"
    proc = subprocess.Popen(
        [str(SUPERVISE), "flaky", "sh", "-c", f"echo run >> {runs}; exit 3"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "FENGKONG_RESTART_DELAY": "0.1"},
    )
    try:
        assert _wait_for(lambda: len(_lines(runs)) >= 3), "not restarted"
        assert proc.poll() is None  # the supervisor itself keeps going
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "flaky exited with status 3; starting it again" in output


def test_sigterm_stops_the_process_and_the_loop(tmp_path):
    pidfile = tmp_path / "pid"
    proc = subprocess.Popen(
        [str(SUPERVISE), "server", "sh", "-c", f"echo $$ > {pidfile}; exec sleep 300"],
        cwd=ROOT,
        env={**os.environ, "FENGKONG_RESTART_DELAY": "0.1"},
    )
    assert _wait_for(lambda: pidfile.exists() and pidfile.read_text().strip())
    child = int(pidfile.read_text())
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    assert _wait_for(lambda: not _alive(child), timeout=5), "the process outlived the loop"
    time.sleep(0.5)
    assert int(pidfile.read_text()) == child  # and it was not started again


def test_under_honcho_a_dying_process_leaves_the_others_running(tmp_path):
    # What bin/dev does: web must stay up while the worker crashes.
    procfile = tmp_path / "Procfile"
    web_pid = tmp_path / "web.pid"
    worker_runs = tmp_path / "worker.runs"
    procfile.write_text(
        f"web: {SUPERVISE} web sh -c 'echo $$ > {web_pid}; exec sleep 300'\n"
        f"worker: {SUPERVISE} worker sh -c 'echo run >> {worker_runs}; exit 1'\n"
    )
    honcho = Path(sys.executable).parent / "honcho"
    proc = subprocess.Popen(
        [str(honcho), "-f", str(procfile), "-d", str(tmp_path), "start"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "FENGKONG_RESTART_DELAY": "0.1"},
    )
    try:
        assert _wait_for(lambda: len(_lines(worker_runs)) >= 3), "worker not restarted"
        assert proc.poll() is None, "honcho stopped everything"
        assert _alive(int(web_pid.read_text()))
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C: everything stops
        output, _ = proc.communicate(timeout=20)
    assert not _alive(int(web_pid.read_text()))
    assert "web.1 stopped" in output and "worker.1 stopped" in output


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[-1][0] != "Z"
