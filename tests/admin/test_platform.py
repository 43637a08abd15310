"""The operator admin (platform host): what has no service is read-only; domains are added by
the provisioning service, which checks them."""

from django.conf import settings

from apps.tenants.models import Domain, Tenant


def _operator(client, world):
    client.force_login(world.operator)
    return lambda path, *args, **kw: (
        client.post(f"/admin/{path}", *args, HTTP_HOST=settings.PUBLIC_DOMAIN, **kw)
        if args
        else client.get(f"/admin/{path}", HTTP_HOST=settings.PUBLIC_DOMAIN, **kw)
    )


def test_who_is_an_operator_is_not_a_checkbox(client, world):
    admin = _operator(client, world)
    user = world.user("a", "viewer")
    page = admin(f"accounts/user/{user.pk}/change/")
    assert "is_staff" not in page.context["adminform"].form.fields
    admin(
        f"accounts/user/{user.pk}/change/", {"full_name": "Vi", "is_active": "on", "is_staff": "on"}
    )
    user.refresh_from_db()
    assert not user.is_staff


def test_a_tenants_cors_origins_are_not_edited_without_a_service(client, world):
    admin = _operator(client, world)
    page = admin(f"tenants/tenant/{world.a.pk}/change/")
    assert page.status_code == 200 and not page.context["adminform"].form.fields
    admin(f"tenants/tenant/{world.a.pk}/change/", {"cors_allowed_origins": "https://evil.test"})
    assert Tenant.objects.get(pk=world.a.pk).cors_allowed_origins == []


def test_domains_are_added_through_the_service(client, world):
    admin = _operator(client, world)
    refused = admin(
        "tenants/domain/add/", {"tenant": world.a.pk, "domain": "risk_desk.tenant-a.test"}
    )
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["domain"] == [
        "A host name has letters, digits, dots and hyphens only (no underscores)."
    ]
    taken = admin("tenants/domain/add/", {"tenant": world.a.pk, "domain": "tenant-b.test"})
    assert taken.context["adminform"].form.errors["domain"] == ["This host name is taken."]
    made = admin("tenants/domain/add/", {"tenant": world.a.pk, "domain": " Desk.Tenant-A.test "})
    assert made.status_code == 302
    assert Domain.objects.get(domain="desk.tenant-a.test").tenant_id == world.a.pk
    assert not Domain.objects.filter(domain__contains="_").exists()


def test_tenants_are_still_suspended_from_the_list(client, world):
    admin = _operator(client, world)
    response = admin(
        "tenants/tenant/", {"action": "suspend", "_selected_action": [world.a.pk]}, follow=True
    )
    assert response.status_code == 200
    assert Tenant.objects.get(pk=world.a.pk).status == "suspended"
