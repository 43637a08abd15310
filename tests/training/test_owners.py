"""A department's training owner: set and removed through GraphQL with typed errors, and the
weekly digest of the overdue trainings of their department and its sub-departments."""

from django.db import connection
from strawberry.relay import to_base64

from apps.notifications.models import Notification, WebhookDelivery
from apps.notifications.services import webhook_create
from apps.people.services.people import person_update
from apps.training.services.owners import owner_set
from apps.training.services.reminders import send_reminders
from apps.training.services.requirements import requirement_create
from tests.training.test_reminders import _at

SET = """mutation($i: TrainingOwnerSetInput!) { trainingOwnerSet(input: $i) {
  errors { field code } owner { department { code } person { employeeNumber } } } }"""


def test_owners_get_their_subtrees_overdue_digest_once_a_week(in_a, org, course):
    """Everyone under HQ must take AML within 30 days (grace 5); nobody has. Day 36: Ana
    (Risk), Bo (Credit, under Risk) and Cy (IT) are overdue. Bo owns Risk: his digest lists Ana
    and himself; Ana (a member) owns IT: hers lists Cy. Cy's manager Ana gets hers too."""
    webhook_create(name="hr", url="https://hr.example.com/hook", event_types=[])
    person_update(person_id=org["ana"].pk, user_id=in_a.user("a", "analyst").pk)
    person_update(person_id=org["cy"].pk, manager_id=org["ana"].pk)
    requirement_create(course_id=course.pk, department_ids=[org["hq"].pk], first_due_days=30)
    owner_set(department_id=org["risk"].pk, person_id=org["bo"].pk)
    owner_set(department_id=org["it"].pk, person_id=org["ana"].pk)
    assert send_reminders(now=_at(36))["digests"] == 3  # one manager's, two owners'
    assert send_reminders(now=_at(37))["digests"] == 0  # the same week
    mail = Notification.objects.get(event="training.owner_digest")  # Bo has no account
    assert mail.recipient.email == "analyst@a.test"
    assert "Person E3 (E3)" in mail.body and "Person E1" not in mail.body
    hooks = WebhookDelivery.objects.filter(event="training.owner_digest")
    listed = sorted(
        sorted(row["person"]["employeeNumber"] for row in d.payload["data"]["overdue"])
        for d in hooks
    )
    assert listed == [["E1", "E2"], ["E3"]]


def test_owner_set_replace_remove_and_typed_errors(api, world, org):
    connection.set_schema_to_public()
    manager = api("a", "risk_manager")
    risk, ana = to_base64("Department", org["risk"].pk), to_base64("Person", org["ana"].pk)
    made = manager.ok(SET, {"i": {"department": risk, "person": ana}})["trainingOwnerSet"]
    assert made == {
        "errors": [],
        "owner": {"department": {"code": "risk"}, "person": {"employeeNumber": "E1"}},
    }
    bo = to_base64("Person", org["bo"].pk)
    manager.ok(SET, {"i": {"department": risk, "person": bo}})
    listed = manager.ok("{ trainingOwners { department { code } person { employeeNumber } } }")
    assert listed["trainingOwners"] == [
        {"department": {"code": "risk"}, "person": {"employeeNumber": "E2"}}
    ]
    nobody = to_base64("Person", "00000000-0000-4000-8000-000000000000")
    refused = manager.ok(SET, {"i": {"department": risk, "person": nobody}})["trainingOwnerSet"]
    assert refused == {"errors": [{"field": "person", "code": "NOT_FOUND"}], "owner": None}
    removed = manager.ok(SET, {"i": {"department": risk}})["trainingOwnerSet"]
    assert removed == {"errors": [], "owner": None}
    assert manager.ok("{ trainingOwners { id } }")["trainingOwners"] == []
    viewer = api("a", "viewer")(SET, {"i": {"department": risk, "person": bo}})
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
