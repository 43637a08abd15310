"""reputation: mention ingestion, the list page and aggregates at 1M, sentiment scoring; each
next to its floor, in one run.

Ingestion over HTTP (bench/reputation_http.py): `mentionsIngestRows` and `mentionsIngestCsv`,
10,000 new mentions a call, and re-sent rows (all updates), against COPY of the same rows
into the mentions table (the ratio: rows call ÷ COPY, target at least 0.75, issue 14 §5) and
into a temporary table. In this process: the service `ingestion.ingest()`, 100,000 mentions in
calls of 10,000 (commit included), then two calls again (every mention updated, none
doubled). 100 distinct texts repeated, so stories group many mentions each and ingestion's
per-text cache of language and fingerprint hits (with every text distinct it would not).

Scale (bench/reputation_scale.py): the mentions list page (SQL statements counted, next to two
hand-written statements) and the index's daily aggregate (ORM, next to the statement by hand,
target within 1.5×) with the run's mentions, then with 1,000,000 more.

Scoring: the job's work (`scoring.score_stale`: the mentions numbered after the mark, 2,000 at
a time, scored, lexicon, one UPDATE per 500 through a psycopg pipeline; the day refresh after
it left out) per scorer, next to the bare library called in a loop on the same texts
(`snownlp.sentiment.classify`, `SentimentIntensityAnalyzer.polarity_scores`), SCORE_ROUNDS
alternating rounds. Target at least 0.8 of the bare call. Wall time, and CPU per text of this
process and of its PostgreSQL backend: on a machine shared with other work the wall ratio
moves with the load, CPU much less.
"""

import os
import time
from datetime import timedelta

from bench import harness, reputation_http, reputation_scale

CALLS = 10
PER_CALL = 10_000
SCORE_ZH = 300  # SnowNLP: ~100 texts/s here
SCORE_EN = 5_000
ZH = [
    "提现三天了还没到账，客服也不回复",
    "放款速度很快，服务态度很好",
    "平台要跑路了吧",
    "暴力催收",
]
EN = ["My account is frozen", "Fast approval and great service", "Hidden fees everywhere"]


def _texts(n: int, base: list[str]) -> list[str]:
    return [f"{base[i % len(base)]} #{i % 100}" for i in range(n)]


def _clear() -> None:
    from apps.reputation.models import ReputationDay, Source, Story

    _delete_bench_mentions()
    Story.objects.filter(mentions__isnull=True).delete()
    Source.objects.filter(code="bench_rep").delete()
    ReputationDay.objects.all().delete()


