"""Each training list costs the same SQL for 10 rows as for 100, relations included."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.people.services import departments, people
from apps.training.services.courses import course_create
from apps.training.services.records import record_create
from apps.training.services.requirements import requirement_create
from tests.kit.sql import assert_pinned

CONNECTIONS = {
    "courses": """{ courses(first: PAGE) { totalCount edges { node {
  id code title topic format version riskCategoryIds } } } }""",
    "trainingRequirements": """{ trainingRequirements(first: PAGE) { totalCount edges { node {
  id departmentIds personIds jobRoles recurrence course { code title } } } } }""",
    "trainingRecords": """{ trainingRecords(first: PAGE) { totalCount edges { node {
  id completedAt passed expiresOn person { employeeNumber department { code } }
  course { code } } } } }""",
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
    connection.set_schema_to_public()


@pytest.mark.parametrize("field", CONNECTIONS)
def test_pinned_sql_count_for_10_and_100_rows(api, seeded, field):
    assert_pinned(api("a", "viewer"), field, CONNECTIONS[field])
