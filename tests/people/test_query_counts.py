"""The two directory lists cost the same SQL for 10 rows as for 100, relations included."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.people.services import departments, people
from tests.core.test_query_counts import _sql_count

PEOPLE = """{ people(first: PAGE) { totalCount edges { node {
  id employeeNumber fullName jobRole email active hiredOn
  department { code name parent { code } } manager { employeeNumber fullName } user { email }
} } } }"""
DEPARTMENTS = """{ departments(first: PAGE) { totalCount edges { node {
  id code name path active parent { code } head { fullName department { code } }
  children(first: 5) { totalCount edges { node { code } } }
} } } }"""
# Per request: token, membership (2; the host's tenant is cached); then one statement for the page, its joined
# relations (user too: `public` is on the search path) and the total count (1); departments add
# the first five children of every department on the page in one prefetch (1).
PINNED = {"people": 3, "departments": 4}


def _seed(world, n: int) -> None:
    with schema_context(world.a.schema_name):
        root = departments.department_create(code="root", name_en="Root")
        boss = people.person_create(employee_number="B0", full_name="Boss", department_id=root.pk)
        member = world.user("a", "analyst")
        for i in range(n):
            unit = departments.department_create(
                code=f"d{i}", name_en=f"D{i}", parent_id=root.pk, head_id=boss.pk
            )
            departments.department_create(code=f"d{i}_sub", name_en="Sub", parent_id=unit.pk)
            people.person_create(
                employee_number=f"E{i:03}",
                full_name=f"P{i}",
                department_id=unit.pk,
                manager_id=boss.pk,
                user_id=member.pk if i == 0 else None,
            )
    connection.set_schema_to_public()


@pytest.mark.parametrize("name,query", [("people", PEOPLE), ("departments", DEPARTMENTS)])
def test_sql_count_is_the_same_for_10_and_100_rows(api, world, name, query):
    _seed(world, 100)
    viewer = api("a", "viewer")
    ten = _sql_count(viewer, query.replace("PAGE", "10"))
    hundred = _sql_count(viewer, query.replace("PAGE", "100"))
    assert ten == hundred == PINNED[name]
