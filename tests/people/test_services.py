"""The directory's rules, as services enforce them for every caller (API, admin, import)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.people import selectors
from apps.people.models import Department, Person
from apps.people.services import departments, people


def codes(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_a_department_code_is_normalised_and_unique(org):
    assert org["credit"].path == "hq/risk/credit"
    with pytest.raises(ValidationError) as refused:
        departments.department_create(code=" Risk ", name_en="Again")
    assert codes(refused) == {"code": ["code_taken"]}


def test_a_department_needs_a_name(in_a):
    with pytest.raises(ValidationError) as refused:
        departments.department_create(code="nameless")
    assert codes(refused) == {"name_zh": ["invalid"]}
    assert not Department.objects.filter(code="nameless").exists()


def test_a_department_cannot_move_under_itself(org):
    for target in ("risk", "credit"):
        with pytest.raises(ValidationError) as refused:
            departments.department_update(department_id=org["risk"].pk, parent_id=org[target].pk)
        assert codes(refused) == {"parent_id": ["department_cycle"]}


def test_moving_a_department_moves_its_subtree(org):
    departments.department_update(department_id=org["risk"].pk, parent_id=org["it"].pk)
    assert Department.objects.get(code="credit").path == "hq/it/risk/credit"
    below_it = selectors.department_descendants(department=Department.objects.get(code="it"))
    assert {d.code for d in below_it} == {"it", "risk", "credit"}


def test_a_department_with_active_people_or_children_cannot_be_deactivated(org):
    with pytest.raises(ValidationError) as refused:
        departments.department_deactivate(department_id=org["risk"].pk)
    assert refused.value.error_dict["__all__"][0].code == "department_in_use"
    assert len(refused.value.error_dict["__all__"]) == 2  # people and a sub-department
    assert Department.objects.get(code="risk").active
    departments.department_deactivate(department_id=org["it"].pk)  # empty: fine
    assert not Department.objects.get(code="it").active


def test_nobody_active_joins_an_inactive_department(org):
    departments.department_deactivate(department_id=org["it"].pk)
    with pytest.raises(ValidationError) as refused:
        people.person_create(employee_number="E9", full_name="X", department_id=org["it"].pk)
    assert codes(refused) == {"department_id": ["inactive"]}


def test_employee_numbers_are_unique_and_emails_lower_case(org):
    assert org["report"].email == "li.wei@example.com"
    with pytest.raises(ValidationError) as refused:
        people.person_create(employee_number="E001", full_name="Twin")
    assert codes(refused) == {"employee_number": ["employee_number_taken"]}


def test_every_problem_of_a_call_is_reported_at_once(in_a):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        people.person_create(
            employee_number=" ",
            full_name="",
            hired_on=today,
            left_on=today - timedelta(days=1),
            email="not-an-email",
        )
    assert codes(refused) == {
        "employee_number": ["invalid"],
        "full_name": ["invalid"],
        "left_on": ["left_before_hired"],
    }
    assert Person.objects.count() == 0


def test_no_management_loops(org):
    third = people.person_create(
        employee_number="E003", full_name="Zhao", manager_id=org["report"].pk
    )
    for person in (org["head"], org["report"]):
        target = third if person == org["head"] else person
        with pytest.raises(ValidationError) as refused:
            people.person_update(person_id=person.pk, manager_id=target.pk)
        assert codes(refused) == {"manager_id": ["manager_cycle"]}


def test_the_linked_user_must_be_a_member_here_and_linked_once(org, world):
    analyst_a, analyst_b = world.user("a", "analyst"), world.user("b", "analyst")
    with pytest.raises(ValidationError) as refused:
        people.person_update(person_id=org["head"].pk, user_id=analyst_b.pk)
    assert codes(refused) == {"user_id": ["not_a_member"]}
    people.person_update(person_id=org["head"].pk, user_id=analyst_a.pk)
    with pytest.raises(ValidationError) as refused:
        people.person_update(person_id=org["report"].pk, user_id=analyst_a.pk)
    assert codes(refused) == {"user_id": ["user_taken"]}


def test_deactivation_keeps_the_person_with_a_leaving_date(org):
    gone = people.person_deactivate(person_id=org["report"].pk)
    assert (gone.active, gone.left_on) == (False, timezone.localdate())
    assert Person.objects.filter(pk=org["report"].pk).exists()


def test_an_update_with_the_same_values_writes_nothing(org):
    from auditlog.models import LogEntry

    before = LogEntry.objects.count()
    people.person_update(
        person_id=org["report"].pk, email=" li.wei@EXAMPLE.com", job_role="risk_officer"
    )
    assert LogEntry.objects.count() == before


def test_people_filters(org):
    def numbers(**filters) -> list[str]:
        found = selectors.people(selectors.PersonFilters(**filters), "employee_number")
        return list(found.values_list("employee_number", flat=True))

    assert numbers(department_id=org["hq"].pk) == ["E001", "E002"]  # sub-departments included
    assert numbers(department_id=org["credit"].pk) == ["E002"]
    assert numbers(job_roles=["RISK_OFFICER"]) == ["E002"]
    assert numbers(manager_id=org["head"].pk) == ["E002"]
    assert numbers(search="li.wei@") == ["E002"]
    assert numbers(search="E00") == ["E001", "E002"]
    assert numbers(search="王") == ["E001"]
    people.person_deactivate(person_id=org["report"].pk)
    assert numbers(active=True) == ["E001"]
