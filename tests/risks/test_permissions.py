"""Every register mutation and query, for every role: allowed exactly from its lowest role up."""

import pytest

from tests.accounts.test_roles import ROLES
from tests.conftest import error_codes

# operation → the lowest role allowed. Arguments are dummies: a permitted call answers with typed
# errors (or data), a refused one with FORBIDDEN before anything runs.
X = '"UmlzazowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA="'  # Risk:<nil uuid>
OPERATIONS = {
    "{ risks { totalCount } }": "viewer",
    "{ riskHeatmap { count } }": "viewer",
    "{ riskSummary { byCategory { category } } }": "viewer",
    "{ riskCategories { totalCount } }": "viewer",
    "{ riskMatrix { version } }": "viewer",
    "{ controls { totalCount } }": "viewer",
    "{ riskLimits { totalCount } }": "viewer",
    "{ registerSettings { acceptanceMaxDays } }": "viewer",
    "{ riskExport(format: CSV) { rowCount } }": "viewer",
    'mutation { riskImport(input: {format: CSV, contentBase64: ""}) { errors { code } } }': "analyst",
    f'mutation {{ riskCreate(input: {{title: "t", category: {X}}}) {{ errors {{ code }} }} }}': "analyst",
    f'mutation {{ riskUpdate(input: {{id: {X}, title: "t"}}) {{ errors {{ code }} }} }}': "analyst",
    f"mutation {{ riskTransition(input: {{id: {X}, to: OPEN}}) {{ errors {{ code }} }} }}": "analyst",
    f"mutation {{ reviewRecord(input: {{risk: {X}}}) {{ errors {{ code }} }} }}": "analyst",
    f"mutation {{ assessmentRecord(input: {{risk: {X}, kind: INHERENT, likelihood: 1, impact: 1}}) {{ errors {{ code }} }} }}": "analyst",
    f"mutation {{ residualApplyProposal(input: {{risk: {X}}}) {{ errors {{ code }} }} }}": "analyst",
    'mutation { controlSave(input: {name: "c", controlType: PREVENTIVE, kind: AUDIT}) { errors { code } } }': "analyst",
    f'mutation {{ actionCreate(input: {{risk: {X}, title: "a"}}) {{ errors {{ code }} }} }}': "analyst",
    f'mutation {{ actionUpdate(input: {{id: {X}, title: "a"}}) {{ errors {{ code }} }} }}': "analyst",
    f'mutation {{ acceptanceRequest(input: {{risk: {X}, justification: "j", expiresOn: "2030-01-01"}}) {{ errors {{ code }} }} }}': "analyst",
    f"mutation {{ acceptanceDecide(input: {{id: {X}, approve: true}}) {{ errors {{ code }} }} }}": "risk_manager",
    'mutation { limitSave(input: {name: "l", cap: "10"}) { errors { code } } }': "risk_manager",
    'mutation { categoryCreate(input: {code: "perm_probe", nameEn: "p"}) { errors { code } } }': "admin",
    f'mutation {{ categoryUpdate(input: {{id: {X}, nameEn: "p"}}) {{ errors {{ code }} }} }}': "admin",
    f"mutation {{ appetiteSet(input: {{category: {X}, maxLevel: HIGH}}) {{ errors {{ code }} }} }}": "admin",
    f"mutation {{ matrixActivate(input: {{id: {X}}}) {{ errors {{ code }} }} }}": "admin",
    'mutation { matrixCreate(input: {name: "m", likelihoodLevels: [], impactLevels: [], grid: []}) { errors { code } } }': "admin",
    "mutation { registerSettingsUpdate(input: {acceptanceMaxDays: 30}) { errors { code } } }": "admin",
}


@pytest.mark.parametrize(
    "operation,lowest", OPERATIONS.items(), ids=lambda v: v[:40] if len(v) > 12 else v
)
@pytest.mark.parametrize("role", ROLES)
def test_register_role_matrix(api, operation, lowest, role):
    body = api("a", role)(operation)
    if ROLES.index(role) >= ROLES.index(lowest):
        assert not body.get("errors"), body
    else:
        assert error_codes(body) == ["FORBIDDEN"] and body["data"] is None


def test_every_register_mutation_is_in_the_matrix():
    from config.schema import schema

    names = {f.name for f in schema.get_type_by_name("Mutation").fields}
    from apps.risks.graphql.mutations import RisksMutation

    register_fields = {f.name for f in RisksMutation.__strawberry_definition__.fields}
    covered = {
        op.split("{")[1].split("(")[0].strip() for op in OPERATIONS if op.startswith("mutation")
    }
    camel = {
        "".join(w.title() if i else w for i, w in enumerate(n.split("_"))) for n in register_fields
    }
    assert camel <= covered, f"mutations without a role test: {camel - covered}"
    assert register_fields <= names
