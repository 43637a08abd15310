"""The built-in indicators coverage feeds, and the daily observations written to them."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.early_warning.selectors import indicators
from apps.early_warning.services.indicators import indicator_save
from apps.early_warning.services.ingestion import PointIn, ingest
from apps.training.models import EducationCampaign, Requirement, TrainingSettings
from apps.training.selectors import risk_category_ids, training_settings
from apps.training.selectors.coverage import coverage_groups, expiring_count

COVERAGE = "training_mandatory_coverage"
OVERDUE = "training_overdue_count"
REACH = "education_campaign_reach"
EXPIRING = "certifications_expiring_30d"
SEEDED: dict[str, dict[str, Any]] = {  # code: indicator_save fields, and the category code
    COVERAGE: {
        "name": "Mandatory training coverage (%)",
        "description": "Share of required (person, course) obligations holding a completion "
        "that counts; dimension `department` (with sub-departments), none = whole tenant.",
        "unit": "%",
        "direction": "lower_is_worse",
        "amber": 90.0,
        "red": 80.0,
        "category": "legal_compliance",
    },
    OVERDUE: {
        "name": "Overdue mandatory trainings",
        "description": "Obligations past their due date plus grace, whole tenant.",
        "unit": "obligations",
        "direction": "higher_is_worse",
        "amber": 1.0,
        "red": 10.0,
        "category": "operational",
    },
    EXPIRING: {
        "name": "Certificates expiring within 30 days",
        "description": "Required obligations whose certificate expires in the next 30 days "
        "(not yet expired), whole tenant.",
        "unit": "certificates",
        "direction": "higher_is_worse",
        "amber": 5.0,
        "red": 20.0,
        "category": "legal_compliance",
    },
    REACH: {
        "name": "Customer-education campaign reach (%)",
        "description": "Customers reached / planned × 100 of each running campaign; dimension "
        "`campaign` = its code.",
        "unit": "%",
        "direction": "lower_is_worse",
        "amber": 80.0,
        "red": 50.0,
        "category": "fraud",
    },
}


def ensure_indicators(codes=(COVERAGE, OVERDUE, EXPIRING)) -> None:
    """Create the built-in indicators that are missing, through the early-warning service.

    On first use (the first daily run that has requirements to measure), not by migration:
    a tenant that does not track training gets no indicators that would only go stale."""
    wanted = {code: SEEDED[code] for code in codes}
    categories = risk_category_ids([spec["category"] for spec in wanted.values()])
    have = set(indicators().filter(code__in=wanted).values_list("code", flat=True))
    for code, spec in wanted.items():
        if code in have or spec["category"] not in categories:
            continue
        fields = {k: v for k, v in spec.items() if k != "category"}
        indicator_save(
            code=code,
            category_id=categories[spec["category"]],
            data_source="assessment",
            frequency_minutes=24 * 60,
            **fields,
        )


def write_observations(*, now: datetime) -> int:
    """Coverage per department and for the tenant, and the overdue count, as of `now`.
    A tenant that has no requirement writes nothing (and gets no indicators)."""
    today = timezone.localdate(now)
    written = _campaign_reach(now=now, today=today)
    if not Requirement.objects.filter(active=True).exists():
        return written
    ensure_indicators()
    points = []
    counted = coverage_groups(as_of=today, groupings=["department", "total"])
    for row in counted["department"]:
        percent = row.covered_percent  # None exactly when nothing is required
        if percent is not None and row.code is not None:  # a department always has a code
            points.append(PointIn(COVERAGE, now, percent, {"department": row.code}))
    (total,) = counted["total"]
    if total.covered_percent is not None:
        points.append(PointIn(COVERAGE, now, total.covered_percent, None))
    points.append(PointIn(OVERDUE, now, float(total.overdue), None))
    points.append(PointIn(EXPIRING, now, float(expiring_count(as_of=today, days=30)), None))
    return written + ingest(points).count


def _campaign_reach(*, now: datetime, today) -> int:
    """Reach % of each campaign running today (the indicator appears with the first one)."""
    running = EducationCampaign.objects.filter(starts_on__lte=today, ends_on__gte=today)
    points = [PointIn(REACH, now, c.reach_percent, {"campaign": c.code}) for c in running]
    if not points:
        return 0
    ensure_indicators([REACH])
    return ingest(points).count


def daily_indicators_if_due(*, now: datetime | None = None) -> dict:
    """Tick handler: today's observations unless written already (one UPDATE decides)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    settings = training_settings()
    with transaction.atomic():
        claimed = (
            TrainingSettings.objects.filter(pk=settings.pk)
            .filter(Q(indicators_run_on__isnull=True) | Q(indicators_run_on__lt=today))
            .update(indicators_run_on=today)
        )
        if not claimed:
            return {"written": False}
        return {"written": True, "points": write_observations(now=now)}
