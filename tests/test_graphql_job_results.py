"""`Job.result` is typed per job kind: every kind the manifests declare names its result type,
and each kind's result is read through `job(id) { result { ... on X } }` after a real job
(its Celery task run in-process by `apply()`, through `run_job`, on the real database)."""

import base64
from datetime import timedelta

import pytest
from celery import current_app
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import from_base64, to_base64

from apps.core import modules
from apps.core.graphql.job_results import JobResultType
from apps.core.models import Job
from config.schema import schema
from tests.training.conftest import course, org  # noqa: F401 (fixtures of the training import)

JOB = """query($id: ID!) { job(id: $id) { kind status result { __typename %s } } }"""


# The task each kind's jobs are sent to (written here: the outbox records it only on commit,
# which a test's rolled-back transaction never reaches).
TASKS = {
    "diagnostics": "core.run_diagnostics",
    "register_daily": "risks.daily_register",
    "risk_import": "risks.import_file",
    "warning_scan": "early_warning.run_scan",
    "people_import": "people.import_file",
    "training_import": "training.import_file",
    "reputation_score": "reputation.score_mentions",
    "reputation_topics": "reputation.match_topics",
    "reputation_complaint_import": "reputation.import_complaints",
    "assessment_dataset": "assessments.parse_dataset",
    "assessment_run": "assessments.run",
}


def run(world, job_gid: str) -> None:
    """Run the job's task in-process (`apply`: the worker's code path, run_job included)."""
    pk = from_base64(job_gid)[1]
    with schema_context(world.a.schema_name):
        job = Job.objects.get(pk=pk)
        current_app.tasks[TASKS[job.kind]].apply(args=[str(job.pk)])
    connection.set_schema_to_public()


def result(client, job_gid: str, fragment: str) -> dict:
    return client.ok(JOB % fragment, {"id": job_gid})["job"]


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# --- the contract ----------------------------------------------------------------------------


def test_every_job_kind_declares_a_result_type_in_the_union():
    union = schema._schema.type_map["JobResult"]
    members = {t.name for t in union.types}
    for m in modules.modules():
        assert set(m.job_kinds) == set(m.job_results), f"{m.label}: a kind without a result type"
    for kind, result_type in modules.job_result_types().items():
        assert issubclass(result_type, JobResultType), kind
        assert result_type.__strawberry_definition__.name in members, kind
    assert len(members) == len(modules.job_kinds())  # one type per kind, none shared


def test_a_queued_job_has_no_result_yet_and_the_json_copy_is_deprecated(api):
    admin = api("a", "admin")
    job = admin.ok("mutation { diagnosticsRun { job { id } errors { code } } }")["diagnosticsRun"]
    assert result(admin, job["job"]["id"], "")["result"] is None
    field = schema._schema.type_map["Job"].fields["resultJson"]
    assert field.deprecation_reason and "result" in field.deprecation_reason


# --- one real job of each kind ---------------------------------------------------------------


def test_diagnostics(api, world):
    admin = api("a", "admin")
    gid = admin.ok("mutation { diagnosticsRun { job { id } errors { code } } }")["diagnosticsRun"]
    run(world, gid["job"]["id"])
    job = result(admin, gid["job"]["id"], "... on DiagnosticsResult { schema worker checkedAt }")
    assert job["status"] == "SUCCEEDED"
    assert job["result"]["__typename"] == "DiagnosticsResult"
    assert job["result"]["schema"] == "tenant_a" and job["result"]["worker"]
    assert job["result"]["checkedAt"].endswith("+00:00")