def _delete_bench_mentions() -> None:
    """One DELETE (QuerySet.delete() fetches every mention first: a post_delete receiver
    listens to all models)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM reputation_mention WHERE source_id IN "
            "(SELECT id FROM reputation_source WHERE code = 'bench_rep')"
        )


def _ingest_rates(now) -> dict:
    from django.db import transaction

    from apps.reputation.models import Mention
    from apps.reputation.services.ingestion import MentionIn, ingest
    from apps.reputation.services.sources import source_create

    source = source_create(code="bench_rep", name="Bench", channel="weibo")
    texts = _texts(PER_CALL, ZH + EN)
    times = {"service": [], "service_resent": []}
    for call in range(CALLS):
        at = now - timedelta(days=1, seconds=call)
        batch = [
            MentionIn("bench_rep", f"{call}-{i}", at, texts[i], reach=i, likes=1)
            for i in range(PER_CALL)
        ]
        started = time.perf_counter()
        with transaction.atomic():
            done = ingest(batch)
        times["service"].append(time.perf_counter() - started)
        assert done.created == PER_CALL, done
    for call in range(2):
        at = now - timedelta(days=1, seconds=call)
        batch = [
            MentionIn("bench_rep", f"{call}-{i}", at, texts[i], reach=i, likes=2)
            for i in range(PER_CALL)
        ]
        started = time.perf_counter()
        with transaction.atomic():
            done = ingest(batch)
        times["service_resent"].append(time.perf_counter() - started)
        assert done.updated == PER_CALL, done
    assert Mention.objects.filter(source=source).count() == CALLS * PER_CALL
    return times


SCORE_ROUNDS = 3  # alternating bare loop / job rounds per language; medians


def _backend_cpu() -> float:
    """CPU seconds (user + system) of this connection's PostgreSQL backend so far (Linux
    /proc, a local server; 0 elsewhere)."""
    from pathlib import Path

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _scoring_rates(now) -> dict:
    """Per language, SCORE_ROUNDS rounds of: the bare library over the texts, then the job over
    the same texts freshly ingested. Wall time, and CPU time (this process; the job's also
    with its PostgreSQL backend's) — CPU is what load on the machine moves least."""
    from django.db import transaction

    from apps.reputation.models import Mention
    from apps.reputation.scoring import registry
    from apps.reputation.services import index
    from apps.reputation.services.ingestion import MentionIn, ingest
    from apps.reputation.services.scoring import score_stale
    from bench.warning_data import vacuum

    _delete_bench_mentions()
    vacuum(Mention._meta.db_table)  # the 100,000 rows just deleted are not scanned again
    out = {}
    for language, n, base in (("zh", SCORE_ZH, ZH), ("en", SCORE_EN, EN)):
        texts = _texts(n, base)
        scorer = registry.scorer(registry.scorer_name_for(language))  # loaded before timing
        bare = _bare(language)
        m: dict[str, list] = {k: [] for k in ("bare", "bare_cpu", "job", "job_cpu", "db_cpu")}
        for r in range(SCORE_ROUNDS):
            with transaction.atomic():
                ingest(
                    [
                        MentionIn("bench_rep", f"s{language}{r}-{i}", now - timedelta(hours=2), t)
                        for i, t in enumerate(texts)
                    ]
                )
            cpu, started = time.process_time(), time.perf_counter()
            for text in texts:
                bare(text)
            m["bare"].append(time.perf_counter() - started)
            m["bare_cpu"].append(time.process_time() - cpu)
            refresh, index.days_refresh = index.days_refresh, lambda **kw: {"days": 0}
            try:
                db = _backend_cpu()
                cpu, started = time.process_time(), time.perf_counter()
                result = score_stale()
                m["job"].append(time.perf_counter() - started)
                m["job_cpu"].append(time.process_time() - cpu)
                m["db_cpu"].append(_backend_cpu() - db)
            finally:
                index.days_refresh = refresh
            assert result["scored"] == n, result
        med = {k: sorted(v)[len(v) // 2] for k, v in m.items()}
        ratios = sorted(b / j for b, j in zip(m["bare"], m["job"], strict=True))
        out[language] = {"scorer": f"{scorer.name} {scorer.version}", "texts": n,
                         "bare_per_s": n / med["bare"], "job_per_s": n / med["job"],
                         "vs_bare": ratios[len(ratios) // 2],
                         "bare_cpu_us": 1e6 * med["bare_cpu"] / n,
                         "job_cpu_us": 1e6 * med["job_cpu"] / n,
                         "db_cpu_us": 1e6 * med["db_cpu"] / n}  # fmt: skip
    return out


def _bare(language: str):
    if language == "zh":
        from snownlp import sentiment

        return sentiment.classify
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer().polarity_scores


def run(opts: harness.Options) -> harness.Result:
    from django.utils import timezone
    from django_tenants.utils import schema_context

    clock = harness.Clock()
    tenant = harness.bench_tenant()
    clock.lap("tenant")
    now = timezone.now()
    with schema_context(tenant.schema_name):
        _clear()
        try:
            times = _ingest_rates(now)
            clock.lap("ingest (service)")
            http = reputation_http.measure(
                tenant, now, _texts(PER_CALL, ZH + EN), opts.workers, opts.threads
            )
            clock.lap("ingest over HTTP")
            small = reputation_scale.measure(tenant, now)
            clock.lap("page, aggregates")
            seeded_s = reputation_scale.seed(now)
            clock.lap(f"seed {reputation_scale.SEEDED:,}")
            try:
                large = reputation_scale.measure(tenant, now)
                clock.lap("page, aggregates at 1M")
            finally:
                reputation_scale.unseed()
                clock.lap("unseed, vacuum")
            scoring = _scoring_rates(now)
            clock.lap("scoring")
        finally:
            _clear()
    med = {k: sorted(v)[len(v) // 2] for k, v in {**times, **http}.items()}
    rate = {k: PER_CALL / s for k, s in med.items()}
    rows = [
        {"name": name, "median_s": med[key], "per_s": rate[key],
         "vs": rate[key] / rate["copy_table"]}
        for name, key in (
            ("HTTP mentionsIngestRows, 10,000 new", "rows"),
            ("HTTP mentionsIngestCsv, 10,000 new", "csv"),
            ("HTTP mentionsIngestRows, 10,000 re-sent", "rows_resent"),
            ("service ingest(), 10,000 new", "service"),
            ("service ingest(), 10,000 re-sent", "service_resent"),
            ("floor: COPY into the mentions table", "copy_table"),
            ("COPY into a temporary table (no WAL, no FK)", "copy_temp"),
        )
    ]  # fmt: skip
    for label, at in (("", small), (" +1M", large)):
        rows += [
            {"name": f"page mentions(first: 50) at {at['mentions']:,}{label}",
             "median_s": at["page"], "vs": at["page"] / at["page_floor"],
             "cpu": f"SQL {at['page_sql']}"},
            {"name": f"  the same with totalCount{label}", "median_s": at["page_counted"],
             "cpu": "over budget" if at["page_counted"] is None else ""},
            {"name": f"  a plain SELECT count(*){label}", "median_s": at["count_sql"]},
            {"name": f"daily aggregate, yesterday ({at['agg_day_rows']:,} rows){label}",
             "median_s": at["agg_day"], "vs": at["agg_day"] / at["agg_day_floor"]},
            {"name": f"daily aggregate, 35 days ({at['agg_all_rows']:,} rows){label}",
             "median_s": at["agg_all"], "vs": at["agg_all"] / at["agg_all_floor"]},
        ]  # fmt: skip
    for language, r in scoring.items():
        rows.append({"name": f"scoring job {language} ({r['scorer']})", "per_s": r["job_per_s"],
                     "vs": r["vs_bare"],
                     "cpu": f"{r['job_cpu_us']:.1f} + db {r['db_cpu_us']:.1f}"})  # fmt: skip
        rows.append({"name": f"bare library {language}", "per_s": r["bare_per_s"], "vs": 1.0,
                     "cpu": f"{r['bare_cpu_us']:.1f}"})  # fmt: skip
    harness.print_table(
        "reputation: mentions/s ingested (vs COPY) and texts/s scored (vs the bare library)",
        rows,
        [clock.summary()],
        columns=[
            ("name", "what", "{}"),
            ("median_s", "median s", "{:.3f}"),
            ("per_s", "per s", "{:,.0f}"),
            ("vs", "vs floor", "{:.2f}"),
            ("cpu", "CPU µs/text", "{}"),
        ],
    )
    return harness.Result(
        bench="reputation",
        metrics={
            "http_rows_per_s": round(rate["rows"]),
            "http_csv_per_s": round(rate["csv"]),
            "http_rows_resent_per_s": round(rate["rows_resent"]),
            "ingest_per_s": round(rate["service"]),
            "ingest_resent_per_s": round(rate["service_resent"]),
            **{
                f"{k}_{n}": round(v, 4) if isinstance(v, float) else v
                for n, at in (("small", small), ("1m", large))
                for k, v in at.items()
                if not k.endswith("_floor")
            },
            "seed_1m_s": round(seeded_s, 1),
            **{f"score_{k}_per_s": round(v["job_per_s"], 1) for k, v in scoring.items()},
            **{f"score_{k}_vs_bare": round(v["vs_bare"], 2) for k, v in scoring.items()},
            **{
                f"score_{k}_cpu_us": round(v["job_cpu_us"] + v["db_cpu_us"], 1)
                for k, v in scoring.items()
            },
        },
        floor={
            "copy_table_per_s": round(rate["copy_table"]),
            "copy_temp_per_s": round(rate["copy_temp"]),
            **{
                f"{k}_{n}": round(v, 4)
                for n, at in (("small", small), ("1m", large))
                for k, v in at.items()
                if k.endswith("_floor")
            },
            **{f"bare_{k}_per_s": round(v["bare_per_s"], 1) for k, v in scoring.items()},
            **{f"bare_{k}_cpu_us": round(v["bare_cpu_us"], 1) for k, v in scoring.items()},
        },
        ratio=harness.ratio(rate["rows"], rate["copy_table"]),
    )
