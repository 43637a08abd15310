"""Sentiment of mentions, in batches, as a job on the sentiment queue.

Ingestion stores mentions at once and asks for a job here; the job scores every mention whose
(scorer, version, lexicon version) is not the current one for its language — new mentions,
and all of them again after a model, a tenant's choice of scorer or its lexicon changed. It
is idempotent (a re-run converges on the same scores) and commits batch by batch.
"""

import re
from collections import defaultdict
from datetime import datetime

from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from apps.core import services as jobs
from apps.core.models import Job, JobStatus
from apps.core.transactions import enqueue_task_on_commit
from apps.reputation.models import LexiconTerm, Mention, ReputationSettings, ScoringMark
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


def assignment_key(assignment: dict[str, tuple[str, str]], lexicon_version: int) -> str:
    """What ReputationSettings.scored_with holds: the scorers, versions and lexicon version."""
    parts = [f"{lang}={name}@{version}" for lang, (name, version) in sorted(assignment.items())]
    return ";".join(parts) + f";lexicon={lexicon_version}"


def stale_condition(assignment: dict[str, tuple[str, str]], lexicon_version: int):
    """SQL (and its parameters) for mentions not scored by the current scorer, version and
    lexicon of their language."""
    current = " OR ".join(
        "(language = %s AND scorer_name = %s AND scorer_version = %s)" for _ in assignment
    )
    params: list = [lexicon_version]
    for language, (name, version) in assignment.items():
        params += [language, name, version]
    sql = f"(scored_at IS NULL OR lexicon_version IS DISTINCT FROM %s OR NOT ({current}))"
    return sql, params


# Statements sent without waiting (psycopg's pipeline mode): PostgreSQL reads the next chunk
# and writes a part while this process scores the next, so the database hides behind the model.
PARTS = 4
ROUND = 10  # chunks of PARTS × batch between two moves of the mark (20,000 mentions)
MENTIONS = Mention._meta.db_table
MARK = ScoringMark._meta.db_table


