"""Who starts scans: a person asking (`scanRun`) scans what was asked, the tick only what is due,
and neither makes a job with nothing to do."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import from_base64, to_base64

from apps.core.models import Job
from apps.early_warning.models import Indicator
from apps.early_warning.module import JOB_SCAN
from apps.early_warning.services import indicators
from apps.early_warning.services.scans import scan
from apps.early_warning.tasks import run_scan, scans_if_due
from apps.risks.models import RiskCategory


@pytest.fixture(autouse=True)
def _no_leftover_scans(in_a):
    """Other files' worker tests commit scan jobs (an ingestion asks for one): these tests count
    scan jobs from none (the deletion is rolled back with the test)."""
    Job.objects.filter(kind=JOB_SCAN).delete()


SCAN = """mutation($i: ScanRunInput!) { scanRun(input: $i) {
  job { id kind } errors { field code } } }"""


def _scanned_just_now(make_indicator, *codes: str) -> list:
    made = [make_indicator(code, frequency_minutes=60) for code in codes]
    scan(indicator_ids=[i.pk for i in made], now=timezone.now())  # none is due for an hour
    return made


def _run(job_gid: str) -> dict:
    _, pk = from_base64(job_gid)
    with schema_context("tenant_a"):
        run_scan.apply(args=[pk]).get()
        return Job.objects.get(pk=pk).result


def test_a_request_without_ids_scans_every_active_indicator_due_or_not(api, make_indicator):
    _scanned_just_now(make_indicator, "kri_one", "kri_two")
    make_indicator("kri_off", is_active=False)
    connection.set_schema_to_public()
    for asked in ({}, {"indicators": None}):
        body = api("a", "analyst").ok(SCAN, {"i": asked})["scanRun"]
        assert body["errors"] == [] and body["job"]["kind"] == "WARNING_SCAN"
        assert _run(body["job"]["id"])["indicators"] == 2


def test_a_request_with_ids_scans_those(api, make_indicator):
    one, _ = _scanned_just_now(make_indicator, "kri_one", "kri_two")
    connection.set_schema_to_public()
    body = api("a", "analyst").ok(SCAN, {"i": {"indicators": [to_base64("Indicator", one.pk)]}})
    assert _run(body["scanRun"]["job"]["id"])["indicators"] == 1


def test_unknown_foreign_or_inactive_indicators_are_refused_without_a_job(
    api, make_indicator, world
):
    off = make_indicator("kri_off", is_active=False)
    with schema_context(world.b.schema_name):
        theirs = indicators.indicator_save(
            code="their_kri",
            name="Theirs",
            category_id=RiskCategory.objects.get(code="credit").pk,
            amber=1.0,
        )
    connection.set_schema_to_public()
    analyst = api("a", "analyst")
    for gid, code in (
        (to_base64("Indicator", uuid.uuid4()), "NOT_FOUND"),
        (to_base64("Indicator", theirs.pk), "NOT_FOUND"),
        (to_base64("RiskCategory", uuid.uuid4()), "NOT_FOUND"),
        (to_base64("Indicator", off.pk), "INVALID"),
    ):
        body = analyst.ok(SCAN, {"i": {"indicators": [gid]}})["scanRun"]
        assert body == {"job": None, "errors": [{"field": "indicators", "code": code}]}, gid
    with schema_context("tenant_a"):
        assert not Job.objects.filter(kind=JOB_SCAN).exists()


def test_the_tick_makes_no_job_when_nothing_is_due(make_indicator):
    one, _ = _scanned_just_now(make_indicator, "kri_one", "kri_two")
    make_indicator("kri_off", is_active=False)  # never scanned, but inactive: never due
    assert scans_if_due() == {"started": False}
    assert not Job.objects.filter(kind=JOB_SCAN).exists()

    Indicator.objects.filter(pk=one.pk).update(last_scanned_at=timezone.now() - timedelta(hours=2))
    started = scans_if_due()
    assert started["started"] is True
    assert Job.objects.filter(kind=JOB_SCAN).count() == 1
    assert scan(indicator_ids=None, now=timezone.now())["indicators"] == 1  # what the job does
