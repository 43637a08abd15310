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
from tests.core.test_query_counts import _sql_count

COURSES = """{ courses(first: PAGE) { totalCount edges { node {
  id code title topic format version riskCategoryIds } } } }"""
REQUIREMENTS = """{ trainingRequirements(first: PAGE) { totalCount edges { node {
  id departmentIds personIds jobRoles recurrence course { code title } } } } }"""
RECORDS = """{ trainingRecords(first: PAGE) { totalCount edges { node {
  id completedAt passed expiresOn person { employeeNumber department { code } }
  course { code } } } } }"""
# Per request: domain, token, membership (3); then one statement for the page with its joined
# relations and the total count (1).
PINNED = {"courses": 4, "requirements": 4, "records": 4}


def _seed(world, n: int) -> None:
    with schema_context(world.a.schema_name):
        unit = departments.department_create(code="unit", name_en="Unit")
        person = people.person_create(employee_number="E0", full_name="P", department_id=unit.pk)
        for i in range(n):
            course = course_create(code=f"c{i:03}", title_en=f"C{i}", topic="ethics", format="exam")
            requirement_create(course_id=course.pk, department_ids=[unit.pk])
            record_create(
                person_id=person.pk,
                course_id=course.pk,
                completed_at=timezone.now() - timedelta(hours=i + 1),
            )
    connection.set_schema_to_public()


@pytest.mark.parametrize(
    "name,query", [("courses", COURSES), ("requirements", REQUIREMENTS), ("records", RECORDS)]
)
def test_sql_count_is_the_same_for_10_and_100_rows(api, world, name, query):
    _seed(world, 100)
    viewer = api("a", "viewer")
    ten = _sql_count(viewer, query.replace("PAGE", "10"))
    hundred = _sql_count(viewer, query.replace("PAGE", "100"))
    assert ten == hundred == PINNED[name]
