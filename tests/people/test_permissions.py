"""Every directory query and mutation, for every role: viewers read, only admins write (HR data)."""

import pytest

from tests.accounts.test_roles import ROLES
from tests.conftest import error_codes

D = '"RGVwYXJ0bWVudDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA="'  # Department:<nil uuid>
P = '"UGVyc29uOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA=="'  # Person:<nil uuid>
OPERATIONS = {
    "{ departments { totalCount } }": "viewer",
    "{ people { totalCount } }": "viewer",
    f"{{ department(id: {D}) {{ code }} }}": "viewer",
    f"{{ person(id: {P}) {{ fullName }} }}": "viewer",
    'mutation { departmentCreate(input: {code: "perm_probe", nameEn: "p"}) { errors { code } } }': "admin",
    f'mutation {{ departmentUpdate(input: {{id: {D}, nameEn: "p"}}) {{ errors {{ code }} }} }}': "admin",
    f"mutation {{ departmentDeactivate(input: {{id: {D}}}) {{ errors {{ code }} }} }}": "admin",
    'mutation { personCreate(input: {employeeNumber: "P1", fullName: "p"}) { errors { code } } }': "admin",
    f'mutation {{ personUpdate(input: {{id: {P}, fullName: "p"}}) {{ errors {{ code }} }} }}': "admin",
    f"mutation {{ personDeactivate(input: {{id: {P}}}) {{ errors {{ code }} }} }}": "admin",
    'mutation { peopleImport(input: {format: CSV, contentBase64: ""}) { errors { code } } }': "admin",
}


@pytest.mark.parametrize(
    "operation,lowest", OPERATIONS.items(), ids=lambda v: v[:40] if len(v) > 12 else v
)
@pytest.mark.parametrize("role", ROLES)
def test_directory_role_matrix(api, operation, lowest, role):
    body = api("a", role)(operation)
    if ROLES.index(role) >= ROLES.index(lowest):
        assert not body.get("errors"), body
    else:
        assert error_codes(body) == ["FORBIDDEN"] and body["data"] is None


def test_anonymous_callers_are_refused(api):
    body = api("a", None)("{ people { totalCount } }")
    assert error_codes(body) == ["UNAUTHENTICATED"]


def test_every_directory_root_field_is_in_the_matrix():
    from apps.people.graphql.mutations import PeopleMutation
    from apps.people.graphql.queries import PeopleQuery
    from config.schema import schema

    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(w.title() for w in rest)

    ours = {
        f.name
        for root in (PeopleQuery, PeopleMutation)
        for f in root.__strawberry_definition__.fields
    }
    covered = {op.split("{")[1].split("(")[0].strip() for op in OPERATIONS}
    assert {camel(name) for name in ours} == covered
    in_schema = {f.name for t in ("Query", "Mutation") for f in schema.get_type_by_name(t).fields}
    assert ours <= in_schema
