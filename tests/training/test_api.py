"""The GraphQL surface: writes through typed errors that change nothing, lists with filters and
ordering, a person's status, and tenant B seeing nothing of tenant A."""

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.training.models import Course, TrainingRecord

CREATE = """mutation($i: CourseCreateInput!) { courseCreate(input: $i) {
  errors { field message code } course { id code title version topic validityMonths } } }"""
UPDATE = """mutation($i: CourseUpdateInput!) { courseUpdate(input: $i) {
  errors { field code } course { version requiresRetrainingSince } } }"""
REQUIRE = """mutation($i: RequirementCreateInput!) { requirementCreate(input: $i) {
  errors { field code } requirement { id departmentIds recurrence course { code } } } }"""
RECORD = """mutation($i: RecordCreateInput!) { recordCreate(input: $i) {
  errors { field code } record { id passed expiresOn person { employeeNumber } } } }"""
EXEMPT = """mutation($i: ExemptionGrantInput!) { exemptionGrant(input: $i) {
  errors { field code } exemption { reason approvedBy { email } } } }"""

Y = timezone.now().year - 1  # last year: always in the past, whatever the date


def _course(manager, **extra):
    fields = {"code": "aml", "titleEn": "AML", "topic": "COMPLIANCE", "format": "ONLINE"}
    return manager.ok(CREATE, {"i": {**fields, **extra}})["courseCreate"]


def test_course_writes_and_their_typed_errors(api, world):
    manager = api("a", "risk_manager")
    made = _course(manager, validityMonths=12)
    assert made["errors"] == [] and made["course"]["version"] == 1
    assert made["course"]["title"] == "AML"
    refused = _course(manager, passScore=150, titleEn="")
    assert sorted((e["field"], e["code"]) for e in refused["errors"]) == [
        ("code", "CODE_TAKEN"),
        ("passScore", "INVALID"),
        ("titleZh", "INVALID"),
    ]
    bad_category = _course(manager, code="x", riskCategories=[to_base64("RiskCategory", "nope")])
    assert [(e["field"], e["code"]) for e in bad_category["errors"]] == [
        ("riskCategories", "NOT_FOUND")
    ]
    gid = made["course"]["id"]
    minor = manager.ok(UPDATE, {"i": {"id": gid, "titleEn": "AML 2"}})["courseUpdate"]
    assert minor["course"] == {"version": 1, "requiresRetrainingSince": None}
    material = manager.ok(UPDATE, {"i": {"id": gid, "material": True}})["courseUpdate"]
    assert material["course"]["version"] == 2 and material["course"]["requiresRetrainingSince"]
    with schema_context(world.a.schema_name):
        assert Course.objects.count() == 1


def test_requirement_record_exemption_and_status(api, world):
    from apps.people.services import departments, people

    with schema_context(world.a.schema_name):
        risk = departments.department_create(code="risk", name_en="Risk")
        person = people.person_create(employee_number="E1", full_name="Ana", department_id=risk.pk)
        dept_id, person_id = to_base64("Department", risk.pk), to_base64("Person", person.pk)
    connection.set_schema_to_public()
    manager = api("a", "risk_manager")
    course = _course(manager, validityMonths=12, passScore=60)["course"]["id"]
    nobody = manager.ok(REQUIRE, {"i": {"course": course}})["requirementCreate"]
    assert [e["code"] for e in nobody["errors"]] == ["INVALID"]
    missing = manager.ok(
        REQUIRE, {"i": {"course": course, "departments": [to_base64("Department", "x")]}}
    )["requirementCreate"]
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("departments", "NOT_FOUND")]
    made = manager.ok(
        REQUIRE,
        {"i": {"course": course, "departments": [dept_id], "recurrence": "COURSE_VALIDITY"}},
    )["requirementCreate"]
    assert made["errors"] == [] and made["requirement"]["departmentIds"] == [dept_id]
    attempt = {"person": person_id, "course": course, "completedAt": f"{Y}-01-05T10:00:00Z"}
    failed = manager.ok(RECORD, {"i": {**attempt, "score": 40}})["recordCreate"]
    assert failed["record"]["passed"] is False and failed["record"]["expiresOn"] is None
    twice = manager.ok(RECORD, {"i": {**attempt, "score": 90}})["recordCreate"]
    assert [(e["field"], e["code"]) for e in twice["errors"]] == [("completedAt", "RECORD_EXISTS")]
    passed = manager.ok(
        RECORD, {"i": {**attempt, "completedAt": f"{Y}-01-06T10:00:00Z", "score": 90}}
    )["recordCreate"]
    assert passed["record"] == {
        "id": passed["record"]["id"],
        "passed": True,
        "expiresOn": f"{Y + 1}-01-06",
        "person": {"employeeNumber": "E1"},
    }
    status = manager.ok(
        "query($p: ID!, $d: Date) { trainingStatus(person: $p, asOf: $d) "
        "{ status dueOn lastCompletedOn expiresOn course { code } } }",
        {"p": person_id, "d": f"{Y}-06-01"},
    )["trainingStatus"]
    # the requirement was created today: on June 1 of last year it may not exist yet
    assert status[0]["course"] == {"code": "aml"} and len(status) == 1
    exempt = manager.ok(EXEMPT, {"i": {"person": person_id, "course": course, "reason": " "}})
    assert [(e["field"], e["code"]) for e in exempt["exemptionGrant"]["errors"]] == [
        ("reason", "INVALID")
    ]
    granted = manager.ok(EXEMPT, {"i": {"person": person_id, "course": course, "reason": "Ext."}})
    assert granted["exemptionGrant"]["exemption"]["approvedBy"]["email"] == (
        world.user("a", "risk_manager").email
    )
    records = manager.ok(
        "query($p: ID!) { trainingRecords(filter: {person: $p, passed: true}) "
        "{ totalCount edges { node { completedAt } } } }",
        {"p": person_id},
    )["trainingRecords"]
    assert records["totalCount"] == 1
    with schema_context(world.a.schema_name):
        assert TrainingRecord.objects.count() == 2


