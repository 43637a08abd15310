"""A risk's history, as a risk officer reads it: every change, who made it (a user, or the
system job), and readable before/after values — names, not ids; labels, not codes."""

import re
from datetime import timedelta

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.core import services as jobs
from apps.early_warning.module import JOB_SCAN
from apps.risks.module import JOB_DAILY
from tests.risks.people import person_for
from tests.risks.test_api import category_id

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)

HISTORY = """query($id: ID!) { risk(id: $id) { history(first: 100) { totalCount edges { node {
  action objectType objectRepr actorEmail madeBy systemJob correlationId changes
  fieldChanges { field label before after } } } } } }"""


def _ok(api, query, variables, name):
    body = api.ok(query, variables)[name]
    assert body["errors"] == [], body
    return body


def _run_job(task, kind, world, **job_fields):
    """Run a real task in-process (eagerly), as a worker would, in tenant A."""
    with schema_context(world.a.schema_name):
        job = jobs.job_create(kind=kind, **job_fields)
        outcome = task.apply(args=[str(job.pk)]).get(timeout=30)
    connection.set_schema_to_public()
    assert outcome["status"] == "succeeded", outcome
    return job


def _link_a_red_indicator(world, risk_pk):
    from apps.early_warning.services import indicators
    from apps.early_warning.services.ingestion import PointIn, ingest
    from tests.early_warning.conftest import T0, indicator_new

    with schema_context(world.a.schema_name):
        npl = indicator_new(risk_ids=[risk_pk])
        indicators.rule_save(indicator_id=npl.pk, kind="threshold", params={})
        ingest([PointIn("npl_ratio", T0, 9.0, None)])
    connection.set_schema_to_public()
    return npl


def _entries(api, risk_id):
    history = api.ok(HISTORY, {"id": risk_id})["risk"]["history"]
    return [edge["node"] for edge in reversed(history["edges"])]  # oldest first


def _changes(entry):
    return {c["field"]: (c["before"], c["after"]) for c in entry["fieldChanges"]}


def _find(entries, object_type, field, made_by=None):
    found = [
        e
        for e in entries
        if e["objectType"] == object_type
        and field in _changes(e)
        and (made_by is None or e["madeBy"] == made_by)
    ]
    assert found, f"no {object_type} entry changing {field} by {made_by}: {entries}"
    return found


