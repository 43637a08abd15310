"""Load generator: a separate process, standard library only, keep-alive HTTP over loopback.

Run by `bench.harness.load()` as `python -m bench.loadgen`; reads a JSON plan on stdin and
writes one JSON object on stdout. Every loop is bounded by a request count *and* a deadline,
so it always stops by itself.

The plan:
    {"address": "127.0.0.1", "port": 8123, "concurrency": 8, "warmup": 200, "requests": 2000,
     "rounds": 4, "max_seconds": 60, "timeout": 10,
     "server_pids": [123, 124], "pg_database": "fengkong_bench",
     "targets": [{"name": "graphql", "method": "POST", "path": "/graphql/",
                  "headers": {"Host": "bench.localhost", ...}, "body": "..."}, ...]}

Each target gets `warmup` unrecorded requests, then `requests` recorded ones split into
`rounds` phases. Phases alternate between targets in ABBA order (A B, B A, A B, ...) so a slow
drift of the machine weighs on every target alike. In a phase, `concurrency` threads each own
one persistent connection and take requests from a shared counter until the phase's count is
reached. Latency is measured from sending the request to having read the whole response.

CPU time (Linux /proc) of the server's workers (`server_pids`) and of the PostgreSQL backends
connected to `pg_database` is read at each phase's start and end: CPU per request does not
count waiting, so it stays comparable on a busy machine where latencies do not.
"""

import http.client
import itertools
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
CLOCK_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Target:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0  # seconds spent in this target's recorded phases
    server_cpu: float = 0.0  # CPU seconds of the server's workers in those phases
    db_cpu: float = 0.0  # CPU seconds of the database's backends in those phases


# --- CPU accounting ---------------------------------------------------------------------------
def process_cpu(pid: int) -> float | None:
    """user + system CPU seconds of a process, or None when it is gone (or not Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields_after_name = stat[stat.rindex(")") + 2 :].split()
    return (int(fields_after_name[11]) + int(fields_after_name[12])) / CLOCK_TICK


def postgres_backends(database: str) -> list[int]:
    """Local PostgreSQL backends connected to `database` (by process title)."""
    pids = []
    needle = f" {database} ".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if cmdline.startswith(b"postgres: ") and needle in cmdline:
            pids.append(int(entry.name))
    return pids


class CpuMeter:
    def __init__(self, server_pids: list[int], pg_database: str | None) -> None:
        self.server_pids = server_pids
        self.pg_database = pg_database

    def sample(self) -> tuple[dict[int, float], dict[int, float]]:
        db_pids = postgres_backends(self.pg_database) if self.pg_database else []
        return self._read(self.server_pids), self._read(db_pids)

    @staticmethod
    def _read(pids: list[int]) -> dict[int, float]:
        return {pid: cpu for pid in pids if (cpu := process_cpu(pid)) is not None}

    @staticmethod
    def spent(before: dict[int, float], after: dict[int, float]) -> float:
        # A process born during the phase counts from zero; one that died is lost (rare).
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


# --- requests ---------------------------------------------------------------------------------
class Connections:
    """One keep-alive connection per thread, reused from phase to phase."""

    def __init__(self, address: str, port: int, count: int, timeout: float) -> None:
        self.pool = [
            http.client.HTTPConnection(address, port, timeout=timeout) for _ in range(count)
        ]

    def close(self) -> None:
        for conn in self.pool:
            conn.close()


def _worker(
    conn: http.client.HTTPConnection,
    target: Target,
    tickets,
    count: int,
    deadline: float,
    out: list,
    lock: threading.Lock,
) -> None:
    latencies: list[float] = []
    errors = 0
    statuses: dict[str, int] = {}
    while next(tickets) < count and time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            conn.request(target.method, target.path, body=target.body, headers=target.headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            conn.close()  # http.client reconnects on the next request
            errors += 1
            statuses["exception"] = statuses.get("exception", 0) + 1
            continue
        elapsed = time.perf_counter() - start
        statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
        if response.will_close:
            conn.close()
        if response.status == 200:
            latencies.append(elapsed)
        else:
            errors += 1
    with lock:
        out.append((latencies, errors, statuses))


def run_phase(
    conns: Connections, target: Target, count: int, deadline: float, meter: CpuMeter | None
) -> None:
    """`count` requests of `target`; recorded into it when a `meter` is given."""
    tickets = itertools.count()  # next() on it is atomic under the GIL
    results: list = []
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=_worker,
            daemon=True,
            args=(conn, target, tickets, count, deadline, results, lock),
        )
        for conn in conns.pool
    ]
    cpu_before = meter.sample() if meter else None
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        # Bounded: a worker ends at the deadline plus at most one request's socket timeout.
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + 30)
    if meter is None or cpu_before is None:
        return
    target.wall += time.perf_counter() - started
    cpu_after = meter.sample()
    target.server_cpu += CpuMeter.spent(cpu_before[0], cpu_after[0])
    target.db_cpu += CpuMeter.spent(cpu_before[1], cpu_after[1])
    for latencies, errors, statuses in results:
        target.latencies.extend(latencies)
        target.errors += errors
        for status, n in statuses.items():
            target.statuses[status] = target.statuses.get(status, 0) + n


# --- figures ----------------------------------------------------------------------------------
def percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), on sorted input."""
    if not sorted_values:
        return float("nan")
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def summarise(target: Target) -> dict:
    values = sorted(target.latencies)
    done = len(values)
    sent = done + target.errors
    ms = 1000.0
    nan = float("nan")
    return {
        "requests": done,
        "errors": target.errors,
        "statuses": target.statuses,
        "p50_ms": percentile(values, 0.50) * ms,
        "p95_ms": percentile(values, 0.95) * ms,
        "p99_ms": percentile(values, 0.99) * ms,
        "mean_ms": sum(values) / done * ms if done else nan,
        "min_ms": values[0] * ms if done else nan,
        "max_ms": values[-1] * ms if done else nan,
        "rps": done / target.wall if target.wall else 0.0,
        "wall_s": target.wall,
        "app_cpu_ms": target.server_cpu / sent * ms if sent else nan,
        "db_cpu_ms": target.db_cpu / sent * ms if sent else nan,
    }


