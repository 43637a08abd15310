"""Sentiment of mentions, in batches, as a job on the sentiment queue.

Ingestion stores mentions at once and asks for a job here; the job scores every mention whose
(scorer, version, lexicon version) is not the current one for its language — new mentions,
and all of them again after a model, a tenant's choice of scorer or its lexicon changed. It
is idempotent (a re-run converges on the same scores) and commits batch by batch.
"""

import json
import re
from collections import defaultdict
from datetime import datetime

from django.conf import settings as django_settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import services as jobs
from apps.core.models import Job, JobStatus
from apps.core.transactions import enqueue_task_on_commit
from apps.reputation.models import LexiconTerm, Mention, ReputationSettings, UnscoredMention
from apps.reputation.module import JOB_SCORE
from apps.reputation.scoring import registry
from apps.reputation.scoring.lexicon import Term, adjust
from apps.reputation.selectors import reputation_settings, scorer_overrides

SCORE_TASK = "reputation.score_mentions"
LANGUAGES = ("zh", "en", "und")


def score_enqueue(
    *, created_by=None, reason: str = "new mentions", walk: bool = False, days=()
) -> Job:
    """A scoring job, sent after commit — unless one is still queued (it will see these
    mentions too: a job scores whatever is stale when it runs; `days` to recompute are added
    to its input). `walk`: the next job checks every scored mention, not only the new ones (a
    re-score asked for by hand). `days`: days whose figures moved without a mention to score
    (a re-sent mention's reach); the job recomputes them with the days it scores."""
    if walk:
        ReputationSettings.objects.update(scored_with="")
    wanted = sorted({day.isoformat() for day in days})
    waiting = jobs.jobs_active(kind=JOB_SCORE, status=JobStatus.QUEUED).first()
    if waiting is not None:
        if not wanted:
            return waiting
        merged = sorted(set(waiting.input.get("days", [])) | set(wanted))
        # Only while still queued: a job that started has read its input.
        if Job.objects.filter(pk=waiting.pk, status=JobStatus.QUEUED).update(
            input={**waiting.input, "days": merged}
        ):
            waiting.input = {**waiting.input, "days": merged}
            return waiting
    job = jobs.job_create(
        kind=JOB_SCORE,
        created_by=created_by,
        input={"reason": reason, **({"days": wanted} if wanted else {})},
    )
    enqueue_task_on_commit(SCORE_TASK, str(job.pk))
    return job


def current_assignment() -> dict[str, tuple[str, str]]:
    """language → (scorer name, version) this tenant scores with now."""
    overrides = scorer_overrides()
    out: dict[str, tuple[str, str]] = {}
    for language in LANGUAGES:
        name = registry.scorer_name_for(language, overrides)
        out[language] = (name, registry.scorer_class(name).version)
    return out


def stale_filter(assignment: dict[str, tuple[str, str]], lexicon_version: int) -> Q:
    """Mentions not scored by the current scorer, version and lexicon of their language."""
    current = Q()
    for language, (name, version) in assignment.items():
        current |= Q(
            language=language,
            scorer_name=name,
            scorer_version=version,
            lexicon_version=lexicon_version,
        )
    return Q(scored_at__isnull=True) | ~current


def assignment_key(assignment: dict[str, tuple[str, str]], lexicon_version: int) -> str:
    """What ReputationSettings.scored_with holds: the scorers, versions and lexicon version."""
    parts = [f"{lang}={name}@{version}" for lang, (name, version) in sorted(assignment.items())]
    return ";".join(parts) + f";lexicon={lexicon_version}"


# Statements sent without waiting (psycopg's pipeline mode): PostgreSQL reads the next chunk
# and writes a part while this process scores the next, so the database hides behind the model.
PARTS = 4
ROUND = 10  # chunks of PARTS × batch between two progress reports (20,000 mentions)