def score_stale(
    *, progress=None, now: datetime | None = None, batch: int | None = None, days=()
) -> dict:
    """Score every stale mention, PARTS × `batch` at a time (one UPDATE per `batch` mentions
    of a scorer), then refresh the reputation figures of the days they were published on (and
    of `days`, the days ingestion changed without new mentions). Returns counts.

    New mentions are those numbered after the mark (ScoringMark). The scored ones are walked
    (in number order) only when the tenant's scorers, versions or lexicon differ from those
    the last walk finished with (ReputationSettings.scored_with): a job after an ingestion
    costs what the new mentions cost, however large the table."""
    from apps.reputation.services.index import MAX_DAYS, days_refresh
    from apps.reputation.services.topics import tag_rows

    now = now or timezone.now()
    batch = batch or django_settings.FENGKONG_SENTIMENT_BATCH
    settings = reputation_settings()
    assignment = current_assignment()
    key = assignment_key(assignment, settings.lexicon_version)
    terms = [Term(t.term, t.weight) for t in LexiconTerm.objects.filter(active=True)]
    walk = settings.scored_with != key
    stale_sql, stale_params = stale_condition(assignment, settings.lexicon_version)
    mark = _mark()
    with connection.cursor() as cursor:
        # An estimate for progress (numbers lost to rolled-back calls count): one index probe.
        cursor.execute(f"SELECT coalesce(max(seq), 0) FROM {MENTIONS}")
        total = cursor.fetchone()[0] - mark
        if walk:
            cursor.execute(f"SELECT count(*) FROM {MENTIONS} WHERE {stale_sql}", stale_params)
            total += cursor.fetchone()[0]
    scorer = _BatchScorer(assignment, terms, settings.lexicon_version, now, batch)
    scored, days = 0, set(days)

    def done(rows) -> None:
        nonlocal scored
        tag_rows(rows)  # topics (services/topics.py): one INSERT for the chunk's matches
        scored += len(rows)
        if progress and total > 0:
            progress(min(99, 100 * scored // total))

    new = _Reader(f"SELECT id, language, text, seq FROM {MENTIONS} WHERE seq > %s", [])
    days.update(scorer.run(new, mark, batch * PARTS, done, move_mark=True))
    if walk:
        stale = _Reader(
            f"SELECT id, language, text, seq FROM {MENTIONS} WHERE seq > %s AND {stale_sql}",
            stale_params,
        )
        days.update(scorer.run(stale, 0, batch * PARTS, done, move_mark=False))
        ReputationSettings.objects.filter(pk=settings.pk).update(scored_with=key)
    ordered, refreshed = sorted(days), 0
    for start in range(0, len(ordered), MAX_DAYS):  # a walk over years of history: in parts
        refreshed += days_refresh(days=ordered[start : start + MAX_DAYS], now=now)["days"]
    return {"scored": scored, "by_scorer": dict(scorer.by_scorer), "days": refreshed}


def _mark() -> int:
    """The mark (made at 0 when the row is missing, e.g. a schema without seed rows)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq FROM {MARK} WHERE id = 1")
        row = cursor.fetchone()
        if row is None:
            cursor.execute(f"INSERT INTO {MARK} (id, seq) VALUES (1, 0) ON CONFLICT DO NOTHING")
            return 0
        return row[0]


class _Reader:
    """Mentions after a number, in number order: `sql` selects (id, language, text, seq) with
    `seq > %s` first among its conditions."""

    def __init__(self, sql: str, params: list) -> None:
        self.sql, self.params = sql + " ORDER BY seq LIMIT %s", params

    def send(self, after: int, limit: int):
        cursor = connection.cursor()
        cursor.execute(self.sql, [after, *self.params, limit])
        return cursor


class _BatchScorer:
    """Scores mentions with the scorer of each one's language and the lexicon, and writes them
    back in one statement per `batch` of a scorer, which also returns the (local) days of the
    rows."""

    def __init__(self, assignment, terms, lexicon_version: int, now: datetime, batch: int):
        self.assignment, self.terms, self.batch = assignment, terms, batch
        # One C-level search tells whether any term occurs; most texts then skip adjust().
        self.any_term = re.compile("|".join(re.escape(t.folded) for t in terms)) if terms else None
        self.lexicon_version, self.now = lexicon_version, now
        self.by_scorer: dict[str, int] = defaultdict(int)
        self.tz = timezone.get_current_timezone_name()

    def run(self, reader: _Reader, after: int, limit: int, done, *, move_mark: bool) -> set:
        """Score what `reader` finds after number `after`, `limit` at a time, every statement
        sent through one pipeline: the next rows are asked for before this chunk is scored and
        its updates go out while the next part is scored, so the worker seldom waits for the
        server. Each UPDATE is its own statement; the mark moves once a round's updates all
        succeeded (a crash before: that round is scored again, to the same values; two jobs at
        once only score some mentions twice)."""
        days: set = set()
        # A score lost with the last moments before a crash is lost with its mark: the next job
        # scores that mention again. So no wait for the flush — for this run only (LOCAL inside
        # a caller's transaction, which then ends it).
        session = not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute(f"SET {'' if session else 'LOCAL '}synchronous_commit = off")
        try:
            rows = reader.send(after, limit).fetchall()
            while rows:
                # Results are read between pipelines (an ORM write inside one would not see
                # its row count): every ROUND chunks.
                writes: list = []
                chunks: list[list] = []
                with connection.connection.pipeline():
                    while rows and len(chunks) < ROUND:
                        chunks.append(rows)
                        ahead = reader.send(rows[-1][3], limit)
                        parts = range(0, len(rows), self.batch)
                        following: list = []
                        for start in parts:
                            if start == parts[-1]:
                                following = ahead.fetchall()  # before the last part goes
                            writes += self._write(rows[start : start + self.batch])
                        last = rows[-1][3]
                        rows = following
                for write in writes:
                    days.update(row[0] for row in write.fetchall())
                if move_mark:
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {MARK} SET seq = greatest(seq, %s) WHERE id = 1", [last]
                        )
                for chunk in chunks:
                    done(chunk)
        finally:
            if session:
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")
        return days

    def _write(self, rows) -> list:
        """One UPDATE per scorer among `rows` ([id, language, text, seq]), sent, not waited
        for."""
        by_language: dict[str, list] = defaultdict(list)
        for row in rows:
            by_language[row[1] if row[1] in self.assignment else "und"].append(row)
        by_scorer: dict[tuple[str, str], list] = defaultdict(list)
        for language, group in by_language.items():
            by_scorer[self.assignment[language]] += group
        cursors = []
        for (name, version), group in by_scorer.items():
            scorer = registry.scorer(name)
            texts = [row[2] for row in group]
            results = list(scorer.score_batch(texts))
            if self.any_term is not None:
                negative_below = getattr(scorer, "negative_below", -0.05)
                positive_above = getattr(scorer, "positive_above", 0.05)
                search, terms = self.any_term.search, self.terms
                for i, text in enumerate(texts):
                    lowered = text.casefold()
                    if search(lowered):
                        results[i] = adjust(
                            text, results[i], terms, lowered=lowered,
                            negative_below=negative_below, positive_above=positive_above,
                        )  # fmt: skip
            # Arrays as their text form, joined here: a third of what psycopg's generic list
            # dumper costs per element. Labels are plain words, numbers need no quoting.
            seqs = [row[3] for row in group]
            cursor = connection.cursor()
            cursor.execute(
                WRITE_SQL,
                [
                    name,
                    version,
                    self.lexicon_version,
                    self.now,
                    _array(seqs),
                    _array([r.score for r in results]),
                    _array([r.label for r in results]),
                    _array([r.confidence for r in results]),
                    min(seqs),  # a scorer's rows may come from two languages: not in order
                    max(seqs),
                    self.tz,
                ],
            )
            cursors.append(cursor)
            self.by_scorer[f"{name} {version}"] += len(group)
        return cursors


def _array(values: list) -> str:
    """A PostgreSQL array literal of numbers or plain words (labels): {1,2,3}."""
    return "{" + ",".join(map(str, values)) + "}"


# One statement per batch of a scorer (mentions are ingested data: not audited row by row). It
# writes no indexed column, so PostgreSQL updates the rows in place (HOT). The range on seq
# bounds the join to the batch's own numbers whatever the planner believes of the table's size
# (a hash join over the whole table, chosen on statistics from when it was small, cannot be).
WRITE_SQL = f"""
    WITH done AS (
        UPDATE {MENTIONS} m
        SET sentiment_score = s.score, sentiment_label = s.label,
            sentiment_confidence = s.confidence, scorer_name = %s, scorer_version = %s,
            lexicon_version = %s, scored_at = %s
        FROM unnest(%s::text::int8[], %s::text::float8[], %s::text::text[], %s::text::float8[])
             AS s(seq, score, label, confidence)
        WHERE m.seq = s.seq AND m.seq BETWEEN %s AND %s
        RETURNING m.published_at
    )
    SELECT DISTINCT (published_at AT TIME ZONE %s)::date FROM done
"""