def run(plan: dict) -> dict:
    if plan["address"] not in LOOPBACK:
        raise SystemExit("bench.loadgen only talks to loopback addresses")
    targets = [
        Target(
            name=t["name"],
            method=t.get("method", "POST"),
            path=t["path"],
            headers=t.get("headers", {}),
            body=t["body"].encode() if t.get("body") is not None else None,
        )
        for t in plan["targets"]
    ]
    concurrency = int(plan.get("concurrency", 8))
    requests = int(plan.get("requests", 2000))
    rounds = max(1, int(plan.get("rounds", 4)))
    warmup = int(plan.get("warmup", 200))
    meter = CpuMeter([int(p) for p in plan.get("server_pids", [])], plan.get("pg_database"))
    started = time.monotonic()
    deadline = started + float(plan.get("max_seconds", 60))
    conns = Connections(
        plan["address"], int(plan["port"]), concurrency, float(plan.get("timeout", 10))
    )
    try:
        for target in targets:
            run_phase(conns, target, warmup, deadline, meter=None)
        client_before = os.times()
        measured_from = time.monotonic()
        for round_no in range(rounds):
            share = requests // rounds + (1 if round_no < requests % rounds else 0)
            order = targets if round_no % 2 == 0 else list(reversed(targets))
            for target in order:
                run_phase(conns, target, share, deadline, meter=meter)
        client_after = os.times()
        measured = time.monotonic() - measured_from
    finally:
        conns.close()
    client_cpu = (client_after.user - client_before.user) + (
        client_after.system - client_before.system
    )
    return {
        "targets": {t.name: summarise(t) for t in targets},
        "timed_out": time.monotonic() >= deadline,
        "elapsed_s": time.monotonic() - started,
        # CPU cores the client itself used while measuring: near 1.0 means the client, not the
        # server, may be the bottleneck (one Python process, one GIL).
        "client_cpu_cores": client_cpu / measured if measured else 0.0,
    }


def main() -> None:
    plan = json.load(sys.stdin)
    json.dump(run(plan), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