def test_register_daily_run(api, world):
    from apps.risks.models import Risk, RiskCategory
    from apps.risks.services.daily import daily_run_claim
    from apps.risks.services.register import risk_create

    with schema_context(world.a.schema_name):
        credit = RiskCategory.objects.get(code="credit")
        late = [risk_create(title=f"Late {n}", category_id=credit.pk) for n in range(2)]
        risk_create(title="On time", category_id=credit.pk)
        # two reviews due a week ago (set directly: no service moves a due date back)
        Risk.objects.filter(pk__in=[r.pk for r in late]).update(
            next_review_at=timezone.localdate() - timedelta(days=7)
        )
        job = daily_run_claim()
    connection.set_schema_to_public()
    gid = to_base64("Job", job.pk)
    run(world, gid)
    fragment = "... on RegisterDailyResult { overdueReviews acceptancesExpired residualProposals }"
    job = result(api("a", "viewer"), gid, fragment)
    assert job["kind"] == "REGISTER_DAILY" and job["status"] == "SUCCEEDED"
    assert job["result"] == {
        "__typename": "RegisterDailyResult",
        "overdueReviews": 2,
        "acceptancesExpired": 0,
        "residualProposals": 0,
    }


RISK_IMPORT = """mutation($c: String!) { riskImport(input: {format: CSV, contentBase64: $c}) {
  job { id } errors { code } } }"""
RISK_ROWS = "title,category,inherent_likelihood,inherent_impact\n"
IMPORT_FRAGMENT = "... on %s { created updated errors { field row column code } }"


def test_risk_import_ok_and_rejected(api, world, monkeypatch):
    from apps.risks.graphql.mutations import transfer

    monkeypatch.setattr(transfer, "INLINE_ROWS", 1)
    analyst = api("a", "analyst")
    good = analyst.ok(RISK_IMPORT, {"c": b64(RISK_ROWS + "One,credit,1,1\nTwo,market,5,5\n")})
    bad = analyst.ok(RISK_IMPORT, {"c": b64(RISK_ROWS + "Three,credit,1,1\nFour,nope,1,1\n")})
    gids = [body["riskImport"]["job"]["id"] for body in (good, bad)]
    for gid in gids:
        run(world, gid)
    ok, rejected = (result(analyst, g, IMPORT_FRAGMENT % "RiskImportResult") for g in gids)
    assert ok["status"] == "SUCCEEDED"
    assert ok["result"] == {"__typename": "RiskImportResult", "created": 2, "updated": 0,
                            "errors": []}  # fmt: skip
    assert rejected["status"] == "FAILED"
    assert rejected["result"]["created"] == 0
    assert rejected["result"]["errors"] == [
        {"field": None, "row": 3, "column": "category", "code": "NOT_FOUND"}
    ]


def test_warning_scan(api, world):
    from tests.early_warning.conftest import feed, indicator_new

    with schema_context(world.a.schema_name):
        from apps.early_warning.services.indicators import rule_save

        made = [indicator_new(code="npl_ratio"), indicator_new(code="dpd30")]
        for indicator in made:
            rule_save(indicator_id=indicator.pk, kind="threshold", params={})
        start = timezone.now() - timedelta(hours=2)
        feed("npl_ratio", [1.0, 6.0], start=start)  # above red (5): one signal
        feed("dpd30", [1.0, 2.0], start=start)  # green: none
    connection.set_schema_to_public()
    analyst = api("a", "analyst")
    ids = [to_base64("Indicator", i.pk) for i in made]
    scan = analyst.ok(
        "mutation($i: ScanRunInput!) { scanRun(input: $i) { job { id } errors { code } } }",
        {"i": {"indicators": ids}},
    )["scanRun"]
    run(world, scan["job"]["id"])
    job = result(
        analyst,
        scan["job"]["id"],
        "... on WarningScanResult { indicators raised updated resolved escalated }",
    )
    assert job["result"] == {"__typename": "WarningScanResult", "indicators": 2, "raised": 1,
                             "updated": 0, "resolved": 0, "escalated": 0}  # fmt: skip


PEOPLE_IMPORT = """mutation($c: String!) { peopleImport(input: {format: CSV, contentBase64: $c}) {
  job { id } errors { code } } }"""
PEOPLE_ROWS = "employee_number,name,department,job_role,manager,email\n"


