"""Throttling of sign-ins by the real client address, and across e-mails from one address."""

from django.conf import settings
from django.test import override_settings

from tests.conftest import HOST_A, PASSWORD, Api

LOGIN = """mutation($email: String!, $password: String!) {
  login(input: {email: $email, password: $password}) { token errors { code message } }
}"""
PROXY = "127.0.0.1"  # the test client's REMOTE_ADDR plays the TLS proxy


def login(email: str, password: str, *, client: str | None = None) -> dict:
    headers = {"HTTP_X_FORWARDED_FOR": client} if client else {}
    return Api(HOST_A)(LOGIN, {"email": email, "password": password}, **headers)["data"]["login"]


def code(result: dict) -> str | None:
    return result["errors"][0]["code"] if result["errors"] else None


@override_settings(FENGKONG_TRUSTED_PROXIES=[f"{PROXY}/32"])
def test_a_lockout_behind_the_proxy_locks_the_attacker_not_the_victim(world):
    attacker, victim = "198.51.100.66", "203.0.113.10"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("viewer@a.test", "wrong", client=attacker)
    assert code(login("viewer@a.test", PASSWORD, client=attacker)) == "LOCKED_OUT"
    victim_login = login("viewer@a.test", PASSWORD, client=victim)
    assert victim_login["errors"] == [] and victim_login["token"]


def test_a_forged_forwarded_header_does_not_escape_a_lockout(world):
    # No trusted proxy configured: every attempt is from REMOTE_ADDR, whatever the header says.
    for i in range(settings.AXES_FAILURE_LIMIT):
        login("viewer@a.test", "wrong", client=f"198.51.100.{i}")
    assert code(login("viewer@a.test", PASSWORD, client="203.0.113.99")) == "LOCKED_OUT"


@override_settings(FENGKONG_TRUSTED_PROXIES=[f"{PROXY}/32"])
def test_a_spray_of_e_mails_from_one_address_is_throttled(world):
    sprayer = "198.51.100.77"
    codes = [
        code(login(f"nobody{i}@a.test", "Password-1", client=sprayer)) for i in range(12)
    ]
    limit = settings.FENGKONG_LOGIN_ADDRESS_FAILURE_LIMIT
    assert limit < 12
    assert codes[: limit - 1] == ["INVALID_CREDENTIALS"] * (limit - 1)
    assert codes[limit - 1 :] == ["LOCKED_OUT"] * (12 - limit + 1)
    # The throttled address cannot sign in at all until the cool-off, even with a right password;
    # other addresses behind the same proxy can.
    assert code(login("analyst@a.test", PASSWORD, client=sprayer)) == "LOCKED_OUT"
    assert login("analyst@a.test", PASSWORD, client="203.0.113.10")["token"]
