"""The directory in the tenant admin: saves go through the services, refusals land on fields."""

import pytest
from django_tenants.utils import schema_context

from apps.people.models import Department, Person
from apps.people.services import people
from tests.conftest import HOST_A, PASSWORD


@pytest.fixture
def admin_client(client, world):
    signed_in = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin@a.test", "password": PASSWORD},
        HTTP_HOST=HOST_A,
    )
    assert signed_in.status_code == 302
    return client


def _post(client, path: str, data: dict):
    return client.post(path, data, HTTP_HOST=HOST_A)


def test_an_admin_adds_a_department_and_a_person(admin_client, world):
    made = _post(
        admin_client,
        "/admin/people/department/add/",
        {"code": "Ops", "name_en": "Ops", "active": "on"},
    )
    assert made.status_code == 302, made.context["adminform"].form.errors
    with schema_context(world.a.schema_name):
        ops = Department.objects.get(code="ops")
        assert ops.path == "ops"
    member = world.user("a", "analyst")
    added = _post(
        admin_client,
        "/admin/people/person/add/",
        {
            "employee_number": "A1",
            "full_name": "Admin-made",
            "department": ops.pk,
            "active": "on",
            "user": member.pk,
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    with schema_context(world.a.schema_name):
        person = Person.objects.get(employee_number="A1")
        assert (person.department_id, person.user_id) == (ops.pk, member.pk)
        from auditlog.models import LogEntry

        assert LogEntry.objects.filter(
            object_pk=str(person.pk), actor__email="admin@a.test"
        ).exists()


def test_a_refusal_of_the_service_is_shown_on_its_field(admin_client, world):
    _post(
        admin_client,
        "/admin/people/department/add/",
        {"code": "ops", "name_en": "Ops", "active": "on"},
    )
    with schema_context(world.a.schema_name):
        ops = Department.objects.get(code="ops")
        boss = people.person_create(employee_number="B1", full_name="Boss", department_id=ops.pk)
        report = people.person_create(employee_number="R1", full_name="Report", manager_id=boss.pk)
    page = _post(
        admin_client,
        f"/admin/people/person/{boss.pk}/change/",
        {
            "employee_number": "B1",
            "full_name": "Boss",
            "department": ops.pk,
            "manager": report.pk,
            "active": "on",
        },
    )
    assert page.status_code == 200  # the form again, with the error
    form = page.context["adminform"].form
    assert form.errors["manager"] == ["A person cannot (indirectly) manage themselves."]
    with schema_context(world.a.schema_name):
        assert Person.objects.get(pk=boss.pk).manager_id is None
    in_use = _post(
        admin_client,
        "/admin/people/department/",
        {"action": "deactivate_departments", "_selected_action": [ops.pk]},
    )
    assert in_use.status_code == 302
    listing = admin_client.get(in_use.url, HTTP_HOST=HOST_A)
    assert "still has active people" in listing.content.decode()
    with schema_context(world.a.schema_name):
        assert Department.objects.get(pk=ops.pk).active


def test_only_members_of_this_tenant_are_offered_as_accounts(admin_client, world):
    page = admin_client.get("/admin/people/person/add/", HTTP_HOST=HOST_A)
    offered = {str(u) for u in page.context["adminform"].form.fields["user"].queryset}
    assert "analyst@a.test" in " ".join(offered)
    assert not any("@b.test" in u or "operator@" in u for u in offered)
