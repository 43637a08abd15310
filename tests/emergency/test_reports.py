"""The event report of an activation and the drill report, written as PDF and XLSX and read
back (pdfminer, openpyxl): hand-known values of a scripted incident and drill, Chinese text
included; communication deadlines met/missed; per-step drill timings."""

import base64
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from tests.emergency.conftest import level, make_plan
from tests.emergency.test_plans import codes

REPORT = """query($id: ID!, $f: EmergencyReportFormat!) {
  activationReport(id: $id, format: $f) { filename contentType contentBase64 rowCount } }"""
DRILL_REPORT = """query($id: ID!, $f: EmergencyReportFormat!) {
  drillReport(id: $id, format: $f) { filename contentType contentBase64 rowCount } }"""


def when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def approve(world, plan, **content):
    from apps.emergency.services import plans

    draft = plan.versions.get()
    plans.version_update(version_id=draft.pk, **content)
    plans.version_transition(version_id=draft.pk, to="in_review", actor=world.user("a", "analyst"))
    plans.version_transition(
        version_id=draft.pk,
        to="approved",
        actor=world.user("a", "risk_manager"),
        actor_role="risk_manager",
    )


def scripted_incident(world, org):
    """Declared at t0 (six hours ago, level II: regulator within 4 h), then: step 1 (due
    t0+30) done at t0+45 — late; step 2 (due t0+120) done at t0+100; staff told at t0+20
    (deadline 30: met), customers at t0+150 (deadline 120: missed), regulators never
    (deadline 60: missed); the regulator report at t0+3h (met); closed at t0+5h."""
    from apps.emergency.services import activations, response

    t0 = (timezone.now() - timedelta(hours=6)).replace(second=0, microsecond=0)
    plan = make_plan(world, org, approve=False)
    approve(
        world,
        plan,
        communications=[
            {"audience": "staff", "channel": "email", "deadline_minutes": 30},
            {"audience": "regulators", "channel": "regulator_portal", "deadline_minutes": 60},
            {"audience": "customers", "channel": "sms", "deadline_minutes": 120},
            {"audience": "press", "channel": "press_release"},
        ],
    )
    analyst = world.user("a", "analyst")
    activation = activations.activation_declare(
        plan_id=plan.pk,
        level_id=level("II").pk,
        title="数据中心断电",
        description="机房停电导致核心系统中断",
        location="上海",
        detected_at=t0 - timedelta(minutes=10),
        amount_involved="1250000.50",
        estimated_loss="300000.00",
        affected_customers=1200,
        actor=analyst,
        now=t0,
    )
    first, second = activation.tasks.order_by("position")
    at = lambda minutes: t0 + timedelta(minutes=minutes)  # noqa: E731
    response.task_transition(task_id=first.pk, to="in_progress", now=at(5))
    response.task_transition(task_id=first.pk, to="done", now=at(45))
    response.task_transition(task_id=second.pk, to="in_progress", now=at(50))
    response.task_transition(task_id=second.pk, to="done", now=at(100))
    response.communication_record(
        activation_id=activation.pk,
        audience="staff",
        channel="email",
        summary="全员通知：核心系统中断",
        sent_at=at(20),
    )
    response.communication_record(
        activation_id=activation.pk,
        audience="customers",
        channel="sms",
        summary="服务暂停通知",
        sent_at=at(150),
    )
    response.communication_record(
        activation_id=activation.pk,
        audience="staff",
        channel="meeting",
        summary="Second briefing",
        sent_at=at(160),
    )
    response.note_add(activation_id=activation.pk, text="已切换至灾备中心", pinned=True, at=at(100))
    report = activation.regulator_reports.get()
    response.regulator_report_submit(
        report_id=report.pk, submitted_at=at(180), reference="监管-001"
    )
    activations.activation_close(
        activation_id=activation.pk,
        root_cause="UPS 故障",
        lessons_learned="双路供电",
        follow_up_actions="更换 UPS",
        plan_rating=4,
        now=at(300),
    )
    return activation, t0


def sheets(content: bytes) -> dict:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def pdf_text(content: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(content))