def test_people_import_ok_and_rejected(api, world, monkeypatch):
    from apps.people.graphql import importing

    monkeypatch.setattr(importing, "INLINE_ROWS", 1)
    admin = api("a", "admin")
    good = admin.ok(PEOPLE_IMPORT, {"c": b64(PEOPLE_ROWS + "E1,One,,,E2,\nE2,Two,,,,\n")})
    bad = admin.ok(PEOPLE_IMPORT, {"c": b64(PEOPLE_ROWS + "E3,Three,,,,\nE4,Four,,,E9,\n")})
    gids = [body["peopleImport"]["job"]["id"] for body in (good, bad)]
    for gid in gids:
        run(world, gid)
    fragment = "... on PeopleImportResult { created updated unchanged deactivated errors { row column code } }"  # noqa: E501
    ok, rejected = (result(api("a", "viewer"), g, fragment) for g in gids)
    assert ok["result"] == {"__typename": "PeopleImportResult", "created": 2, "updated": 0,
                            "unchanged": 0, "deactivated": 0, "errors": []}  # fmt: skip
    assert rejected["status"] == "FAILED" and rejected["result"]["created"] == 0
    assert rejected["result"]["errors"] == [{"row": 3, "column": "manager", "code": "NOT_FOUND"}]


def test_training_import(api, world, org, course, monkeypatch):  # noqa: F811
    from apps.training.services import import_submit

    monkeypatch.setattr(import_submit, "INLINE_ROWS", 1)
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    rows = f"employee_number,course_code,completed_at,score\nE1,aml_basics,{day},80\n"
    rows += f"E2,aml_basics,{day},90\n"
    submitted = import_submit.import_submit(content=rows.encode(), file_format="csv")
    gid = to_base64("Job", submitted.job.pk)
    connection.set_schema_to_public()
    run(world, gid)
    fragment = "... on TrainingImportResult { created updated unchanged errors { row } }"
    job = result(api("a", "viewer"), gid, fragment)
    assert job["result"] == {"__typename": "TrainingImportResult", "created": 2, "updated": 0,
                             "unchanged": 0, "errors": []}  # fmt: skip


def test_sentiment_scoring(api, world):
    from apps.reputation.services.sources import source_create

    with schema_context(world.a.schema_name):
        source_create(code="weibo_brand", name="Weibo", channel="weibo")
    connection.set_schema_to_public()
    at = (timezone.now() - timedelta(hours=2)).isoformat()
    mentions = [
        {"source": "weibo_brand", "externalId": str(n), "publishedAt": at, "text": text}
        for n, text in enumerate(["Hidden fees!", "Great service", "Slow app"])
    ]
    ingested = api("a", "analyst").ok(
        """mutation($m: [MentionInput!]!) { mentionsIngest(input: {mentions: $m}) {
        errors { code } } }""",
        {"m": mentions},
    )
    assert ingested["mentionsIngest"]["errors"] == []
    with schema_context(world.a.schema_name):
        job = Job.objects.get(kind="reputation_score")
    connection.set_schema_to_public()
    gid = to_base64("Job", job.pk)
    run(world, gid)
    fragment = "... on SentimentScoringResult { scored days byScorer { scorer count } }"
    job = result(api("a", "viewer"), gid, fragment)
    assert job["result"]["scored"] == 3 and job["result"]["days"] == 1
    assert sum(row["count"] for row in job["result"]["byScorer"]) == 3


def test_topic_tagging(api, world):
    from apps.reputation.services.ingestion import MentionIn, ingest
    from apps.reputation.services.sources import source_create

    with schema_context(world.a.schema_name):
        source_create(code="weibo_brand", name="Weibo", channel="weibo")
        ingest([MentionIn("weibo_brand", "1", timezone.now() - timedelta(hours=1), "应用下架了")])
    connection.set_schema_to_public()
    created = api("a", "risk_manager").ok(
        'mutation { mentionTopicCreate(input: {code: "delisting", name: "Delisting", '
        'keywordsZh: ["下架"]}) { job { id } errors { code } } }'
    )["mentionTopicCreate"]
    assert created["errors"] == []
    run(world, created["job"]["id"])
    fragment = "... on TopicTaggingResult { tagged removed days }"
    job = result(api("a", "viewer"), created["job"]["id"], fragment)
    assert job["status"] == "SUCCEEDED"
    assert job["result"] == {
        "__typename": "TopicTaggingResult", "tagged": 1, "removed": 0, "days": 1
    }  # fmt: skip  # 应用/下架/了


