"""The daily tick: seeded indicators fed through the ingestion service, once a day; a threshold
rule on coverage raises a signal once coverage drops."""

from datetime import timedelta

from django.utils import timezone

from apps.core.modules import tick_handlers
from apps.early_warning.models import Indicator, Observation, WarningSignal
from apps.early_warning.services.indicators import rule_save
from apps.early_warning.services.scans import scan
from apps.training.services.courses import course_update
from apps.training.services.indicators import (
    daily_indicators_if_due,
    ensure_indicators,
    write_observations,
)
from apps.training.services.records import record_create
from apps.training.services.requirements import requirement_create


def _everyone_trained(org, course):
    requirement_create(course_id=course.pk, department_ids=[org["hq"].pk], first_due_days=0)
    for who in ("ana", "bo", "cy"):
        record_create(
            person_id=org[who].pk,
            course_id=course.pk,
            completed_at=timezone.now() - timedelta(hours=2),
            score=90,
        )


def test_the_tick_is_declared_and_creates_the_indicators_on_first_use(org, course):
    assert "training.daily_indicators" in tick_handlers()
    assert daily_indicators_if_due() == {"written": True, "points": 0}  # nothing to measure
    assert not Indicator.objects.filter(code__startswith="training_").exists()
    requirement_create(course_id=course.pk, person_ids=[org["ana"].pk], first_due_days=0)
    write_observations(now=timezone.now())
    assert set(
        Indicator.objects.filter(code__startswith="training_").values_list(
            "code", "category__code", "direction"
        )
    ) == {
        ("training_mandatory_coverage", "legal_compliance", "lower_is_worse"),
        ("training_overdue_count", "operational", "higher_is_worse"),
    }


def test_the_tick_writes_once_a_day(org, course):
    _everyone_trained(org, course)
    now = timezone.now()
    assert daily_indicators_if_due(now=now) == {"written": True, "points": 7}
    assert daily_indicators_if_due(now=now + timedelta(minutes=5)) == {"written": False}
    coverage = {
        o.dimensions_key: o.value
        for o in Observation.objects.filter(indicator__code="training_mandatory_coverage")
    }
    assert coverage == {
        "department=hq": 100.0,
        "department=risk": 100.0,
        "department=credit": 100.0,
        "department=it": 100.0,
        "": 100.0,
    }
    overdue = Observation.objects.get(indicator__code="training_overdue_count")
    assert overdue.value == 0.0 and overdue.observed_at == now
    expiring = Observation.objects.get(indicator__code="certifications_expiring_30d")
    assert expiring.value == 0.0  # completed today, valid 12 months


def test_certificates_expiring_within_thirty_days_are_counted(org, course):
    requirement_create(course_id=course.pk, department_ids=[org["hq"].pk], first_due_days=0)
    for who, days_ago in (("ana", 350), ("bo", 300), ("cy", 370)):  # expires in ~15, ~65, gone
        record_create(
            person_id=org[who].pk,
            course_id=course.pk,
            completed_at=timezone.now() - timedelta(days=days_ago),
            score=90,
        )
    write_observations(now=timezone.now())
    expiring = Observation.objects.get(indicator__code="certifications_expiring_30d")
    assert expiring.value == 1.0  # Ana's; Cy's has expired already


def test_a_threshold_rule_raises_a_signal_after_coverage_drops(org, course):
    _everyone_trained(org, course)
    ensure_indicators()
    indicator = Indicator.objects.get(code="training_mandatory_coverage")
    rule_save(indicator_id=indicator.pk, kind="threshold", params={})
    first = timezone.now() - timedelta(hours=1)
    write_observations(now=first)
    scan(indicator_ids=[indicator.pk], now=first)
    assert not WarningSignal.objects.filter(indicator=indicator).exists()
    course_update(course_id=course.pk, material=True)  # nobody's completion counts any more
    second = timezone.now()
    write_observations(now=second)
    scan(indicator_ids=[indicator.pk], now=second)
    red = WarningSignal.objects.filter(indicator=indicator, severity="red")
    assert set(red.values_list("dimensions_key", flat=True)) == {
        "",
        "department=hq",
        "department=risk",
        "department=credit",
        "department=it",
    }
