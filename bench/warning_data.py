"""Early-warning data in the bench tenant, seeded through the services once and kept.

- Scan set: N_INDICATORS active indicators `bench_kri_0000`… (hourly, static thresholds amber
  120 / red 130, higher is worse), each with a threshold rule and a z-score rule (window 30,
  amber 2σ, red 3σ), and N_POINTS hourly observations each, without dimensions, ending at END.
  Values are ~N(100, 10) from a fixed seed; the newest point of one indicator in 20 is a red
  spike (140) and of another one in 20 an amber one (122), so a scan raises ~10 % red/amber
  signals plus the few the noise gives (signals, bulk writes and notices are exercised too).
  Nobody is responsible for them (`responsible_ids` empty): a raised signal looks up recipients
  and webhooks, but no e-mail or webhook delivery is queued.
- Ingest sets: INGEST_INDICATORS indicators `bench_ing_000`… (what the GraphQL calls write)
  and as many `bench_copy_000`… (what the COPY floor writes, so its rows never conflict), no
  rules, no kept observations (the ingest benchmark deletes its rows before and after).

Indicators and rules go through `indicator_save` / `rule_save`, observations through
`ingestion.ingest()` in calls of 10,000 points (the service's maximum), then VACUUM ANALYZE.
A later run checks counts (~0.2 s) and seeds only what is missing; the observations of the scan
set are redone (deleted, re-ingested) when their number is not exactly N_INDICATORS × N_POINTS.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

SCAN_PREFIX = "bench_kri_"
INGEST_PREFIX = "bench_ing_"
COPY_PREFIX = "bench_copy_"
N_INDICATORS = 1_000
N_POINTS = 1_000
INGEST_INDICATORS = 100
BATCH = 10_000  # points per ingest() call: the service's maximum
STEP = timedelta(hours=1)
END = datetime(2025, 1, 1, tzinfo=UTC)  # newest observation: fixed, so the data never changes
SEED = 20250101
TABLES = [  # what the early-warning benchmarks write, for vacuum()
    "early_warning_observation",
    "early_warning_indicator",
    "early_warning_rule",
    "early_warning_warningsignal",
]
AMBER, RED = 120.0, 130.0
RULES = [("threshold", {}), ("zscore", {"window": 30, "amber_z": 2.0, "red_z": 3.0})]


@dataclass(frozen=True)
class ScanSet:
    ids: list  # indicator pks, in pk order (the order scan() walks them)
    observations: int
    created: bool
    seconds: float

    def summary(self) -> str:
        how = f"seeded in {self.seconds:.1f} s" if self.created else "kept from an earlier run"
        return (
            f"{len(self.ids)} indicators ({SCAN_PREFIX}*), {len(RULES)} rules each, "
            f"{self.observations:,} observations ({how})"
        )


def scan_code(n: int) -> str:
    return f"{SCAN_PREFIX}{n:04d}"


def series_values(n: int) -> np.ndarray:
    """The N_POINTS values of scan indicator n, oldest first (deterministic)."""
    values = 100.0 + 10.0 * np.random.default_rng(SEED + n).standard_normal(N_POINTS)
    if n % 20 == 0:
        values[-1] = 140.0  # red for both rules
    elif n % 20 == 1:
        values[-1] = 122.0  # amber for both rules
    return values


def series_times() -> list[datetime]:
    return [END - STEP * (N_POINTS - 1 - k) for k in range(N_POINTS)]


def _category_id():
    from apps.risks.models import RiskCategory

    category = RiskCategory.objects.filter(code="operational").first() or (
        RiskCategory.objects.order_by("code").first()
    )
    if category is None:
        raise RuntimeError("the bench tenant has no risk taxonomy: run once with --fresh")
    return category.pk


def _ensure_indicators(codes: list[str], *, rules: bool) -> list:
    """Active indicators with these codes (and RULES), made through the services when missing."""
    from django.db.models import Count, Q

    from apps.early_warning.models import Indicator
    from apps.early_warning.services.indicators import indicator_save, rule_save

    existing = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
    category_id = None
    for code in codes:
        if code not in existing:
            category_id = category_id or _category_id()
            existing[code] = indicator_save(
                code=code,
                name=f"Bench KRI {code}",
                category_id=category_id,
                data_source="other",
                unit="pts",
                direction="higher_is_worse",
                frequency_minutes=60,
                threshold_mode="static",
                amber=AMBER,
                red=RED,
            ).pk
    Indicator.objects.filter(pk__in=existing.values(), is_active=False).update(is_active=True)
    if rules:
        kinds = [kind for kind, _ in RULES]
        counted = Indicator.objects.filter(pk__in=existing.values()).annotate(
            n=Count("rules", filter=Q(rules__is_active=True, rules__kind__in=kinds))
        )
        for indicator in counted:
            if indicator.n == len(RULES):
                continue
            have = set(indicator.rules.filter(is_active=True).values_list("kind", flat=True))
            for kind, params in RULES:
                if kind not in have:
                    rule_save(indicator_id=indicator.pk, kind=kind, params=params)
    return sorted(existing[code] for code in codes)


def vacuum(*tables: str, analyze: bool = True) -> float:
    """VACUUM (ANALYZE) these tables of the current schema; seconds taken.

    The benchmarks delete and rewrite rows run after run (signals, last_scanned_at, ingested
    blocks); without vacuuming, dead rows pile up and every run is slower than the one before
    (the development server may run with autovacuum off), and index-only scans need a fresh
    visibility map. Never inside a transaction.
    """
    from django.db import connection

    start = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {'(ANALYZE) ' if analyze else ''}{', '.join(tables)}")
    return time.monotonic() - start


def _observation_count(ids: list) -> int:
    from django.db import connection

    from apps.early_warning.models import Observation

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {Observation._meta.db_table} WHERE indicator_id = ANY(%s)",
            [ids],
        )
        return cursor.fetchone()[0]


def _ingest_all(codes: list[str]) -> None:
    """Every point of the scan set through ingestion.ingest(), BATCH points per call."""
    from django.db import transaction

    from apps.early_warning.services.ingestion import PointIn, ingest

    times = series_times()
    per_call = BATCH // N_POINTS
    for start in range(0, len(codes), per_call):
        points = [
            PointIn(codes[n], at, value)
            for n in range(start, min(start + per_call, len(codes)))
            for at, value in zip(times, series_values(n).tolist(), strict=True)
        ]
        with transaction.atomic():
            ingest(points)


def ensure_scan_set(tenant) -> ScanSet:
    """The scan set above in `tenant` (a harness.BenchTenant), seeded unless already there."""
    from django_tenants.utils import schema_context

    from apps.early_warning.models import Observation

    started = time.monotonic()
    codes = [scan_code(n) for n in range(N_INDICATORS)]
    with schema_context(tenant.schema_name):
        ids = _ensure_indicators(codes, rules=True)
        count = _observation_count(ids)
        created = count != N_INDICATORS * N_POINTS
        if created:
            Observation.objects.filter(indicator_id__in=ids).delete()
            _ingest_all(codes)
            count = _observation_count(ids)
    return ScanSet(
        ids=ids,
        observations=count,
        created=created,
        seconds=time.monotonic() - started,
    )


def ensure_ingest_sets(tenant) -> tuple[dict[str, object], dict[str, object]]:
    """({code: pk} of the bench_ing_* indicators, {same code: pk} of their bench_copy_* twins)."""
    from django_tenants.utils import schema_context

    from apps.early_warning.models import Indicator

    ingest_codes = [f"{INGEST_PREFIX}{n:03d}" for n in range(INGEST_INDICATORS)]
    copy_codes = [f"{COPY_PREFIX}{n:03d}" for n in range(INGEST_INDICATORS)]
    with schema_context(tenant.schema_name):
        _ensure_indicators(ingest_codes + copy_codes, rules=False)
        made = Indicator.objects.filter(code__in=ingest_codes + copy_codes)
        pks = dict(made.values_list("code", "pk"))
    return (
        {code: pks[code] for code in ingest_codes},
        {ing: pks[cp] for ing, cp in zip(ingest_codes, copy_codes, strict=True)},
    )