def test_the_event_report_as_xlsx_and_pdf(in_a, org):
    from apps.emergency.selectors.reports import activation_report
    from apps.emergency.services.report_files import report_file

    activation, t0 = scripted_incident(in_a, org)
    at = lambda minutes: when(t0 + timedelta(minutes=minutes))  # noqa: E731
    written = report_file(activation_report(activation.pk), "xlsx")
    assert written.filename == f"event-report-{t0:%Y%m%d}-outage.xlsx"
    book = sheets(written.content)
    assert list(book) == [
        "Overview",
        "Timeline",
        "Tasks",
        "Roles",
        "Communications",
        "Communication deadlines",
        "Regulator reports",
        "Evaluation",
    ]
    overview = {row[0]: row[1] for row in book["Overview"][1:]}
    assert overview["事件 Event"] == "数据中心断电"
    assert overview["地点 Place"] == "上海"
    assert overview["性质 Nature"] == "机房停电导致核心系统中断"
    assert overview["级别 Level"] == "II Serious"
    assert overview["发现时间 Detected"] == at(-10)
    assert overview["宣布时间 Declared"] == at(0)
    assert overview["关闭时间 Closed"] == at(300)
    assert overview["涉及金额 Amount involved"] == "1,250,000.50 CNY"
    assert overview["估计损失 Estimated loss"] == "300,000.00 CNY"
    assert overview["受影响客户 Affected customers"] == "1200"
    phase = "Emergency response"
    assert book["Tasks"][1:3] == [
        ["1", phase, "Confirm the outage", "Person E2", at(30), at(45), "Done", "是 yes"],
        ["2", phase, "Switch to DR", "Person E1", at(120), at(100), "Done", None],
    ]
    assert book["Tasks"][-1][0] == "1 late of 2"
    assert book["Communication deadlines"][1:] == [
        ["staff", "30", at(30), at(20), "met"],
        ["customers", "120", at(120), at(150), "missed"],
        ["regulators", "60", at(60), None, "missed"],
    ]
    assert book["Regulator reports"][1:] == [["II", at(240), at(180), "监管-001", "met"]]
    assert book["Roles"][1:] == [
        ["Commander", "Person E1", at(0), None],
        ["Deputy commander", "Person E2", at(0), None],
    ]
    evaluation = {row[0]: row[1] for row in book["Evaluation"][1:]}
    assert evaluation["根本原因 Root cause"] == "UPS 故障"
    assert evaluation["预案评分 Plan rating (1–5)"] == "4"
    timeline = book["Timeline"][1:]
    told = [row[2] for row in timeline if row[1] == "Communication sent"]
    assert told == [
        f"To Staff at {at(20)} (met the 30-minute deadline): 全员通知：核心系统中断",
        f"To Customers at {at(150)} (missed the 120-minute deadline): 服务暂停通知",
        f"To Staff at {at(160)}: Second briefing",  # staff's deadline was settled already
    ]
    assert [at(100), "Note", "已切换至灾备中心", "是 yes"] in timeline
    assert timeline[-1][:2] == [at(300), "Closed"]

    pdf = report_file(activation_report(activation.pk), "pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.content_type == "application/pdf"
    text = pdf_text(pdf.content)
    for shown in ("事件报告", "数据中心断电", "上海", "1,250,000.50 CNY", "UPS 故障", "监管-001"):
        assert shown in text
    assert "全员通知：核心系统中断" in text.replace("\n", "")
    assert pdf.row_count == written.row_count


def scripted_drill(world, org, code="outage"):
    from apps.emergency.services import drills

    plan = make_plan(world, org, code=code, approve=False)
    approve(world, plan, success_criteria=["4小时内恢复服务", "Customers told within 1 hour"])
    held = timezone.localdate() - timedelta(days=1)
    drill = drills.drill_schedule(plan_id=plan.pk, scheduled_on=held, kind="functional")
    return drill, held


def test_a_drill_records_criteria_and_step_timings_and_its_report(in_a, org):
    from apps.emergency.selectors.reports import drill_report
    from apps.emergency.services import drills
    from apps.emergency.services.report_files import report_file

    drill, held = scripted_drill(in_a, org)
    drills.drill_record(
        drill_id=drill.pk,
        result="partial",
        held_on=held,
        summary="切换慢于目标",
        criteria_met=[True, False],
        # Step 1: target 30, done at 25. Step 2: target 120, done at 150 (late, 120 elapsed).
        step_timings=[
            {"position": 1, "started_minutes": 0, "finished_minutes": 25},
            {"position": 2, "started_minutes": 30, "finished_minutes": 150},
        ],
    )
    drills.finding_create(
        drill_id=drill.pk, title="切换脚本过时", severity="high", owner_id=org["cy"].pk
    )
    book = sheets(report_file(drill_report(drill.pk), "xlsx").content)
    assert list(book) == ["Overview", "Success criteria", "Step timings", "Findings"]
    overview = {row[0]: row[1] for row in book["Overview"][1:]}
    assert overview["结果 Result"] == "Partial"
    assert overview["实施日期 Held"] == str(held)
    assert book["Success criteria"][1:] == [
        ["1", "4小时内恢复服务", "达成 met"],
        ["2", "Customers told within 1 hour", "未达成 not met"],
    ]
    assert book["Step timings"][1:3] == [  # then a blank row and the note
        ["1", "Confirm the outage", "30", "0", "25", "25", None],
        ["2", "Switch to DR", "120", "30", "150", "120", "是 yes"],
    ]
    assert book["Findings"][1:] == [["切换脚本过时", "High", "Person E3", None, "Open"]]
    text = pdf_text(report_file(drill_report(drill.pk), "pdf").content)
    for shown in ("演练报告", "4小时内恢复服务", "切换脚本过时", "未达成"):
        assert shown in text


def test_bad_drill_measurements_are_refused_and_nothing_is_recorded(in_a, org):
    from apps.emergency.models import DrillStepTiming
    from apps.emergency.services import drills

    drill, held = scripted_drill(in_a, org)
    bad = {
        "criteria_met": ([True], {"step_timings": []}),
        "step_timings.1.position": (
            [True, True],
            {"step_timings": [{"position": 1, "finished_minutes": 5}, {"position": 9}]},
        ),
        "step_timings.0.finished_minutes": (
            [True, True],
            {"step_timings": [{"position": 1, "started_minutes": 10, "finished_minutes": 5}]},
        ),
    }
    for field, (criteria, extra) in bad.items():
        with pytest.raises(ValidationError) as refused:
            drills.drill_record(
                drill_id=drill.pk, result="pass", held_on=held, criteria_met=criteria, **extra
            )
        assert codes(refused.value) == {field: ["invalid"]}
    drill.refresh_from_db()
    assert (drill.status, drill.criteria_met) == ("scheduled", [])
    assert not DrillStepTiming.objects.exists()


def test_reports_and_measurements_through_the_api(api, world):
    with schema_context(world.a.schema_name):
        from tests.emergency.conftest import org_people

        org = org_people(world)
        activation, t0 = scripted_incident(world, org)
        drill, held = scripted_drill(world, org, code="drill")
        activation_id = to_base64("Activation", activation.pk)
        drill_id = to_base64("Drill", drill.pk)
    connection.set_schema_to_public()
    viewer = api("a", "viewer")
    answer = viewer.ok(REPORT, {"id": activation_id, "f": "XLSX"})["activationReport"]
    assert answer["contentType"].endswith("spreadsheetml.sheet")
    book = sheets(base64.b64decode(answer["contentBase64"]))
    assert book["Overview"][1] == ["事件 Event", "数据中心断电"]
    # Rows by hand: 15 facts; 13 events (declared, 2 roles, 2 × start/done, 3 told, note,
    # regulator, closed); 2 tasks, 2 roles, 3 communications, 3 deadlines, 1 report, 4 lines.
    assert answer["rowCount"] == 15 + 13 + 2 + 2 + 3 + 3 + 1 + 4
    deadlines = viewer.ok(
        "query($id: ID!) { activation(id: $id) { communicationDeadlines { audience "
        "deadlineMinutes outcome } } }",
        {"id": activation_id},
    )["activation"]["communicationDeadlines"]
    assert deadlines == [
        {"audience": "STAFF", "deadlineMinutes": 30, "outcome": "MET"},
        {"audience": "CUSTOMERS", "deadlineMinutes": 120, "outcome": "MISSED"},
        {"audience": "REGULATORS", "deadlineMinutes": 60, "outcome": "MISSED"},
    ]

    record = """mutation($i: DrillRecordInput!) { drillRecord(input: $i) { errors { field code }
      drill { criteriaMet stepTimings { edges { node { position elapsedMinutes late } } } } } }"""
    analyst = api("a", "analyst")
    refused = analyst.ok(
        record,
        {"i": {"id": drill_id, "result": "PASS", "heldOn": str(held), "criteriaMet": [True]}},
    )
    assert refused["drillRecord"] == {
        "errors": [{"field": "criteriaMet", "code": "INVALID"}],
        "drill": None,
    }
    timings = [{"position": 2, "startedMinutes": 10, "finishedMinutes": 100}]
    recorded = analyst.ok(
        record,
        {
            "i": {
                "id": drill_id,
                "result": "PASS",
                "heldOn": str(held),
                "criteriaMet": [True, True],
                "stepTimings": timings,
            }
        },
    )["drillRecord"]
    assert recorded == {
        "errors": [],
        "drill": {
            "criteriaMet": [True, True],
            "stepTimings": {
                "edges": [{"node": {"position": 2, "elapsedMinutes": 90, "late": False}}]
            },
        },
    }
    pdf = viewer.ok(DRILL_REPORT, {"id": drill_id, "f": "PDF"})["drillReport"]
    assert pdf["filename"] == f"drill-report-{held:%Y%m%d}-drill.pdf"
    assert "4小时内恢复服务" in pdf_text(base64.b64decode(pdf["contentBase64"]))

    # Tenant B: neither report exists there.
    other = api("b", "admin")
    assert other.ok(REPORT, {"id": activation_id, "f": "PDF"})["activationReport"] is None
    assert other.ok(DRILL_REPORT, {"id": drill_id, "f": "XLSX"})["drillReport"] is None
