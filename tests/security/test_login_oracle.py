"""Login never tells a right password from a wrong one unless it signs the user in."""

from django.conf import settings

from tests.conftest import HOST_A, HOST_B, PASSWORD, Api

LOGIN = """mutation($email: String!, $password: String!) {
  login(input: {email: $email, password: $password}) { token errors { field code message } }
}"""


def login(host: str, email: str, password: str) -> dict:
    return Api(host)(LOGIN, {"email": email, "password": password})["data"]["login"]


def test_a_non_member_with_the_right_password_gets_the_wrong_password_answer(world):
    wrong = login(HOST_B, "analyst@a.test", "not-the-password")
    right = login(HOST_B, "analyst@a.test", PASSWORD)
    assert right == wrong
    assert right["token"] is None
    assert right["errors"] == [
        {"field": None, "code": "INVALID_CREDENTIALS", "message": "E-mail or password is wrong."}
    ]


def test_a_tenant_user_on_the_platform_host_gets_the_wrong_password_answer(world):
    wrong = login(settings.PUBLIC_DOMAIN, "admin@a.test", "not-the-password")
    right = login(settings.PUBLIC_DOMAIN, "admin@a.test", PASSWORD)
    assert right == wrong and right["errors"][0]["code"] == "INVALID_CREDENTIALS"


def test_non_member_attempts_count_towards_the_lockout_like_wrong_passwords(world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(HOST_B, "analyst@a.test", PASSWORD)["errors"][0]["code"] == (
            "INVALID_CREDENTIALS"
        )
    assert login(HOST_B, "analyst@a.test", PASSWORD)["errors"][0]["code"] == "LOCKED_OUT"
    assert login(HOST_A, "analyst@a.test", PASSWORD)["errors"][0]["code"] == "LOCKED_OUT"
