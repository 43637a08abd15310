"""Sample indicators for the demo tenant (`manage.py demo_setup`): three KRIs of an online lender
with 60 days of daily history, linked to the register's risks, and one scan, so the demo shows
live signals (a red NPL ratio, an amber complaint spike). Through the services; idempotent
(nothing is added once `npl_ratio` exists)."""

from datetime import timedelta

from django.utils import timezone

from apps.early_warning.models import Indicator
from apps.early_warning.services.indicators import indicator_save, rule_save
from apps.early_warning.services.ingestion import PointIn, ingest
from apps.early_warning.services.scans import scan
from apps.risks.selectors import category_ids, risk_ids_titled

DAYS = 60
INDICATORS = [
    # code, name, category, risk title, unit, direction, amber, red, source, rules, history
    (
        "npl_ratio",
        "Non-performing loan ratio",
        "credit",
        "Rising delinquency in the cash-loan book",
        "%",
        "higher_is_worse",
        3.0,
        4.5,
        "credit",
        ["threshold", "sustained"],
        lambda day: 2.4 + 0.04 * day,  # drifts up through amber into red over the two months
    ),
    (
        "liquidity_coverage",
        "Liquidity coverage ratio",
        "liquidity",
        "Funding partner withdraws its credit line",
        "%",
        "lower_is_worse",
        120.0,
        100.0,
        "fund_flows",
        ["threshold"],
        lambda day: 150.0 + (day % 7) * 2.0,  # comfortable, with a weekly rhythm
    ),
    (
        "complaints_daily",
        "Customer complaints per day",
        "reputational",
        "Viral complaints about hidden fees",
        "complaints",
        "higher_is_worse",
        80.0,
        120.0,
        "user_behaviour",
        ["threshold", "zscore"],
        lambda day: 40.0 + (day % 5) * 3.0 + (55.0 if day == DAYS - 1 else 0.0),  # spike today
    ),
]


def demo(*, admin) -> int:
    if Indicator.objects.filter(code="npl_ratio").exists():
        return 0
    categories = category_ids([spec[2] for spec in INDICATORS])
    risks = risk_ids_titled([spec[3] for spec in INDICATORS])
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    made, points = [], []
    for (
        code,
        name,
        category,
        risk,
        unit,
        direction,
        amber,
        red,
        source,
        rules,
        history,
    ) in INDICATORS:
        indicator = indicator_save(
            code=code,
            name=name,
            category_id=categories[category],
            data_source=source,
            unit=unit,
            direction=direction,
            amber=amber,
            red=red,
            frequency_minutes=24 * 60,
            responsible_ids=[admin.pk],
            risk_ids=[risks[risk]] if risk in risks else [],
        )
        for kind in rules:
            rule_save(indicator_id=indicator.pk, kind=kind, params={})
        for day in range(DAYS):
            at = now - timedelta(days=DAYS - 1 - day)
            points.append(PointIn(code, at, round(history(day), 2)))
        made.append(indicator)
    ingest(points)
    scan(indicator_ids=[i.pk for i in made], now=now)
    return len(made)
