"""The daily figures follow the mentions through the scoring job, without waiting for the
tick or a `reputationRecompute`: the days of new mentions, and those whose reach a re-sent
mention changed (the index is reach-weighted)."""

from datetime import datetime, time

import pytest
from django.utils import timezone

from apps.core.models import Job
from apps.reputation.models import ReputationDay
from apps.reputation.services.ingestion import MentionIn, mentions_ingest
from apps.reputation.tasks import score_mentions
from tests.reputation.test_index import day as day  # the hand-worked scorer, yesterday


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _run(job) -> None:
    score_mentions.apply(args=[str(job.pk)]).get()
    assert Job.objects.get(pk=job.pk).status == "succeeded"


def test_the_scoring_job_recomputes_the_days_ingestion_touched(day):
    a = MentionIn("weibo_brand", "a", _at(day, 9), "-0.8 a", reach=9)
    c = MentionIn("weibo_brand", "c", _at(day, 11), "0.6 c", reach=0)
    _run(mentions_ingest([a, c]).scoring_job)
    figures = ReputationDay.objects.get(day=day)
    # net = (10 × −0.8 + 1 × 0.6) / 11 = −0.672727, S = 0.163636, N = 1 − 1/2, C = 1:
    # 100 × (0.4 × 0.163636 + 0.4 × 0.5 + 0.2 × 1) = 46.5455.
    assert (figures.mentions, figures.reach) == (2, 9)
    assert figures.index == pytest.approx(46.5455, abs=1e-4)

    # c sent again with a reach of 99: nothing to score, but the day's weights moved.
    again = mentions_ingest([MentionIn("weibo_brand", "c", _at(day, 11), "0.6 c", reach=99)])
    assert (again.created, again.updated) == (0, 1)
    assert again.scoring_job.input["days"] == [day.isoformat()]
    _run(again.scoring_job)
    figures = ReputationDay.objects.get(day=day)
    # net = (10 × −0.8 + 100 × 0.6) / 110 = 0.472727, S = 0.736364:
    # 100 × (0.4 × 0.736364 + 0.2 + 0.2) = 69.4545.
    assert (figures.mentions, figures.reach) == (2, 108)
    assert figures.index == pytest.approx(69.4545, abs=1e-4)

    # Sent once more unchanged: no job at all.
    assert (
        mentions_ingest(
            [MentionIn("weibo_brand", "c", _at(day, 11), "0.6 c", reach=99)]
        ).scoring_job
        is None
    )
