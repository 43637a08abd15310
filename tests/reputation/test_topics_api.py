"""The GraphQL face of topics, brand metrics, category SLAs and large complaint files: typed
errors that change nothing, filters and aggregates, isolation between tenants."""

import base64
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core.models import Job
from apps.reputation.models import BrandMetric, CategorySla, Complaint, Topic

TOPIC_CREATE = """mutation($i: MentionTopicCreateInput!) { mentionTopicCreate(input: $i) {
  topic { id code keywordsZh keywordsEn riskCategories { code } } job { kind status }
  errors { field code } } }"""
MENTIONS = """query($f: MentionFilter) { mentions(filter: $f) { totalCount
  edges { node { externalId topics { code } } } } }"""


def _tag_two_mentions(world) -> None:
    """m1 (数据泄露, scored negative) and m2 (hidden fees) in tenant A, tagged by the job."""
    from apps.reputation.services import ingestion, sources
    from apps.reputation.services.scoring import score_stale

    now = timezone.now()
    with schema_context(world.a.schema_name):
        sources.source_create(code="weibo_brand", name="Weibo", channel="weibo")
        ingestion.ingest(
            [
                ingestion.MentionIn("weibo_brand", "m1", now - timedelta(hours=2), "数据泄露了"),
                ingestion.MentionIn("weibo_brand", "m2", now - timedelta(hours=1), "Hidden fees"),
            ]
        )
        score_stale()
    connection.set_schema_to_public()