def test_lists_filter_and_order(api):
    manager = api("a", "risk_manager")
    _course(manager, code="b_course", titleEn="Zeta")
    _course(manager, code="a_course", titleEn="Alpha", topic="ETHICS")
    _course(manager, code="c_course", titleEn="Mid", active=False)
    codes = lambda body: [e["node"]["code"] for e in body["courses"]["edges"]]  # noqa: E731
    assert codes(manager.ok("{ courses { edges { node { code } } } }")) == [
        "a_course",
        "b_course",
        "c_course",
    ]
    assert codes(
        manager.ok(
            "{ courses(filter: {active: true}, orderBy: [{field: CREATED, direction: DESC}]) "
            "{ edges { node { code } } } }"
        )
    ) == ["a_course", "b_course"]
    by_title = "{ courses(orderBy: [{field: TITLE, direction: DESC}]) { edges { node { code } } } }"
    assert codes(manager.ok(by_title)) == ["b_course", "c_course", "a_course"]  # Zeta, Mid, Alpha
    assert codes(
        manager.ok("{ courses(filter: {topics: [ETHICS]}) { edges { node { code } } } }")
    ) == ["a_course"]
    assert codes(
        manager.ok('{ courses(filter: {search: "zet"}) { edges { node { code } } } }')
    ) == ["b_course"]


def test_tenant_b_sees_nothing_of_tenant_a(api):
    made = _course(api("a", "risk_manager"))["course"]["id"]
    other = api("b", "admin")
    assert other.ok("{ courses { totalCount } }")["courses"]["totalCount"] == 0
    assert other.ok("query($id: ID!) { course(id: $id) { code } }", {"id": made})["course"] is None
    refused = other.ok(UPDATE, {"i": {"id": made, "titleEn": "B's"}})["courseUpdate"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("id", "NOT_FOUND")]
    assert other.ok("{ trainingCoverage(groupBy: COURSE) { required } }")["trainingCoverage"] == []


def test_training_status_of_a_person_and_a_date_out_of_range(api, world):
    from apps.people.services import people
    from apps.training.services.courses import course_create
    from apps.training.services.requirements import requirement_create

    with schema_context(world.a.schema_name):
        ana = people.person_create(employee_number="E1", full_name="Ana", job_role="teller")
        must = course_create(code="must", title_en="Must", topic="legal", format="exam")
        course_create(code="other", title_en="Other", topic="legal", format="exam")
        requirement_create(course_id=must.pk, job_roles=["teller"], first_due_days=0)
        gid = to_base64("Person", ana.pk)
    connection.set_schema_to_public()
    viewer = api("a", "viewer")
    query = "query($p: ID!, $d: Date) { trainingStatus(person: $p, asOf: $d) { course { code } status } }"
    rows = viewer.ok(query, {"p": gid})["trainingStatus"]
    assert rows == [
        {"course": {"code": "must"}, "status": "DUE_SOON"},
        {"course": {"code": "other"}, "status": "NOT_REQUIRED"},
    ]
    body = viewer(query, {"p": gid, "d": "9999-12-31"})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_ARGUMENT"]


def test_a_course_prepares_emergency_plans(api, world):
    """Course.emergencyPlans: set on create, replaced on update; an id that is no plan of
    this tenant is NOT_FOUND on `emergencyPlans` and writes nothing."""
    from apps.emergency.models import Scenario
    from apps.emergency.services.plans import plan_create

    with schema_context(world.a.schema_name):
        plan = plan_create(
            code="outage",
            name="Outage",
            scenario_id=Scenario.objects.get(code="system_outage").pk,
            actor=world.user("a", "analyst"),
        )
    connection.set_schema_to_public()
    manager = api("a", "risk_manager")
    plan_gid = to_base64("EmergencyPlan", plan.pk)
    made = _course(manager, emergencyPlans=[plan_gid])
    assert made["errors"] == []
    read = """query($id: ID!) { course(id: $id) { emergencyPlans { id code } } }"""
    course_gid = made["course"]["id"]
    assert manager.ok(read, {"id": course_gid})["course"] == {
        "emergencyPlans": [{"id": plan_gid, "code": "outage"}]
    }
    unknown = to_base64("EmergencyPlan", "00000000-0000-4000-8000-000000000000")
    refused = manager.ok(UPDATE, {"i": {"id": course_gid, "emergencyPlans": [unknown]}})
    assert [(e["field"], e["code"]) for e in refused["courseUpdate"]["errors"]] == [
        ("emergencyPlans", "NOT_FOUND")
    ]
    assert len(manager.ok(read, {"id": course_gid})["course"]["emergencyPlans"]) == 1
    cleared = manager.ok(UPDATE, {"i": {"id": course_gid, "emergencyPlans": []}})
    assert cleared["courseUpdate"]["errors"] == []
    assert manager.ok(read, {"id": course_gid})["course"] == {"emergencyPlans": []}
