"""Each training list costs the same SQL for 10 rows as for 100, relations included."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.people.services import departments, people
from apps.training.services.campaigns import campaign_create
from apps.training.services.courses import course_create
from apps.training.services.records import record_create
from apps.training.services.requirements import requirement_create
from apps.training.services.sessions import enrolment_create, session_create
from tests.kit.sql import assert_pinned

CONNECTIONS = {
    "courses": """{ courses(first: PAGE) { totalCount edges { node {
  id code title topic format version riskCategoryIds } } } }""",
    "trainingRequirements": """{ trainingRequirements(first: PAGE) { totalCount edges { node {
  id departmentIds personIds jobRoles recurrence course { code title } } } } }""",
    "trainingRecords": """{ trainingRecords(first: PAGE) { totalCount edges { node {
  id completedAt passed expiresOn person { employeeNumber department { code } }
  course { code } } } } }""",
    "trainingSessions": """{ trainingSessions(first: PAGE) { totalCount edges { node {
  id startsAt instructor capacity status course { code } } } } }""",
    "trainingEnrolments": """{ trainingEnrolments(first: PAGE) { totalCount edges { node {
  id status queuedAt person { employeeNumber } session { startsAt course { code } } } } } }""",
    "educationCampaigns": """{ educationCampaigns(first: PAGE) { totalCount edges { node {
  id code title topic segment channel reachPercent riskCategoryIds } } } }""",
}
# Pinned in tests/kit/registry.py: token and membership (2), then one statement for the page with
# its joined relations and the total count (1).
ROWS = 15


@pytest.fixture
def seeded(world):
    with schema_context(world.a.schema_name):
        unit = departments.department_create(code="unit", name_en="Unit")
        person = people.person_create(employee_number="E0", full_name="P", department_id=unit.pk)
        for i in range(ROWS):
            course = course_create(code=f"c{i:03}", title_en=f"C{i}", topic="ethics", format="exam")
            requirement_create(course_id=course.pk, department_ids=[unit.pk])
            record_create(
                person_id=person.pk,
                course_id=course.pk,
                completed_at=timezone.now() - timedelta(hours=i + 1),
            )
            session = session_create(
                course_id=course.pk,
                starts_at=timezone.now() + timedelta(days=i + 1),
                ends_at=timezone.now() + timedelta(days=i + 1, hours=1),
                instructor="I",
                online_url="https://meet.example.com/x",
                capacity=1,
            )
            enrolment_create(session_id=session.pk, person_id=person.pk)
            campaign_create(
                code=f"k{i:03}",
                title=f"K{i}",
                topic="password_safety",
                segment="students",
                channel="app",
                starts_on=timezone.localdate(),
                ends_on=timezone.localdate(),
                planned_reach=100,
                reached=i,
            )
    connection.set_schema_to_public()


@pytest.mark.parametrize("field", CONNECTIONS)
def test_pinned_sql_count_for_10_and_100_rows(api, seeded, field):
    assert_pinned(api("a", "viewer"), field, CONNECTIONS[field])
