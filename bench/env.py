"""Where the benchmarks run: their own database, Redis database and tenant host.

Read by bench/settings.py (before Django is configured) and by the harness, so the harness
process and the gunicorn it starts always agree. Overridable from the environment; the
ordinary DATABASE_URL / REDIS_URL are deliberately *not* honoured, so a benchmark can never
write into a developer's database.
"""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/fengkong_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # tests use /15, development /0

# The tenant every benchmark measures; a hyphen-free, underscore-free host (DESIGN pitfall 3).
BENCH_DOMAIN = os.environ.get("BENCH_DOMAIN", "bench.localhost")
BENCH_SCHEMA = "bench"
BENCH_ADMIN_EMAIL = "admin@bench.localhost"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