def test_every_change_of_a_risk_is_in_its_history_with_actor_and_readable_values(api, world):
    from apps.early_warning.tasks import run_scan
    from apps.risks.tasks import daily_register

    analyst, manager = api("a", "analyst"), api("a", "risk_manager")
    with schema_context(world.a.schema_name):
        owner = to_base64("Person", person_for(world.user("a", "analyst")).pk)
    connection.set_schema_to_public()
    risk = _ok(
        analyst,
        """mutation($input: RiskCreateInput!) { riskCreate(input: $input) {
        risk { id } errors { field code message } } }""",
        {
            "input": {
                "title": "Credit deterioration",
                "category": category_id(world),
                "owner": owner,
            }
        },
        "riskCreate",
    )["risk"]
    risk_pk = risk["id"]
    assess = """mutation($risk: ID!, $l: Int!, $i: Int!) { assessmentRecord(input: {risk: $risk,
      kind: INHERENT, likelihood: $l, impact: $i}) { errors { field code message } } }"""
    _ok(analyst, assess, {"risk": risk_pk, "l": 2, "i": 2}, "assessmentRecord")
    _ok(analyst, assess, {"risk": risk_pk, "l": 4, "i": 5}, "assessmentRecord")
    control = _ok(
        manager,
        """mutation($risk: ID!) { controlCreate(input: {name: "Maker-checker",
        controlType: PREVENTIVE, kind: AUTHORISATION, effectiveness: EFFECTIVE, risks: [$risk]})
        { control { id } errors { field code message } } }""",
        {"risk": risk_pk},
        "controlCreate",
    )["control"]
    _ok(
        manager,
        "mutation($risk: ID!) { residualApplyProposal(input: {risk: $risk}) { errors { field code message } } }",
        {"risk": risk_pk},
        "residualApplyProposal",
    )
    _ok(
        manager,
        """mutation($id: ID!) { controlUpdate(input: {id: $id, effectiveness: INEFFECTIVE})
        { errors { field code message } } }""",
        {"id": control["id"]},
        "controlUpdate",
    )
    daily = _run_job(daily_register, JOB_DAILY, world)
    from strawberry.relay import from_base64

    npl = _link_a_red_indicator(world, from_base64(risk_pk)[1])
    scan_job = _run_job(run_scan, JOB_SCAN, world, input={"indicator_ids": [str(npl.pk)]})
    _ok(
        manager,
        'mutation($risk: ID!) { reviewRecord(input: {risk: $risk, notes: "Looked at it"}) { errors { field code message } } }',
        {"risk": risk_pk},
        "reviewRecord",
    )
    _ok(
        manager,
        "mutation($id: ID!) { riskTransition(input: {id: $id, to: OPEN}) { errors { field code message } } }",
        {"id": risk_pk},
        "riskTransition",
    )

    entries = _entries(manager, risk_pk)
    risk_type, assessment_type = "risks.risk", "risks.riskassessment"

    (created,) = [e for e in entries if e["objectType"] == risk_type and e["action"] == "CREATE"]
    assert created["madeBy"] == created["actorEmail"] == "analyst@a.test"
    created_values = _changes(created)
    assert created_values["category"] == (None, "Credit risk (credit)")
    assert created_values["owner"] == (None, "analyst@a.test (T-ANALYST)")  # the person
    assert created_values["title"] == (None, "Credit deterioration")

    assessed = [e for e in entries if e["objectType"] == assessment_type]
    assert [(e["madeBy"], _changes(e)["level"][1]) for e in assessed] == [
        ("analyst@a.test", "Low"),
        ("analyst@a.test", "Critical"),
        ("risk_manager@a.test", "High"),  # the applied residual: likelihood 4 → 2
    ]
    assert _changes(assessed[0])["assessor"] == (None, "analyst@a.test")
    assert _changes(assessed[0])["kind"] == (None, "Inherent")
    assert _changes(assessed[2])["kind"] == (None, "Residual")
    levels = [
        _changes(e)["current_level"]
        for e in entries
        if e["objectType"] == risk_type and "current_level" in _changes(e)
    ]
    assert levels == [(None, "Low"), ("Low", "Critical"), ("Critical", "High")]

    (effectiveness,) = _find(entries, "risks.control", "effectiveness", "risk_manager@a.test")[1:]
    assert _changes(effectiveness)["effectiveness"] == ("Effective", "Ineffective")

    daily_label = f"system: risks.daily_register job {daily.pk}"
    (proposed,) = _find(entries, risk_type, "residual_proposal", daily_label)
    assert proposed["actorEmail"] is None and proposed["systemJob"] == daily_label
    assert proposed["correlationId"] == str(daily.pk)
    before, after = _changes(proposed)["residual_proposal"]
    assert before is None and "likelihood: 4" in after and "level: critical" in after

    scan_label = f"system: early_warning.run_scan job {scan_job.pk}"
    (flagged,) = _find(entries, risk_type, "review_flag", scan_label)
    before, after = _changes(flagged)["review_flag"]
    assert before == "" and after.startswith("Red signal on npl_ratio")
    assert "next_review_at" in _changes(flagged)

    (reviewed,) = _find(entries, risk_type, "last_reviewed_at", "risk_manager@a.test")
    assert _changes(reviewed)["review_flag"][0].startswith("Red signal on npl_ratio")
    assert _changes(reviewed)["review_flag"][1] == ""
    assert _find(entries, "risks.riskreview", "notes", "risk_manager@a.test")

    (moved,) = _find(entries, risk_type, "status", "risk_manager@a.test")
    assert _changes(moved)["status"] == ("Draft", "Open")

    for entry in entries:
        assert entry["madeBy"] in ("analyst@a.test", "risk_manager@a.test", daily_label, scan_label)
        for change in entry["fieldChanges"]:
            for value in (change["before"], change["after"]):
                assert value is None or (
                    value != "None" and ".None" not in value and not UUID.search(value)
                ), (entry["objectType"], change)
        assert ".None" not in str(entry["changes"])


