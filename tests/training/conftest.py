from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context


@pytest.fixture
def in_a(world):
    """Run the test body in tenant A's schema (services are called as a task or request would)."""
    with schema_context(world.a.schema_name):
        yield world


@pytest.fixture
def org(in_a):
    """HQ ─ Risk ─ Credit; HQ ─ IT. One person in each of Risk, Credit and IT, hired long ago."""
    from apps.people.services import departments, people

    hired = timezone.localdate() - timedelta(days=400)
    hq = departments.department_create(code="hq", name_en="Head office")
    risk = departments.department_create(code="risk", name_en="Risk", parent_id=hq.pk)
    credit = departments.department_create(code="credit", name_en="Credit", parent_id=risk.pk)
    it = departments.department_create(code="it", name_en="IT", parent_id=hq.pk)

    def person(number, department, role=""):
        return people.person_create(
            employee_number=number,
            full_name=f"Person {number}",
            department_id=department.pk,
            job_role=role,
            hired_on=hired,
        )

    return {
        "hq": hq,
        "risk": risk,
        "credit": credit,
        "it": it,
        "ana": person("E1", risk, "risk_officer"),
        "bo": person("E2", credit, "analyst"),
        "cy": person("E3", it, "developer"),
    }


@pytest.fixture
def course(in_a):
    from apps.training.services.courses import course_create

    return course_create(
        code="aml_basics",
        title_en="AML basics",
        topic="compliance",
        format="online",
        validity_months=12,
        grace_days=5,
        pass_score=60,
    )


def status_of(person, course, as_of, **kwargs):
    from apps.training.selectors.status import training_status

    rows = training_status(as_of=as_of, person_ids=[person.pk], course_ids=[course.pk], **kwargs)
    assert len(rows) <= 1
    return rows[0].status if rows else None
