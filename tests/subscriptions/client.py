"""A real websocket client (the `websockets` library) speaking graphql-transport-ws."""

import json
import socket
from dataclasses import dataclass

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

WAIT = 30  # seconds a test waits for a message before it fails


@dataclass
class Closed:
    code: int
    reason: str


class LiveClient:
    """One socket to the ASGI server on 127.0.0.1:`port`, sent with Host: `host` (tenant hosts
    do not resolve, as in production behind a proxy)."""

    def __init__(self, host: str, port: int, *, headers: dict | None = None) -> None:
        sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        # Entered by hand: the socket lives as long as the test's client, not one block.
        self.ws: ClientConnection = connect(
            f"ws://{host}:{port}/graphql/",
            sock=sock,
            subprotocols=["graphql-transport-ws"],
            additional_headers=headers or {},
            open_timeout=WAIT,
        ).__enter__()

    def send(self, message: dict) -> None:
        self.ws.send(json.dumps(message))

    def receive(self, timeout: float = WAIT) -> dict | Closed:
        """The next message, skipping pings; a Closed when the server closed the socket."""
        while True:
            try:
                message = json.loads(self.ws.recv(timeout=timeout))
            except ConnectionClosed as closed:
                rcvd = closed.rcvd
                return Closed(rcvd.code if rcvd else 1006, rcvd.reason if rcvd else "")
            if message.get("type") == "ping":
                self.send({"type": "pong"})
                continue
            return message

    def init(self, payload: dict | None = None) -> dict | Closed:
        self.send({"type": "connection_init", "payload": payload or {}})
        return self.receive()

    def subscribe(self, query: str, variables: dict | None = None, id: str = "1") -> None:
        self.send(
            {
                "type": "subscribe",
                "id": id,
                "payload": {"query": query, "variables": variables or {}},
            }
        )

    def close(self) -> None:
        self.ws.close()


def signed_in(host: str, port: int, token: str) -> LiveClient:
    client = LiveClient(host, port)
    ack = client.init({"authorization": f"Bearer {token}"})
    assert ack == {"type": "connection_ack"}, ack
    return client
