"""Customer-education campaigns: planned and reached counts, reach % as a built-in indicator
written by the daily observations while the campaign runs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.early_warning.models import Indicator, Observation
from apps.training.services.campaigns import campaign_create, campaign_update
from apps.training.services.indicators import write_observations

DAY = timedelta(days=1)


def _campaign(code="anti_scam", starts=-5, ends=20, **extra):
    today = timezone.localdate()
    fields = {
        "title": "Spot the fake investment app",
        "topic": "scams_and_phishing",
        "segment": "elderly",
        "channel": "wechat",
        "starts_on": today + starts * DAY,
        "ends_on": today + ends * DAY,
        "planned_reach": 2000,
        **extra,
    }
    return campaign_create(code=code, **fields)


def test_reach_is_a_share_of_the_plan_and_refusals_name_the_field(in_a):
    campaign = _campaign(reached=500)
    assert campaign.reach_percent == 25.0
    assert campaign_update(campaign_id=campaign.pk, reached=1700).reach_percent == 85.0
    with pytest.raises(ValidationError) as refused:
        _campaign(code="bad", starts=3, ends=1, planned_reach=0)
    assert sorted(refused.value.error_dict) == ["ends_on", "planned_reach"]
    with pytest.raises(ValidationError) as refused:
        _campaign(code="anti_scam")
    assert refused.value.error_dict["code"][0].code == "code_taken"


def test_running_campaigns_feed_the_reach_indicator(in_a):
    _campaign(reached=500)
    _campaign(code="over", starts=-30, ends=-1, reached=10)  # ended: no longer measured
    assert write_observations(now=timezone.now()) == 1  # no requirement: only the reach
    indicator = Indicator.objects.get(code="education_campaign_reach")
    assert (indicator.category.code, indicator.direction) == ("fraud", "lower_is_worse")
    assert list(
        Observation.objects.filter(indicator=indicator).values_list("dimensions_key", "value")
    ) == [("campaign=anti_scam", 25.0)]


def test_the_api_creates_and_lists_campaigns(api, in_a):
    connection.set_schema_to_public()
    today = timezone.localdate()
    manager = api("a", "risk_manager")
    create = """mutation($s: Date!, $e: Date!) { campaignCreate(input: {code: "pw", title:
      "Passwords", topic: PASSWORD_SAFETY, segment: STUDENTS, channel: SMS, startsOn: $s,
      endsOn: $e, plannedReach: 400, reached: 100}) { errors { field code }
      campaign { code reachPercent } } }"""
    answer = manager.ok(create, {"s": today.isoformat(), "e": (today + DAY).isoformat()})
    assert answer["campaignCreate"] == {
        "errors": [],
        "campaign": {"code": "pw", "reachPercent": 25.0},
    }
    listed = api("a", "viewer").ok(
        "{ educationCampaigns(topic: PASSWORD_SAFETY) { totalCount edges { node { code channel } } } }"
    )
    assert listed["educationCampaigns"] == {
        "totalCount": 1,
        "edges": [{"node": {"code": "pw", "channel": "SMS"}}],
    }


REACH_IMPORT = """mutation($c: String) { campaignReachImport(input: {format: CSV,
  contentBase64: $c}) { errors { field row column code } createdCount updatedCount
  unchangedCount } }"""


def test_reach_per_period_imported_all_or_nothing_and_feeding_the_indicator(api, in_a):
    """Two periods of 'anti_scam' (plan 2,000): 300 + 200 learners = 500 reached, 25 %. A file with a
    bad row writes nothing and names each problem; the same file twice changes nothing."""
    import base64

    from apps.training.models import CampaignReach

    _campaign(reached=0)
    today = timezone.localdate()
    first, second = today - timedelta(days=14), today - timedelta(days=7)
    header = "Campaign code,Period start,Period end,Impressions,Learners,Completions,"
    header += "Quiz pass rate\n"
    good = (
        header
        + f"anti_scam,{first},{first + timedelta(days=6)},9000,300,120,85.5\n"
        + f"anti_scam,{second},{second + timedelta(days=6)},7000,200,90,\n"
    )
    bad = good + f"nope,{second},{first},x,10,20,120\n"
    encode = lambda text: base64.b64encode(text.encode()).decode()  # noqa: E731
    connection.set_schema_to_public()
    manager = api("a", "risk_manager")
    refused = manager.ok(REACH_IMPORT, {"c": encode(bad)})["campaignReachImport"]
    assert [(e["row"], e["column"], e["code"]) for e in refused["errors"]] == [
        (4, "Campaign code", "NOT_FOUND"),
        (4, "Period end", "INVALID"),
        (4, "Impressions", "INVALID"),
        (4, "Completions", "INVALID"),
        (4, "Quiz pass rate", "INVALID"),
    ]
    assert refused["errors"][0]["field"] == "contentBase64"
    with schema_context(in_a.a.schema_name):
        assert not CampaignReach.objects.exists()
    done = manager.ok(REACH_IMPORT, {"c": encode(good)})["campaignReachImport"]
    assert done == {"errors": [], "createdCount": 2, "updatedCount": 0, "unchangedCount": 0}
    again = manager.ok(REACH_IMPORT, {"c": encode(good)})["campaignReachImport"]
    assert (again["createdCount"], again["unchangedCount"]) == (0, 2)
    listed = manager.ok(
        "{ educationCampaigns { edges { node { reached reachPercent reachPeriods {"
        " learners completions quizPassRate } } } } }"
    )["educationCampaigns"]["edges"]
    assert listed == [
        {
            "node": {
                "reached": 500,
                "reachPercent": 25.0,
                "reachPeriods": [
                    {"learners": 300, "completions": 120, "quizPassRate": "85.50"},
                    {"learners": 200, "completions": 90, "quizPassRate": None},
                ],
            }
        }
    ]
    with schema_context(in_a.a.schema_name):
        assert write_observations(now=timezone.now()) == 1
        (point,) = Observation.objects.filter(indicator__code="education_campaign_reach")
        assert float(point.value) == 25.0


def test_content_items_are_set_replaced_and_checked(api, in_a):
    _campaign()
    connection.set_schema_to_public()
    manager = api("a", "risk_manager")
    gid = manager.ok("{ educationCampaigns { edges { node { id } } } }")["educationCampaigns"][
        "edges"
    ][0]["node"]["id"]
    update = """mutation($i: CampaignUpdateInput!) { campaignUpdate(input: $i) {
      errors { field code } campaign { contents { title kind channel link } } } }"""
    video = {"title": "Fake apps", "kind": "VIDEO", "channel": "WECHAT", "link": "https://v.cn/1"}
    quiz = {"title": "Quiz", "kind": "QUIZ", "channel": "APP"}
    done = manager.ok(update, {"i": {"id": gid, "contents": [video, quiz]}})["campaignUpdate"]
    assert done == {
        "errors": [],
        "campaign": {"contents": [video, {**quiz, "link": ""}]},
    }
    bad = {"title": " ", "kind": "POSTER", "channel": "SMS", "link": "ftp://x"}
    refused = manager.ok(update, {"i": {"id": gid, "contents": [video, bad]}})["campaignUpdate"]
    assert sorted(e["field"] for e in refused["errors"]) == [
        "contents.1.link",
        "contents.1.title",
    ]
    with schema_context(in_a.a.schema_name):
        from apps.training.models import EducationCampaign

        assert len(EducationCampaign.objects.get().contents) == 2  # unchanged
