"""Member-role audiences: a requirement for a member role covers the people linked to a member
account holding that role in this tenant (and nobody else)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.people.services.people import person_update
from apps.training.services.requirements import requirement_create, requirement_update
from tests.training.conftest import status_of


def test_a_member_role_covers_the_people_linked_to_such_members(in_a, org, course):
    person_update(person_id=org["ana"].pk, user_id=in_a.user("a", "analyst").pk)
    person_update(person_id=org["bo"].pk, user_id=in_a.user("a", "viewer").pk)
    requirement = requirement_create(course_id=course.pk, member_roles=["analyst"])
    today = timezone.localdate()
    assert status_of(org["ana"], course, today) == "due_soon"
    assert status_of(org["bo"], course, today) is None  # a viewer
    assert status_of(org["cy"], course, today) is None  # no member account
    requirement_update(requirement_id=requirement.pk, member_roles=["viewer", "admin"])
    assert status_of(org["ana"], course, today) is None
    assert status_of(org["bo"], course, today) == "due_soon"


def test_an_unknown_member_role_is_refused(in_a, org, course):
    with pytest.raises(ValidationError) as refused:
        requirement_create(course_id=course.pk, member_roles=["owner"])
    assert list(refused.value.error_dict) == ["member_roles"]


def test_the_api_takes_and_shows_member_roles(api, world, org, course):
    from django.db import connection
    from strawberry.relay import to_base64

    connection.set_schema_to_public()
    mutation = """mutation($c: ID!) { requirementCreate(input: {course: $c,
        memberRoles: [RISK_MANAGER, ADMIN]}) { errors { field code } requirement { memberRoles } } }"""
    body = api("a", "risk_manager").ok(mutation, {"c": to_base64("Course", course.pk)})
    assert body["requirementCreate"] == {
        "errors": [],
        "requirement": {"memberRoles": ["RISK_MANAGER", "ADMIN"]},
    }
