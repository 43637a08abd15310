"""The figures of each day, the reputation index made of them, and the observations they
become in early warning (so its rules raise signals on spikes).

Index of a day, 0 (worst) to 100 (best), with the tenant's weights w (ReputationSettings):

    S = (net sentiment + 1) / 2          net sentiment = Σ (1 + reach) × score / Σ (1 + reach)
    N = 1 − negative share               negative share = negative / scored mentions
    C = max(0, 1 − (complaints received + 2 × SLA breaches) / complaint capacity)
    B = mean over the brand metrics covering the day of their 0–1 values (services/brand.py)
    index = 100 × (w_s S + w_n N + w_c C + w_b B) / (w_s + w_n + w_c + w_b)

S and N are left out (with their weights) on a day without scored mentions, B on a day no
brand metric covers. A day with nothing
measured — no scored mention, no complaint received, no SLA breach — has no index (null, and
no `reputation_index` observation): a 100 there would be an absence of data read as a perfect
day, and would lift every mean over the period.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.early_warning.selectors import indicators
from apps.early_warning.services.indicators import indicator_save, rule_save
from apps.early_warning.services.ingestion import PointIn, ingest
from apps.early_warning.services.jobs import scan_enqueue
from apps.reputation.models import (
    Complaint,
    Mention,
    ReputationDay,
    ReputationSettings,
    Source,
)
from apps.reputation.selectors import reputation_settings
from apps.reputation.selectors.topics import negative_by_topic
from apps.reputation.services.brand import brand_parts

MAX_DAYS = 400

NEGATIVE_MENTIONS = "negative_mentions"
NEGATIVE_SHARE = "negative_mention_share"
INDEX = "reputation_index"
COMPLAINTS_OPEN = "complaints_open"
SLA_BREACHES = "complaint_sla_breaches"
REGULATOR = "regulator_complaints"
# code → indicator fields and the rules it is created with (first use, not by migration).
SEEDED = {
    NEGATIVE_MENTIONS: {
        "name": "Negative mentions per day",
        "description": "Mentions scored negative, by publication day; dimension `channel` or "
        "`topic` (a topic code), none = every mention.",
        "unit": "mentions",
        "direction": "higher_is_worse",
        "amber": 50.0,
        "red": 200.0,
        "rules": [("zscore", {"window": 14, "amber_z": 2.0, "red_z": 3.0})],
    },
    NEGATIVE_SHARE: {
        "name": "Negative share of mentions (%)",
        "description": "Negative / scored mentions of the day, × 100.",
        "unit": "%",
        "direction": "higher_is_worse",
        "amber": 30.0,
        "red": 50.0,
        "rules": [("threshold", {})],
    },
    INDEX: {
        "name": "Reputation index",
        "description": "0 (worst) to 100 (best): sentiment, negative share and complaints of "
        "the day, weighted by the tenant (docs/reputation.md).",
        "unit": "points",
        "direction": "lower_is_worse",
        "amber": 60.0,
        "red": 40.0,
        "rules": [("threshold", {})],
    },
    COMPLAINTS_OPEN: {
        "name": "Complaints open at day end",
        "description": "Received and not resolved at the end of the day.",
        "unit": "complaints",
        "direction": "higher_is_worse",
        "amber": 50.0,
        "red": 100.0,
        "rules": [("zscore", {"window": 14, "amber_z": 2.0, "red_z": 3.0})],
    },
    SLA_BREACHES: {
        "name": "Complaint SLA breaches per day",
        "description": "First-response and resolution due times passed that day.",
        "unit": "breaches",
        "direction": "higher_is_worse",
        "amber": 1.0,
        "red": 5.0,
        "rules": [("threshold", {})],
    },
    REGULATOR: {
        "name": "Regulator-referred complaints per day",
        "description": "Complaints referred by a regulator (12378, 12363, …) received that day.",
        "unit": "complaints",
        "direction": "higher_is_worse",
        "amber": 1.0,
        "red": 3.0,
        "rules": [("threshold", {})],
    },
}


def ensure_indicators() -> dict[str, Any]:
    """{code: indicator id}, creating the missing built-in indicators (and their rules)
    through the early-warning services, in the reputational risk category."""
    from apps.risks.selectors import category_ids  # the seeded taxonomy's id

    have: dict[str, Any] = dict(indicators().filter(code__in=SEEDED).values_list("code", "id"))
    missing = [code for code in SEEDED if code not in have]
    if not missing:
        return have
    category_id = category_ids(["reputational"]).get("reputational")
    for code in missing:
        spec: dict[str, Any] = {k: v for k, v in SEEDED[code].items() if k != "rules"}
        indicator = indicator_save(
            code=code,
            category_id=category_id,
            data_source="reputation",
            frequency_minutes=24 * 60,
            **spec,
        )
        rules: list[tuple[str, dict]] = SEEDED[code]["rules"]  # type: ignore[assignment]
        for kind, params in rules:
            rule_save(indicator_id=indicator.pk, kind=kind, params=params)
        have[code] = indicator.pk
    return have


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def index_of(
    *,
    net_sentiment: float | None,
    negative_share: float | None,
    complaints_received: int,
    sla_breaches: int,
    settings: ReputationSettings,
    brand: float | None = None,
) -> float | None:
    """The day's index; None when nothing of it was measured (see the module docstring; a
    brand metric alone does not make a day measured: it covers a whole period)."""
    if net_sentiment is None and negative_share is None and not complaints_received + sla_breaches:
        return None
    parts = [
        (
            settings.weight_complaints,
            max(0.0, 1 - (complaints_received + 2 * sla_breaches) / settings.complaint_capacity),
        ),
    ]
    if net_sentiment is not None:
        parts.append((settings.weight_sentiment, (net_sentiment + 1) / 2))
    if negative_share is not None:
        parts.append((settings.weight_negative_share, 1 - negative_share))
    if brand is not None:
        parts.append((settings.weight_brand, brand))
    weight = sum(w for w, _ in parts)
    return round(100 * sum(w * c for w, c in parts) / weight, 4) if weight else 100.0


def _mention_figures(first: date, last: date) -> dict:
    start, _ = _bounds(first)
    _, end = _bounds(last)
    weight = 1 + F("reach")
    rows = (
        Mention.objects.filter(published_at__gte=start, published_at__lt=end)
        .annotate(day=TruncDate("published_at"))
        .values("day")
        .annotate(
            mentions=Count("id"),
            scored=Count("id", filter=Q(scored_at__isnull=False)),
            negative=Count("id", filter=Q(sentiment_label="negative")),
            positive=Count("id", filter=Q(sentiment_label="positive")),
            reach_sum=Sum("reach"),
            weighted=Sum(weight * F("sentiment_score"), filter=Q(scored_at__isnull=False)),
            weights=Sum(weight, filter=Q(scored_at__isnull=False)),
        )
    )
    return {row["day"]: row for row in rows}


def _negative_by_channel(first: date, last: date) -> dict:
    start, _ = _bounds(first)
    _, end = _bounds(last)
    rows = (
        Mention.objects.filter(
            published_at__gte=start, published_at__lt=end, sentiment_label="negative"
        )
        .annotate(day=TruncDate("published_at"))
        .values("day", "channel")
        .annotate(n=Count("id"))
    )
    out: dict = {}
    for row in rows:
        out.setdefault(row["day"], {})[row["channel"]] = row["n"]
    return out


def _complaint_figures(day: date) -> dict:
    start, end = _bounds(day)
    return Complaint.objects.aggregate(
        received=Count("id", filter=Q(received_at__gte=start, received_at__lt=end)),
        open=Count(
            "id",
            filter=Q(received_at__lt=end) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)),
        ),
        breaches=Count(
            "id", filter=Q(response_breached_at__gte=start, response_breached_at__lt=end)
        )
        + Count("id", filter=Q(resolution_breached_at__gte=start, resolution_breached_at__lt=end)),
        regulator=Count(
            "id", filter=Q(received_at__gte=start, received_at__lt=end, channel="regulator")
        ),
    )


@transaction.atomic
def days_refresh(*, days: list[date], now: datetime | None = None, scan: bool = True) -> dict:
    """Compute these days (at most MAX_DAYS), store them, write their observations and (with
    `scan`) ask for a scan of the indicators written. Idempotent: a day computed again replaces
    its row and its points."""
    now = now or timezone.now()
    days = sorted(set(days))
    if not days:
        return {"days": 0, "points": 0}
    if len(days) > MAX_DAYS:
        raise ValueError(f"at most {MAX_DAYS} days at once")
    settings = reputation_settings()
    figures = _mention_figures(days[0], days[-1])
    by_channel = _negative_by_channel(days[0], days[-1])
    by_topic = negative_by_topic(days[0], days[-1])
    brand_of = brand_parts(days[0], days[-1])
    indicator_ids = ensure_indicators()
    points: list[PointIn] = []
    for day in days:
        m = figures.get(day, {})
        c = _complaint_figures(day)
        scored = m.get("scored") or 0
        negative_share = (m["negative"] / scored) if scored else None
        net = (m["weighted"] / m["weights"]) if scored and m.get("weights") else None
        index = index_of(
            net_sentiment=net,
            negative_share=negative_share,
            complaints_received=c["received"],
            sla_breaches=c["breaches"],
            settings=settings,
            brand=brand_of.get(day),
        )
        ReputationDay.objects.update_or_create(
            day=day,
            defaults={
                "mentions": m.get("mentions") or 0,
                "scored": scored,
                "negative": m.get("negative") or 0,
                "positive": m.get("positive") or 0,
                "reach": m.get("reach_sum") or 0,
                "negative_share": negative_share,
                "net_sentiment": net,
                "complaints_received": c["received"],
                "complaints_open": c["open"],
                "sla_breaches": c["breaches"],
                "regulator_complaints": c["regulator"],
                "brand": brand_of.get(day),
                "index": index,
                "computed_at": now,
            },
        )
        at, _ = _bounds(day)
        if at > now:
            continue
        points += [
            PointIn(NEGATIVE_MENTIONS, at, float(m.get("negative") or 0)),
            PointIn(COMPLAINTS_OPEN, at, float(c["open"])),
            PointIn(SLA_BREACHES, at, float(c["breaches"])),
            PointIn(REGULATOR, at, float(c["regulator"])),
        ]
        points += [
            PointIn(NEGATIVE_MENTIONS, at, float(n), {"channel": channel})
            for channel, n in sorted(by_channel.get(day, {}).items())
        ]
        points += [
            PointIn(NEGATIVE_MENTIONS, at, float(n), {"topic": topic})
            for topic, n in sorted(by_topic.get(day, {}).items())
        ]
        if index is not None:
            points.append(PointIn(INDEX, at, index))
        if negative_share is not None:
            points.append(PointIn(NEGATIVE_SHARE, at, round(100 * negative_share, 4)))
    written = ingest(points).count if points else 0
    if scan and written:
        scan_enqueue(indicator_ids=list(indicator_ids.values()))
    return {"days": len(days), "points": written}


def days_recompute(*, start: date, end: date, now: datetime | None = None) -> tuple[date, date]:
    """Every day from `start` to `end` again (after a weight change, or late data)."""
    from apps.core.errors import refuse
    from apps.reputation.errors import ReputationErrorCode as Code

    for field, day in (("start", start), ("end", end)):
        if not date(1900, 1, 1) <= day <= date(2999, 12, 31):
            raise refuse(field, "A day between 1900 and 2999.", Code.INVALID)
    if start > end:
        raise refuse("start", "The first day is on or before the last.", Code.INVALID)
    if (end - start).days >= MAX_DAYS:
        raise refuse("end", f"At most {MAX_DAYS} days at once.", Code.INVALID)
    days_refresh(days=[start + timedelta(days=n) for n in range((end - start).days + 1)], now=now)
    return start, end


def daily_index_if_due(*, now: datetime | None = None) -> dict:
    """Tick handler: yesterday and today, at most once an hour (one UPDATE claims the run), so
    complaints and SLA breaches move the index even on a day without new mentions."""
    now = now or timezone.now()
    if not (Source.objects.exists() or Complaint.objects.exists()):
        return {"written": False}  # a tenant that does not watch its reputation: no indicators
    settings = reputation_settings()
    with transaction.atomic():
        claimed = (
            ReputationSettings.objects.filter(pk=settings.pk)
            .filter(Q(index_run_at__isnull=True) | Q(index_run_at__lte=now - timedelta(hours=1)))
            .update(index_run_at=now)
        )
        if not claimed:
            return {"written": False}
        today = timezone.localdate(now)
        return {"written": True, **days_refresh(days=[today - timedelta(days=1), today], now=now)}
