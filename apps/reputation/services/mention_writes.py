"""Mentions written: new ones by binary COPY straight into the table, a call holding a stored
mention by a staged upsert (services/ingestion.py checks them first). One statement per table
whatever the batch size, no model instance per row (the trick of
apps/early_warning/services/ingestion.py)."""

from django.db import connection, transaction
from django.utils import timezone
from psycopg.errors import UniqueViolation

from apps.reputation.models import Mention, Story

STAGED = (
    "source_id, external_id, channel, fingerprint, url, author, reach, published_at, text, "
    "language, likes, shares, comments, views"
)
STAGED_TYPES = [
    "uuid", "text", "text", "text", "text", "text", "int8", "timestamptz", "text", "text",
    "int8", "int8", "int8", "int8",
]  # fmt: skip
STAGING = """
CREATE TEMPORARY TABLE IF NOT EXISTS ingest_mentions (
    source_id uuid, external_id text, channel text, fingerprint text, url text, author text,
    reach bigint, published_at timestamptz, text text, language text, likes bigint,
    shares bigint, comments bigint, views bigint, old_reach bigint
) ON COMMIT DROP
"""


def upsert(rows: list[tuple]) -> tuple[int, int, int, list]:
    """Store the checked rows. Returns (created, updated, stories touched, days whose reach
    moved).

    New mentions (the usual call) take the fast path: their stories in one upsert that also
    adds their counts and reach, then the mentions by binary COPY straight into the table —
    the database's own pace — all in a savepoint. A call that holds a mention already stored
    fails that COPY on the unique key (or is seen at once when its first mention is stored);
    the savepoint is rolled back and the call takes the staged path (_staged_upsert).
    Ingestion calls of one tenant take turns (a transaction-level advisory lock), so story
    totals move by exact differences and mentions are numbered in commit order (scoring reads
    them by that number, services/scoring.py).
    """
    if not rows:
        return 0, 0, 0, []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':reputation_ingest'))"
        )
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {Mention._meta.db_table} "
            "WHERE source_id = %s AND external_id = %s)",
            [rows[0][0], rows[0][1]],
        )
        if not cursor.fetchone()[0]:
            try:
                with transaction.atomic():
                    touched = _insert_new(rows, cursor)
                return len(rows), 0, touched, []
            except UniqueViolation:
                pass  # a mention of the call is stored already: upsert them all
        return _staged_upsert(rows, cursor)


NEW_COLUMNS = (
    "source_id, external_id, channel, story_id, url, author, reach, published_at, text, "
    "language, likes, shares, comments, views, created_at, updated_at"
)
NEW_TYPES = [
    "uuid", "text", "text", "uuid", "text", "text", "int8", "timestamptz", "text", "text",
    "int8", "int8", "int8", "int8", "timestamptz", "timestamptz",
]  # fmt: skip


def _insert_new(rows: list[tuple], cursor) -> int:
    """Every row a new mention: stories first (one upsert, counts and reach added, ids back),
    then the mentions by binary COPY (id, empty labels and scorer: column defaults, migration
    0050). Returns the stories touched."""
    stories: dict[str, list] = {}  # fingerprint → [count, reach, first, last, sample, language]
    for row in rows:
        fingerprint, reach, at = row[3], row[6], row[7]
        story = stories.get(fingerprint)
        if story is None:
            stories[fingerprint] = [1, reach, at, at, row[8], row[9]]
            continue
        story[0] += 1
        story[1] += reach
        if at < story[2]:  # the earliest mention gives the sample and the language
            story[2], story[4], story[5] = at, row[8], row[9]
        elif at > story[3]:
            story[3] = at
    table = Story._meta.db_table
    cursor.execute(
        f"""
        INSERT INTO {table} (id, created_at, updated_at, fingerprint, sample_text, language,
                             first_seen_at, last_seen_at, mention_count, total_reach)
        SELECT gen_random_uuid(), now(), now(), f, left(t, 2000), l, a, b, n, r
        FROM unnest(%s::text[], %s::text[], %s::text[], %s::timestamptz[], %s::timestamptz[],
                    %s::int8[], %s::int8[]) AS s(f, t, l, a, b, n, r)
        ON CONFLICT (fingerprint) DO UPDATE
        SET first_seen_at = LEAST({table}.first_seen_at, EXCLUDED.first_seen_at),
            last_seen_at = GREATEST({table}.last_seen_at, EXCLUDED.last_seen_at),
            mention_count = {table}.mention_count + EXCLUDED.mention_count,
            total_reach = {table}.total_reach + EXCLUDED.total_reach, updated_at = now()
        RETURNING fingerprint, id
        """,
        [
            list(stories),
            [s[4] for s in stories.values()],
            [s[5] for s in stories.values()],
            [s[2] for s in stories.values()],
            [s[3] for s in stories.values()],
            [s[0] for s in stories.values()],
            [s[1] for s in stories.values()],
        ],
    )
    story_ids = dict(cursor.fetchall())
    now = timezone.now()
    with cursor.cursor.copy(
        f"COPY {Mention._meta.db_table} ({NEW_COLUMNS}) FROM STDIN (FORMAT BINARY)"
    ) as copy:
        copy.set_types(NEW_TYPES)
        write = copy.write_row
        for row in rows:
            write((row[0], row[1], row[2], story_ids[row[3]], *row[4:], now, now))
    return len(stories)


