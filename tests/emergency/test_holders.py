"""Role holders: a person of the directory or a member (docs/decisions.md, "Emergency role
holders"). Tenant A's admin has no directory entry (a member holder); the analyst, viewer and
risk manager are directory people E1, E2, E4 (a member with an entry is held as that person).
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from tests.emergency.conftest import level, make_plan, org_people
from tests.emergency.test_plans import codes


def _member_commanded_plan(world, org, code="outage"):
    """make_plan's plan, with the admin (a member only) as commander and the deputy E2."""
    from apps.emergency.services import plans

    plan = make_plan(world, org, code=code, approve=False)
    draft = plan.versions.get()
    admin = world.user("a", "admin")
    plans.version_update(
        version_id=draft.pk,
        roles=[
            {"role": "commander", "member_id": admin.pk, "backup_id": org["cy"].pk},
            {"role": "deputy", "person_id": org["bo"].pk},
        ],
    )
    plans.version_transition(version_id=draft.pk, to="in_review", actor=world.user("a", "analyst"))
    plans.version_transition(
        version_id=draft.pk,
        to="approved",
        actor=world.user("a", "risk_manager"),
        actor_role="risk_manager",
    )
    return plan


def test_a_member_holds_a_role_and_a_member_with_an_entry_is_that_person(in_a, org):
    from apps.emergency.services import plans

    plan = make_plan(in_a, org, approve=False)
    draft = plan.versions.get()
    admin, analyst = in_a.user("a", "admin"), in_a.user("a", "analyst")
    plans.version_update(
        version_id=draft.pk,
        roles=[
            {"role": "commander", "member_id": admin.pk},
            {"role": "deputy", "member_id": analyst.pk, "backup_member_id": admin.pk},
        ],
    )
    rows = {
        r.role: (r.person_id, r.member_id, r.backup_id, r.backup_member_id)
        for r in draft.roles.all()
    }
    assert rows == {
        "commander": (None, admin.pk, None, None),
        "deputy": (org["ana"].pk, None, None, admin.pk),  # the analyst is E1 of the directory
    }


def test_a_role_names_one_holder_and_only_members_of_this_tenant(in_a, org):
    from apps.emergency.services import plans

    draft = make_plan(in_a, org, approve=False).versions.get()
    stranger = in_a.user("b", "admin")  # tenant B's admin: no membership in A
    cases = [
        ({"role": "commander", "member_id": stranger.pk}, "not_a_member"),
        (
            {
                "role": "commander",
                "person_id": org["cy"].pk,
                "member_id": in_a.user("a", "admin").pk,
            },
            "invalid",
        ),
        ({"role": "commander"}, "invalid"),
        (
            {
                "role": "commander",
                "person_id": org["ana"].pk,
                "backup_member_id": in_a.user("a", "analyst").pk,
            },
            "invalid",
        ),
    ]
    for role, code in cases:
        with pytest.raises(ValidationError) as refused:
            plans.version_update(version_id=draft.pk, roles=[role])
        field = "roles.0.backup_id" if "backup_member_id" in role else "roles.0.person_id"
        assert codes(refused.value) == {field: [code]}, role
    assert [(r.person_id, r.role) for r in draft.roles.order_by("role")] == [
        (org["ana"].pk, "commander"),
        (org["bo"].pk, "deputy"),
    ]  # unchanged


def test_a_member_commander_gets_the_overdue_notice_once(world, org):
    from apps.emergency.services.activations import activation_declare
    from apps.emergency.services.response import overdue_sweep
    from apps.notifications.models import Notification

    plan = _member_commanded_plan(world, org)
    now = timezone.now()
    activation = activation_declare(plan_id=plan.pk, level_id=level("III").pk, now=now)
    term = activation.roles.get(role="commander")
    assert (term.person_id, term.member_id) == (None, world.user("a", "admin").pk)
    tasks = list(activation.tasks.order_by("position"))
    assert [(t.assignee_id, t.assignee_member_id) for t in tasks] == [
        (org["bo"].pk, None),
        (None, world.user("a", "admin").pk),
    ]
    later = now + timedelta(minutes=121)  # both tasks (30 and 120 minutes) late
    assert overdue_sweep(now=later) == 2
    assert overdue_sweep(now=later + timedelta(minutes=5)) == 0
    sent = sorted(
        Notification.objects.filter(event="emergency.task_overdue").values_list(
            "recipient__email", flat=True
        )
    )
    # task 1: assignee E2 (the viewer) and the commander; task 2: the commander is the assignee
    assert sent == ["admin@a.test", "admin@a.test", "viewer@a.test"]


