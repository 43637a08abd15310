"""The audit trail records the address the request really came from, never a client's claim."""

from django.test import override_settings

ENTRIES = """{ auditEntries(first: 5, objectType: "accounts.apitoken") {
  edges { node { action remoteAddr changes } } } }"""
CREATE = 'mutation($n: String!) { apiTokenCreate(input: {name: $n}) { errors { code } } }'


def audited_address(admin, name: str, **headers) -> str:
    admin.raw(CREATE, {"n": name}, **headers)
    entries = admin.ok(ENTRIES)["auditEntries"]["edges"]
    (entry,) = [e["node"] for e in entries if e["node"]["changes"].get("name") == [None, name]]
    return entry["remoteAddr"]


def test_a_forged_forwarded_header_does_not_reach_the_audit_trail(api):
    admin = api("a", "admin")
    forged = audited_address(admin, "forged", HTTP_X_FORWARDED_FOR="6.6.6.6, 127.0.0.1")
    assert forged == "127.0.0.1"


@override_settings(FENGKONG_TRUSTED_PROXIES=["127.0.0.1/32"])
def test_behind_a_trusted_proxy_the_audit_trail_records_the_client(api):
    admin = api("a", "admin")
    hop = audited_address(admin, "proxied", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")
    assert hop == "198.51.100.9"
