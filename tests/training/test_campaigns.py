"""Customer-education campaigns: planned and reached counts, reach % as a built-in indicator
written by the daily observations while the campaign runs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

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
