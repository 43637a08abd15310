"""Mentions in: one or up to 10,000 per call, all or nothing, idempotent on (source, external id).

A mention sent again updates its counts (reach, likes, shares, comments, views) and never makes
a second row. Mentions whose normalised text is the same join one story (text.fingerprint),
whose mention count and total reach are recomputed for every story the call touched.

Writes are a COPY into a temporary table, then one statement per table (stories, mentions,
story totals), whatever the batch size, with no model instance per row (the trick of
apps/early_warning/services/ingestion.py). Scoring follows as a job (services/scoring.py).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from psycopg.errors import UniqueViolation

from apps.reputation.errors import ReputationErrorCode as Code
from apps.reputation.models import Language, Mention, Source, Story
from apps.reputation.text import fallback_fingerprint, text_keys

MAX_MENTIONS = 10_000
FUTURE_TOLERANCE = timedelta(days=1)
COUNTS = ("reach", "likes", "shares", "comments", "views")
MAX_COUNT = 2**53  # counts are GraphQL BigInt: exact in any JSON client (graphql/scalars.py)
# The compact JSON row: [source, externalId, publishedAt, text, author, reach, likes, shares,
# comments, views, url, language] — the first four required, the rest optional.
ROW_FIELDS = (
    "source",
    "external_id",
    "published_at",
    "text",
    "author",
    *COUNTS,
    "url",
    "language",
)
CSV_REQUIRED = ("source", "external_id", "published_at", "text")
LIMITS = {"external_id": 200, "text": 10_000, "author": 200, "url": 1000}


class MentionIn(NamedTuple):
    """One mention as sent, fields in ROW_FIELDS order (a tuple: a compact JSON row or a CSV
    line becomes one without a keyword per field)."""

    source: object  # the source's code
    external_id: object
    published_at: object  # a datetime with a time zone, or its ISO 8601 text
    text: object
    author: object = ""
    reach: object = 0
    likes: object = 0
    shares: object = 0
    comments: object = 0
    views: object = 0
    url: object = ""
    language: object = ""  # empty: detected from the text


@dataclass(frozen=True)
class MentionError:
    index: int  # position in the call (CSV: the spreadsheet row, header = 1)
    field: str | None
    message: str
    code: str


class IngestRejected(Exception):
    def __init__(self, errors: list[MentionError]) -> None:
        super().__init__(f"{len(errors)} bad mention(s)")
        self.errors = errors


@dataclass(frozen=True)
class Ingested:
    created: int
    updated: int
    stories: int  # stories the call touched
    scoring_job: object = None
    # Days (local) of re-sent mentions whose reach changed: their reach-weighted figures moved
    # with no new mention to score, so the scoring job recomputes them too.
    changed_days: list = field(default_factory=list)


def too_many() -> IngestRejected:
    return IngestRejected(
        [MentionError(0, None, f"At most {MAX_MENTIONS:,} mentions per call.", Code.TOO_MANY.value)]
    )


def ingest(mentions: list[MentionIn], *, positions: list[int] | None = None) -> Ingested:
    """Check every mention, then store them all. Raises IngestRejected listing every bad one
    (by position), and then nothing is written."""
    if len(mentions) > MAX_MENTIONS:
        raise too_many()
    errors, rows = checked_rows(mentions, positions)
    if errors:
        raise IngestRejected(errors)
    created, updated, stories, changed_days = _upsert(list(rows.values()))
    return Ingested(created=created, updated=updated, stories=stories, changed_days=changed_days)


def checked_rows(
    mentions: list[MentionIn], positions: list[int] | None
) -> tuple[list[MentionError], dict[tuple, tuple]]:
    """Every mention checked, the good ones as staging rows. A mention whose every value is
    plainly good takes the fast path (a few type and length tests in one place); any doubt
    sends it through the full checks (_checked_slowly), which accept exactly the same values
    and name every problem. 10,000 rows a call: per-row Python is what ingestion costs."""
    codes = {m.source for m in mentions if isinstance(m.source, str)}
    sources = {s.code: (s.pk, s.channel, s.active) for s in Source.objects.filter(code__in=codes)}
    latest = timezone.now() + FUTURE_TOLERANCE
    errors: list[MentionError] = []
    rows: dict[tuple, tuple] = {}  # last one wins within a call, as it would across calls
    known_languages = frozenset(Language.values)
    fromisoformat, no_source = datetime.fromisoformat, (None, None, False)

    for index, mention in zip(positions or range(len(mentions)), mentions, strict=True):
        (code, external_id, published_at, text, author, reach, likes, shares, comments, views,
         url, language) = mention  # fmt: skip
        source = sources.get(code, no_source) if type(code) is str else no_source
        try:
            if type(published_at) is str:
                published_at = fromisoformat(published_at)
            counts = [reach, likes, shares, comments, views]
            for i, value in enumerate(counts):
                if type(value) is str:  # CSV
                    counts[i] = value = (
                        int(value) if value.isdecimal() else (0 if value == "" else -1)
                    )
                if type(value) is not int or not 0 <= value < MAX_COUNT:
                    raise ValueError
            if (
                not source[2]
                or type(external_id) is not str
                or type(text) is not str
                or type(author) is not str
                or type(url) is not str
                or type(language) is not str
                or type(published_at) is not datetime
                or published_at.utcoffset() is None
                or published_at > latest
                or len(text) > LIMITS["text"]
                or not text
                or text.isspace()
            ):
                raise ValueError
            external_id, author, url = external_id.strip(), author.strip(), url.strip()
            if (
                not external_id
                or len(external_id) > LIMITS["external_id"]
                or len(author) > LIMITS["author"]
                or len(url) > LIMITS["url"]
                or "\x00" in external_id
                or "\x00" in text
                or "\x00" in author
                or "\x00" in url
                or (url and not url[:8].lower().startswith(("http://", "https://")))
            ):
                raise ValueError
            if language:
                language = language.strip().lower()
                if language and language not in known_languages:
                    raise ValueError
        except (ValueError, TypeError):
            found = len(errors)
            checked = _checked_slowly(index, mention, sources, latest, known_languages, errors)
            if len(errors) > found or checked is None:
                continue
            external_id, published_at, text, author, url, language, counts = checked
        source_id = source[0]
        detected, key = text_keys(text)
        rows[(source_id, external_id)] = (
            source_id,
            external_id,
            source[1],
            key or fallback_fingerprint(f"{source_id}/{external_id}"),
            url,
            author,
            counts[0],
            published_at,
            text,
            language or detected,
            counts[1],
            counts[2],
            counts[3],
            counts[4],
        )
    return errors, rows


def _checked_slowly(index: int, mention: MentionIn, sources, latest, known_languages, errors):
    """Every check of one mention, each problem appended to `errors` with its message; the
    cleaned (external_id, published_at, text, author, url, language, counts) when none."""
    found = len(errors)

    def bad(name: str | None, message: str, code: Code = Code.INVALID) -> None:
        errors.append(MentionError(index, name, message, code.value))

    source = sources.get(mention.source) if isinstance(mention.source, str) else None
    if source is None:
        bad("source", f"No source {mention.source!r}.", Code.NOT_FOUND)
    elif not source[2]:
        bad("source", f"Source {mention.source!r} is deactivated.", Code.INACTIVE)
    external_id = _text(mention.external_id, "external_id", bad)
    text = _text(mention.text, "text", bad)
    author = _text(mention.author, "author", bad)
    url = _text(mention.url, "url", bad)
    if external_id == "":
        bad("external_id", "The mention's id on its channel is required.")
    if text is not None and not text.strip():
        bad("text", "A mention has text.")
    if url and not url.lower().startswith(("http://", "https://")):
        bad("url", "An http(s) URL.")
    raw_time = mention.published_at
    published_at = (
        raw_time
        if type(raw_time) is datetime and raw_time.utcoffset() is not None
        else _time(raw_time)
    )
    if published_at is None:
        bad("published_at", "A date-time with a time zone.")
    elif published_at > latest:
        bad("published_at", "Too far in the future.")
    counts = [mention.reach, mention.likes, mention.shares, mention.comments, mention.views]
    for i, value in enumerate(counts):
        if type(value) is not int or not 0 <= value < MAX_COUNT:
            counts[i] = value = _count(value)
            if value is None:
                bad(COUNTS[i], "A whole number, zero or more.")
    language = mention.language
    if language:
        language = language.strip().lower() if isinstance(language, str) else language
        if language and language not in known_languages:
            bad("language", "zh, en or und (empty: detected).")
    if len(errors) > found:
        return None
    return external_id, published_at, text, author, url, language or "", counts


def _text(value, name: str, bad) -> str | None:
    """A text field: None is empty; stripped (all but the mention's text); None when bad."""
    limit = LIMITS[name]
    if type(value) is str and "\x00" not in value:
        if name != "text":
            value = value.strip()
        if len(value) <= limit:
            return value
        bad(name, f"At most {limit:,} characters.")
        return None
    if value is None:
        return ""
    bad(name, "Text expected." if not isinstance(value, str) else "No NUL characters.")
    return None


def _time(raw) -> datetime | None:
    moment: datetime | None
    if isinstance(raw, datetime):
        moment = raw
    else:
        try:
            moment = parse_datetime(str(raw).strip())
        except ValueError:
            return None
    return moment if moment is not None and timezone.is_aware(moment) else None


def _count(raw) -> int | None:
    if raw is None or raw == "":
        return 0
    if isinstance(raw, bool):  # JSON true is an int to Python, not a count
        return None
    try:
        value = int(raw) if not isinstance(raw, float) or raw.is_integer() else None
    except (TypeError, ValueError, OverflowError):
        return None
    return value if value is not None and 0 <= value < MAX_COUNT else None


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


def _upsert(rows: list[tuple]) -> tuple[int, int, int, list]:
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


def mentions_ingest(
    mentions: list[MentionIn], *, positions: list[int] | None = None, actor=None
) -> Ingested:
    """Store the mentions and, when any is new or a re-sent one's reach changed, ask for a
    scoring job (which then recomputes the days touched): together or not at all. Raises
    IngestRejected."""
    from dataclasses import replace

    from apps.reputation.services.scoring import score_enqueue

    with transaction.atomic():
        done = ingest(mentions, positions=positions)
        job = (
            score_enqueue(created_by=actor, days=done.changed_days)
            if done.created or done.changed_days
            else None
        )
    return replace(done, scoring_job=job)
