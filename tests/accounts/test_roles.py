"""Member management by admins: invitations, role changes, removal, and their limits. (Who may
call which operation: tests/test_role_matrix.py.)"""

from tests.conftest import HOST_A, Api


def test_member_management_by_an_admin(api, world):
    admin = api("a", "admin")
    invited = admin.ok(
        'mutation { memberInvite(input: {email: "New.Person@A.test", role: ANALYST, '
        'fullName: "New Person"}) { inviteCode member { id role user { email } } '
        "errors { code } } }"
    )["memberInvite"]
    assert invited["member"]["user"]["email"] == "new.person@a.test"
    assert invited["inviteCode"]
    accepted = Api(HOST_A).ok(
        "mutation($c: String!) { inviteAccept(input: {inviteCode: $c, "
        'password: "A-Good-Long-Passphrase"}) { errors { code } user { email } } }',
        {"c": invited["inviteCode"]},
    )
    assert accepted["inviteAccept"]["errors"] == []
    # The code is single use: the password changed, so the code no longer checks.
    again = Api(HOST_A).ok(
        "mutation($c: String!) { inviteAccept(input: {inviteCode: $c, "
        'password: "Another-Long-Passphrase"}) { errors { code } } }',
        {"c": invited["inviteCode"]},
    )
    assert again["inviteAccept"]["errors"][0]["code"] == "INVALID_INVITE"

    member_id = invited["member"]["id"]
    changed = admin.ok(
        "mutation($id: ID!) { memberRoleChange(input: {id: $id, role: RISK_MANAGER}) "
        "{ member { role } errors { code } } }",
        {"id": member_id},
    )
    assert changed["memberRoleChange"]["member"]["role"] == "RISK_MANAGER"
    removed = admin.ok(
        "mutation($id: ID!) { memberRemove(input: {id: $id}) { removedId errors { code } } }",
        {"id": member_id},
    )
    assert removed["memberRemove"]["errors"] == []
    emails = [
        e["node"]["user"]["email"]
        for e in admin.ok("{ members { edges { node { user { email } } } } }")["members"]["edges"]
    ]
    assert "new.person@a.test" not in emails


def test_inviting_an_existing_member_is_refused(api):
    result = api("a", "admin").ok(
        'mutation { memberInvite(input: {email: "viewer@a.test", role: ADMIN}) '
        "{ member { id } errors { field code } } }"
    )["memberInvite"]
    assert result == {"member": None, "errors": [{"field": "email", "code": "ALREADY_MEMBER"}]}


def test_the_last_admin_cannot_leave_or_be_demoted(api):
    admin = api("a", "admin")
    members = admin.ok("{ members { edges { node { id role } } } }")["members"]["edges"]
    admin_id = next(e["node"]["id"] for e in members if e["node"]["role"] == "ADMIN")
    demote = admin.ok(
        "mutation($id: ID!) { memberRoleChange(input: {id: $id, role: VIEWER}) "
        "{ errors { code } } }",
        {"id": admin_id},
    )
    assert demote["memberRoleChange"]["errors"][0]["code"] == "LAST_ADMIN"
    remove = admin.ok(
        "mutation($id: ID!) { memberRemove(input: {id: $id}) { errors { code } } }",
        {"id": admin_id},
    )
    assert remove["memberRemove"]["errors"][0]["code"] == "LAST_ADMIN"
    assert admin.ok("{ me { role } }")["me"]["role"] == "ADMIN"


def test_removing_a_member_revokes_their_tokens_here(api, world):
    viewer = api("a", "viewer")
    members = api("a", "admin").ok("{ members { edges { node { id user { email } } } } }")
    viewer_id = next(
        e["node"]["id"]
        for e in members["members"]["edges"]
        if e["node"]["user"]["email"] == "viewer@a.test"
    )
    api("a", "admin").ok(
        "mutation($id: ID!) { memberRemove(input: {id: $id}) { errors { code } } }",
        {"id": viewer_id},
    )
    assert viewer.raw("{ me { role } }").status_code == 401


def test_a_weak_password_is_refused_with_the_field(api):
    invited = api("a", "admin").ok(
        'mutation { memberInvite(input: {email: "weak@a.test", role: VIEWER}) { inviteCode } }'
    )["memberInvite"]
    result = Api(HOST_A).ok(
        'mutation($c: String!) { inviteAccept(input: {inviteCode: $c, password: "123"}) '
        "{ errors { field code } } }",
        {"c": invited["inviteCode"]},
    )
    assert {"field": "password", "code": "WEAK_PASSWORD"} in result["inviteAccept"]["errors"]


def test_an_invited_user_gets_an_email_with_the_code(
    api, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invited = api("a", "admin").ok(
            'mutation { memberInvite(input: {email: "mail@a.test", role: VIEWER}) { inviteCode } }'
        )["memberInvite"]
    assert [m.to for m in mailoutbox] == [["mail@a.test"]]
    assert invited["inviteCode"] in mailoutbox[0].body and "Tenant A" in mailoutbox[0].subject


def test_a_user_is_a_node_found_only_among_this_tenants_members(api, world):
    from strawberry.relay import to_base64

    query = "query($id: ID!) { node(id: $id) { id ... on User { email } } }"
    member = to_base64("User", str(world.user("a", "analyst").pk))
    outsider = to_base64("User", str(world.user("b", "analyst").pk))
    viewer = api("a", "viewer")
    assert viewer.ok(query, {"id": member})["node"] == {"id": member, "email": "analyst@a.test"}
    assert viewer.ok(query, {"id": outsider})["node"] is None
    me = viewer.ok("{ me { user { id } } }")["me"]["user"]["id"]
    assert me == to_base64("User", str(world.user("a", "viewer").pk))
