"""Suspension and reactivation are a status machine like any other (apps.core.lifecycle): the
table refuses a second suspension or reactivation, the reason goes with the suspension, and the
audit trail (public schema) records each move with the operator who made it."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from apps.core.lifecycle import allowed_transitions, lifecycle_of
from apps.tenants import services
from apps.tenants.models import Tenant


@pytest.fixture(autouse=True)
def _only_this_tests_entries(db):
    """Another file's tests (the subscription ones) suspend tenants for real, committed: only
    this test's entries count here (the deletion is rolled back with the test)."""
    LogEntry.objects.filter(content_type__model="tenant").delete()


def _entries(tenant: Tenant) -> list[dict]:
    return [
        {
            "status": e.changes.get("status"),
            "reason": e.changes.get("suspended_reason"),
            "actor": e.actor.email if e.actor else None,
        }
        for e in LogEntry.objects.get_for_object(tenant).order_by("pk")
        if e.action == LogEntry.Action.UPDATE and "status" in (e.changes or {})
    ]


def test_the_tenant_declares_its_status_machine(world):
    lifecycle_of(Tenant)  # LookupError when tenants keep their own guards
    assert allowed_transitions(world.a) == ["suspended"]


def test_suspend_and_reactivate_are_audited_with_the_operator(world):
    operator = world.operator
    services.tenant_suspend(tenant_id=world.a.pk, reason="  unpaid invoices ", actor=operator)
    tenant = Tenant.objects.get(pk=world.a.pk)
    assert (tenant.status, tenant.suspended_reason) == ("suspended", "unpaid invoices")
    assert allowed_transitions(tenant) == ["active"]
    services.tenant_reactivate(tenant_id=world.a.pk, actor=operator)
    tenant.refresh_from_db()
    assert (tenant.status, tenant.suspended_reason) == ("active", "")
    assert _entries(tenant) == [
        {
            "status": ["active", "suspended"],
            "reason": ["", "unpaid invoices"],
            "actor": "operator@platform.test",
        },
        {
            "status": ["suspended", "active"],
            "reason": ["unpaid invoices", ""],
            "actor": "operator@platform.test",
        },
    ]


def _codes(exc: ValidationError) -> dict:
    return (
        {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}
        if hasattr(exc, "error_dict")
        else {None: [e.code for e in exc.error_list]}
    )


def test_refusals_change_nothing_and_write_no_entry(world):
    with pytest.raises(ValidationError) as twice:
        services.tenant_reactivate(tenant_id=world.a.pk)
    assert _codes(twice.value) == {None: ["invalid_transition"]}
    with pytest.raises(ValidationError) as no_reason:
        services.tenant_suspend(tenant_id=world.a.pk, reason="   ")
    assert _codes(no_reason.value) == {"reason": ["invalid"]}
    services.tenant_suspend(tenant_id=world.a.pk, reason="fraud inquiry")
    with pytest.raises(ValidationError) as again:
        services.tenant_suspend(tenant_id=world.a.pk, reason="again")
    assert _codes(again.value) == {None: ["invalid_transition"]}
    tenant = Tenant.objects.get(pk=world.a.pk)
    assert (tenant.status, tenant.suspended_reason) == ("suspended", "fraud inquiry")
    assert [e["status"] for e in _entries(tenant)] == [["active", "suspended"]]


def test_the_operator_api_suspends_as_the_operator(operator_api, world):
    from strawberry.relay import to_base64

    gid = to_base64("Tenant", world.b.pk)
    done = operator_api.ok(
        'mutation($id: ID!) { tenantSuspend(input: {id: $id, reason: "audit"}) '
        "{ tenant { status } errors { code } } }",
        {"id": gid},
    )["tenantSuspend"]
    assert done == {"tenant": {"status": "SUSPENDED"}, "errors": []}
    assert _entries(Tenant.objects.get(pk=world.b.pk)) == [
        {
            "status": ["active", "suspended"],
            "reason": ["", "audit"],
            "actor": "operator@platform.test",
        }
    ]
