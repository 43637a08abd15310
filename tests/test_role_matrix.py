"""Every root field of the tenant schema, for every role and without a token: allowed exactly
from its lowest role up (tests/kit/registry.py MINIMUM_ROLE), refused below it before anything
runs. tests/test_schema_guards.py fails on a root field that has no row here."""

import pytest
from strawberry.relay import to_base64

from tests.kit.registry import MINIMUM_ROLE
from tests.kit.roles import ROLES, check_role

NIL = "00000000-0000-0000-0000-000000000000"


def nil(type_name: str) -> str:
    """The global id of a `type_name` that does not exist, quoted for a GraphQL document."""
    return f'"{to_base64(type_name, NIL)}"'


A, D, IND, J, M, P, R, T, W = (
    nil(name)
    for name in (
        "RiskAction", "Department", "Indicator", "Job", "Member", "Person", "Risk", "ApiToken",
        "Webhook",
    )
)  # fmt: skip
C, TR = nil("Course"), nil("TrainingRequirement")
AR = nil("AssessmentRun")
MISSING = ("NOT_FOUND",)  # a permitted lookup of an object that is not there

# Root field → an operation that calls it with dummy arguments: a permitted call answers with
# data or typed payload errors; `(operation, codes)` also allows those coded errors.
PROBES: dict[str, str | tuple[str, tuple[str, ...]]] = {
    # accounts / core
    "me": "{ me { role } }",
    "members": "{ members { totalCount } }",
    "apiTokens": "{ apiTokens { totalCount } }",
    "job": f"{{ job(id: {J}) {{ id }} }}",
    "jobs": "{ jobs { totalCount } }",
    "auditEntries": "{ auditEntries { totalCount } }",
    "node": f"{{ node(id: {R}) {{ id }} }}",
    "login": 'mutation { login(input: {email: "nobody@a.test", password: "x"}) { errors { code } } }',
    "logout": "mutation { logout { revoked errors { code } } }",
    "inviteAccept": 'mutation { inviteAccept(input: {inviteCode: "nope", password: "A-Good-Long-Passphrase"}) { errors { code } } }',
    "apiTokenCreate": 'mutation { apiTokenCreate(input: {name: "t"}) { errors { code } } }',
    "apiTokenRevoke": f"mutation {{ apiTokenRevoke(input: {{id: {T}}}) {{ errors {{ code }} }} }}",
    "memberInvite": 'mutation { memberInvite(input: {email: "new@a.test", role: VIEWER}) { errors { code } } }',
    "memberRoleChange": f"mutation {{ memberRoleChange(input: {{id: {M}, role: VIEWER}}) {{ errors {{ code }} }} }}",
    "memberRemove": f"mutation {{ memberRemove(input: {{id: {M}}}) {{ errors {{ code }} }} }}",
    "diagnosticsRun": "mutation { diagnosticsRun { errors { code } } }",
    # notifications
    "webhooks": "{ webhooks { totalCount } }",
    "webhook": f"{{ webhook(id: {W}) {{ name }} }}",
    "webhookDeliveries": "{ webhookDeliveries { totalCount } }",
    "webhookEventTypes": "{ webhookEventTypes { name } }",
    "webhookCreate": 'mutation { webhookCreate(input: {name: "h", url: "https://hooks.example.com/x"}) { errors { code } } }',
    "webhookUpdate": f'mutation {{ webhookUpdate(input: {{id: {W}, name: "h"}}) {{ errors {{ code }} }} }}',
    "webhookDelete": f"mutation {{ webhookDelete(input: {{id: {W}}}) {{ errors {{ code }} }} }}",
    "webhookRotateSecret": f"mutation {{ webhookRotateSecret(input: {{id: {W}}}) {{ errors {{ code }} }} }}",
    "webhookTest": f"mutation {{ webhookTest(input: {{id: {W}}}) {{ errors {{ code }} }} }}",
    # risks
    "risks": "{ risks { totalCount } }",
    "risk": f"{{ risk(id: {R}) {{ title }} }}",
    "riskHeatmap": "{ riskHeatmap { count } }",
    "riskSummary": "{ riskSummary { byCategory { category } } }",
    "riskCategories": "{ riskCategories { totalCount } }",
    "riskMatrix": "{ riskMatrix { version } }",
    "riskMatrices": "{ riskMatrices { totalCount } }",
    "controls": "{ controls { totalCount } }",
    "riskAppetites": "{ riskAppetites { totalCount } }",
    "riskLimits": "{ riskLimits { totalCount } }",
    "riskExport": "{ riskExport(format: CSV) { rowCount } }",
    "registerSettings": "{ registerSettings { acceptanceMaxDays } }",
    "riskImport": 'mutation { riskImport(input: {format: CSV, contentBase64: ""}) { errors { code } } }',
    "riskCreate": f'mutation {{ riskCreate(input: {{title: "t", category: {R}}}) {{ errors {{ code }} }} }}',
    "riskUpdate": f'mutation {{ riskUpdate(input: {{id: {R}, title: "t"}}) {{ errors {{ code }} }} }}',
    "riskTransition": f"mutation {{ riskTransition(input: {{id: {R}, to: OPEN}}) {{ errors {{ code }} }} }}",
    "reviewRecord": f"mutation {{ reviewRecord(input: {{risk: {R}}}) {{ errors {{ code }} }} }}",
    "assessmentRecord": f"mutation {{ assessmentRecord(input: {{risk: {R}, kind: INHERENT, likelihood: 1, impact: 1}}) {{ errors {{ code }} }} }}",
    "residualApplyProposal": f"mutation {{ residualApplyProposal(input: {{risk: {R}}}) {{ errors {{ code }} }} }}",
    "controlSave": 'mutation { controlSave(input: {name: "c", controlType: PREVENTIVE, kind: AUDIT}) { errors { code } } }',
    "actionCreate": f'mutation {{ actionCreate(input: {{risk: {R}, title: "a"}}) {{ errors {{ code }} }} }}',
    "actionUpdate": f'mutation {{ actionUpdate(input: {{id: {A}, title: "a"}}) {{ errors {{ code }} }} }}',
    "acceptanceRequest": f'mutation {{ acceptanceRequest(input: {{risk: {R}, justification: "j", expiresOn: "2030-01-01"}}) {{ errors {{ code }} }} }}',
    "acceptanceDecide": f"mutation {{ acceptanceDecide(input: {{id: {R}, approve: true}}) {{ errors {{ code }} }} }}",
    "limitSave": 'mutation { limitSave(input: {name: "l", cap: "10"}) { errors { code } } }',
    "categoryCreate": 'mutation { categoryCreate(input: {code: "perm_probe", nameEn: "p"}) { errors { code } } }',
    "categoryUpdate": f'mutation {{ categoryUpdate(input: {{id: {R}, nameEn: "p"}}) {{ errors {{ code }} }} }}',
    "appetiteSet": f"mutation {{ appetiteSet(input: {{category: {R}, maxLevel: HIGH}}) {{ errors {{ code }} }} }}",
    "matrixActivate": f"mutation {{ matrixActivate(input: {{id: {R}}}) {{ errors {{ code }} }} }}",
    "matrixCreate": 'mutation { matrixCreate(input: {name: "m", likelihoodLevels: [], impactLevels: [], grid: []}) { errors { code } } }',
    "registerSettingsUpdate": "mutation { registerSettingsUpdate(input: {acceptanceMaxDays: 30}) { errors { code } } }",
    # early warning
    "indicators": "{ indicators { totalCount } }",
    "indicator": f"{{ indicator(id: {IND}) {{ code }} }}",
    "indicatorSeries": (
        f'{{ indicatorSeries(indicator: {IND}, start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z") {{ value }} }}',
        MISSING,
    ),
    "warningSignals": "{ warningSignals { totalCount } }",
    "warningSettings": "{ warningSettings { escalateRedAfterMinutes } }",
    "indicatorSave": 'mutation { indicatorSave(input: {code: "p", name: "p"}) { errors { code } } }',
    "ruleSave": f"mutation {{ ruleSave(input: {{indicator: {IND}, kind: THRESHOLD}}) {{ errors {{ code }} }} }}",
    "warningSettingsUpdate": "mutation { warningSettingsUpdate(input: {escalateRedAfterMinutes: 30}) { errors { code } } }",
    "observationsIngest": "mutation { observationsIngest(input: {points: []}) { count errors { code } } }",
    "observationsIngestRows": "mutation { observationsIngestRows(input: {rows: []}) { count errors { code } } }",
    "observationsIngestCsv": 'mutation { observationsIngestCsv(input: {csv: "indicator,observed_at,value\\n"}) { count } }',
    "signalTransition": f"mutation {{ signalTransition(input: {{id: {IND}, to: RESOLVED}}) {{ errors {{ code }} }} }}",
    "scanRun": "mutation { scanRun(input: {}) { errors { code } } }",
    # people
    "departments": "{ departments { totalCount } }",
    "department": f"{{ department(id: {D}) {{ code }} }}",
    "people": "{ people { totalCount } }",
    "person": f"{{ person(id: {P}) {{ fullName }} }}",
    "departmentCreate": 'mutation { departmentCreate(input: {code: "perm_probe", nameEn: "p"}) { errors { code } } }',
    "departmentUpdate": f'mutation {{ departmentUpdate(input: {{id: {D}, nameEn: "p"}}) {{ errors {{ code }} }} }}',
    "departmentDeactivate": f"mutation {{ departmentDeactivate(input: {{id: {D}}}) {{ errors {{ code }} }} }}",
    "personCreate": 'mutation { personCreate(input: {employeeNumber: "P1", fullName: "p"}) { errors { code } } }',
    "personUpdate": f'mutation {{ personUpdate(input: {{id: {P}, fullName: "p"}}) {{ errors {{ code }} }} }}',
    "personDeactivate": f"mutation {{ personDeactivate(input: {{id: {P}}}) {{ errors {{ code }} }} }}",
    "peopleImport": 'mutation { peopleImport(input: {format: CSV, contentBase64: ""}) { errors { code } } }',
    # training
    "courses": "{ courses { totalCount } }",
    "course": f"{{ course(id: {C}) {{ code }} }}",
    "trainingRequirements": "{ trainingRequirements { totalCount } }",
    "trainingRecords": "{ trainingRecords { totalCount } }",
    "trainingStatus": f"{{ trainingStatus(person: {P}) {{ status }} }}",
    "trainingCoverage": "{ trainingCoverage(groupBy: COURSE) { required } }",
    "courseCreate": 'mutation { courseCreate(input: {code: "p", titleEn: "p", topic: ETHICS, format: EXAM}) { errors { code } } }',
    "courseUpdate": f'mutation {{ courseUpdate(input: {{id: {C}, titleEn: "p"}}) {{ errors {{ code }} }} }}',
    "requirementCreate": f'mutation {{ requirementCreate(input: {{course: {C}, jobRoles: ["x"]}}) {{ errors {{ code }} }} }}',
    "requirementUpdate": f"mutation {{ requirementUpdate(input: {{id: {TR}, firstDueDays: 3}}) {{ errors {{ code }} }} }}",
    "recordCreate": f'mutation {{ recordCreate(input: {{person: {P}, course: {C}, completedAt: "2026-01-01T00:00:00Z"}}) {{ errors {{ code }} }} }}',
    "exemptionGrant": f'mutation {{ exemptionGrant(input: {{person: {P}, course: {C}, reason: "r"}}) {{ errors {{ code }} }} }}',
    "trainingRecordsImport": 'mutation { trainingRecordsImport(input: {format: CSV, contentBase64: ""}) { errors { code } } }',
    # assessments
    "assessmentDatasets": "{ assessmentDatasets { totalCount } }",
    "assessmentDatasetVersions": "{ assessmentDatasetVersions { totalCount } }",
    "scorecards": "{ scorecards { totalCount } }",
    "assessmentRuns": "{ assessmentRuns { totalCount } }",
    "assessmentRun": f"{{ assessmentRun(id: {AR}) {{ id }} }}",
    "assessmentCompare": f"{{ assessmentCompare(a: {AR}, b: {AR}) {{ sameInputs }} }}",
    "assessmentLoanResults": f"{{ assessmentLoanResults(run: {AR}) {{ loanId }} }}",
    "riskQuantitativeResults": f"{{ riskQuantitativeResults(risk: {R}) {{ id }} }}",
    "assessmentDatasetUpload": 'mutation { assessmentDatasetUpload(input: {name: "p", kind: POSITIONS, format: CSV, contentBase64: ""}) { errors { code } } }',
    "assessmentRunCreate": "mutation { assessmentRunCreate(input: {kind: LIQUIDITY}) { errors { code } } }",
    "assessmentRunCancel": f"mutation {{ assessmentRunCancel(input: {{id: {AR}}}) {{ errors {{ code }} }} }}",
    "assessmentRunRepeat": f"mutation {{ assessmentRunRepeat(input: {{id: {AR}}}) {{ errors {{ code }} }} }}",
}


def _probe(field: str) -> tuple[str, tuple[str, ...]]:
    probe = PROBES[field]
    return (probe, ()) if isinstance(probe, str) else probe


@pytest.mark.parametrize("field", sorted(set(MINIMUM_ROLE) & set(PROBES)))
@pytest.mark.parametrize("role", [None, *ROLES], ids=lambda r: r or "anonymous")
def test_role_matrix(api, field, role):
    operation, allowed_codes = _probe(field)
    check_role(api, operation, MINIMUM_ROLE[field], role, allowed_codes=allowed_codes)


def test_every_field_of_the_matrix_is_probed():
    assert not set(MINIMUM_ROLE) - set(PROBES), "add a probe for these to PROBES"
    assert not set(PROBES) - set(MINIMUM_ROLE), "probes of fields without a minimum role"


@pytest.mark.parametrize("field", sorted(PROBES))
def test_a_probe_calls_the_field_it_is_filed_under(field):
    operation, _ = _probe(field)
    called = operation.split("{", 2)[1].split("(")[0].split("{")[0].strip()
    assert called == field
