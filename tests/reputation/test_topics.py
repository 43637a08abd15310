"""Topics: keywords in zh (on jieba's word boundaries) and en (on word boundaries) tag mentions
when they are scored; a keyword change re-tags a topic's mentions; per-topic figures."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from apps.core.models import Job
from apps.early_warning.models import Observation
from apps.reputation.models import MentionTopic, Topic
from apps.reputation.services import lexicon, topics
from apps.reputation.services.ingestion import MentionIn, ingest
from apps.reputation.services.scoring import score_stale
from apps.reputation.services.topics import Matcher

SCORERS = {
    "snownlp": "apps.reputation.scoring.snow:SnowNlpScorer",
    "vader": "apps.reputation.scoring.vader:VaderScorer",
    "from_text": "tests.reputation.scorers:FromText",
}


class _Topic:
    def __init__(self, pk, zh=(), en=()):
        self.pk, self.keywords_zh, self.keywords_en = pk, list(zh), list(en)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # jieba: 用户/数据/泄露/了 — 泄露 is a word of the text
        ("用户数据泄露了", {"leak"}),
        # 平台/跑/路/了/吗 — 跑路 spans two words, starting and ending on boundaries
        ("平台跑路了吗", {"scam"}),
        # 他/和/服务员/吵架 — 和服 ends inside 服务员: not a match (a substring search says yes)
        ("他和服务员吵架", set()),
        # a mixed post: the Chinese keyword matches, whatever the detected language
        ("提现 pending 3天了", {"withdrawal"}),
        ("There is a fee of 5 yuan", {"fees"}),
        ("Thanks for the feedback", set()),  # "fee" inside a word
        ("HIDDEN   Fees everywhere!", {"fees"}),  # a phrase, any case, any spacing
        ("Hidden, fees again", {"fees"}),  # the phrase's words in order, punctuation between
        ("fees hidden", set()),  # "fees" is not the word "fee"; the phrase out of order
        ("Can't log in and I cannot withdraw", {"outage", "withdrawal"}),
        ("", set()),
    ],
)
def test_keywords_match_on_word_boundaries_in_both_languages(text, expected):
    matcher = Matcher(
        [
            _Topic("leak", zh=["泄露"]),
            _Topic("scam", zh=["跑路", "和服"]),
            _Topic("withdrawal", zh=["提现"], en=["cannot withdraw"]),
            _Topic("fees", en=["fee", "hidden fees"]),
            _Topic("outage", en=["can't log in"]),
        ]
    )
    assert matcher.match(text) == expected


@pytest.fixture
def scored_by_text(weibo, settings):
    settings.FENGKONG_SENTIMENT_SCORERS = SCORERS
    lexicon.settings_update(scorer_zh="from_text", scorer_en="from_text")
    return timezone.localdate() - timedelta(days=1)


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _tags() -> set[tuple[str, str]]:
    return set(MentionTopic.objects.values_list("mention__external_id", "topic__code").order_by())


def _example(day) -> None:
    ingest(
        [
            MentionIn("weibo_brand", "m1", _at(day, 9), "-0.8 用户数据泄露了，提现失败"),
            MentionIn("weibo_brand", "m2", _at(day, 10), "-0.5 Hidden fees and a scam"),
            MentionIn("weibo_brand", "m3", _at(day, 11), "0.6 Thanks for the feedback"),
            MentionIn("weibo_brand", "m4", _at(day, 12), "0.4 手续费合理"),
        ]
    )
    score_stale()


def test_the_scoring_job_tags_mentions_with_the_seeded_topics(scored_by_text):
    _example(scored_by_text)
    # Seeded keywords (migration 0006): 泄露 (data_leak), 提现 / 提现失败 (withdrawal),
    # "hidden fees" (fees), "scam" (fraud_scam), 手续费 (fees); "feedback" holds no keyword.
    assert _tags() == {
        ("m1", "data_leak"),
        ("m1", "withdrawal"),
        ("m2", "fees"),
        ("m2", "fraud_scam"),
        ("m4", "fees"),
    }
    # A second job finds nothing new to tag and adds no duplicate.
    score_stale()
    assert MentionTopic.objects.count() == 5


def test_negative_mentions_per_topic_become_observations(scored_by_text):
    day = scored_by_text
    _example(day)
    points = {
        o.dimensions.get("topic"): o.value
        for o in Observation.objects.filter(
            indicator__code="negative_mentions", observed_at=_at(day, 0)
        )
        if "topic" in o.dimensions
    }
    # Negative: m1 (data_leak, withdrawal) and m2 (fees, fraud_scam); m4 (fees) is positive.
    # Every active topic has its point, zero included.
    assert points == {
        "data_leak": 1.0,
        "withdrawal": 1.0,
        "fees": 1.0,
        "fraud_scam": 1.0,
        "compliance": 0.0,
        "collection": 0.0,
        "service_outage": 0.0,
    }


def test_a_keyword_change_asks_for_a_job_that_re_tags_the_topic(scored_by_text):
    day = scored_by_text
    _example(day)
    fees = Topic.objects.get(code="fees")
    topics.topic_update(topic_id=fees.pk, keywords_zh=[], keywords_en=["feedback"])
    job = Job.objects.get(kind="reputation_topics")
    assert job.input == {"topic": str(fees.pk)}
    # Only the name changed: no other job.
    topics.topic_update(topic_id=fees.pk, name="Fees and charges")
    assert Job.objects.filter(kind="reputation_topics").count() == 1
    result = topics.topic_rematch(topic_id=fees.pk)
    # m2 and m4 lose the tag, m3 ("feedback") gains it; the day's per-topic point follows.
    assert (result["tagged"], result["removed"], result["days"]) == (1, 2, 1)
    assert {m for m, t in _tags() if t == "fees"} == {"m3"}
    fees_point = Observation.objects.get(
        indicator__code="negative_mentions", observed_at=_at(day, 0), dimensions={"topic": "fees"}
    )
    assert fees_point.value == 0.0  # m3 is positive


def test_a_deactivated_topic_loses_its_tags(scored_by_text):
    _example(scored_by_text)
    leak = Topic.objects.get(code="data_leak")
    topics.topic_update(topic_id=leak.pk, active=False)
    topics.topic_rematch(topic_id=leak.pk)
    assert not MentionTopic.objects.filter(topic=leak).exists()


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"name": "X", "keywords_zh": ["fees"]}, "keywords_zh", "invalid"),  # no Han character
        ({"name": "X", "keywords_en": ["收费"]}, "keywords_en", "invalid"),
        ({"name": "X"}, "keywords_zh", "invalid"),  # no keyword at all
        ({"name": " ", "keywords_en": ["x"]}, "name", "invalid"),
        ({"name": "X", "keywords_en": ["x"], "risk_categories": ["nope"]}, "risk_categories",
         "not_found"),
    ],
)  # fmt: skip
def test_a_bad_topic_is_refused_and_nothing_is_written(in_a, fields, field, code):
    from django.core.exceptions import ValidationError

    before = Topic.objects.count()
    with pytest.raises(ValidationError) as refused:
        topics.topic_create(code="new_topic", **fields)
    assert [e.code for e in refused.value.error_dict[field]] == [code]
    assert Topic.objects.count() == before
    assert not Job.objects.filter(kind="reputation_topics").exists()


def test_a_topic_links_risk_categories_and_tags_existing_mentions(scored_by_text):
    _example(scored_by_text)
    topic = topics.topic_create(
        code="privacy",
        name="Privacy",
        keywords_zh=["数据"],
        keywords_en=["THANKS"],
        risk_categories=["legal_compliance", "technology"],
    )
    assert sorted(topic.risk_categories.values_list("code", flat=True)) == [
        "legal_compliance",
        "technology",
    ]
    topics.topic_rematch(topic_id=topic.pk)
    assert {m for m, t in _tags() if t == "privacy"} == {"m1", "m3"}
