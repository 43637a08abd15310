"""The role ladder, and the one runner every role-matrix row goes through."""

from tests.conftest import error_codes

ROLES = ["viewer", "analyst", "risk_manager", "admin"]  # lowest first
ANYONE = "anyone"  # a root field that needs no sign-in (login, inviteAccept)


def check_role(api, operation: str, lowest: str, role: str | None, *, allowed_codes=()) -> None:
    """Run `operation` on tenant A as `role` (None: no token) and check the answer against the
    lowest role allowed. A permitted call answers with data, or only with `allowed_codes` (a
    lookup of a missing object: NOT_FOUND); a refused one with FORBIDDEN (UNAUTHENTICATED without
    a token) and no data, before anything runs."""
    body = api("a", role)(operation)
    codes = error_codes(body)
    if lowest == ANYONE or (role is not None and ROLES.index(role) >= ROLES.index(lowest)):
        assert set(codes) <= set(allowed_codes), body
        assert "FORBIDDEN" not in codes and "UNAUTHENTICATED" not in codes, body
    else:
        # No data: None for a required field, {field: None} for a nullable one.
        assert not any((body.get("data") or {}).values()), body
        assert codes == ["UNAUTHENTICATED" if role is None else "FORBIDDEN"], body
