"""live_fanout: a job's progress ticks to N subscribed websockets, next to bare Redis pub/sub.

N sockets (default 20, `--concurrency`) on a real `ws` process (uvicorn, config.asgi) of the
bench tenant subscribe to `jobProgress` of one running job; the bench then writes progress ticks
through the service (`job_progress`: UPDATE, then PUBLISH after commit), one at a time, waiting
until every socket has the tick. Latency = from just before the service call to the socket
receiving the tick: the UPDATE, the publish, Redis, the consumer's credential re-check and its
re-read of the job, GraphQL, the websocket. The floor: the same N subscribers as bare Redis pub/sub
clients on one channel, the bench PUBLISHing the tick itself — what any live feed on Redis costs.
"""

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

from bench import harness

TICKS = 60


def run(opts: harness.Options) -> harness.Result:
    from django.conf import settings
    from django_tenants.utils import schema_context
    from strawberry import relay

    from apps.core import services as jobs
    from apps.core.module import JOB_DIAGNOSTICS

    clock = harness.Clock()
    tenant = harness.bench_tenant()
    sockets = max(1, opts.concurrency)
    with schema_context(tenant.schema_name):
        job = jobs.job_create(kind=JOB_DIAGNOSTICS)
        jobs.job_start(job_id=job.pk)
    gid = str(relay.GlobalID("Job", str(job.pk)))
    clock.lap("setup")

    port = _free_port()
    server = _ws_server(port)
    try:
        _wait_listening(port, server)
        clock.lap("uvicorn boot")
        received: dict[int, list[float]] = {}
        client = _Loop()
        client.run(_live_subscribers(sockets, tenant, port, gid, received))

        def live_tick(n: int) -> None:
            with schema_context(tenant.schema_name):
                jobs.job_progress(job_id=job.pk, progress=n)

        live = _ticks(live_tick, received, sockets)
        clock.lap(f"live x{sockets}")
        with schema_context(tenant.schema_name):
            jobs.job_succeed(job_id=job.pk, result={"bench": True})
        client.stop()
    finally:
        server.terminate()
        server.wait(timeout=20)

    import redis

    url = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    channel = f"bench-floor-{os.getpid()}"
    floor_received: dict[int, list[float]] = {}
    client = _Loop()
    client.run(_redis_subscribers(sockets, url, channel, floor_received))
    publisher = redis.Redis.from_url(url)
    floor = _ticks(lambda n: publisher.publish(channel, str(n)), floor_received, sockets)
    client.stop()
    clock.lap(f"floor x{sockets}")

    lp50, lp95 = _p(live, 50), _p(live, 95)
    fp50, fp95 = _p(floor, 50), _p(floor, 95)
    ratio = harness.ratio(lp50, fp50)
    harness.print_table(
        f"live_fanout: {TICKS} job progress ticks to {sockets} websockets vs. bare Redis pub/sub",
        [
            {
                "name": "jobProgress",
                "conns": sockets,
                "requests": len(live),
                "errors": 0,
                "p50_ms": lp50,
                "p95_ms": lp95,
                "mean_ms": statistics.fmean(live),
            },
            {
                "name": "redis floor",
                "conns": sockets,
                "requests": len(floor),
                "errors": 0,
                "p50_ms": fp50,
                "p95_ms": fp95,
                "mean_ms": statistics.fmean(floor),
            },
        ],  # fmt: skip
        [
            f"ratio = live p50 / floor p50 = {ratio:.2f} (p95 {harness.ratio(lp95, fp95):.2f})",
            "live    service call → UPDATE → PUBLISH after commit → consumer: credentials "
            "re-checked, job re-read as node(id:) → GraphQL → websocket (uvicorn, 1 process)",
            "floor   PUBLISH → redis-py asyncio subscribers on one channel, same client loop",
            f"run     {clock.summary()}",
        ],
    )
    return harness.Result(
        bench="live_fanout",
        metrics={"sockets": sockets, "ticks": TICKS, "p50_ms": lp50, "p95_ms": lp95},
        floor={"sockets": sockets, "ticks": TICKS, "p50_ms": fp50, "p95_ms": fp95},
        ratio=ratio,
    )


