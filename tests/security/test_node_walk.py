"""Authorisation on types: every Node type of the tenant schema, fetched by `node(id:)` as each
role of its own tenant and as the admin of the other tenant.

The expected lowest role per object is written here by hand (not read from the types'
`min_role`), and a test fails when the schema gains a Node type this walk does not know.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.accounts import services as accounts
from apps.accounts.models import ApiToken, Membership
from apps.core.graphql.nodes import TenantNode, tenant_node_types
from config.schema import schema

ROLES = ["viewer", "analyst", "risk_manager", "admin"]


def _objects(world) -> dict[str, object]:
    """One object per case of CASES: case name → primary key. Built in tenant A."""
    from apps.core import services as jobs
    from apps.core.module import JOB_DIAGNOSTICS
    from apps.early_warning.services import indicators
    from apps.early_warning.services.ingestion import PointIn, ingest
    from apps.early_warning.services.scans import scan
    from apps.notifications import services as notifications
    from apps.people.services.departments import department_create
    from apps.people.services.people import person_create
    from apps.risks.models import RiskCategory, RiskMatrix
    from apps.risks.services import acceptance, assessments, configuration, controls, register
    from apps.risks.services.reviews import review_record

    analyst, manager = world.user("a", "analyst"), world.user("a", "risk_manager")
    credit = RiskCategory.objects.get(code="credit")
    risk = register.risk_create(
        title="Walk",
        category_id=credit.pk,
        status="open",
        treatment_strategy="accept",
    )
    assessment = assessments.assessment_record(
        risk_id=risk.pk, kind="inherent", likelihood=2, impact=2
    )
    control = controls.control_save(
        name="Four eyes", control_type="preventive", kind="authorisation", risk_ids=[risk.pk]
    )
    action = controls.action_create(risk_id=risk.pk, title="Train staff")
    review = review_record(risk_id=risk.pk, actor=analyst)
    accepted = acceptance.acceptance_request(
        risk_id=risk.pk,
        actor=analyst,
        justification="Small.",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    appetite = configuration.appetite_set(category_id=credit.pk, max_level="medium")
    limit = configuration.limit_save(name="Exposure", cap=100, risk_id=risk.pk)
    from apps.risks.services.losses import loss_event_record

    (loss,) = loss_event_record(
        risk_ids=[risk.pk], occurred_at=timezone.now(), amount=None, currency="CNY",
        description="Walk.", source="walk", reference="walk",
    )  # fmt: skip
    indicator = indicators.indicator_save(
        code="walk", name="Walk", category_id=credit.pk, amber=1.0, red=2.0, frequency_minutes=60
    )
    rule = indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
    ingest([PointIn("walk", timezone.now() - timedelta(hours=1), 5.0, None)])
    scan(indicator_ids=[indicator.pk], now=timezone.now())
    signal = indicator.signals.get()
    from apps.early_warning.services.signals import signal_comment_add

    comment = signal_comment_add(signal_id=signal.pk, body="Walk.", actor=analyst)
    job = jobs.job_create(kind=JOB_DIAGNOSTICS)
    hook = notifications.webhook_create(name="h", url="https://example.com/hook")
    delivery = notifications.publish(
        event="risks.review_overdue", payload={"risk": str(risk.pk)}, dedup_key="walk"
    )[0]
    from auditlog.models import LogEntry

    risk_entry = LogEntry.objects.get_for_object(risk).first()
    token = accounts.token_issue(user=manager, tenant=world.a, name="walk")
    token_entry = LogEntry.objects.get_for_object(ApiToken.objects.get(pk=token.token.pk)).first()
    hook_entry = LogEntry.objects.get_for_object(hook).first()
    assert risk_entry and token_entry and hook_entry  # the walk needs each of them
    department = department_create(code="walk", name_en="Walk")
    person = person_create(employee_number="W1", full_name="Walker", department_id=department.pk)
    from apps.training.services import courses, records, requirements

    course = courses.course_create(code="walk", title_en="Walk", topic="ethics", format="exam")
    requirement = requirements.requirement_create(course_id=course.pk, person_ids=[person.pk])
    record = records.record_create(
        person_id=person.pk, course_id=course.pk, completed_at=timezone.now() - timedelta(hours=1)
    )
    exemption = records.exemption_grant(
        person_id=person.pk, course_id=course.pk, reason="Walk.", actor=manager
    )
    from apps.training.services.owners import owner_set

    owner = owner_set(department_id=department.pk, person_id=person.pk)
    from tests.emergency.walk import emergency_objects

    emergency = emergency_objects(
        analyst=analyst, manager=manager, person=person, control=control, signal=signal
    )
    from apps.training.services import campaigns, sessions

    session = sessions.session_create(
        course_id=course.pk,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=2),
        instructor="Walk",
        location="Room 1",
        capacity=5,
    )
    enrolment = sessions.enrolment_create(session_id=session.pk, person_id=person.pk)
    campaign = campaigns.campaign_create(
        code="walk",
        title="Walk",
        topic="scams_and_phishing",
        segment="elderly",
        channel="wechat",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        planned_reach=10,
    )
    from apps.reputation.models import LexiconTerm, Mention
    from apps.reputation.services import complaints, ingestion, sources

    source = sources.source_create(code="walk", name="Walk", channel="news")
    ingestion.ingest([ingestion.MentionIn("walk", "w1", timezone.now(), "Walk")])
    mention = Mention.objects.get(external_id="w1")
    complaint = complaints.complaint_create(
        reference="walk", channel="online", category="fees", summary="Walk."
    )
    from apps.reputation.models import BrandMetric, Topic
    from apps.reputation.services.brand import brand_metrics_ingest

    category_sla = complaints.category_sla_set(
        category="fees", response_hours=1, resolution_hours=2
    )
    brand_metrics_ingest(
        metrics=[
            {"metric": "nps", "source": "walk", "period_start": timezone.localdate(),
             "period_end": timezone.localdate(), "value": 10}
        ]
    )  # fmt: skip
    from apps.assessments.models import Scorecard
    from apps.assessments.services.datasets import dataset_version_from_arrays
    from apps.assessments.services.execute import execute
    from apps.assessments.services.runs import run_create
    from tests.assessments.conftest import loan_book_arrays

    book = dataset_version_from_arrays(arrays=loan_book_arrays(), name="walk", kind="loan_book")
    development = run_create(kind="scorecard_development", loan_book=book.pk, seed=1)
    execute(development.job)
    from apps.assessments.services.schedules import schedule_create

    schedule = schedule_create(name="walk", template_id=development.pk, cadence="daily")
    from apps.assessments.services.uploads import upload_start

    upload_session = upload_start(file_format="csv", name="walk upload", kind="positions")
    from apps.assessments.services import reserve

    card = Scorecard.objects.get(run=development)
    scoring = run_create(kind="credit_scoring", loan_book=book.pk, scorecard_id=card.pk, seed=1)
    execute(scoring.job)
    fund = reserve.reserve_fund_create(name="walk", currency="CNY", target="10")
    movement = reserve.reserve_movement_create(
        fund_id=fund.pk, kind="contribution", amount="5", reason="walk"
    )
    adequacy = reserve.reserve_adequacy_assess(fund_id=fund.pk, run_id=scoring.pk)
    return {
        **emergency,
        "assessment dataset": book.dataset_id,
        "assessment dataset version": book.pk,
        "assessment run": development.pk,
        "scorecard": Scorecard.objects.get(run=development).pk,
        "assessment run schedule": schedule.pk,
        "assessment upload": upload_session.pk,
        "reserve fund": fund.pk,
        "reserve movement": movement.pk,
        "reserve adequacy": adequacy.pk,
        "mention source": source.pk,
        "mention": mention.pk,
        "story": mention.story_id,
        "lexicon term": LexiconTerm.objects.first().pk,
        "complaint": complaint.pk,
        "mention topic": Topic.objects.get(code="fees").pk,
        "complaint category sla": category_sla.pk,
        "brand metric": BrandMetric.objects.get(source="walk").pk,
        "course": course.pk,
        "training requirement": requirement.pk,
        "training record": record.pk,
        "training exemption": exemption.pk,
        "training session": session.pk,
        "training owner": owner.pk,
        "enrolment": enrolment.pk,
        "education campaign": campaign.pk,
        "department": department.pk,
        "person": person.pk,
        "risk": risk.pk,
        "category": credit.pk,
        "matrix": RiskMatrix.objects.get(is_active=True).pk,
        "assessment": assessment.pk,
        "control": control.pk,
        "action": action.pk,
        "review": review.pk,
        "acceptance": accepted.pk,
        "appetite": appetite.pk,
        "limit": limit.pk,
        "loss event": loss.pk,
        "indicator": indicator.pk,
        "rule": rule.pk,
        "signal": signal.pk,
        "signal comment": comment.pk,
        "job": job.pk,
        "webhook": hook.pk,
        "delivery": delivery.pk,
        "risk audit entry": risk_entry.pk,
        "token audit entry": token_entry.pk,
        "webhook audit entry": hook_entry.pk,
        "member": Membership.objects.get(tenant=world.a, user=analyst).pk,
        "user": analyst.pk,
        "risk manager's token": token.token.pk,
    }


# Each case: its GraphQL type, and the lowest role of tenant A that may read it ("owner": only
# the risk manager, who owns the token, and admins).
CASES = {
    "risk": ("Risk", "viewer"),
    "category": ("RiskCategory", "viewer"),
    "matrix": ("RiskMatrix", "viewer"),
    "assessment": ("RiskAssessment", "viewer"),
    "control": ("Control", "viewer"),
    "action": ("TreatmentAction", "viewer"),
    "review": ("RiskReview", "viewer"),
    "acceptance": ("RiskAcceptance", "viewer"),
    "appetite": ("RiskAppetite", "viewer"),
    "limit": ("RiskLimit", "viewer"),
    "loss event": ("RiskLossEvent", "viewer"),
    "indicator": ("Indicator", "viewer"),
    "rule": ("Rule", "viewer"),
    "signal": ("WarningSignal", "viewer"),
    "signal comment": ("SignalComment", "viewer"),
    "job": ("Job", "viewer"),
    "webhook": ("Webhook", "admin"),
    "delivery": ("WebhookDelivery", "admin"),
    "risk audit entry": ("AuditEntry", "viewer"),
    "token audit entry": ("AuditEntry", "admin"),
    "webhook audit entry": ("AuditEntry", "admin"),
    "member": ("Member", "viewer"),
    "user": ("User", "viewer"),  # a member of A; from B (not a member there): null
    "risk manager's token": ("ApiToken", "owner"),
    "department": ("Department", "viewer"),
    "person": ("Person", "viewer"),
    "course": ("Course", "viewer"),
    "training requirement": ("TrainingRequirement", "viewer"),
    "training record": ("TrainingRecord", "viewer"),
    "training exemption": ("TrainingExemption", "viewer"),
    "emergency scenario": ("EmergencyScenario", "viewer"),
    "severity level": ("SeverityLevel", "viewer"),
    "emergency plan": ("EmergencyPlan", "viewer"),
    "plan version": ("PlanVersion", "viewer"),
    "plan role": ("PlanRole", "viewer"),
    "plan step": ("PlanStep", "viewer"),
    "plan trigger": ("PlanTrigger", "viewer"),
    "plan strategy": ("PlanLevelStrategy", "viewer"),
    "plan resource": ("PlanResource", "viewer"),
    "plan communication": ("PlanCommunication", "viewer"),
    "activation": ("Activation", "viewer"),
    "activation task": ("ActivationTask", "viewer"),
    "activation role": ("ActivationRole", "viewer"),
    "timeline event": ("TimelineEvent", "viewer"),
    "activation communication": ("ActivationCommunication", "viewer"),
    "regulator report": ("RegulatorReport", "viewer"),
    "drill": ("Drill", "viewer"),
    "drill finding": ("DrillFinding", "viewer"),
    "drill step timing": ("DrillStepTiming", "viewer"),
    "training session": ("TrainingSession", "viewer"),
    "training owner": ("TrainingOwner", "viewer"),
    "enrolment": ("Enrolment", "viewer"),
    "education campaign": ("EducationCampaign", "viewer"),
    "mention source": ("MentionSource", "viewer"),
    "mention": ("Mention", "viewer"),
    "story": ("Story", "viewer"),
    "lexicon term": ("SentimentLexiconTerm", "viewer"),
    "complaint": ("Complaint", "analyst"),
    "mention topic": ("MentionTopic", "viewer"),
    "complaint category sla": ("ComplaintCategorySla", "viewer"),
    "brand metric": ("BrandMetric", "viewer"),
    "assessment dataset": ("AssessmentDataset", "viewer"),
    "assessment dataset version": ("AssessmentDatasetVersion", "viewer"),
    "assessment run": ("AssessmentRun", "viewer"),
    "scorecard": ("Scorecard", "viewer"),
    "assessment run schedule": ("AssessmentRunSchedule", "viewer"),
    "assessment upload": ("AssessmentUpload", "viewer"),
    "reserve fund": ("ReserveFund", "viewer"),
    "reserve movement": ("ReserveMovement", "viewer"),
    "reserve adequacy": ("ReserveAdequacy", "viewer"),
}


def _may_read(expected: str, role: str) -> bool:
    if expected == "owner":
        return role in ("risk_manager", "admin")
    return ROLES.index(role) >= ROLES.index(expected)


@pytest.fixture
def walk(world):
    with schema_context(world.a.schema_name):
        objects = _objects(world)
    connection.set_schema_to_public()
    return objects


def test_every_node_type_of_the_schema_is_walked():
    walked = {type_name for type_name, _ in CASES.values()}
    assert set(tenant_node_types(schema)) - walked == set(), "add the new type to this walk"


def test_every_node_type_derives_from_the_base_and_declares_its_role():
    for name, origin in tenant_node_types(schema).items():
        assert issubclass(origin, TenantNode), f"{name} must derive from TenantNode"
        assert "min_role" in origin.__dict__, f"{name} must declare min_role"


def test_node_answers_each_role_what_its_role_allows(api, walk):
    assert set(walk) == set(CASES)
    clients = {role: api("a", role) for role in ROLES}
    other_tenant = api("b", "admin")
    seen = {}
    for case, pk in walk.items():
        type_name = CASES[case][0]
        # Audit entries are numbered per schema: their ids carry the schema (ScopedIdNode).
        gid = to_base64(type_name, f"tenant_a.{pk}" if type_name == "AuditEntry" else pk)
        for role, client in clients.items():
            node = client.ok("query($id: ID!) { node(id: $id) { id } }", {"id": gid})["node"]
            seen[(case, role)] = node is not None
        assert (
            other_tenant.ok("query($id: ID!) { node(id: $id) { id } }", {"id": gid})["node"] is None
        ), f"{case} of A visible from B"
    expected = {(case, role): _may_read(CASES[case][1], role) for case in walk for role in ROLES}
    wrong = sorted(key for key in expected if expected[key] != seen[key])
    assert wrong == [], wrong