def test_a_handover_to_a_member_moves_the_roles_open_tasks(world, org):
    from apps.emergency.services.activations import activation_declare, role_assign
    from apps.emergency.services.response import task_transition

    plan = make_plan(world, org)
    now = timezone.now()
    activation = activation_declare(plan_id=plan.pk, level_id=level("III").pk, now=now)
    first, second = activation.tasks.order_by("position")
    task_transition(task_id=first.pk, to="done")  # the deputy's task, done: stays theirs
    admin = world.user("a", "admin")
    role_assign(activation_id=activation.pk, role="deputy", member_id=admin.pk, now=now)
    role_assign(
        activation_id=activation.pk, role="commander", member_id=admin.pk, now=now + timedelta(1)
    )
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.assignee_id, first.assignee_member_id) == (org["bo"].pk, None)
    assert (second.assignee_id, second.assignee_member_id) == (None, admin.pk)
    with pytest.raises(ValidationError) as again:
        role_assign(activation_id=activation.pk, role="commander", member_id=admin.pk)
    assert codes(again.value) == {"person_id": ["invalid"]}
    assert activation.timeline.filter(member=admin).count() == 2


def test_a_plan_owned_by_a_person_reminds_their_account(in_a, org):
    from apps.emergency.services import plans
    from apps.emergency.services.notices import review_due
    from apps.notifications.models import Notification

    plan = make_plan(in_a, org)
    plans.plan_update(plan_id=plan.pk, owner_person_id=org["di"].pk)  # E4, the risk manager
    plan.refresh_from_db()
    assert (plan.owner_id, plan.owner_person_id) == (None, org["di"].pk)
    review_due(plan)
    assert list(
        Notification.objects.filter(event="emergency.plan_review_due").values_list(
            "recipient__email", flat=True
        )
    ) == ["risk_manager@a.test"]
    plans.plan_update(plan_id=plan.pk, owner_id=in_a.user("a", "analyst").pk)  # has entry E1
    plan.refresh_from_db()
    assert (plan.owner_id, plan.owner_person_id) == (None, org["ana"].pk)


HOLDERS = """query($id: ID!) { node(id: $id) { ... on Activation {
  commandedBy { __typename ... on User { email } ... on Person { employeeNumber } }
  roles(first: 5) { edges { node { role holder { __typename ... on User { email }
    ... on Person { employeeNumber } } } } }
  tasks { edges { node { position assignedTo { __typename ... on User { email }
    ... on Person { employeeNumber } } } } }
  plan { ownedBy { __typename } versionInForce { roles { edges { node { role
    holder { __typename } backupHolder { __typename ... on Person { employeeNumber } } } } } } }
} } }"""
ASSIGN = """mutation($i: ActivationRoleAssignInput!) { activationRoleAssign(input: $i) {
  errors { field code } term { holder { __typename ... on User { email } } } } }"""


@pytest.fixture
def member_commanded(world):
    from apps.emergency.services.activations import activation_declare

    with schema_context(world.a.schema_name):
        org = org_people(world)
        plan = _member_commanded_plan(world, org)
        activation = activation_declare(plan_id=plan.pk, level_id=level("III").pk)
        ids = {
            "activation": to_base64("Activation", activation.pk),
            "admin": to_base64("User", world.user("a", "admin").pk),
            "viewer": to_base64("User", world.user("a", "viewer").pk),
            "stranger": to_base64("User", world.user("b", "admin").pk),
        }
    connection.set_schema_to_public()
    return ids


def test_the_api_types_each_holder(api, member_commanded):
    got = api("a", "viewer").ok(HOLDERS, {"id": member_commanded["activation"]})["node"]
    member = {"__typename": "User", "email": "admin@a.test"}
    assert got["commandedBy"] == member
    roles = {e["node"]["role"]: e["node"]["holder"] for e in got["roles"]["edges"]}
    assert roles == {
        "COMMANDER": member,
        "DEPUTY": {"__typename": "Person", "employeeNumber": "E2"},
    }
    assert [e["node"]["assignedTo"] for e in got["tasks"]["edges"]] == [
        {"__typename": "Person", "employeeNumber": "E2"},
        member,
    ]
    assert got["plan"]["ownedBy"] is None
    version_roles = got["plan"]["versionInForce"]["roles"]["edges"]
    assert {(e["node"]["role"], e["node"]["holder"]["__typename"]) for e in version_roles} == {
        ("COMMANDER", "User"),
        ("DEPUTY", "Person"),
    }
    backups = [e["node"]["backupHolder"] for e in version_roles if e["node"]["role"] == "COMMANDER"]
    assert backups == [{"__typename": "Person", "employeeNumber": "E3"}]


def test_assigning_through_the_api_takes_a_member_and_refuses_a_stranger(api, member_commanded):
    analyst = api("a", "analyst")
    base = {"activation": member_commanded["activation"], "role": "REGULATOR_LIAISON"}
    refused = analyst.ok(ASSIGN, {"i": {**base, "person": member_commanded["stranger"]}})
    assert refused["activationRoleAssign"] == {
        "errors": [{"field": "person", "code": "NOT_A_MEMBER"}],
        "term": None,
    }
    # the viewer has directory entry E2: held as that Person
    done = analyst.ok(ASSIGN, {"i": {**base, "person": member_commanded["viewer"]}})
    assert done["activationRoleAssign"] == {
        "errors": [],
        "term": {"holder": {"__typename": "Person"}},
    }
    # tenant B's admin cannot reach A's activation at all
    other = api("b", "admin").ok(ASSIGN, {"i": {**base, "person": member_commanded["admin"]}})
    assert other["activationRoleAssign"]["errors"][0]["code"] == "NOT_FOUND"
