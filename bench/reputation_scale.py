"""reputation at scale: the mentions list page and the daily aggregate with the table holding
the run's ~100,000 mentions, then 1,000,000 more (issue 12; issue 14 §3 asks whether mentions
need monthly partitions).

The 1,000,000 are written by one INSERT … SELECT FROM generate_series (scored, over 30 days
ending four days ago, 1,000 stories), measured, then deleted (one DELETE and a vacuum), so
the next run starts from the same table. Each measurement is the median of ROUNDS:

- page: `mentions(first: 50)` with totalCount, the source and the story of each, through
  Django's test client in this process (middleware, token, GraphQL; no HTTP), and its SQL
  statements counted; floor: the same page as one hand-written statement; then once with
  `totalCount` (strawberry-django's COUNT(*) OVER () on the page's statement), next to a
  plain `SELECT count(*)`;
- aggregate: the index's daily figures (services/index.py `_mention_figures`, the ORM) of
  yesterday (the run's 100,000 mentions, the same in both states: the cost must not grow
  with the history) and of the 35 days holding every mention (it reads them all), each next
  to the same statement written by hand.
"""

import json
import time
from datetime import timedelta

ROUNDS = 5
SEEDED = 1_000_000
SOURCE = "bench_rep_1m"
PAGE_QUERY = """{ mentions(first: 50) { edges { node {
  id text author reach publishedAt language sentimentScore sentimentLabel channel
  source { code name } story { mentionCount totalReach }
} } } }"""
# The same with totalCount: strawberry-django counts with COUNT(*) OVER () on the page's own
# statement, which then joins and sorts every mention before the LIMIT.
COUNTED_QUERY = PAGE_QUERY.replace("mentions(first: 50) {", "mentions(first: 50) { totalCount")
PAGE_SQL = """
SELECT m.id, m.text, m.author, m.reach, m.published_at, m.language, m.sentiment_score,
       m.sentiment_label, m.channel, src.code, src.name, s.mention_count, s.total_reach
FROM reputation_mention m JOIN reputation_source src ON src.id = m.source_id
JOIN reputation_story s ON s.id = m.story_id
ORDER BY m.published_at DESC, m.id DESC LIMIT 50
"""
AGGREGATE_SQL = """
SELECT (published_at AT TIME ZONE %s)::date AS day, count(*),
       count(*) FILTER (WHERE scored_at IS NOT NULL),
       count(*) FILTER (WHERE sentiment_label = 'negative'),
       count(*) FILTER (WHERE sentiment_label = 'positive'), sum(reach),
       sum((1 + reach) * sentiment_score) FILTER (WHERE scored_at IS NOT NULL),
       sum(1 + reach) FILTER (WHERE scored_at IS NOT NULL)
FROM reputation_mention WHERE published_at >= %s AND published_at < %s GROUP BY 1
"""


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def seed(now) -> float:
    """SEEDED scored mentions in one statement (generate_series), then ANALYZE; seconds."""
    from django.db import connection

    from apps.reputation.services.sources import source_create

    unseed()  # what a run stopped halfway left behind
    source = source_create(code=SOURCE, name="Bench 1M", channel="news")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reputation_story (id, created_at, updated_at, fingerprint, sample_text,
                language, first_seen_at, last_seen_at, mention_count, total_reach)
            SELECT gen_random_uuid(), %s, %s, 'bench1m-' || k, 'story ' || k, 'zh',
                   %s, %s, %s / 1000, 0
            FROM generate_series(0, 999) k
            ON CONFLICT (fingerprint) DO NOTHING
            """,
            [now, now, now - timedelta(days=35), now - timedelta(days=4), SEEDED],
        )
        cursor.execute(
            """
            INSERT INTO reputation_mention (id, created_at, updated_at, source_id, external_id,
                channel, story_id, url, author, reach, published_at, text, language, likes,
                shares, comments, views, sentiment_score, sentiment_label,
                sentiment_confidence, scorer_name, scorer_version, lexicon_version, scored_at,
                human_label)
            SELECT gen_random_uuid(), %(now)s, %(now)s, %(source)s, 'g' || i, 'news',
                   st.id, '', 'author ' || (i %% 5000), (i * 7919) %% 100000,
                   %(end)s - (i %% 2592000) * interval '1 second',
                   'bench mention ' || i || ' 提现三天了还没到账', 'zh', 0, 0, 0, 0,
                   ((i %% 201) - 100) / 100.0,
                   CASE WHEN i %% 201 < 95 THEN 'negative' WHEN i %% 201 > 105 THEN 'positive'
                        ELSE 'neutral' END,
                   abs(((i %% 201) - 100) / 100.0), 'snownlp', '0.12.3', 1, %(now)s, ''
            FROM generate_series(1::bigint, %(n)s::bigint) i
            JOIN reputation_story st ON st.fingerprint = 'bench1m-' || (i %% 1000)
            """,
            {"now": now, "source": source.pk, "end": now - timedelta(days=4), "n": SEEDED},
        )
        cursor.execute("ANALYZE reputation_mention")
    return time.perf_counter() - started


def unseed() -> None:
    from django.db import connection

    from apps.reputation.models import Mention
    from bench.warning_data import vacuum

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM reputation_mention WHERE source_id IN "
            "(SELECT id FROM reputation_source WHERE code = %s)",
            [SOURCE],
        )
        cursor.execute("DELETE FROM reputation_story WHERE fingerprint LIKE 'bench1m-%%'")
        cursor.execute("DELETE FROM reputation_source WHERE code = %s", [SOURCE])
    vacuum(Mention._meta.db_table)


def measure(tenant, now) -> dict:
    """The page and the aggregates as the module docstring says: seconds and statements."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.reputation.services import index

    client = Client(HTTP_HOST=tenant.domain)

    def page(query: str = PAGE_QUERY) -> dict:
        body = json.dumps({"query": query})
        response = client.post(
            "/graphql/",
            data=body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {tenant.token}"},
        )
        answer = json.loads(response.content)
        if response.status_code != 200 or answer.get("errors"):
            raise RuntimeError(f"mentions page answered {response.content[:500]!r}")
        return answer["data"]["mentions"]

    def counted() -> float | None:
        """Seconds of one page with totalCount; None when it ran out of the time budget."""
        started = time.perf_counter()
        try:
            page(COUNTED_QUERY)
        except RuntimeError as exc:
            if "TIME_BUDGET_EXCEEDED" not in str(exc):
                raise
            return None
        return time.perf_counter() - started

    out: dict = {}
    try:
        page()  # warm: URLconf, schema, plans
        with CaptureQueriesContext(connection) as queries:
            page()
        out["page_sql"] = sum(1 for q in queries.captured_queries if "search_path" not in q["sql"])
        out["page_counted"] = counted()
        times: dict[str, list] = {"page": [], "page_floor": [], "count_sql": []}
        for _ in range(ROUNDS):
            started = time.perf_counter()
            page()
            times["page"].append(time.perf_counter() - started)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(PAGE_SQL)
                cursor.fetchall()
            times["page_floor"].append(time.perf_counter() - started)
            started = time.perf_counter()
            with connection.cursor() as cursor:  # what a separate plain count would cost
                cursor.execute("SELECT count(*) FROM reputation_mention")
                cursor.fetchone()
            times["count_sql"].append(time.perf_counter() - started)
    finally:  # a request through the test client leaves the connection on public
        connection.set_tenant(tenant.tenant)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reputation_mention")
        out["mentions"] = cursor.fetchone()[0]
    yesterday = timezone.localdate(now - timedelta(days=1))
    tz = str(timezone.get_current_timezone())
    for name, first in (("day", yesterday), ("all", yesterday - timedelta(days=35))):
        start, end = index._bounds(first)[0], index._bounds(yesterday)[1]
        times[f"agg_{name}"], times[f"agg_{name}_floor"] = [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            figures = index._mention_figures(first, yesterday)
            times[f"agg_{name}"].append(time.perf_counter() - started)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(AGGREGATE_SQL, [tz, start, end])
                rows = cursor.fetchall()
            times[f"agg_{name}_floor"].append(time.perf_counter() - started)
        counted = sum(f["mentions"] for f in figures.values())
        assert counted == sum(r[1] for r in rows), (counted, rows)
        out[f"agg_{name}_rows"] = counted
    return {**out, **{k: _median(v) for k, v in times.items()}}