def test_a_bulk_flag_for_review_is_audited_with_the_job_that_asked(world, api):
    from apps.core.audit import acting_as
    from apps.risks.models import RiskCategory
    from apps.risks.services import register

    with schema_context(world.a.schema_name):
        credit = RiskCategory.objects.get(code="credit")
        risks = [register.risk_create(title=f"R{i}", category_id=credit.pk) for i in range(3)]
        closed = register.risk_create(title="Gone", category_id=credit.pk)
        register.risk_transition(risk_id=closed.pk, to="closed")
        with acting_as(system="system: test job 1", cid="1"):
            assert (
                register.flag_for_review(
                    risk_ids=[r.pk for r in [*risks, closed]], reason="Red signal on x"
                )
                == 3
            )
    connection.set_schema_to_public()
    for risk in risks:
        entries = _entries(api("a", "admin"), to_base64("Risk", risk.pk))
        (flagged,) = [e for e in entries if "review_flag" in _changes(e)]
        assert flagged["madeBy"] == "system: test job 1"
        assert _changes(flagged)["review_flag"] == ("", "Red signal on x")
    closed_entries = _entries(api("a", "admin"), to_base64("Risk", closed.pk))
    assert not [e for e in closed_entries if "review_flag" in _changes(e)]


def test_a_daily_run_twice_adds_no_second_entry(world):
    """Idempotent runs leave an idempotent trail: the second run changes nothing, records nothing."""
    from auditlog.models import LogEntry
    from django.utils import timezone

    from apps.risks.models import RiskCategory
    from apps.risks.services import assessments, controls, register
    from apps.risks.services.daily import run_daily

    with schema_context(world.a.schema_name):
        credit = RiskCategory.objects.get(code="credit")
        risk = register.risk_create(title="Controlled", category_id=credit.pk)
        assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=4, impact=4)
        controls.control_save(
            name="Maker-checker",
            control_type="preventive",
            kind="authorisation",
            effectiveness="effective",
            risk_ids=[risk.pk],
        )
        since = timezone.now() - timedelta(days=1)
        before = LogEntry.objects.count()
        assert run_daily(since=since)["residual_proposals"] == 1
        after_first = LogEntry.objects.count()
        assert after_first == before + 1  # the proposal on the risk
        assert run_daily(since=since)["residual_proposals"] == 0
        assert LogEntry.objects.count() == after_first
    connection.set_schema_to_public()


def test_moving_a_risk_to_another_category_refreshes_its_appetite_flag_on_the_record(world):
    """The appetite is the category's: a move re-derives the flag, and the history says so."""
    from auditlog.models import LogEntry

    from apps.core.audit import field_changes
    from apps.risks.models import Risk, RiskCategory
    from apps.risks.services import assessments, configuration, register

    with schema_context(world.a.schema_name):
        credit = RiskCategory.objects.get(code="credit")
        market = RiskCategory.objects.get(code="market")
        configuration.appetite_set(category_id=credit.pk, max_level="low")
        configuration.appetite_set(category_id=market.pk, max_level="critical")
        risk = register.risk_create(title="Moves", category_id=credit.pk)
        assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=4, impact=4)
        assert Risk.objects.get(pk=risk.pk).above_appetite is True
        register.risk_update(risk_id=risk.pk, category_id=market.pk)
        assert Risk.objects.get(pk=risk.pk).above_appetite is False
        moves = [
            {c.field: (c.before, c.after) for c in field_changes(entry)}
            for entry in LogEntry.objects.filter(object_pk=str(risk.pk)).order_by("timestamp")
        ]
        assert {"category": ("Credit risk (credit)", "Market risk (market)")} in moves
        assert {"above_appetite": ("yes", "no")} in moves
    connection.set_schema_to_public()
