"""One object, one global id: other spellings of the same UUID name nothing."""

import uuid

import pytest
from strawberry.relay import from_base64, to_base64

CREATE = """mutation { webhookCreate(input: {name: "SIEM", url: "https://hooks.example.com/x"}) {
  webhook { id } errors { code } } }"""
NODE = "query($id: ID!) { node(id: $id) { ... on Webhook { name } } }"
ONE = "query($id: ID!) { webhook(id: $id) { name } }"
ROTATE = """mutation($id: ID!) { webhookRotateSecret(input: {id: $id}) {
  secret errors { field code } } }"""

SPELLINGS = {
    "uppercase": lambda u: str(u).upper(),
    "braces": lambda u: "{" + str(u) + "}",
    "no hyphens": lambda u: u.hex,
    "urn": lambda u: u.urn,
    "padded": lambda u: f" {u} ",
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_a_non_canonical_uuid_in_a_global_id_names_nothing(api, spelling):
    admin = api("a", "admin")
    canonical = admin.ok(CREATE)["webhookCreate"]["webhook"]["id"]
    type_name, node_id = from_base64(canonical)
    assert admin.ok(NODE, {"id": canonical})["node"] == {"name": "SIEM"}

    other = to_base64(type_name, SPELLINGS[spelling](uuid.UUID(node_id)))
    assert other != canonical
    assert admin.ok(NODE, {"id": other})["node"] is None
    assert admin.ok(ONE, {"id": other})["webhook"] is None
    rotated = admin.ok(ROTATE, {"id": other})["webhookRotateSecret"]
    assert rotated == {"secret": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}
