"""The real service under gunicorn, as a subprocess on a free loopback port.

`gunicorn_server()` is a context manager: it yields once every worker has booted and always
stops the whole process group it started (SIGTERM, then SIGKILL after a grace period), whatever
happens inside the `with`. The children also get PR_SET_PDEATHSIG on Linux, so even a killed
harness leaves no gunicorn behind.
"""

import contextlib
import ctypes
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.env import REPO_ROOT

ADDRESS = "127.0.0.1"
GUNICORN_CONF = Path(__file__).with_name("gunicorn_conf.py")


@dataclass(frozen=True)
class Server:
    address: str
    port: int
    pid: int
    workers: int
    threads: int
    log_path: Path
    ready_dir: Path

    def log_tail(self, lines: int = 40) -> str:
        return _tail(self.log_path, lines)

    def worker_pids(self) -> list[int]:
        """Pids of the booted workers (each one touched a file named after its pid)."""
        pids = [int(p.name) for p in self.ready_dir.iterdir() if p.name.isdigit()]
        return [pid for pid in pids if Path(f"/proc/{pid}").exists()] or pids


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((ADDRESS, 0))
        return sock.getsockname()[1]


def die_with_parent() -> None:
    """preexec_fn: the child gets SIGTERM when its parent dies (Linux; elsewhere a no-op)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _tail(path: Path, lines: int) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _ready_workers(ready_dir: Path) -> int:
    return sum(1 for _ in ready_dir.iterdir())


def _answers(port: int, host_header: str) -> bool:
    conn = http.client.HTTPConnection(ADDRESS, port, timeout=5)
    try:
        conn.request("GET", "/healthz", headers={"Host": host_header})
        conn.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        conn.close()


@contextlib.contextmanager
def gunicorn_server(
    *,
    settings: str = "bench.settings",
    app: str = "config.wsgi:application",
    workers: int = 2,
    threads: int = 4,
    env: dict[str, str] | None = None,
    host_header: str = "localhost",
    boot_timeout: float = 60.0,
) -> Iterator[Server]:
    """Run `app` under gunicorn gthread workers; yield when all `workers` answer HTTP."""
    port = int(os.environ.get("BENCH_PORT") or 0) or free_port()  # a fixed port when given
    workdir = Path(tempfile.mkdtemp(prefix="fengkong-bench-"))
    ready_dir = workdir / "ready"
    ready_dir.mkdir()
    log_path = workdir / "gunicorn.log"
    child_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_POOL": "1",
        "BENCH_READY_DIR": str(ready_dir),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--config",
        str(GUNICORN_CONF),
        "--bind",
        f"{ADDRESS}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--no-control-socket",
    ]
    if Path("/dev/shm").is_dir():
        cmd += ["--worker-tmp-dir", "/dev/shm"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=child_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
    server = Server(
        address=ADDRESS,
        port=port,
        pid=proc.pid,
        workers=workers,
        threads=threads,
        log_path=log_path,
        ready_dir=ready_dir,
    )
    try:
        deadline = time.monotonic() + boot_timeout
        while not (_ready_workers(ready_dir) >= workers and _answers(port, host_header)):
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn did not boot in {boot_timeout}s:\n{server.log_tail()}"
                )
            time.sleep(0.1)
        yield server
    finally:
        _stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the master (graceful), then SIGKILL the whole group it leads if anything is left."""
    group = proc.pid  # start_new_session: the master leads its own process group
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    # Workers outliving their master, or a master ignoring SIGTERM: kill the group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