def _p(latencies: list[float], q: int) -> float:
    if len(latencies) < 2:
        return round(latencies[0] if latencies else float("nan"), 3)
    return round(statistics.quantiles(latencies, n=100)[q - 1], 3)


def _ticks(send, received: dict[int, list[float]], sockets: int) -> list[float]:
    """Send ticks 1..TICKS one at a time; the latency of every socket's copy of each, in ms."""
    latencies = []
    for n in range(1, TICKS + 1):
        received[n] = []
        sent = time.perf_counter()
        send(n)
        deadline = sent + 10
        while len(received[n]) < sockets and time.perf_counter() < deadline:
            time.sleep(0.0005)
        if len(received[n]) < sockets:
            raise RuntimeError(f"tick {n}: {len(received[n])} of {sockets} sockets got it")
        latencies += [(at - sent) * 1000 for at in received[n]]
    return latencies


class _Loop:
    """An asyncio loop in a thread for the clients, so the bench's own thread stays sync."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine) -> None:
        """Start the clients; returns once they are all subscribed."""
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=120)

    def stop(self) -> None:
        for task in asyncio.all_tasks(self.loop):
            self.loop.call_soon_threadsafe(task.cancel)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


async def _live_subscribers(sockets: int, tenant, port: int, gid: str, received) -> None:
    from websockets.asyncio.client import connect

    query = "subscription($id: ID!) { jobProgress(id: $id) { progress } }"

    async def one() -> asyncio.Event:
        ready = asyncio.Event()

        async def listen() -> None:
            async with connect(
                f"ws://{tenant.domain}:{port}/graphql/",
                host="127.0.0.1",
                port=port,
                subprotocols=["graphql-transport-ws"],
            ) as ws:
                auth = {"authorization": f"Bearer {tenant.token}"}
                await ws.send(json.dumps({"type": "connection_init", "payload": auth}))
                assert json.loads(await ws.recv())["type"] == "connection_ack"
                subscribe = {"query": query, "variables": {"id": gid}}
                await ws.send(json.dumps({"type": "subscribe", "id": "1", "payload": subscribe}))
                await ws.recv()  # the job as it is now
                ready.set()
                async for raw in ws:
                    message = json.loads(raw)
                    if message["type"] != "next":
                        return
                    at = time.perf_counter()
                    progress = message["payload"]["data"]["jobProgress"]["progress"]
                    if progress in received:
                        received[progress].append(at)

        asyncio.get_running_loop().create_task(listen())
        return ready

    readies = [await one() for _ in range(sockets)]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=60)


async def _redis_subscribers(sockets: int, url: str, channel: str, received) -> None:
    import redis.asyncio as aioredis

    clients = []  # held: a collected client closes its pool, and the subscriber with it

    async def one() -> asyncio.Event:
        client = aioredis.Redis.from_url(url)
        clients.append(client)
        pubsub = client.pubsub()
        await pubsub.subscribe(channel)
        ready = asyncio.Event()

        async def listen() -> None:
            async for message in pubsub.listen():
                if message["type"] == "subscribe":
                    ready.set()  # Redis confirmed: this subscriber gets every later PUBLISH
                elif message["type"] == "message":
                    at = time.perf_counter()
                    n = int(message["data"])
                    if n in received:
                        received[n].append(at)

        asyncio.get_running_loop().create_task(listen())
        return ready

    readies = [await one() for _ in range(sockets)]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=60)
    _held.extend(clients)


_held: list = []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ws_server(port: int) -> subprocess.Popen:
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_POOL": "1",  # as Procfile `ws` runs it
    }
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--lifespan", "off", "--log-level", "warning",
         "--no-access-log", "--ws", "websockets"],
        env=env,
        cwd=settings.BASE_DIR,
        start_new_session=True,
    )  # fmt: skip


def _wait_listening(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the ws server stopped at start")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the ws server did not start")