def test_mentions_filter_by_topic_and_aggregate_per_topic(api, world):
    _tag_two_mentions(world)
    viewer = api("a", "viewer")
    topics = viewer.ok(
        "{ mentionTopics(filter: {active: true}) { totalCount edges { node { id code } } } }"
    )
    ids = {e["node"]["code"]: e["node"]["id"] for e in topics["mentionTopics"]["edges"]}
    assert topics["mentionTopics"]["totalCount"] == 7  # the seeded ones
    rows = viewer.ok(MENTIONS, {"f": {"topics": [ids["data_leak"]]}})["mentions"]
    assert rows["totalCount"] == 1
    assert rows["edges"][0]["node"] == {"externalId": "m1", "topics": [{"code": "data_leak"}]}
    rows = viewer.ok(MENTIONS, {"f": {"topics": [ids["data_leak"], ids["fees"]]}})["mentions"]
    assert rows["totalCount"] == 2
    assert (
        viewer.ok(MENTIONS, {"f": {"topics": [ids["compliance"]]}})["mentions"]["totalCount"] == 0
    )
    start = (timezone.now() - timedelta(days=1)).isoformat()
    end = (timezone.now() + timedelta(minutes=1)).isoformat()
    breakdown = viewer.ok(
        "query($f: DateTime!, $t: DateTime!) { mentionBreakdown(by: TOPIC, publishedFrom: $f,"
        " publishedBefore: $t) { topic { code } mentions channel } }",
        {"f": start, "t": end},
    )["mentionBreakdown"]
    assert sorted((r["topic"]["code"], r["mentions"], r["channel"]) for r in breakdown) == [
        ("data_leak", 1, None),
        ("fees", 1, None),
    ]
    # Tenant B sees no tag, and A's topic id names nothing there.
    other = api("b", "admin")
    assert other.ok(MENTIONS, {"f": {"topics": [ids["data_leak"]]}})["mentions"]["totalCount"] == 0
    assert other.ok("query($id: ID!) { node(id: $id) { id } }", {"id": ids["fees"]})["node"] is None
    body = other.ok(
        'mutation($id: ID!) { mentionTopicUpdate(input: {id: $id, name: "x"}) { errors { field code } } }',
        {"id": ids["fees"]},
    )
    assert body["mentionTopicUpdate"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


def test_a_topic_is_created_with_a_job_or_refused_with_typed_errors(api, world):
    manager = api("a", "risk_manager")
    done = manager.ok(
        TOPIC_CREATE,
        {"i": {"code": "app_store", "name": "App store", "keywordsZh": ["下架"],
               "keywordsEn": ["removed from the app store"], "riskCategories": ["reputational"]}},
    )["mentionTopicCreate"]  # fmt: skip
    assert done["errors"] == []
    assert done["topic"]["code"] == "app_store"
    assert done["topic"]["riskCategories"] == [{"code": "reputational"}]
    assert done["job"] == {"kind": "REPUTATION_TOPICS", "status": "QUEUED"}
    refused = manager.ok(
        TOPIC_CREATE,
        {"i": {"code": "app_store", "name": "Again", "keywordsEn": ["收费"],
               "riskCategories": ["nope"]}},
    )["mentionTopicCreate"]  # fmt: skip
    assert refused["topic"] is None
    assert sorted((e["field"], e["code"]) for e in refused["errors"]) == [
        ("code", "CODE_TAKEN"),
        ("keywordsEn", "INVALID"),
        ("riskCategories", "NOT_FOUND"),
    ]
    with schema_context(world.a.schema_name):
        assert Topic.objects.filter(code="app_store").count() == 1
        assert Job.objects.filter(kind="reputation_topics").count() == 1
    connection.set_schema_to_public()


BRAND = """mutation($m: [BrandMetricInput!]!) { brandMetricsIngest(input: {metrics: $m}) {
  createdCount updatedCount unchangedCount errors { field code } } }"""


def test_brand_metrics_through_the_api(api, world):
    analyst = api("a", "analyst")
    figures = [
        {"metric": "AWARENESS", "source": "survey", "periodStart": "2026-07-01",
         "periodEnd": "2026-09-30", "value": 62.5},
        {"metric": "NPS", "source": "survey", "periodStart": "2026-07-01",
         "periodEnd": "2026-09-30", "value": -10, "sampleSize": 1200},
    ]  # fmt: skip
    body = analyst.ok(BRAND, {"m": figures})["brandMetricsIngest"]
    assert body == {"createdCount": 2, "updatedCount": 0, "unchangedCount": 0, "errors": []}
    body = analyst.ok(BRAND, {"m": figures})["brandMetricsIngest"]
    assert (body["createdCount"], body["unchangedCount"]) == (0, 2)
    bad = [{**figures[0], "value": 120}, {**figures[1], "periodEnd": "2026-06-01"}]
    body = analyst.ok(BRAND, {"m": bad})["brandMetricsIngest"]
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("metrics.0.value", "INVALID"),
        ("metrics.1.periodEnd", "INVALID"),
    ]
    series = api("a", "viewer").ok(
        "{ brandMetrics(filter: {metrics: [NPS]}) { totalCount edges { node { metric value "
        "normalised sampleSize } } } }"
    )["brandMetrics"]
    assert series["totalCount"] == 1
    assert series["edges"][0]["node"] == {
        "metric": "NPS", "value": -10.0, "normalised": 0.45, "sampleSize": 1200
    }  # fmt: skip  # (−10 + 100) / 200
    assert (
        api("b", "admin").ok("{ brandMetrics { totalCount } }")["brandMetrics"]["totalCount"] == 0
    )
    with schema_context(world.a.schema_name):
        assert BrandMetric.objects.get(metric="awareness").value == 62.5
    connection.set_schema_to_public()