def test_complaint_import_ok_and_rejected(api, world, monkeypatch):
    monkeypatch.setattr("apps.reputation.graphql.complaint_import.MAX_ROWS", 1)
    analyst = api("a", "analyst")
    query = """mutation($c: String!) { complaintsImport(input: {format: CSV, contentBase64: $c})
      { job { id } errors { code } } }"""
    header = "reference,channel,category,summary\n"
    good = analyst.ok(query, {"c": b64(header + "A-1,online,fees,x\nA-2,branch,fees,y\n")})
    bad = analyst.ok(query, {"c": b64(header + "B-1,online,fees,x\nB-2,fax,fees,y\n")})
    fragment = "... on ComplaintImportJobResult { created unchanged errors { row column code } }"
    for payload in (good, bad):
        run(world, payload["complaintsImport"]["job"]["id"])
    ok = result(analyst, good["complaintsImport"]["job"]["id"], fragment)
    assert (ok["status"], ok["result"]) == (
        "SUCCEEDED",
        {"__typename": "ComplaintImportJobResult", "created": 2, "unchanged": 0, "errors": []},
    )
    refused = result(analyst, bad["complaintsImport"]["job"]["id"], fragment)
    assert refused["status"] == "FAILED"
    assert refused["result"]["errors"] == [{"row": 3, "column": "channel", "code": "INVALID"}]


LADDER = "maturity_days,inflow,outflow,counterparty\n0,0,100,A\n5,50,0,B\n20,0,200,A\n"


def test_assessment_dataset_upload_and_run(api, world):
    from apps.assessments.services.datasets import dataset_upload
    from apps.early_warning.models import Observation

    with schema_context(world.a.schema_name):
        version = dataset_upload(
            content=LADDER.encode(), file_format="csv", name="flows", kind="cash_flows",
            inline_rows=1,
        )  # fmt: skip
        upload_gid = to_base64("Job", version.job_id)
        bad = dataset_upload(
            content=b"maturity_days,inflow\n-1,5\n3,x\n", file_format="csv", name="bad",
            kind="cash_flows", inline_rows=1,
        )  # fmt: skip
        bad_gid = to_base64("Job", bad.job_id)
    connection.set_schema_to_public()
    run(world, upload_gid)
    run(world, bad_gid)
    analyst = api("a", "analyst")
    fragment = "... on DatasetUploadResult { rows errors { row column } version { id status } }"
    stored = result(analyst, upload_gid, fragment)["result"]
    assert (stored["rows"], stored["errors"], stored["version"]["status"]) == (3, [], "READY")
    rejected = result(analyst, bad_gid, fragment)
    assert rejected["status"] == "FAILED" and rejected["result"]["rows"] == 0
    assert rejected["result"]["version"]["status"] == "REJECTED"
    assert {e["row"] for e in rejected["result"]["errors"]} == {2, 3}

    started = analyst.ok(
        """mutation($input: AssessmentRunCreateInput!) { assessmentRunCreate(input: $input) {
        errors { code } run { id job { id } } } }""",
        {"input": {"kind": "LIQUIDITY", "cashFlows": stored["version"]["id"],
                   "parameters": {"liquidAssets": "250", "haircut": 0.2}}},
    )["assessmentRunCreate"]  # fmt: skip
    run_gid, job_gid = started["run"]["id"], started["run"]["job"]["id"]
    run(world, job_gid)
    fragment = (
        "... on AssessmentRunResult { figures points cancelled run { id status figures { code } } }"  # noqa: E501
    )
    done = result(analyst, job_gid, fragment)["result"]
    assert done["run"]["id"] == run_gid and done["run"]["status"] == "SUCCEEDED"
    assert done["figures"] == len(done["run"]["figures"]) > 0
    with schema_context(world.a.schema_name):
        published = Observation.objects.count()  # the tenant had none before this run
    assert published > 0 and (done["points"], done["cancelled"]) == (published, False)


@pytest.mark.parametrize("kind", sorted(modules.job_kinds()))
def test_each_declared_kind_has_a_real_job_test_here(kind):
    assert kind in TASKS, f"{kind}: add a real-job test of its result type to this file"
