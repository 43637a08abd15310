"""Mentions in: idempotent on (source, external id), grouped into stories, all or nothing."""

import pytest

from apps.reputation.models import Mention, Story
from apps.reputation.services.ingestion import (
    IngestRejected,
    MentionIn,
    ingest,
    mentions_ingest,
)
from apps.reputation.services.mention_formats import mentions_from_csv, mentions_from_rows
from tests.reputation.conftest import hours_ago, mention


def test_a_mention_sent_again_updates_its_counts_and_is_never_doubled(weibo):
    first = ingest([mention("m1", "提现 pending 3天了", reach=100, likes=1, author="小王")])
    assert (first.created, first.updated) == (1, 0)
    again = ingest([mention("m1", "提现 pending 3天了", reach=250, likes=7, shares=2)])
    assert (again.created, again.updated) == (0, 1)
    stored = Mention.objects.get()
    assert (stored.reach, stored.likes, stored.shares, stored.author) == (250, 7, 2, "小王")
    assert stored.language == "zh" and stored.channel == "weibo"
    story = Story.objects.get()
    assert (story.mention_count, story.total_reach) == (1, 250)


def test_reposts_form_one_story_with_the_reach_of_all(weibo, appstore):
    done = ingest(
        [
            mention("a", "平台要跑路了？提现失败！", reach=1000, hours=3),
            mention("b", "//@老李: 平台要跑路了？提现失败", reach=50, hours=2),
            mention("r1", "平台要跑路了 提现失败!!", source="app_reviews", reach=7, hours=1),
            mention("c", "Great app, fast payouts", reach=10),
        ]
    )
    assert (done.created, done.stories) == (4, 2)
    big = Story.objects.get(mention_count=3)
    assert big.total_reach == 1057
    assert big.sample_text == "平台要跑路了？提现失败！"  # the earliest mention's text
    assert big.first_seen_at < big.last_seen_at
    # A later repost joins the story and its totals follow.
    ingest([mention("d", "转发微博 平台要跑路了？提现失败！", reach=3)])
    big.refresh_from_db()
    assert (big.mention_count, big.total_reach) == (4, 1060)
    assert Story.objects.count() == 2


def test_the_same_id_from_another_source_is_another_mention(weibo, appstore):
    ingest([mention("x", "hidden fees"), mention("x", "hidden fees", source="app_reviews")])
    assert Mention.objects.count() == 2


def test_within_one_call_the_last_copy_of_a_mention_wins(weibo):
    done = ingest([mention("m", "frozen", likes=1), mention("m", "frozen", likes=9)])
    assert (done.created, Mention.objects.get().likes) == (1, 9)


def test_every_bad_mention_is_reported_and_nothing_is_written(weibo):
    from apps.reputation.services.sources import source_update

    good = mention("ok", "fine")
    bad = [
        good,
        mention("", "no id"),
        mention("t", "   "),
        MentionIn(source="nope", external_id="s", published_at=hours_ago(1), text="x"),
        MentionIn(source="weibo_brand", external_id="d", published_at="yesterday", text="x"),
        mention("n", "x", reach=-1, likes=True),
        mention("u", "x", url="ftp://a", language="fr"),
        mention("z", "a\x00b"),
    ]
    with pytest.raises(IngestRejected) as raised:
        ingest(bad)
    found = sorted((e.index, e.field, e.code) for e in raised.value.errors)
    assert found == [
        (1, "external_id", "invalid"),
        (2, "text", "invalid"),
        (3, "source", "not_found"),
        (4, "published_at", "invalid"),
        (5, "likes", "invalid"),
        (5, "reach", "invalid"),
        (6, "language", "invalid"),
        (6, "url", "invalid"),
        (7, "text", "invalid"),
    ]
    assert Mention.objects.count() == 0
    source_update(source_id=weibo.pk, active=False)
    with pytest.raises(IngestRejected) as raised:
        ingest([good])
    assert [(e.field, e.code) for e in raised.value.errors] == [("source", "inactive")]


def test_more_than_ten_thousand_mentions_are_refused_before_any_check(weibo):
    with pytest.raises(IngestRejected) as raised:
        ingest([mention(str(i), "x") for i in range(10_001)])
    assert [e.code for e in raised.value.errors] == ["too_many"]


def test_ten_thousand_mentions_in_one_call(weibo):
    done = ingest([mention(f"m{i}", f"post number {i % 100}") for i in range(10_000)])
    assert (done.created, done.stories) == (10_000, 100)
    assert Story.objects.filter(mention_count=100).count() == 100


def test_rows_and_csv_forms(weibo):
    rows = [
        ["weibo_brand", "r1", hours_ago(2).isoformat(), "暴力催收 太可怕", "a", 10],
        ["weibo_brand", "r2", hours_ago(1).isoformat(), "fine", "", 0, 0, 0, 0, 0, "", "en"],
    ]
    assert ingest(mentions_from_rows(rows)).created == 2
    with pytest.raises(IngestRejected) as raised:
        mentions_from_rows([["weibo_brand", "r3"], rows[0]])
    assert [(e.index, e.code) for e in raised.value.errors] == [(0, "invalid")]
    text = (
        "text,source,external_id,published_at,reach\n"
        f"locked out again,weibo_brand,c1,{hours_ago(1).isoformat()},5\n"
        "\n"
        f"x,weibo_brand,c2,not a date,5\n"
    )
    mentions, numbers = mentions_from_csv(text)
    assert numbers == [2, 4]
    with pytest.raises(IngestRejected) as raised:
        ingest(mentions, positions=numbers)
    assert [(e.index, e.field) for e in raised.value.errors] == [(4, "published_at")]
    with pytest.raises(IngestRejected):
        mentions_from_csv("source,external_id,text\n")  # published_at missing


def test_ingestion_asks_for_one_scoring_job_while_one_waits(weibo):
    from apps.core.models import Job

    first = mentions_ingest([mention("a", "x")])
    second = mentions_ingest([mention("b", "y")])
    resent = mentions_ingest([mention("b", "y")])
    assert first.scoring_job is not None and second.scoring_job == first.scoring_job
    assert resent.scoring_job is None  # nothing new to score
    assert Job.objects.filter(kind="reputation_score").count() == 1


def test_a_call_mixing_new_and_stored_mentions_is_upserted_exactly(weibo):
    """Its first mention is new, so the call tries the fast path (COPY straight into the
    table), which the stored one refuses; the whole call is then upserted, none lost."""
    ingest([mention("old", "Hidden fees again", reach=40, hours=5)])
    done = ingest(
        [
            mention("new1", "Hidden fees again!", reach=2, hours=1),
            mention("old", "Hidden fees again", reach=100, likes=3, hours=5),
            mention("new2", "Great service", reach=7),
        ]
    )
    assert (done.created, done.updated, done.stories) == (2, 1, 2)
    assert Mention.objects.count() == 3
    assert Mention.objects.get(external_id="old").likes == 3
    fees = Story.objects.get(mention_count=2)
    # by hand: old's reach now 100 (was 40) + new1's 2
    assert (fees.total_reach, fees.sample_text) == (102, "Hidden fees again")
    assert Story.objects.get(mention_count=1).total_reach == 7
