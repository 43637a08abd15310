"""`person { training }`: the directory's Person answers its training statuses and records."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from strawberry.relay import to_base64

from apps.training.services.records import record_create
from apps.training.services.requirements import requirement_create

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
