"""A real ASGI server (uvicorn, as Procfile `ws` runs it) on the test database, per module."""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

# A free port of yours; each pytest-xdist process (gw0, gw1, …) takes the next one up.
PORT = int(os.environ.get("FENGKONG_TEST_WS_PORT", "8370")) + int(
    os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def asgi_server(django_db_setup):
    db = settings.DATABASES["default"]
    assert db["NAME"].startswith("test_"), "the server must never run on a non-test database"
    assert not _listening(PORT), f"port {PORT} is taken"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_POOL": "1",  # as Procfile `ws` runs it
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--lifespan",
            "off",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not _listening(PORT):
        assert process.poll() is None, "the ASGI server stopped at start"
        assert time.monotonic() < deadline, "the ASGI server did not start"
        time.sleep(0.1)
    try:
        yield PORT
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