def score_stale(
    *, progress=None, now: datetime | None = None, batch: int | None = None, days=()
) -> dict:
    """Score every stale mention, PARTS × `batch` at a time (one UPDATE per `batch` mentions),
    then refresh the reputation figures of the days they were published on (and of `days`, the
    days ingestion changed without new mentions). Returns counts.

    New mentions come from the UnscoredMention queue. The scored ones are walked (in key order)
    only when the tenant's scorers, versions or lexicon differ from those the last walk
    finished with (ReputationSettings.scored_with): a job after an ingestion costs what the new
    mentions cost, however large the table."""
    from apps.reputation.services.index import MAX_DAYS, days_refresh
    from apps.reputation.services.topics import tag_rows

    now = now or timezone.now()
    batch = batch or django_settings.FENGKONG_SENTIMENT_BATCH
    settings = reputation_settings()
    assignment = current_assignment()
    key = assignment_key(assignment, settings.lexicon_version)
    terms = [Term(t.term, t.weight) for t in LexiconTerm.objects.filter(active=True)]
    walk = settings.scored_with != key
    stale = Mention.objects.filter(stale_filter(assignment, settings.lexicon_version))
    total = UnscoredMention.objects.count() + (stale.count() if walk else 0)
    scorer = _BatchScorer(assignment, terms, settings.lexicon_version, now, batch)
    scored, days = 0, set(days)

    def done(rows) -> None:
        nonlocal scored
        tag_rows(rows)  # topics (services/topics.py): one INSERT for the chunk's matches
        scored += sum(1 for row in rows if row[2] is not None)  # not a deleted mention's id
        if progress and total:
            progress(min(99, 100 * scored // total))

    days.update(scorer.drain_queue(batch * PARTS, done))
    if walk:
        for rows in _stale_chunks(stale, batch * PARTS):
            with transaction.atomic():
                days.update(scorer.write(rows, dequeue=False))
            done(rows)
        ReputationSettings.objects.filter(pk=settings.pk).update(scored_with=key)
    ordered, refreshed = sorted(days), 0
    for start in range(0, len(ordered), MAX_DAYS):  # a walk over years of history: in parts
        refreshed += days_refresh(days=ordered[start : start + MAX_DAYS], now=now)["days"]
    return {"scored": scored, "by_scorer": dict(scorer.by_scorer), "days": refreshed}


_QUEUED_SQL = """
    SELECT q.mention_id::text, m.language, m.text FROM {queue} q
    LEFT JOIN {mention} m ON m.id = q.mention_id
    WHERE q.mention_id > %s::uuid ORDER BY q.mention_id LIMIT %s
"""
_FIRST_ID = "00000000-0000-0000-0000-000000000000"


def _stale_chunks(stale, limit: int):
    last_id = None
    while True:
        page = stale.order_by("id")
        if last_id is not None:
            page = page.filter(id__gt=last_id)
        rows = [
            (str(pk), language, text)
            for pk, language, text in page.values_list("id", "language", "text")[:limit]
        ]
        if not rows:
            return
        last_id = rows[-1][0]
        yield rows


class _BatchScorer:
    """Scores mentions with the scorer of each one's language and the lexicon, and writes them
    back in one statement per `batch`, which also returns the (local) days of the rows."""

    def __init__(self, assignment, terms, lexicon_version: int, now: datetime, batch: int):
        self.assignment, self.terms, self.batch = assignment, terms, batch
        # One C-level search tells whether any term occurs; most texts then skip adjust().
        self.any_term = re.compile("|".join(re.escape(t.folded) for t in terms)) if terms else None
        self.lexicon_version, self.now = lexicon_version, now
        self.by_scorer: dict[str, int] = defaultdict(int)

    def drain_queue(self, limit: int, done) -> set:
        """Score the queued mentions, `limit` at a time in key order, every statement sent
        through one pipeline: the next rows are asked for before this chunk is scored and its
        updates go out while the next part is scored, so the worker seldom waits for the
        server. Each UPDATE is one statement with its dequeue (atomic without a transaction
        around it); two jobs at once only score some mentions twice, to the same result."""
        sql, tz = _write_sql(dequeue=True), timezone.get_current_timezone_name()
        queued = _QUEUED_SQL.format(
            queue=UnscoredMention._meta.db_table, mention=Mention._meta.db_table
        )
        days: set = set()
        # A score lost with the last moments before a crash is lost with its dequeue (one
        # statement): the next job scores that mention again. So no wait for the flush — for
        # this drain only (LOCAL inside a caller's transaction, which then ends it).
        session = not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute(f"SET {'' if session else 'LOCAL '}synchronous_commit = off")
        try:
            with connection.cursor() as cursor:
                cursor.execute(queued, [_FIRST_ID, limit])
                rows = cursor.fetchall()
            while rows:
                # Progress is written between pipelines (an ORM write inside one would not
                # see its row count): every ROUND chunks.
                writes: list = []
                chunks: list[list] = []
                with connection.connection.pipeline():
                    while rows and len(chunks) < ROUND:
                        chunks.append(rows)
                        ahead = connection.cursor()
                        ahead.execute(queued, [rows[-1][0], limit])
                        parts = range(0, len(rows), self.batch)
                        following: list = []
                        for start in parts:
                            if start == parts[-1]:
                                following = ahead.fetchall()  # before the last part goes
                            payload = json.dumps(self._scored(rows[start : start + self.batch]))
                            write = connection.cursor()
                            write.execute(sql, [payload, self.lexicon_version, self.now, tz])
                            writes.append(write)
                        rows = following
                for write in writes:
                    days.update(row[0] for row in write.fetchall())
                for chunk in chunks:
                    done(chunk)
        finally:
            if session:
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")
        return days

    def write(self, rows, *, dequeue: bool) -> set:
        sql = _write_sql(dequeue)
        tz = timezone.get_current_timezone_name()
        cursors = []
        with connection.cursor() as cursor:
            # A score lost with the last moments before a crash is lost with its dequeue (one
            # transaction): the next job scores that mention again. So no wait for the flush.
            cursor.execute("SET LOCAL synchronous_commit = off")
        with connection.connection.pipeline():
            for start in range(0, len(rows), self.batch):
                payload = json.dumps(self._scored(rows[start : start + self.batch]))
                cursor = connection.cursor()
                cursor.execute(sql, [payload, self.lexicon_version, self.now, tz])
                cursors.append(cursor)
        days: set = set()
        for cursor in cursors:
            days.update(row[0] for row in cursor.fetchall())
            cursor.close()
        return days

    def _scored(self, rows) -> list[list]:
        """[[id, score, label, confidence, scorer, version], …]; [id] for a deleted mention."""
        by_language: dict[str, list] = defaultdict(list)
        out: list[list] = [[row[0]] for row in rows if row[2] is None]
        for row in rows:
            if row[2] is not None:
                by_language[row[1] if row[1] in self.assignment else "und"].append(row)
        for language, group in by_language.items():
            name, version = self.assignment[language]
            scorer = registry.scorer(name)
            results = scorer.score_batch([row[2] for row in group])
            negative_below = getattr(scorer, "negative_below", -0.05)
            positive_above = getattr(scorer, "positive_above", 0.05)
            for row, result in zip(group, results, strict=True):
                if self.any_term is not None and self.any_term.search(row[2].casefold()):
                    result = adjust(
                        row[2],
                        result,
                        self.terms,
                        negative_below=negative_below,
                        positive_above=positive_above,
                    )
                out.append([row[0], result.score, result.label, result.confidence, name, version])
            self.by_scorer[f"{name} {version}"] += len(group)
        return out


def _write_sql(dequeue: bool) -> str:
    """One statement per batch (mentions are ingested data: not audited row by row). It writes
    no indexed column, so PostgreSQL updates the rows in place (HOT)."""
    mention, queue = Mention._meta.db_table, UnscoredMention._meta.db_table
    dequeued = (
        f"dequeued AS (DELETE FROM {queue} WHERE mention_id IN (SELECT id FROM s)),"
        if dequeue
        else ""
    )
    return f"""
        WITH s AS (
            SELECT (e->>0)::uuid AS id, (e->>1)::float8 AS score, e->>2 AS label,
                   (e->>3)::float8 AS confidence, e->>4 AS name, e->>5 AS version
            FROM jsonb_array_elements(%s::jsonb) e
        ), {dequeued} done AS (
            UPDATE {mention} m
            SET sentiment_score = s.score, sentiment_label = s.label,
                sentiment_confidence = s.confidence, scorer_name = s.name,
                scorer_version = s.version, lexicon_version = %s, scored_at = %s
            FROM s WHERE m.id = s.id AND s.name IS NOT NULL
            RETURNING m.published_at
        )
        SELECT DISTINCT (published_at AT TIME ZONE %s)::date FROM done
    """