def test_category_slas_through_the_api(api, world):
    manager = api("a", "risk_manager")
    body = manager.ok(
        "mutation { complaintCategorySlaSet(input: {category: COLLECTION, channel: REGULATOR, "
        "responseHours: 1, resolutionHours: 12}) { sla { id category channel responseHours } "
        "errors { field code } } }"
    )["complaintCategorySlaSet"]
    assert body["errors"] == []
    assert (body["sla"]["category"], body["sla"]["channel"]) == ("COLLECTION", "REGULATOR")
    refused = manager.ok(
        "mutation { complaintCategorySlaSet(input: {category: FEES, responseHours: 9, "
        "resolutionHours: 2}) { sla { id } errors { field code } } }"
    )["complaintCategorySlaSet"]
    assert refused == {"sla": None, "errors": [{"field": "resolutionHours", "code": "INVALID"}]}
    rows = api("a", "viewer").ok("{ complaintCategorySlas { category channel resolutionHours } }")
    assert rows["complaintCategorySlas"] == [
        {"category": "COLLECTION", "channel": "REGULATOR", "resolutionHours": 12}
    ]
    assert api("b", "viewer").ok("{ complaintCategorySlas { category } }") == {
        "complaintCategorySlas": []
    }
    deleted = manager.ok(
        "mutation($id: ID!) { complaintCategorySlaDelete(input: {id: $id}) { deletedId "
        "errors { code } } }",
        {"id": body["sla"]["id"]},
    )["complaintCategorySlaDelete"]
    assert deleted == {"deletedId": body["sla"]["id"], "errors": []}
    with schema_context(world.a.schema_name):
        assert not CategorySla.objects.exists()
    connection.set_schema_to_public()


IMPORT = """mutation($i: ComplaintsImportInput!) { complaintsImport(input: $i) {
  createdCount job { id kind status } errors { row code } } }"""


def _file(rows: list[str]) -> str:
    content = "\n".join(["reference,channel,category,summary", *rows]).encode()
    return base64.b64encode(content).decode()


def test_a_file_past_the_inline_limit_becomes_a_job(api, world, monkeypatch):
    from strawberry.relay import from_base64

    from apps.reputation.services.complaint_import import import_as_job
    from tests.core.test_jobs import FakeTask

    # The inline limit is 2,000 rows; three here keep the test small (the rule is the same).
    monkeypatch.setattr("apps.reputation.graphql.complaint_import.MAX_ROWS", 3)
    analyst = api("a", "analyst")
    good = [f"BIG-{n},online,fees,Charged twice." for n in range(4)]
    body = analyst.ok(IMPORT, {"i": {"format": "CSV", "contentBase64": _file(good)}})
    body = body["complaintsImport"]
    assert (body["createdCount"], body["errors"]) == (0, [])
    assert (body["job"]["kind"], body["job"]["status"]) == ("REPUTATION_COMPLAINT_IMPORT", "QUEUED")
    # A bad file: row 3 (the second data row) names no channel we know.
    bad = ["BAD-1,online,fees,x", "BAD-2,fax,fees,x", "BAD-3,online,fees,x", "BAD-4,online,fees,x"]
    refused = analyst.ok(IMPORT, {"i": {"format": "CSV", "contentBase64": _file(bad)}})
    refused = refused["complaintsImport"]
    with schema_context(world.a.schema_name):
        assert not Complaint.objects.exists()  # nothing until the jobs run
        for job in (body["job"], refused["job"]):
            import_as_job(task=FakeTask(), job_id=from_base64(job["id"])[1])
        ok_job = Job.objects.get(pk=from_base64(body["job"]["id"])[1])
        bad_job = Job.objects.get(pk=from_base64(refused["job"]["id"])[1])
        assert sorted(Complaint.objects.values_list("reference", flat=True)) == [
            "BIG-0", "BIG-1", "BIG-2", "BIG-3"
        ]  # fmt: skip
    connection.set_schema_to_public()
    assert (ok_job.status, ok_job.result["created"], ok_job.input) == ("succeeded", 4, {})
    assert bad_job.status == "failed"
    assert [(e["row"], e["column"], e["code"]) for e in bad_job.result["errors"]] == [
        (3, "channel", "invalid")
    ]
    result = analyst.ok(
        "query($id: ID!) { job(id: $id) { result { ... on ComplaintImportJobResult { created "
        "errors { row column code } } } } }",
        {"id": refused["job"]["id"]},
    )["job"]["result"]
    assert result == {"created": 0, "errors": [{"row": 3, "column": "channel", "code": "INVALID"}]}
