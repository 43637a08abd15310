"""The admin: operators on the platform host, each tenant's admins on their own host."""

from django.conf import settings

from tests.conftest import HOST_A, PASSWORD


def test_a_tenant_admin_signs_in_to_their_tenant_admin(client, world):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin@a.test", "password": PASSWORD},
        HTTP_HOST=HOST_A,
    )
    assert response.status_code == 302
    page = client.get("/admin/core/job/", HTTP_HOST=HOST_A)
    assert page.status_code == 200 and "Tenant A" in page.content.decode()


def test_other_roles_cannot_use_the_tenant_admin(client, world):
    response = client.post(
        "/admin/login/", {"username": "risk_manager@a.test", "password": PASSWORD}, HTTP_HOST=HOST_A
    )
    assert (
        response.status_code == 200 and "not an admin of this tenant" in response.content.decode()
    )
    client.force_login(world.user("a", "risk_manager"))
    assert client.get("/admin/core/job/", HTTP_HOST=HOST_A).status_code == 302


def test_operators_use_the_platform_admin_and_tenant_admins_do_not(client, world):
    client.force_login(world.operator)
    page = client.get("/admin/tenants/tenant/", HTTP_HOST=settings.PUBLIC_DOMAIN)
    assert page.status_code == 200 and "tenant_a" in page.content.decode()
    client.force_login(world.user("a", "admin"))
    assert client.get("/admin/tenants/tenant/", HTTP_HOST=settings.PUBLIC_DOMAIN).status_code == 302


def test_operators_have_no_business_in_a_tenant_admin(client, world):
    client.force_login(world.operator)  # staff, but not a member of A
    assert client.get("/admin/", HTTP_HOST=HOST_A).status_code == 302


def test_the_register_is_browsable_in_the_tenant_admin(client, world):
    client.force_login(world.user("a", "admin"))
    for page in (
        "risks/risk/",
        "risks/riskcategory/",
        "risks/control/",
        "risks/riskmatrix/",
        "risks/riskacceptance/",
        "notifications/notification/",
    ):
        response = client.get(f"/admin/{page}", HTTP_HOST=HOST_A)
        assert response.status_code == 200, page
    assert "信用风险" in client.get("/admin/risks/riskcategory/", HTTP_HOST=HOST_A).content.decode()
