"""gunicorn hooks for the benchmark server (bench/server.py passes this file as --config).

Each worker signals readiness once its WSGI app is loaded, so the harness opens its keep-alive
connections only when every worker can accept them (a connection stays with the worker that
accepted it: opened while one worker is still booting, all of them would pile onto the other).
"""

import os
from pathlib import Path


def post_worker_init(worker) -> None:
    ready_dir = os.environ.get("BENCH_READY_DIR")
    if ready_dir:
        (Path(ready_dir) / str(worker.pid)).touch()
