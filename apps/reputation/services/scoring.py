"""Sentiment of mentions, in batches, as a job on the sentiment queue.

Ingestion stores mentions at once and asks for a job here; the job scores every mention whose
(scorer, version, lexicon version) is not the current one for its language — new mentions,
and all of them again after a model, a tenant's choice of scorer or its lexicon changed. It
is idempotent (a re-run converges on the same scores) and commits batch by batch.
"""

from collections import defaultdict
from datetime import datetime

from django.conf import settings as django_settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import services as jobs
from apps.core.models import Job, JobStatus
from apps.core.transactions import enqueue_task_on_commit
from apps.reputation.models import LexiconTerm, Mention
from apps.reputation.module import JOB_SCORE
from apps.reputation.scoring import registry
from apps.reputation.scoring.lexicon import Term, adjust
from apps.reputation.selectors import reputation_settings, scorer_overrides

SCORE_TASK = "reputation.score_mentions"
LANGUAGES = ("zh", "en", "und")


def score_enqueue(*, created_by=None, reason: str = "new mentions") -> Job:
    """A scoring job, sent after commit — unless one is still queued (it will see these
    mentions too: a job scores whatever is stale when it runs)."""
    waiting = jobs.jobs_active(kind=JOB_SCORE, status=JobStatus.QUEUED).first()
    if waiting is not None:
        return waiting
    job = jobs.job_create(kind=JOB_SCORE, created_by=created_by, input={"reason": reason})
    enqueue_task_on_commit(SCORE_TASK, str(job.pk))
    return job


def current_assignment() -> dict[str, tuple[str, str]]:
    """language → (scorer name, version) this tenant scores with now."""
    overrides = scorer_overrides()
    out = {}
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


def score_stale(*, progress=None, now: datetime | None = None, batch: int | None = None) -> dict:
    """Score every stale mention, batch by batch (each batch its own transaction), then
    refresh the reputation figures of the days they were published on. Returns counts."""
    from apps.reputation.services.index import days_refresh

    now = now or timezone.now()
    batch = batch or django_settings.FENGKONG_SENTIMENT_BATCH
    settings = reputation_settings()
    assignment = current_assignment()
    terms = [Term(t.term, t.weight) for t in LexiconTerm.objects.filter(active=True)]
    stale = Mention.objects.filter(stale_filter(assignment, settings.lexicon_version))
    total = stale.count()
    scored, by_scorer, days = 0, defaultdict(int), set()
    # New mentions first, found by the partial index of unscored ones; then (after a scorer,
    # version or lexicon change) the scored ones that are stale, walked in key order.
    for phase in (
        Mention.objects.filter(scored_at__isnull=True),
        stale.filter(scored_at__isnull=False),
    ):
        last_id = None
        while True:
            page = phase.order_by("id")
            if last_id is not None:
                page = page.filter(id__gt=last_id)
            rows = list(page.values_list("id", "language", "text", "published_at")[:batch])
            if not rows:
                break
            last_id = rows[-1][0]
            with transaction.atomic():
                _score_rows(rows, assignment, terms, settings.lexicon_version, now, by_scorer)
            scored += len(rows)
            days.update(timezone.localdate(row[3]) for row in rows)
            if progress and total:
                progress(min(99, 100 * scored // total))
    refreshed = days_refresh(days=sorted(days), now=now) if days else {"days": 0}
    return {"scored": scored, "by_scorer": dict(by_scorer), "days": refreshed["days"]}


def _score_rows(rows, assignment, terms, lexicon_version: int, now: datetime, by_scorer) -> None:
    by_language: dict[str, list] = defaultdict(list)
    for row in rows:
        by_language[row[1] if row[1] in assignment else "und"].append(row)
    ids, scores, labels, confidences, names, versions = [], [], [], [], [], []
    for language, group in by_language.items():
        name, version = assignment[language]
        scorer = registry.scorer(name)
        results = scorer.score_batch([row[2] for row in group])
        negative_below = getattr(scorer, "negative_below", -0.05)
        positive_above = getattr(scorer, "positive_above", 0.05)
        for row, result in zip(group, results, strict=True):
            final = adjust(
                row[2],
                result,
                terms,
                negative_below=negative_below,
                positive_above=positive_above,
            )
            ids.append(row[0])
            scores.append(final.score)
            labels.append(final.label)
            confidences.append(final.confidence)
            names.append(name)
            versions.append(version)
        by_scorer[f"{name} {version}"] += len(group)
    table = Mention._meta.db_table
    with connection.cursor() as cursor:
        # One statement per batch; mentions are not audited row by row (ingested data).
        cursor.execute(
            f"""
            UPDATE {table} m
            SET sentiment_score = s.score, sentiment_label = s.label,
                sentiment_confidence = s.confidence, scorer_name = s.name,
                scorer_version = s.version, lexicon_version = %s, scored_at = %s
            FROM unnest(%s::uuid[], %s::float8[], %s::text[], %s::float8[], %s::text[],
                        %s::text[]) AS s(id, score, label, confidence, name, version)
            WHERE m.id = s.id
            """,
            [lexicon_version, now, ids, scores, labels, confidences, names, versions],
        )
