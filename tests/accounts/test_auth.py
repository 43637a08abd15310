"""Signing in, tokens, and the rule that a credential only works on its own tenant's host."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from apps.accounts.models import ApiToken
from tests.conftest import HOST_A, HOST_B, PASSWORD, Api, error_codes, token_for

LOGIN = """mutation($email: String!, $password: String!) {
  login(input: {email: $email, password: $password}) {
    token apiToken { kind expiresAt } errors { field code message }
  }
}"""
ME = "{ me { user { email } role } }"


def login(host: str, email: str, password: str) -> dict:
    return Api(host)(LOGIN, {"email": email, "password": password})["data"]["login"]


def test_login_returns_a_token_that_works_on_this_host_only(world):
    result = login(HOST_A, "analyst@a.test", PASSWORD)
    assert result["errors"] == []
    assert result["apiToken"]["kind"] == "LOGIN" and result["apiToken"]["expiresAt"]
    assert Api(HOST_A, result["token"]).ok(ME)["me"]["role"] == "ANALYST"
    elsewhere = Api(HOST_B, result["token"]).raw(ME)
    assert elsewhere.status_code == 401
    assert error_codes(elsewhere.json()) == ["UNAUTHENTICATED"]


def test_login_refuses_a_wrong_password_and_a_non_member(world):
    assert (
        login(HOST_A, "analyst@a.test", "wrong-password")["errors"][0]["code"]
        == "INVALID_CREDENTIALS"
    )
    # A non-member gets the wrong-password answer (tests/security/test_login_oracle.py).
    refused = login(HOST_B, "analyst@a.test", PASSWORD)
    assert refused["token"] is None and refused["errors"][0]["code"] == "INVALID_CREDENTIALS"


def test_repeated_failures_lock_the_account_even_with_the_right_password(world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(HOST_A, "viewer@a.test", "nope")["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert login(HOST_A, "viewer@a.test", "nope")["errors"][0]["code"] == "LOCKED_OUT"
    locked = login(HOST_A, "viewer@a.test", PASSWORD)
    assert locked["token"] is None and locked["errors"][0]["code"] == "LOCKED_OUT"
    # Another account from the same address is not punished for it.
    assert login(HOST_A, "analyst@a.test", PASSWORD)["token"]


def test_only_operators_sign_in_on_the_platform_host(world):
    assert (
        login(settings.PUBLIC_DOMAIN, "admin@a.test", PASSWORD)["errors"][0]["code"]
        == "INVALID_CREDENTIALS"
    )
    operator = login(settings.PUBLIC_DOMAIN, "operator@platform.test", PASSWORD)
    assert operator["errors"] == [] and operator["token"]


def test_tokens_are_stored_hashed(world):
    secret = token_for(world.user("a", "viewer"), world.a)
    assert not ApiToken.objects.filter(key_hash=secret).exists()
    assert secret not in str(list(ApiToken.objects.values()))


@pytest.mark.parametrize("state", ["revoked", "expired", "garbage", "inactive_user"])
def test_unusable_tokens_are_refused(world, state):
    user = world.user("a", "analyst")
    secret = token_for(user, world.a)
    token = ApiToken.objects.get(user=user, name="test")
    if state == "revoked":
        token.revoked_at = timezone.now()
        token.save()
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif state == "garbage":
        secret = secret[:-4] + "xxxx"
    else:
        user.is_active = False
        user.save()
    response = Api(HOST_A, secret).raw(ME)
    assert response.status_code == 401
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


def test_anonymous_requests_get_an_authentication_error(world):
    body = Api(HOST_A)(ME)
    assert body["data"] is None and error_codes(body) == ["UNAUTHENTICATED"]


def test_create_list_and_revoke_tokens(api):
    me = api("a", "analyst")
    created = me.ok(
        'mutation { apiTokenCreate(input: {name: "etl", expiresAt: "2099-01-01T00:00:00Z"}) '
        "{ secret apiToken { id name prefix } errors { code } } }"
    )["apiTokenCreate"]
    assert created["secret"].startswith(created["apiToken"]["prefix"])
    machine = Api(HOST_A, created["secret"])
    assert machine.ok(ME)["me"]["user"]["email"] == "analyst@a.test"
    listed = me.ok("{ apiTokens { edges { node { name } } } }")["apiTokens"]["edges"]
    assert {"name": "etl"} in [edge["node"] for edge in listed]
    revoked = me.ok(
        "mutation($id: ID!) { apiTokenRevoke(input: {id: $id}) { apiToken { revokedAt } "
        "errors { code } } }",
        {"id": created["apiToken"]["id"]},
    )["apiTokenRevoke"]
    assert revoked["errors"] == [] and revoked["apiToken"]["revokedAt"]
    assert machine.raw(ME).status_code == 401


def test_a_token_expiring_in_the_past_is_refused_as_data(api):
    result = api("a", "viewer").ok(
        'mutation { apiTokenCreate(input: {name: "x", expiresAt: '
        '"2000-01-01T00:00:00Z"}) { secret errors { field code } } }'
    )
    assert result["apiTokenCreate"] == {
        "secret": None,
        "errors": [{"field": "expiresAt", "code": "EXPIRY_IN_PAST"}],
    }


def test_members_cannot_revoke_each_others_tokens_but_admins_can(api, world):
    other = token_for(world.user("a", "analyst"), world.a)
    token_id = api("a", "admin").ok(
        "{ apiTokens(first: 100) { edges { node { id user { email } } } } }"
    )
    ids = [
        e["node"]["id"]
        for e in token_id["apiTokens"]["edges"]
        if e["node"]["user"]["email"] == "analyst@a.test"
    ]
    revoke = "mutation($id: ID!) { apiTokenRevoke(input: {id: $id}) { errors { code } } }"
    assert (
        api("a", "viewer").ok(revoke, {"id": ids[0]})["apiTokenRevoke"]["errors"][0]["code"]
        == "NOT_FOUND"
    )
    assert api("a", "admin").ok(revoke, {"id": ids[0]})["apiTokenRevoke"]["errors"] == []
    assert Api(HOST_A, other).raw(ME).status_code == 401


def test_logout_revokes_the_token_used(api):
    me = api("a", "viewer")
    assert me.ok("mutation { logout { revoked errors { code } } }")["logout"]["revoked"] is True
    assert me.raw(ME).status_code == 401


def test_production_hasher_is_argon2():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_long_dead_tokens_are_purged(world):
    from apps.accounts.services import tokens_purge

    user = world.user("a", "viewer")
    for name, expires, revoked in (
        ("old-expired", 40, None),
        ("old-revoked", None, 40),
        ("recently-expired", 2, None),
        ("live", None, None),
    ):
        token_for(user, world.a)
        ApiToken.objects.filter(user=user, name="test").update(
            name=name,
            expires_at=timezone.now() - timedelta(days=expires) if expires else None,
            revoked_at=timezone.now() - timedelta(days=revoked) if revoked else None,
        )
    assert tokens_purge() == 2
    assert set(ApiToken.objects.filter(user=user).values_list("name", flat=True)) == {
        "recently-expired",
        "live",
    }
