"""`person { training }`: the directory's Person answers its training statuses and records."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from strawberry.relay import to_base64

from apps.training.services.records import record_create
from apps.training.services.requirements import requirement_create
from tests.kit.sql import sql_count

QUERY = """query($p: ID!, $d: Date) { person(id: $p) { employeeNumber training(asOf: $d) {
  asOf statuses { course { code } status } records(first: 5) { course { code } score } } } }"""


def test_a_person_answers_their_training(api, org, course):
    from apps.training.services.courses import course_create

    requirement_create(course_id=course.pk, person_ids=[org["ana"].pk], first_due_days=0)
    course_create(code="ethics", title_en="Ethics", topic="ethics", format="seminar")
    record_create(
        person_id=org["ana"].pk,
        course_id=course.pk,
        completed_at=timezone.now() - timedelta(days=1),
        score=77,
    )
    connection.set_schema_to_public()
    today = timezone.localdate()
    data = api("a", "viewer").ok(QUERY, {"p": to_base64("Person", org["ana"].pk), "d": None})
    assert data["person"] == {
        "employeeNumber": "E1",
        "training": {
            "asOf": today.isoformat(),
            "statuses": [
                {"course": {"code": "aml_basics"}, "status": "COMPLIANT"},
                {"course": {"code": "ethics"}, "status": "NOT_REQUIRED"},
            ],
            "records": [{"course": {"code": "aml_basics"}, "score": 77}],
        },
    }
    refused = api("a", "viewer")(
        """query($p: ID!) { person(id: $p) { training { records(first: 101) { score } } } }""",
        {"p": to_base64("Person", org["ana"].pk)},
    )
    assert refused["errors"][0]["extensions"]["code"] == "BAD_ARGUMENT"


PAGE_QUERY = """query($n: Int!) { people(first: $n) { edges { node { employeeNumber
  training { statuses { course { code } status } records(first: 2) { course { code } score } }
} } } }"""
# token and membership (2), the page with its total (1); the page's training: the settings, the
# status statement and the page's courses (3), the latest records of the whole page (1)
PAGE_PIN = 7


def test_a_page_of_people_answers_training_in_one_go(api, in_a, course):
    from apps.people.services import departments, people

    unit = departments.department_create(code="unit", name_en="Unit")
    hired = timezone.localdate() - timedelta(days=400)
    staff = [
        people.person_create(
            employee_number=f"P{n:02}", full_name=f"P{n:02}", department_id=unit.pk, hired_on=hired
        )
        for n in range(50)
    ]
    requirement_create(course_id=course.pk, department_ids=[unit.pk], first_due_days=30)
    for n, person in enumerate(staff[::2]):  # every other person passed, long ago for some
        record_create(
            person_id=person.pk,
            course_id=course.pk,
            completed_at=timezone.now() - timedelta(days=400 if n % 3 == 0 else 10),
            score=70 + n % 10,
        )
    connection.set_schema_to_public()
    viewer = api("a", "viewer")
    counts = {n: sql_count(viewer, PAGE_QUERY, {"n": n}) for n in (10, 50)}
    assert counts == {10: PAGE_PIN, 50: PAGE_PIN}
    nodes = [e["node"] for e in viewer.ok(PAGE_QUERY, {"n": 50})["people"]["edges"]]
    assert len(nodes) == 50
    # due 30 days after the requirement's creation (today, later than the hire): untrained is
    # due soon; a pass 400 days ago with a 12-month validity has expired; 10 days ago, compliant
    expected = {}
    for n in range(50):
        if n % 2:
            expected[f"P{n:02}"] = ("DUE_SOON", [])
        else:
            k = n // 2
            status = "EXPIRED" if k % 3 == 0 else "COMPLIANT"
            expected[f"P{n:02}"] = (
                status,
                [{"course": {"code": "aml_basics"}, "score": 70 + k % 10}],
            )
    got = {
        node["employeeNumber"]: (
            [s["status"] for s in node["training"]["statuses"]],
            node["training"]["records"],
        )
        for node in nodes
    }
    assert got == {k: ([status], records) for k, (status, records) in expected.items()}