def _staged_upsert(rows: list[tuple], cursor) -> tuple[int, int, int, list]:
    """COPY into the staging table; stories, then mentions, then the touched stories' totals,
    one statement each. Story totals move by this call's difference (new mentions, reach
    gained or lost), so a call costs the same whatever a story already holds: that needs the
    mentions' reach before the call (read under the advisory lock)."""
    story, mention = Story._meta.db_table, Mention._meta.db_table
    cursor.execute(STAGING)
    # Binary with the column types given: three times less Python per row than text.
    with cursor.cursor.copy(f"COPY ingest_mentions ({STAGED}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(STAGED_TYPES)
        for row in rows:
            copy.write_row(row)
    # A mention sent again keeps its story (an edited text does not move it); its reach
    # before the call is what the story's total loses.
    cursor.execute(
        f"""
        UPDATE ingest_mentions t SET fingerprint = s.fingerprint, old_reach = m.reach
        FROM {mention} m JOIN {story} s ON s.id = m.story_id
        WHERE m.source_id = t.source_id AND m.external_id = t.external_id
        """
    )
    updated = cursor.rowcount
    cursor.execute(
        f"""
        INSERT INTO {story} (id, created_at, updated_at, fingerprint, sample_text, language,
                             first_seen_at, last_seen_at, mention_count, total_reach)
        SELECT gen_random_uuid(), now(), now(), fingerprint,
               left((array_agg(text ORDER BY published_at))[1], 2000),
               (array_agg(language ORDER BY published_at))[1],
               min(published_at), max(published_at), 0, 0
        FROM ingest_mentions GROUP BY fingerprint
        ON CONFLICT (fingerprint) DO UPDATE
        SET first_seen_at = LEAST({story}.first_seen_at, EXCLUDED.first_seen_at),
            last_seen_at = GREATEST({story}.last_seen_at, EXCLUDED.last_seen_at),
            updated_at = now()
        """
    )
    cursor.execute(
        f"""
        INSERT INTO {mention} (id, created_at, updated_at, source_id, external_id, channel,
            story_id, url, author, reach, published_at, text, language, likes, shares,
            comments, views, sentiment_label, scorer_name, scorer_version, human_label)
        SELECT gen_random_uuid(), now(), now(), t.source_id, t.external_id, t.channel, s.id,
               t.url, t.author, t.reach, t.published_at, t.text, t.language, t.likes,
               t.shares, t.comments, t.views, '', '', '', ''
        FROM ingest_mentions t JOIN {story} s ON s.fingerprint = t.fingerprint
        ON CONFLICT (source_id, external_id) DO UPDATE
        SET reach = EXCLUDED.reach, likes = EXCLUDED.likes, shares = EXCLUDED.shares,
            comments = EXCLUDED.comments, views = EXCLUDED.views,
            author = CASE WHEN EXCLUDED.author = '' THEN {mention}.author
                          ELSE EXCLUDED.author END,
            url = CASE WHEN EXCLUDED.url = '' THEN {mention}.url ELSE EXCLUDED.url END,
            updated_at = now()
        """
    )
    cursor.execute(
        f"""
        UPDATE {story} s
        SET mention_count = s.mention_count + d.new, total_reach = s.total_reach + d.delta,
            updated_at = now()
        FROM (
            SELECT fingerprint, count(*) FILTER (WHERE old_reach IS NULL) AS new,
                   sum(reach - coalesce(old_reach, 0)) AS delta
            FROM ingest_mentions GROUP BY fingerprint
        ) d
        WHERE s.fingerprint = d.fingerprint
        """
    )
    touched = cursor.rowcount
    changed_days: list = []
    if updated:
        cursor.execute(  # the stored publication time: a re-send does not move it
            f"""
            SELECT DISTINCT (m.published_at AT TIME ZONE %s)::date FROM ingest_mentions t
            JOIN {mention} m ON m.source_id = t.source_id AND m.external_id = t.external_id
            WHERE t.old_reach IS NOT NULL AND t.old_reach <> t.reach ORDER BY 1
            """,
            [timezone.get_current_timezone_name()],
        )
        changed_days = [row[0] for row in cursor.fetchall()]
    cursor.execute("DROP TABLE ingest_mentions")
    return len(rows) - updated, updated, touched, changed_days
