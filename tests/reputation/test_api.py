"""The GraphQL face: ingestion with typed errors, filters and orders, complaints, isolation."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.reputation.services.sources import source_create

INGEST = """mutation($m: [MentionInput!]!) { mentionsIngest(input: {mentions: $m}) {
  createdCount updatedCount storyCount scoring { kind status }
  errors { index field code message } } }"""
LIST = """query($f: MentionFilter, $o: [MentionOrder!]) { mentions(filter: $f, orderBy: $o) {
  totalCount edges { node { externalId language channel story { mentionCount } } } } }"""


def _source(world):
    with schema_context(world.a.schema_name):
        source_create(code="weibo_brand", name="Weibo", channel="weibo")
    connection.set_schema_to_public()


def _m(external_id, text, hours=1, **kw):
    at = (timezone.now() - timedelta(hours=hours)).isoformat()
    return {"source": "weibo_brand", "externalId": external_id, "publishedAt": at, "text": text,
            **kw}  # fmt: skip


def test_ingest_list_and_filter_mentions(api, world):
    _source(world)
    analyst = api("a", "analyst")
    mentions = [
        _m("1", "提现 pending 3天了", 3),
        _m("2", "Hidden fees!", 2),
        _m("3", "hidden fees", 1),
    ]
    done = analyst.ok(INGEST, {"m": mentions})["mentionsIngest"]
    assert done == {
        "createdCount": 3,
        "updatedCount": 0,
        "storyCount": 2,
        "scoring": {"kind": "REPUTATION_SCORE", "status": "QUEUED"},
        "errors": [],
    }
    again = analyst.ok(INGEST, {"m": mentions[:1]})["mentionsIngest"]
    assert (again["createdCount"], again["updatedCount"], again["scoring"]) == (0, 1, None)
    viewer = api("a", "viewer")
    rows = viewer.ok(LIST, {"f": {"languages": ["ZH"]}})["mentions"]
    assert rows["totalCount"] == 1 and rows["edges"][0]["node"]["externalId"] == "1"
    rows = viewer.ok(LIST, {"o": [{"field": "PUBLISHED"}]})["mentions"]
    assert [e["node"]["externalId"] for e in rows["edges"]] == ["1", "2", "3"]
    assert [e["node"]["story"]["mentionCount"] for e in rows["edges"]] == [1, 2, 2]
    since = (timezone.now() - timedelta(hours=2, minutes=30)).isoformat()
    rows = viewer.ok(LIST, {"f": {"publishedFrom": since, "channels": ["WEIBO"]}})["mentions"]
    assert rows["totalCount"] == 2
    assert viewer.ok(LIST, {"f": {"sentimentLabels": ["NEGATIVE"]}})["mentions"]["totalCount"] == 0
    breakdown = viewer.ok(
        "query($f: DateTime!, $t: DateTime!) { mentionBreakdown(by: LANGUAGE, publishedFrom: $f,"
        " publishedBefore: $t) { language mentions unscored negative } }",
        {"f": (timezone.now() - timedelta(days=1)).isoformat(), "t": timezone.now().isoformat()},
    )["mentionBreakdown"]
    assert breakdown == [
        {"language": "EN", "mentions": 2, "unscored": 2, "negative": 0},
        {"language": "ZH", "mentions": 1, "unscored": 1, "negative": 0},
    ]
    # Tenant B sees none of it.
    assert api("b", "admin").ok(LIST)["mentions"]["totalCount"] == 0


def test_mentions_sort_by_a_desc_key_and_by_two_keys(api, world):
    _source(world)
    analyst = api("a", "analyst")
    mentions = [
        _m("1", "a", 4, reach=10),
        _m("2", "b", 3, reach=50),
        _m("3", "c", 2, reach=10),
        _m("4", "d", 1, reach=50),
    ]
    analyst.ok(INGEST, {"m": mentions})
    viewer = api("a", "viewer")

    def ids(order):
        rows = viewer.ok(LIST, {"o": order})["mentions"]["edges"]
        return [e["node"]["externalId"] for e in rows]

    assert ids(None) == ["4", "3", "2", "1"]  # the default: latest published first
    assert ids([]) == ["4", "3", "2", "1"]
    assert ids([{"field": "PUBLISHED", "direction": "DESC"}]) == ["4", "3", "2", "1"]
    # Reach largest first, ties by publication earliest first.
    two_keys = [{"field": "REACH", "direction": "DESC"}, {"field": "PUBLISHED"}]
    assert ids(two_keys) == ["2", "4", "1", "3"]
    assert ids([{"field": "REACH"}, {"field": "PUBLISHED", "direction": "DESC"}]) == [
        "3", "1", "4", "2"
    ]  # fmt: skip
    with schema_context(world.a.schema_name):
        source_create(code="app_reviews", name="App store", channel="app_store")
        source_create(
            code="zz_news", name="Weibo", channel="news"
        )  # same name: the code breaks the tie, also DESC
    connection.set_schema_to_public()
    sources = viewer.ok(
        "{ mentionSources(orderBy: [{field: NAME, direction: DESC}]) { edges { node { code } } } }"
    )["mentionSources"]["edges"]
    assert [e["node"]["code"] for e in sources] == ["zz_news", "weibo_brand", "app_reviews"]


def test_bad_mentions_are_typed_errors_and_nothing_is_stored(api, world):
    _source(world)
    analyst = api("a", "analyst")
    body = analyst.ok(INGEST, {"m": [_m("1", "fine"), _m("", "x"), {**_m("3", "x"), "reach": -5}]})
    assert body["mentionsIngest"]["errors"] == [
        {"index": 1, "field": "externalId", "code": "INVALID",
         "message": "The mention's id on its channel is required."},
        {"index": 2, "field": "reach", "code": "INVALID", "message": "A whole number, zero or more."},
    ]  # fmt: skip
    assert analyst.ok(LIST)["mentions"]["totalCount"] == 0
    csv = analyst.ok(
        'mutation { mentionsIngestCsv(input: {csv: "source,text\\n"}) { errors { index code } } }'
    )
    assert csv["mentionsIngestCsv"]["errors"] == [{"index": 1, "code": "INVALID"}]


def test_complaints_through_the_api(api, world):
    analyst = api("a", "analyst")
    create = """mutation($i: ComplaintCreateInput!) { complaintCreate(input: $i) {
      complaint { id status priority regulatorReferred responseDueAt receivedAt }
      errors { field code } } }"""
    refused = analyst.ok(create, {"i": {"reference": "R1", "channel": "REGULATOR",
        "category": "COLLECTION", "summary": "s", "customerRef": "13812345678"}})  # fmt: skip
    assert refused["complaintCreate"]["errors"] == [
        {"field": "customerRef", "code": "RAW_IDENTIFIER"}
    ]
    made = analyst.ok(create, {"i": {"reference": "R1", "channel": "REGULATOR",
        "category": "COLLECTION", "summary": "s", "priority": "URGENT",
        "regulatorHotline": "12378"}})["complaintCreate"]  # fmt: skip
    complaint = made["complaint"]
    assert (complaint["status"], complaint["priority"], complaint["regulatorReferred"]) == (
        "RECEIVED", "URGENT", True,
    )  # fmt: skip
    move = """mutation($i: ComplaintTransitionInput!) { complaintTransition(input: $i) {
      complaint { status firstResponseAt } errors { field code } } }"""
    closed = analyst.ok(move, {"i": {"id": complaint["id"], "to": "CLOSED"}})
    assert closed["complaintTransition"]["errors"] == [
        {"field": "to", "code": "INVALID_TRANSITION"}
    ]
    moved = analyst.ok(move, {"i": {"id": complaint["id"], "to": "IN_PROGRESS"}})
    assert moved["complaintTransition"]["complaint"]["status"] == "IN_PROGRESS"
    assert moved["complaintTransition"]["complaint"]["firstResponseAt"] is not None
    listed = analyst.ok("{ complaints(filter: {regulatorReferred: true}) { totalCount } }")
    assert listed["complaints"]["totalCount"] == 1
    # A viewer may not read complaints, not even by node.
    node = api("a", "viewer").ok(
        "query($id: ID!) { node(id: $id) { id } }", {"id": complaint["id"]}
    )
    assert node["node"] is None
    assert api("b", "admin").ok("{ complaints { totalCount } }")["complaints"]["totalCount"] == 0


def test_settings_and_series(api, world):
    manager = api("a", "risk_manager")
    body = manager.ok(
        'mutation { reputationSettingsUpdate(input: {scorerEn: "nope"}) { errors { field code } } }'
    )
    assert body["reputationSettingsUpdate"]["errors"] == [
        {"field": "scorerEn", "code": "UNKNOWN_SCORER"}
    ]
    settings = manager.ok("{ reputationSettings { scorerZhInUse scorerEnInUse availableScorers } }")
    assert settings["reputationSettings"] == {
        "scorerZhInUse": "snownlp", "scorerEnInUse": "vader", "availableScorers": ["snownlp", "vader"],
    }  # fmt: skip
    body = manager.ok(
        'mutation { reputationRecompute(input: {from: "2026-02-01", to: "2026-01-01"}) { errors { field code } } }'
    )
    assert body["reputationRecompute"]["errors"] == [{"field": "from", "code": "INVALID"}]
    slas = manager.ok("{ complaintSlas { priority responseHours resolutionHours } }")
    assert slas["complaintSlas"] == [
        {"priority": "LOW", "responseHours": 48, "resolutionHours": 336},
        {"priority": "NORMAL", "responseHours": 24, "resolutionHours": 168},
        {"priority": "HIGH", "responseHours": 4, "resolutionHours": 72},
        {"priority": "URGENT", "responseHours": 2, "resolutionHours": 24},
    ]


def test_a_mentions_counts_are_whole_numbers_past_32_bits(api, world):
    _source(world)
    analyst = api("a", "analyst")
    viral = _m("v", "viral", reach=2_500_000_000, likes=7, shares=0, comments=3, views=9 * 10**15)
    assert analyst.ok(INGEST, {"m": [viral]})["mentionsIngest"]["errors"] == []
    node = api("a", "viewer").ok(
        "{ mentions { edges { node { reach likes shares comments views } } } }"
    )["mentions"]["edges"][0]["node"]
    assert node == {"reach": 2_500_000_000, "likes": 7, "shares": 0, "comments": 3,
                    "views": 9 * 10**15}  # fmt: skip
    assert all(type(value) is int for value in node.values())  # not 7.0: whole numbers
    # Past 2^53 − 1 a JSON client loses digits: refused, with the field named.
    too_big = analyst(INGEST, {"m": [{**_m("w", "x"), "views": 2**53}]})
    assert too_big["data"] is None
    assert too_big["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "views" in too_big["errors"][0]["message"]
    assert analyst.ok("{ mentions { totalCount } }")["mentions"]["totalCount"] == 1
