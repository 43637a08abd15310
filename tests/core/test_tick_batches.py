"""The beat tick goes out in batches of tenants spread over the jitter window (core.tenant_ticks),
each tenant in its own schema, a suspended one skipped, one tenant's failure no one else's."""

from apps.core import tasks
from apps.tenants import services as tenants


def test_batches_cover_every_tenant_once_spread_over_the_window(settings):
    settings.FENGKONG_TICK_BATCH = 25
    settings.FENGKONG_TICK_JITTER_SECONDS = 12.0
    schemas = [f"t_{i:03d}" for i in range(60)]
    batches = tasks.tick_batches(schemas)
    assert [len(b) for _, b in batches] == [25, 25, 10]
    assert [s for _, b in batches for s in b] == schemas
    # Three batches over 12 s: batch i is due in [4 i, 4 i + 4) seconds.
    for i, (delay, _) in enumerate(batches):
        assert 4 * i <= delay < 4 * i + 4


def test_no_tenants_no_batch(settings):
    assert tasks.tick_batches([]) == []


def test_a_zero_window_sends_every_batch_at_once(settings):
    settings.FENGKONG_TICK_BATCH = 1
    settings.FENGKONG_TICK_JITTER_SECONDS = 0.0
    assert tasks.tick_batches(["a", "b"]) == [(0.0, ["a"]), (0.0, ["b"])]


def test_a_batch_runs_each_active_tenant_in_its_own_schema(world, monkeypatch):
    from apps.core.schemas import tenant_connection

    seen = []

    def handler() -> dict:
        conn = tenant_connection()
        seen.append((conn.schema_name, conn.tenant.name))
        return {"ok": True}

    monkeypatch.setattr(tasks, "tick_handlers", lambda: {"core.probe": handler})
    tenants.tenant_suspend(tenant_id=world.b.pk, reason="unpaid")
    done = tasks.tenant_ticks(["tenant_b", "tenant_a", "no_such_schema"])
    assert seen == [("tenant_a", "Tenant A")]
    assert done == {"tenant_a": {"core.probe": {"ok": True}}}
    assert tenant_connection().schema_name == "public"


def test_one_tenants_failure_does_not_stop_the_batch(world, monkeypatch):
    from apps.core.schemas import tenant_connection

    def handler() -> dict:
        if tenant_connection().schema_name == "tenant_a":
            raise RuntimeError("broken data")
        return {"ok": True}

    monkeypatch.setattr(tasks, "tick_handlers", lambda: {"core.probe": handler})
    done = tasks.tenant_ticks(["tenant_a", "tenant_b"])
    assert done == {
        "tenant_a": {"core.probe": {"error": True}},
        "tenant_b": {"core.probe": {"ok": True}},
    }


def test_the_dispatcher_sends_one_message_per_batch(world, monkeypatch, settings):
    settings.FENGKONG_TICK_BATCH = 1
    sent = []
    monkeypatch.setattr(
        tasks.tenant_ticks, "apply_async", lambda args, countdown: sent.append(args[0])
    )
    assert tasks.dispatch_tenant_ticks() == 2
    assert sorted(sent) == [["tenant_a"], ["tenant_b"]]
