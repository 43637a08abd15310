"""One call makes a whole tenant (schema, domain, admin, seed data), or nothing at all."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from apps.accounts.models import Membership, User
from apps.core.models import Job
from apps.tenants import seeding, services
from apps.tenants.models import Domain, Tenant


def _create(**overrides):
    kwargs = dict(
        name="Gamma Pay",
        domain="gamma.test",
        business_model="payment",
        admin_email="boss@gamma.test",
        schema_name="tenant_gamma",
    )
    kwargs.update(overrides)
    return services.tenant_create(**kwargs)


def test_provisioning_makes_schema_domain_admin_and_runs_seeders(db, monkeypatch):
    seeded = []
    monkeypatch.setattr(
        seeding, "seeders", lambda: {"probe": lambda: seeded.append(connection.schema_name)}
    )
    made = _create()
    assert schema_exists("tenant_gamma")
    assert made.domain.domain == "gamma.test" and made.domain.is_primary
    assert Membership.objects.get(tenant=made.tenant).role == "admin"
    assert made.invite_code  # no password given: the admin is invited
    assert seeded == ["tenant_gamma"]
    with schema_context("tenant_gamma"):
        assert Job.objects.count() == 0  # the tenant's own tables exist


def test_a_failure_in_the_last_step_leaves_nothing_behind(db, monkeypatch):
    def broken_seeder():
        raise RuntimeError("seed data could not be loaded")

    monkeypatch.setattr(seeding, "seeders", lambda: {"broken": broken_seeder})
    with pytest.raises(RuntimeError):
        _create()
    assert connection.schema_name == "public"
    assert not schema_exists("tenant_gamma")
    assert not Tenant.objects.filter(schema_name="tenant_gamma").exists()
    assert not Domain.objects.filter(domain="gamma.test").exists()
    assert not User.objects.filter(email="boss@gamma.test").exists()
    assert not Membership.objects.filter(user__email="boss@gamma.test").exists()


@pytest.mark.parametrize(
    "overrides,field,code",
    [
        ({"domain": "bad_host.test"}, "domain", "domain_invalid"),
        ({"domain": "tenant-a.test"}, "domain", "domain_taken"),
        ({"schema_name": "tenant_a"}, "schema_name", "schema_name_taken"),
        ({"schema_name": "public"}, "schema_name", "schema_name_invalid"),
        ({"schema_name": "Bad-Name"}, "schema_name", "schema_name_invalid"),
        ({"business_model": "casino"}, "business_model", "invalid"),
    ],
)
def test_bad_input_is_refused_before_anything_is_made(world, overrides, field, code):
    with pytest.raises(ValidationError) as refused:
        _create(**overrides)
    assert refused.value.error_dict[field][0].code == code
    assert not Tenant.objects.filter(name="Gamma Pay").exists()


def test_schema_names_never_change(world):
    world.a.schema_name = "renamed"
    with pytest.raises(ValidationError):
        world.a.save()


def test_generated_schema_names_do_not_come_from_the_name(db):
    made = _create(schema_name=None)
    assert made.tenant.schema_name.startswith("t_") and "gamma" not in made.tenant.schema_name


def test_an_admin_given_a_password_is_told_to_sign_in_not_sent_a_useless_code(
    db, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        made = _create(admin_password="Gamma-Passw0rd-2026")
    assert made.invite_code is None
    assert made.admin.check_password("Gamma-Passw0rd-2026")
    (welcome,) = [m for m in mail.outbox if m.to == ["boss@gamma.test"]]
    assert "invite code" not in welcome.body and "Sign in with your existing password" in welcome.body
