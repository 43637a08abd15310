"""Mentions in: one or up to 10,000 per call, all or nothing, idempotent on (source, external id).

A mention sent again updates its counts (reach, likes, shares, comments, views) and never makes
a second row. Mentions whose normalised text is the same join one story (text.fingerprint),
whose mention count and total reach are recomputed for every story the call touched.

The checks are here; the writes (a binary COPY straight into the table for new mentions, a
staged upsert otherwise) in services/mention_writes.py. Scoring follows as a job
(services/scoring.py).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.reputation.errors import ReputationErrorCode as Code
from apps.reputation.models import Language, Source
from apps.reputation.services.mention_writes import upsert
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
    created, updated, stories, changed_days = upsert(list(rows.values()))
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
