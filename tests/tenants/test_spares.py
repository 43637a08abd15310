"""Provisioning renames a spare clone of the template made ahead of time (apps/tenants/spares.py):
the tenant it gives is the same as a migrated one, with its own ids and the provisioning time."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from apps.risks.models import RiskCategory
from apps.tenants import spares, template
from apps.tenants.models import Tenant
from tests.tenants.test_template_clone import CATALOG, _create, _listing, _row_counts


@pytest.fixture
def one_spare(world, settings):
    settings.TENANT_SPARE_SCHEMAS = 1
    assert template.template_is_current(settings.TENANT_TEMPLATE_SCHEMA)
    made = spares.spares_refill()
    assert made == {"made": 1, "dropped": 0, "ready": 1}
    (name,) = spares.spares_ready()
    return name


def test_a_tenant_made_from_a_spare_equals_a_migrated_one(one_spare, settings):
    made = _create("from_spare")
    assert not schema_exists(one_spare)  # renamed, not copied
    assert spares.spares_ready() == []
    settings.TENANT_SPARE_SCHEMAS = 0
    settings.TENANT_TEMPLATE_SCHEMA = ""  # the old way: CREATE SCHEMA + every migration
    _create("by_migrations")
    for listing in CATALOG:
        mine = _listing(made.tenant.schema_name, listing)
        theirs = _listing("by_migrations", listing)
        assert mine == theirs, listing
    counts = _row_counts("from_spare")
    assert counts["risks_riskcategory"] > 0
    assert counts == _row_counts("by_migrations")


def test_a_spare_tenant_has_its_own_ids_and_the_provisioning_time(one_spare, world):
    with connection.cursor() as cursor:  # the spare was cloned a day "ago"
        cursor.execute(
            f'UPDATE "{one_spare}".risks_riskcategory SET created_at = %s',
            [timezone.now() - timedelta(days=1)],
        )
    made = _create("spare_stamped")
    with schema_context("spare_stamped"):
        mine = {c.code: (c.pk, c.created_at) for c in RiskCategory.objects.all()}
    with schema_context(template.template_schema()):
        in_template = {c.code: c.pk for c in RiskCategory.objects.all()}
    with schema_context(world.a.schema_name):
        in_a = {c.code: c.pk for c in RiskCategory.objects.all()}
    connection.set_schema_to_public()
    created = Tenant.objects.get(pk=made.tenant.pk).created_at
    assert mine and set(mine) == set(in_template)
    for code, (pk, created_at) in mine.items():
        assert pk not in (in_template[code], in_a.get(code))
        assert abs((created_at - created).total_seconds()) < 60


def test_two_tenants_never_share_a_spare(one_spare):
    first = _create("spare_first")
    second = _create("spare_second")  # none left: cloned in its own transaction
    for made in (first, second):
        assert template.code_leaf_migrations() <= template.applied_migrations(
            made.tenant.schema_name
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM spare_first.risks_riskcategory")
        assert cursor.fetchone()[0] > 0
        cursor.execute(
            "SELECT count(*) FROM spare_first.risks_riskcategory a "
            "JOIN spare_second.risks_riskcategory b ON a.id = b.id"
        )
        assert cursor.fetchone()[0] == 0


def test_a_spare_of_another_migration_set_is_never_claimed_and_is_dropped(one_spare, settings):
    stale = "_spare_0000000000_deadbeef"
    with connection.cursor() as cursor:
        # Committed spares have no pending checks; this one was cloned in the test's transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's (the next clone's)
        cursor.execute(f'ALTER SCHEMA "{one_spare}" RENAME TO "{stale}"')
    assert spares.spares_ready() == [] and spares.spares_stale() == [stale]
    assert spares.spares_short()
    made = _create("not_stale")
    assert schema_exists(stale)  # not claimed: the tenant was cloned
    assert template.code_leaf_migrations() <= template.applied_migrations(made.tenant.schema_name)
    assert spares.spares_refill() == {"made": 1, "dropped": 1, "ready": 1}
    assert not schema_exists(stale)
    assert not spares.spares_short()


def test_provisioning_asks_for_a_new_spare_once_it_commits(
    one_spare, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(spares, "send_refill", lambda: sent.append(True))
    with django_capture_on_commit_callbacks(execute=True):
        _create("asks_refill")
    assert sent == [True]


def test_a_failed_provisioning_gives_the_spare_back(one_spare, monkeypatch):
    from apps.tenants import services

    def fail():
        raise RuntimeError("a seeder broke")

    monkeypatch.setattr(services, "run_seeders", fail)
    with pytest.raises(RuntimeError):
        _create("broken_spare")
    assert not schema_exists("broken_spare")
    assert spares.spares_ready() == [one_spare]


def test_with_no_spares_wanted_none_is_made(world, settings):
    settings.TENANT_SPARE_SCHEMAS = 0
    assert spares.spares_refill() == {"made": 0, "dropped": 0, "ready": 0}
    assert not spares.spares_short()
