"""Every training query and mutation, for every role: viewers read, risk managers and admins
write (training is a compliance control the risk function owns)."""

import pytest

from tests.accounts.test_roles import ROLES
from tests.conftest import error_codes

C = '"Q291cnNlOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA=="'  # Course:<nil uuid>
P = '"UGVyc29uOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA=="'  # Person:<nil uuid>
R = '"VHJhaW5pbmdSZXF1aXJlbWVudDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA="'
OPERATIONS = {
    "{ courses { totalCount } }": "viewer",
    f"{{ course(id: {C}) {{ code }} }}": "viewer",
    "{ trainingRequirements { totalCount } }": "viewer",
    "{ trainingRecords { totalCount } }": "viewer",
    f"{{ trainingStatus(person: {P}) {{ status }} }}": "viewer",
    "{ trainingCoverage(groupBy: COURSE) { required } }": "viewer",
    'mutation { courseCreate(input: {code: "p", titleEn: "p", topic: ETHICS, format: EXAM}) '
    "{ errors { code } } }": "risk_manager",
    f'mutation {{ courseUpdate(input: {{id: {C}, titleEn: "p"}}) {{ errors {{ code }} }} }}': (
        "risk_manager"
    ),
    f'mutation {{ requirementCreate(input: {{course: {C}, jobRoles: ["x"]}}) '
    "{ errors { code } } }": "risk_manager",
    f"mutation {{ requirementUpdate(input: {{id: {R}, firstDueDays: 3}}) "
    "{ errors { code } } }": "risk_manager",
    f"mutation {{ recordCreate(input: {{person: {P}, course: {C}, "
    'completedAt: "2026-01-01T00:00:00Z"}) { errors { code } } }': "risk_manager",
    f'mutation {{ exemptionGrant(input: {{person: {P}, course: {C}, reason: "r"}}) '
    "{ errors { code } } }": "risk_manager",
    'mutation { trainingRecordsImport(input: {format: CSV, contentBase64: ""}) '
    "{ errors { code } } }": "risk_manager",
}


@pytest.mark.parametrize(
    "operation,lowest", OPERATIONS.items(), ids=lambda v: v[:40] if len(v) > 12 else v
)
@pytest.mark.parametrize("role", ROLES)
def test_training_role_matrix(api, operation, lowest, role):
    body = api("a", role)(operation)
    if ROLES.index(role) >= ROLES.index(lowest):
        assert not body.get("errors"), body
    else:
        assert error_codes(body) == ["FORBIDDEN"] and body["data"] is None


def test_anonymous_callers_are_refused(api):
    body = api("a", None)("{ courses { totalCount } }")
    assert error_codes(body) == ["UNAUTHENTICATED"]


def test_every_training_root_field_is_in_the_matrix():
    from apps.training.graphql.mutations import TrainingMutation
    from apps.training.graphql.queries import TrainingQuery
    from config.schema import schema

    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(w.title() for w in rest)

    ours = {
        f.name
        for root in (TrainingQuery, TrainingMutation)
        for f in root.__strawberry_definition__.fields
    }
    covered = {op.split("{")[1].split("(")[0].strip() for op in OPERATIONS}
    assert {camel(name) for name in ours} == covered
    in_schema = {f.name for t in ("Query", "Mutation") for f in schema.get_type_by_name(t).fields}
    assert ours <= in_schema
