"""The figures of a day, its index against a hand-worked example, and the observations they
become — which the warning scan turns into signals."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from apps.early_warning.models import Indicator, Observation, WarningSignal
from apps.early_warning.services.scans import scan
from apps.reputation.models import ReputationDay
from apps.reputation.services import complaints, index, lexicon
from apps.reputation.services.ingestion import MentionIn, ingest
from apps.reputation.services.scoring import score_stale

SCORERS = {
    "snownlp": "apps.reputation.scoring.snow:SnowNlpScorer",
    "vader": "apps.reputation.scoring.vader:VaderScorer",
    "from_text": "tests.reputation.scorers:FromText",
}


@pytest.fixture
def day(weibo, settings):
    """Yesterday, scored by the text's own number (a hand-worked example)."""
    settings.FENGKONG_SENTIMENT_SCORERS = SCORERS
    lexicon.settings_update(scorer_zh="from_text", scorer_en="from_text")
    return timezone.localdate() - timedelta(days=1)


def at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _example(day) -> None:
    ingest(
        [
            MentionIn("weibo_brand", "a", at(day, 9), "-0.8 a", reach=9),
            MentionIn("weibo_brand", "b", at(day, 10), "-0.4 b", reach=0),
            MentionIn("weibo_brand", "c", at(day, 11), "0.6 c", reach=39),
            MentionIn("weibo_brand", "d", at(day, 12), "0.0 d", reach=49),
            MentionIn("weibo_brand", "e", at(day, 12) - timedelta(days=1), "-1 e", reach=5),
        ]
    )
    received = {"channel": "online", "category": "fees", "summary": "Fees."}
    complaints.complaint_create(
        reference="c1", priority="urgent", received_at=at(day, 0, 30), **received
    )
    complaints.complaint_create(reference="c2", received_at=at(day, 12), **received)
    complaints.complaint_create(
        reference="c3",
        received_at=at(day, 12),
        **{**received, "channel": "regulator"},
        regulator_hotline="12378",
    )
    # c1's first response was due at 02:30: one breach that day.
    assert complaints.sla_breaches_detect(now=at(day, 3)) == {"response": 1, "resolution": 0}
    score_stale()


def test_the_index_of_a_day_against_a_hand_worked_example(day):
    _example(day)
    figures = ReputationDay.objects.get(day=day)
    # weights 1 + reach: 10, 1, 40, 50; net = (−8 − 0.4 + 24 + 0) / 101
    assert figures.net_sentiment == pytest.approx(15.6 / 101)
    assert (figures.mentions, figures.scored, figures.negative, figures.positive) == (4, 4, 2, 1)
    assert figures.negative_share == 0.5
    assert (figures.complaints_received, figures.sla_breaches) == (3, 1)
    assert (figures.complaints_open, figures.regulator_complaints) == (3, 1)
    # 100 × (0.4 × (1 + 0.154455) / 2 + 0.4 × (1 − 0.5) + 0.2 × (1 − (3 + 2 × 1) / 20))
    assert figures.index == pytest.approx(58.0891, abs=1e-4)
    # The day before holds the fifth mention only: no complaint, one negative mention.
    before = ReputationDay.objects.get(day=day - timedelta(days=1))
    assert before.index == pytest.approx(100 * (0.4 * 0 + 0.4 * 0 + 0.2 * 1), abs=1e-4)


def test_new_weights_apply_when_history_is_recomputed(day):
    _example(day)
    lexicon.settings_update(weight_sentiment=0.0, weight_negative_share=1.0, weight_complaints=0)
    assert ReputationDay.objects.get(day=day).index == pytest.approx(58.0891, abs=1e-4)
    index.days_recompute(start=day, end=day)
    assert ReputationDay.objects.get(day=day).index == 50.0


def test_the_day_becomes_observations_and_the_scan_raises_signals(day):
    _example(day)
    points = {
        (o.indicator.code, o.dimensions_key): o.value
        for o in Observation.objects.filter(observed_at=at(day, 0)).select_related("indicator")
    }
    assert points == {
        ("negative_mentions", ""): 2.0,
        ("negative_mentions", "channel=weibo"): 2.0,
        ("negative_mention_share", ""): 50.0,
        ("reputation_index", ""): pytest.approx(58.0891, abs=1e-4),
        ("complaints_open", ""): 3.0,
        ("complaint_sla_breaches", ""): 1.0,
        ("regulator_complaints", ""): 1.0,
        # one point per active (seeded) topic, zero included: no text holds a keyword
        **{
            ("negative_mentions", f"topic={code}"): 0.0
            for code in ("collection", "compliance", "data_leak", "fees", "fraud_scam",
                         "service_outage", "withdrawal")
        },
    }  # fmt: skip
    share = Indicator.objects.get(code="negative_mention_share")
    assert share.category.code == "reputational" and share.data_source == "reputation"
    scan(indicator_ids=list(Indicator.objects.values_list("pk", flat=True)), now=timezone.now())
    raised = {
        (s.indicator.code, s.severity)
        for s in WarningSignal.objects.select_related("indicator")
        if s.rule.kind == "threshold"
    }
    assert raised == {
        ("negative_mention_share", "red"),  # 50 % ≥ red 50 %
        ("reputation_index", "amber"),  # 58.09 < amber 60
        ("complaint_sla_breaches", "amber"),  # 1 ≥ amber 1
        ("regulator_complaints", "amber"),  # 1 ≥ amber 1
    }


def test_the_daily_tick_runs_hourly_and_only_for_tenants_that_watch(in_a):
    assert index.daily_index_if_due() == {"written": False}
    assert not Indicator.objects.filter(code="reputation_index").exists()
    complaints.complaint_create(reference="x", channel="online", category="fees", summary="Fees.")
    now = timezone.now()
    assert index.daily_index_if_due(now=now)["written"] is True
    assert index.daily_index_if_due(now=now + timedelta(minutes=30)) == {"written": False}
    assert index.daily_index_if_due(now=now + timedelta(minutes=61))["written"] is True
    assert ReputationDay.objects.filter(day=timezone.localdate(now)).get().complaints_open == 1


def test_a_day_without_data_has_no_index_and_does_not_lift_the_mean(day):
    ingest([MentionIn("weibo_brand", "a", at(day, 9), "-0.8 a", reach=9)])
    score_stale()
    before = day - timedelta(days=1)
    index.days_recompute(start=before, end=day)
    # S = (−0.8 + 1) / 2 = 0.1, N = 1 − 1 = 0, C = 1: 100 × (0.4 × 0.1 + 0 + 0.2 × 1) = 24.
    assert ReputationDay.objects.get(day=day).index == pytest.approx(24.0)
    empty = ReputationDay.objects.get(day=before)
    assert (empty.mentions, empty.index) == (0, None)
    assert not Observation.objects.filter(
        indicator__code="reputation_index", observed_at=at(before, 0)
    ).exists()
    assert Observation.objects.filter(indicator__code="reputation_index", observed_at=at(day, 0))
    from apps.reputation.graphql.queries import ReputationQuery

    summary = ReputationQuery().reputation_summary(from_=before, to=day)
    assert (summary.mean_index, summary.latest_index) == (pytest.approx(24.0), pytest.approx(24.0))
