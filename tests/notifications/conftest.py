"""A real HTTP receiver on loopback."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# Every event a webhook may subscribe to, in manifest order, written out: a new event is a
# decision these tests should see, not something read back from the registry under test.
KNOWN_EVENTS = [
    "risks.review_overdue",
    "risks.acceptance_expired",
    "risks.residual_proposed",
    "warnings.signal_raised",
    "warnings.signal_escalated",
    "warnings.signal_resolved",
    "warnings.signal_acknowledged",
    "warnings.signal_dismissed",
    "training.due_soon",
    "training.certificate_expiring",
    "training.overdue",
    "training.manager_digest",
    "training.owner_digest",
    "emergency.activation_declared",
    "emergency.level_changed",
    "emergency.task_overdue",
    "emergency.activation_closed",
    "emergency.drill_missed",
    "emergency.plan_review_due",
    "reputation.complaint_sla_breached",
    "reputation.complaint_received",
    "assessments.run_finished",
    "assessments.run_failed",
]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Records every POST; answers with the scripted (status, headers) in order, then 200."""

    url: str
    requests: list[Received] = field(default_factory=list)
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def answer(self, *statuses: int, **headers: str) -> None:
        self.script.extend((status, dict(headers)) for status in statuses)


def _serve(receiver_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    receiver = receiver_factory(f"http://127.0.0.1:{server.server_address[1]}/hooks/fengkong")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            status, headers = receiver.script.pop(0) if receiver.script else (200, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            answer = b"received" if status < 300 else b"receiver says no"
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    return server, thread, receiver


def _receiver():
    server, thread, receiver = _serve(Receiver)
    yield receiver
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def receiver():
    yield from _receiver()


@pytest.fixture
def other_receiver():
    """A second server (another origin), to prove a redirect is not followed there."""
    yield from _receiver()
