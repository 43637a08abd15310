"""What an indicator says about itself: status from its data (not from a scan having run), and
the people responsible for it as users with global ids."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.early_warning.models import Indicator
from apps.early_warning.services import indicators
from apps.early_warning.services.scans import scan
from tests.early_warning.conftest import feed
from tests.kit.sql import sql_count

STATUS = "{ indicators(first: 100) { edges { node { code status latestValue } } } }"


def _statuses(api) -> dict:
    connection.set_schema_to_public()
    edges = api("a", "viewer").ok(STATUS)["indicators"]["edges"]
    return {e["node"]["code"]: e["node"]["status"] for e in edges}


def test_status_follows_the_latest_value_before_any_scan(api, make_indicator):
    hour_ago = timezone.now() - timedelta(hours=1)
    for code, value in (("kri_red", 6.5), ("kri_amber", 4.0), ("kri_green", 1.0)):
        make_indicator(code)  # amber 3, red 5, higher is worse
        feed(code, [value], start=hour_ago)
    make_indicator("kri_low", direction="lower_is_worse", amber=120.0, red=100.0)
    feed("kri_low", [90.0], start=hour_ago)
    make_indicator("kri_empty")
    make_indicator("kri_quiet", stale_after_minutes=30)
    feed("kri_quiet", [1.0], start=hour_ago)
    assert not Indicator.objects.filter(last_scanned_at__isnull=False).exists()
    assert _statuses(api) == {
        "kri_amber": "AMBER",
        "kri_empty": "UNKNOWN",
        "kri_green": "GREEN",
        "kri_low": "RED",
        "kri_quiet": "STALE",
        "kri_red": "RED",
    }


def test_a_live_signal_still_counts_while_the_value_is_back_to_green(api, make_indicator):
    kri = make_indicator("kri", resolve_after_green=3)
    indicators.rule_save(indicator_id=kri.pk, kind="threshold", params={})
    start = timezone.now() - timedelta(hours=3)
    feed("kri", [9.0], start=start)
    scan(indicator_ids=[kri.pk], now=timezone.now())
    feed("kri", [1.0], start=start + timedelta(hours=1))  # green once: the signal stays open
    assert _statuses(api) == {"kri": "RED"}


WHO = """query($id: ID!) { indicator(id: $id) { responsibleIds responsible { id email } } }"""


def test_responsible_people_are_users_with_global_ids(api, world, make_indicator):
    analyst = world.user("a", "analyst")
    kri = make_indicator("kri", responsible_ids=[analyst.pk])
    connection.set_schema_to_public()
    body = api("a", "viewer").ok(WHO, {"id": to_base64("Indicator", kri.pk)})["indicator"]
    gid = to_base64("User", analyst.pk)
    assert body == {"responsibleIds": [gid], "responsible": [{"id": gid, "email": analyst.email}]}


def test_someone_who_left_the_tenant_is_no_longer_responsible(api, world, make_indicator):
    from apps.accounts.models import Membership

    analyst, manager = world.user("a", "analyst"), world.user("a", "risk_manager")
    kri = make_indicator("kri", responsible_ids=[analyst.pk, manager.pk])
    Membership.objects.filter(user=analyst, tenant=world.a).delete()
    connection.set_schema_to_public()
    body = api("a", "viewer").ok(WHO, {"id": to_base64("Indicator", kri.pk)})["indicator"]
    assert [p["email"] for p in body["responsible"]] == [manager.email]
    assert body["responsibleIds"] == [to_base64("User", manager.pk)]


PEOPLE = "{ indicators(first: 100) { edges { node { responsibleIds responsible { email } } } } }"
SIGNALS = """{ warningSignals(first: 100) { edges { node { severity
  indicator { code status latestValue responsible { email } } } } } }"""


def _grow(world, make_indicator, start: int, n: int) -> None:
    with schema_context(world.a.schema_name):
        for i in range(start, start + n):
            kri = make_indicator(f"kri_{i:03d}", responsible_ids=[world.user("a", "analyst").pk])
            indicators.rule_save(indicator_id=kri.pk, kind="threshold", params={})
            feed(f"kri_{i:03d}", [9.0], start=timezone.now() - timedelta(hours=1))
        scan(now=timezone.now())
    connection.set_schema_to_public()


def test_people_and_nested_status_cost_the_same_for_few_and_many(api, world, make_indicator):
    _grow(world, make_indicator, 0, 2)
    viewer = api("a", "viewer")
    few = (sql_count(viewer, PEOPLE), sql_count(viewer, SIGNALS))
    _grow(world, make_indicator, 2, 15)
    many = (sql_count(viewer, PEOPLE), sql_count(viewer, SIGNALS))
    assert few == many
