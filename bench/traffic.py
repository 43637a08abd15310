"""Requests against the server: what to send, one-off checks, SQL counts, and the load itself."""

import http.client
import json
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bench.env import REPO_ROOT, database_url
from bench.options import Options
from bench.provision import BenchTenant
from bench.server import Server, die_with_parent


@dataclass(frozen=True)
class Target:
    """One kind of request the load generator sends (the Host header names the tenant)."""

    name: str
    path: str
    body: str | None = None
    method: str = "POST"
    headers: dict[str, str] = field(default_factory=dict)

    def plan(self) -> dict:
        return {
            "name": self.name,
            "method": self.method,
            "path": self.path,
            "headers": self.headers,
            "body": self.body,
        }


def _headers(tenant: BenchTenant, token: str | None) -> dict[str, str]:
    headers = {
        "Host": tenant.domain,
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def graphql_target(
    name: str,
    *,
    tenant: BenchTenant,
    query: str,
    variables: dict | None = None,
    token: str | None = "",
    path: str = "/graphql/",
) -> Target:
    """A GraphQL POST as the tenant's admin (`token=""`), another member, or anonymous (None)."""
    body: dict[str, Any] = {"query": query}
    if variables:
        body["variables"] = variables
    return Target(
        name=name,
        path=path,
        body=json.dumps(body),
        headers=_headers(tenant, tenant.token if token == "" else token),
    )


def json_target(
    name: str,
    *,
    tenant: BenchTenant,
    path: str,
    payload: Any = None,
    token: str | None = "",
    method: str = "POST",
) -> Target:
    """A plain JSON request (a floor view), authenticated like graphql_target."""
    return Target(
        name=name,
        path=path,
        method=method,
        body=None if payload is None else json.dumps(payload),
        headers=_headers(tenant, tenant.token if token == "" else token),
    )


def fetch(server: Server, target: Target, timeout: float = 30) -> tuple[int, Any]:
    """Send one request of `target`; return (status, decoded JSON or raw text)."""
    conn = http.client.HTTPConnection(server.address, server.port, timeout=timeout)
    try:
        conn.request(
            target.method,
            target.path,
            body=target.body.encode() if target.body is not None else None,
            headers=target.headers,
        )
        response = conn.getresponse()
        raw = response.read().decode(errors="replace")
    finally:
        conn.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, raw


def expect_answer(server: Server, targets: list[Target], expected: Any) -> None:
    """Fail loudly unless every target answers 200 with exactly `expected` (decoded JSON)."""
    for target in targets:
        status, answer = fetch(server, target)
        if status != 200 or answer != expected:
            raise RuntimeError(
                f"{target.name} answered {status} {answer!r}, expected {expected!r}\n"
                f"--- gunicorn log ---\n{server.log_tail()}"
            )


def sql_queries(target: Target) -> int:
    """SQL statements one request of `target` runs (SET search_path excluded), in-process.

    Uses Django's test client in this process, through the same middleware and URLs as the
    server; the request is made once before counting, so one-off work (token touch) is excluded.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    headers = {k: v for k, v in target.headers.items() if k.lower() not in {"host", "content-type"}}
    content_type = target.headers.get("Content-Type", "application/octet-stream")
    client = Client(HTTP_HOST=target.headers.get("Host", "localhost"))

    def once():
        return client.generic(
            target.method,
            target.path,
            data=target.body or "",
            content_type=content_type,
            headers=headers,
        )

    try:
        once()
        with CaptureQueriesContext(connection) as captured:
            response = once()
    finally:
        connection.set_schema_to_public()
    if response.status_code != 200:
        raise RuntimeError(f"{target.name} answered {response.status_code} in-process")
    return sum(
        1 for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("SET ")
    )


# --- load -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stats:
    requests: int
    errors: int
    statuses: dict[str, int]
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    min_ms: float
    max_ms: float
    rps: float
    wall_s: float
    app_cpu_ms: float  # CPU of the gunicorn workers per request (NaN where /proc is missing)
    db_cpu_ms: float  # CPU of the PostgreSQL backends of the bench database per request

    def metrics(self, **extra: Any) -> dict[str, Any]:
        """The figures that go into the final JSON line."""
        return {
            "p50_ms": round(self.p50_ms, 3),
            "p95_ms": round(self.p95_ms, 3),
            "p99_ms": round(self.p99_ms, 3),
            "mean_ms": round(self.mean_ms, 3),
            "rps": round(self.rps, 1),
            "app_cpu_ms": round(self.app_cpu_ms, 3),
            "db_cpu_ms": round(self.db_cpu_ms, 3),
            "requests": self.requests,
            "errors": self.errors,
            **extra,
        }


@dataclass(frozen=True)
class LoadResult:
    stats: dict[str, Stats]
    client_cpu_cores: float
    elapsed_s: float
    timed_out: bool

    def __getitem__(self, name: str) -> Stats:
        return self.stats[name]


def load(
    server: Server,
    targets: list[Target],
    opts: Options,
    *,
    requests: int | None = None,
    concurrency: int | None = None,
    warmup: int | None = None,
) -> LoadResult:
    """Drive `targets` from a separate client process (bench.loadgen); see its docstring.

    `requests`, `concurrency` and `warmup` override the options' values for this call.
    """
    plan = {
        "address": server.address,
        "port": server.port,
        "concurrency": concurrency or opts.concurrency,
        "warmup": opts.warmup if warmup is None else warmup,
        "requests": requests or opts.requests,
        "rounds": opts.rounds,
        "max_seconds": opts.max_seconds,
        "timeout": 30,
        "server_pids": server.worker_pids(),
        "pg_database": urlsplit(database_url()).path.lstrip("/"),
        "targets": [t.plan() for t in targets],
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.loadgen"],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=opts.max_seconds + 60,
        preexec_fn=die_with_parent,
    )  # run() kills the child on timeout
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed ({done.returncode}):\n{done.stderr}")
    out = json.loads(done.stdout)
    return LoadResult(
        stats={name: Stats(**s) for name, s in out["targets"].items()},
        client_cpu_cores=out["client_cpu_cores"],
        elapsed_s=out["elapsed_s"],
        timed_out=out["timed_out"],
    )
