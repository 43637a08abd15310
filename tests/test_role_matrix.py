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
SIG, RU = nil("WarningSignal"), nil("Rule")
CT, LI = nil("Control"), nil("RiskLimit")
EP, EV, EA, ET, EL, RR, DR, DF = (
    nil(name)
    for name in (
        "EmergencyPlan", "PlanVersion", "Activation", "ActivationTask", "SeverityLevel",
        "RegulatorReport", "Drill", "DrillFinding",
    )
)  # fmt: skip
TS, EN, EC = nil("TrainingSession"), nil("Enrolment"), nil("EducationCampaign")
MS, MN, LT, CP = nil("MentionSource"), nil("Mention"), nil("SentimentLexiconTerm"), nil("Complaint")
MT, CS = nil("MentionTopic"), nil("ComplaintCategorySla")
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
    "riskSummary": "{ riskSummary { byCategory { category { code } } } }",
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
    "controlCreate": 'mutation { controlCreate(input: {name: "c", controlType: PREVENTIVE, kind: AUDIT}) { errors { code } } }',
    "controlUpdate": f'mutation {{ controlUpdate(input: {{id: {CT}, name: "c"}}) {{ errors {{ code }} }} }}',
    "controlArchive": f"mutation {{ controlArchive(input: {{id: {CT}}}) {{ errors {{ code }} }} }}",
    "riskArchive": f"mutation {{ riskArchive(input: {{id: {R}}}) {{ errors {{ code }} }} }}",
    "actionCreate": f'mutation {{ actionCreate(input: {{risk: {R}, title: "a"}}) {{ errors {{ code }} }} }}',
    "actionUpdate": f'mutation {{ actionUpdate(input: {{id: {A}, title: "a"}}) {{ errors {{ code }} }} }}',
    "acceptanceRequest": f'mutation {{ acceptanceRequest(input: {{risk: {R}, justification: "j", expiresOn: "2030-01-01"}}) {{ errors {{ code }} }} }}',
    "acceptanceDecide": f"mutation {{ acceptanceDecide(input: {{id: {R}, approve: true}}) {{ errors {{ code }} }} }}",
    "limitCreate": 'mutation { limitCreate(input: {name: "l", cap: "10"}) { errors { code } } }',
    "limitUpdate": f'mutation {{ limitUpdate(input: {{id: {LI}, name: "l"}}) {{ errors {{ code }} }} }}',
    "actions": "{ actions { totalCount } }",
    "actionCounts": "{ actionCounts { status count } }",
    "acceptances": "{ acceptances { totalCount } }",
    "acceptanceCounts": "{ acceptanceCounts { status count } }",
    "riskCategory": '{ riskCategory(code: "credit") { code } }',
    "residualProposal": f"{{ residualProposal(risk: {R}) {{ level }} }}",
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
    "indicatorCreate": f'mutation {{ indicatorCreate(input: {{code: "p", name: "p", category: {R}}}) {{ errors {{ code }} }} }}',
    "indicatorUpdate": f'mutation {{ indicatorUpdate(input: {{id: {IND}, name: "p"}}) {{ errors {{ code }} }} }}',
    "indicatorArchive": f"mutation {{ indicatorArchive(input: {{id: {IND}}}) {{ errors {{ code }} }} }}",
    "ruleCreate": f"mutation {{ ruleCreate(input: {{indicator: {IND}, kind: THRESHOLD}}) {{ errors {{ code }} }} }}",
    "ruleUpdate": f"mutation {{ ruleUpdate(input: {{id: {RU}, isActive: false}}) {{ errors {{ code }} }} }}",
    "ruleArchive": f"mutation {{ ruleArchive(input: {{id: {RU}}}) {{ errors {{ code }} }} }}",
    "warningSettingsUpdate": "mutation { warningSettingsUpdate(input: {escalateRedAfterMinutes: 30}) { errors { code } } }",
    "observationsIngest": "mutation { observationsIngest(input: {points: []}) { count errors { code } } }",
    "observationsIngestRows": "mutation { observationsIngestRows(input: {rows: []}) { count errors { code } } }",
    "observationsIngestCsv": 'mutation { observationsIngestCsv(input: {csv: "indicator,observed_at,value\\n"}) { count } }',
    "signalTransition": f"mutation {{ signalTransition(input: {{id: {IND}, to: RESOLVED}}) {{ errors {{ code }} }} }}",
    "scanRun": "mutation { scanRun(input: {}) { errors { code } } }",
    "warningSignalsTransition": f"mutation {{ warningSignalsTransition(input: {{ids: [{SIG}], to: RESOLVED}}) {{ errors {{ code }} results {{ errors {{ code }} }} }} }}",
    "warningSignalCounts": "{ warningSignalCounts { total } }",
    "signalAssign": f"mutation {{ signalAssign(input: {{id: {SIG}, assignee: null}}) {{ errors {{ code }} }} }}",
    "signalCommentCreate": f'mutation {{ signalCommentCreate(input: {{signal: {SIG}, body: "b"}}) {{ errors {{ code }} }} }}',
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
    "trainingCoverageTrend": "{ trainingCoverageTrend(months: 2) { compliant } }",
    "trainingOverdue": "{ trainingOverdue { totalCount } }",
    "trainingOwners": "{ trainingOwners { id } }",
    "trainingSessions": "{ trainingSessions { totalCount } }",
    "trainingEnrolments": "{ trainingEnrolments { totalCount } }",
    "educationCampaigns": "{ educationCampaigns { totalCount } }",
    "courseCreate": 'mutation { courseCreate(input: {code: "p", titleEn: "p", topic: ETHICS, format: EXAM}) { errors { code } } }',
    "courseUpdate": f'mutation {{ courseUpdate(input: {{id: {C}, titleEn: "p"}}) {{ errors {{ code }} }} }}',
    "requirementCreate": f'mutation {{ requirementCreate(input: {{course: {C}, jobRoles: ["x"]}}) {{ errors {{ code }} }} }}',
    "requirementUpdate": f"mutation {{ requirementUpdate(input: {{id: {TR}, firstDueDays: 3}}) {{ errors {{ code }} }} }}",
    "recordCreate": f'mutation {{ recordCreate(input: {{person: {P}, course: {C}, completedAt: "2026-01-01T00:00:00Z"}}) {{ errors {{ code }} }} }}',
    "exemptionGrant": f'mutation {{ exemptionGrant(input: {{person: {P}, course: {C}, reason: "r"}}) {{ errors {{ code }} }} }}',
    "trainingRecordsImport": 'mutation { trainingRecordsImport(input: {format: CSV, contentBase64: ""}) { errors { code } } }',
    "campaignReachImport": 'mutation { campaignReachImport(input: {format: CSV, contentBase64: ""}) { errors { code } } }',
    "trainingOwnerSet": f"mutation {{ trainingOwnerSet(input: {{department: {D}}}) {{ errors {{ code }} }} }}",
    # emergency
    "emergencyScenarios": "{ emergencyScenarios { totalCount } }",
    "severityLevels": "{ severityLevels { totalCount } }",
    "emergencyPlans": "{ emergencyPlans { totalCount } }",
    "emergencyPlan": f"{{ emergencyPlan(id: {EP}) {{ code }} }}",
    "activations": "{ activations { totalCount } }",
    "activation": f"{{ activation(id: {EA}) {{ title }} }}",
    "drills": "{ drills { totalCount } }",
    "activationReport": f"{{ activationReport(id: {EA}, format: PDF) {{ filename }} }}",
    "drillReport": f"{{ drillReport(id: {DR}, format: XLSX) {{ filename }} }}",
    "scenarioCreate": 'mutation { scenarioCreate(input: {code: "", name: "s"}) { errors { code } } }',
    "severityLevelUpdate": f'mutation {{ severityLevelUpdate(input: {{id: {EL}, name: "n"}}) {{ errors {{ code }} }} }}',
    "planCreate": f'mutation {{ planCreate(input: {{code: "p", name: "p", scenario: {EP}}}) {{ errors {{ code }} }} }}',
    "planUpdate": f'mutation {{ planUpdate(input: {{id: {EP}, name: "p"}}) {{ errors {{ code }} }} }}',
    "planVersionUpdate": f'mutation {{ planVersionUpdate(input: {{id: {EV}, objectives: "o"}}) {{ errors {{ code }} }} }}',
    "planVersionCreate": f"mutation {{ planVersionCreate(input: {{plan: {EP}}}) {{ errors {{ code }} }} }}",
    "planVersionTransition": f"mutation {{ planVersionTransition(input: {{id: {EV}, to: IN_REVIEW}}) {{ errors {{ code }} }} }}",
    "activationDeclare": f"mutation {{ activationDeclare(input: {{plan: {EP}}}) {{ errors {{ code }} }} }}",
    "activationLevelChange": f"mutation {{ activationLevelChange(input: {{id: {EA}, level: {EL}}}) {{ errors {{ code }} }} }}",
    "activationTransition": f"mutation {{ activationTransition(input: {{id: {EA}, to: STABILISED}}) {{ errors {{ code }} }} }}",
    "activationClose": f'mutation {{ activationClose(input: {{id: {EA}, rootCause: "r", lessonsLearned: "l", followUpActions: "f"}}) {{ errors {{ code }} }} }}',
    "activationRoleAssign": f"mutation {{ activationRoleAssign(input: {{activation: {EA}, role: COMMANDER, person: {P}}}) {{ errors {{ code }} }} }}",
    "activationTaskTransition": f"mutation {{ activationTaskTransition(input: {{id: {ET}, to: DONE}}) {{ errors {{ code }} }} }}",
    "activationNoteAdd": f'mutation {{ activationNoteAdd(input: {{activation: {EA}, text: "t"}}) {{ errors {{ code }} }} }}',
    "activationCommunicationRecord": f'mutation {{ activationCommunicationRecord(input: {{activation: {EA}, audience: STAFF, channel: EMAIL, summary: "s"}}) {{ errors {{ code }} }} }}',
    "regulatorReportSubmit": f"mutation {{ regulatorReportSubmit(input: {{id: {RR}}}) {{ errors {{ code }} }} }}",
    "drillSchedule": f'mutation {{ drillSchedule(input: {{plan: {EP}, scheduledOn: "2030-01-01", kind: TABLETOP}}) {{ errors {{ code }} }} }}',
    "drillRecord": f"mutation {{ drillRecord(input: {{id: {DR}, result: PASS}}) {{ errors {{ code }} }} }}",
    "drillFindingCreate": f'mutation {{ drillFindingCreate(input: {{drill: {DR}, title: "f", severity: LOW}}) {{ errors {{ code }} }} }}',
    "drillFindingTransition": f"mutation {{ drillFindingTransition(input: {{id: {DF}, to: CLOSED}}) {{ errors {{ code }} }} }}",
    "drillFindingActionCreate": f"mutation {{ drillFindingActionCreate(input: {{id: {DF}, risk: {R}}}) {{ errors {{ code }} }} }}",
    "sessionCreate": f'mutation {{ sessionCreate(input: {{course: {C}, startsAt: "2026-01-01T09:00:00Z", endsAt: "2026-01-01T10:00:00Z", instructor: "i", location: "x", capacity: 1}}) {{ errors {{ code }} }} }}',
    "sessionUpdate": f"mutation {{ sessionUpdate(input: {{id: {TS}, capacity: 2}}) {{ errors {{ code }} }} }}",
    "sessionCancel": f"mutation {{ sessionCancel(input: {{id: {TS}}}) {{ errors {{ code }} }} }}",
    "sessionComplete": f"mutation {{ sessionComplete(input: {{id: {TS}, attendance: []}}) {{ errors {{ code }} }} }}",
    "enrolmentCreate": f"mutation {{ enrolmentCreate(input: {{session: {TS}, person: {P}}}) {{ errors {{ code }} }} }}",
    "enrolmentCancel": f"mutation {{ enrolmentCancel(input: {{id: {EN}}}) {{ errors {{ code }} }} }}",
    "campaignCreate": 'mutation { campaignCreate(input: {code: "p", title: "p", topic: SCAMS_AND_PHISHING, segment: ELDERLY, channel: SMS, startsOn: "2026-01-01", endsOn: "2026-01-31", plannedReach: 10}) { errors { code } } }',
    "campaignUpdate": f"mutation {{ campaignUpdate(input: {{id: {EC}, reached: 3}}) {{ errors {{ code }} }} }}",
    # reputation
    "mentionSources": "{ mentionSources { totalCount } }",
    "mentions": "{ mentions { totalCount } }",
    "mention": f"{{ mention(id: {MN}) {{ text }} }}",
    "stories": "{ stories { totalCount } }",
    "sentimentLexicon": "{ sentimentLexicon { totalCount } }",
    "complaintSlas": "{ complaintSlas { responseHours } }",
    "reputationSeries": "{ reputationSeries { index } }",
    "reputationSummary": "{ reputationSummary { mentions } }",
    "reputationSettings": "{ reputationSettings { scorerZhInUse } }",
    "sentimentEvaluation": "{ sentimentEvaluation { accuracy } }",
    "mentionBreakdown": '{ mentionBreakdown(by: CHANNEL, publishedFrom: "2026-01-01T00:00:00Z", publishedBefore: "2026-01-02T00:00:00Z") { mentions } }',
    "complaints": "{ complaints { totalCount } }",
    "complaint": f"{{ complaint(id: {CP}) {{ reference }} }}",
    "mentionsIngest": "mutation { mentionsIngest(input: {mentions: []}) { createdCount errors { code } } }",
    "mentionsIngestRows": "mutation { mentionsIngestRows(input: {rows: []}) { createdCount errors { code } } }",
    "mentionsIngestCsv": 'mutation { mentionsIngestCsv(input: {csv: ""}) { createdCount errors { code } } }',
    "mentionLabel": f"mutation {{ mentionLabel(input: {{id: {MN}, label: NEGATIVE}}) {{ errors {{ code }} }} }}",
    "complaintCreate": 'mutation { complaintCreate(input: {reference: "", channel: ONLINE, category: FEES, summary: ""}) { errors { code } } }',
    "complaintsImport": 'mutation { complaintsImport(input: {format: CSV, contentBase64: ""}) { createdCount errors { code } } }',
    "complaintUpdate": f'mutation {{ complaintUpdate(input: {{id: {CP}, product: "p"}}) {{ errors {{ code }} }} }}',
    "complaintTransition": f"mutation {{ complaintTransition(input: {{id: {CP}, to: RESOLVED}}) {{ errors {{ code }} }} }}",
    "mentionsRescore": "mutation { mentionsRescore { errors { code } } }",
    "mentionSourceCreate": 'mutation { mentionSourceCreate(input: {code: "", name: "", channel: WEIBO}) { errors { code } } }',
    "mentionSourceUpdate": f'mutation {{ mentionSourceUpdate(input: {{id: {MS}, name: "p"}}) {{ errors {{ code }} }} }}',
    "lexiconTermCreate": 'mutation { lexiconTermCreate(input: {term: "", weight: 0}) { errors { code } } }',
    "lexiconTermUpdate": f"mutation {{ lexiconTermUpdate(input: {{id: {LT}, weight: 0.5}}) {{ errors {{ code }} }} }}",
    "complaintSlaUpdate": "mutation { complaintSlaUpdate(input: {priority: LOW, responseHours: 0, resolutionHours: 0}) { errors { code } } }",
    "reputationSettingsUpdate": 'mutation { reputationSettingsUpdate(input: {scorerZh: "nope"}) { errors { code } } }',
    "reputationRecompute": 'mutation { reputationRecompute(input: {from: "2026-02-01", to: "2026-01-01"}) { errors { code } } }',
    "mentionTopics": "{ mentionTopics { totalCount } }",
    "complaintCategorySlas": "{ complaintCategorySlas { responseHours } }",
    "brandMetrics": "{ brandMetrics { totalCount } }",
    "mentionTopicCreate": 'mutation { mentionTopicCreate(input: {code: "", name: ""}) { errors { code } } }',
    "mentionTopicUpdate": f'mutation {{ mentionTopicUpdate(input: {{id: {MT}, name: "p"}}) {{ errors {{ code }} }} }}',
    "complaintCategorySlaSet": "mutation { complaintCategorySlaSet(input: {category: FEES, responseHours: 0, resolutionHours: 0}) { errors { code } } }",
    "complaintCategorySlaDelete": f"mutation {{ complaintCategorySlaDelete(input: {{id: {CS}}}) {{ errors {{ code }} }} }}",
    "brandMetricsIngest": "mutation { brandMetricsIngest(input: {metrics: []}) { createdCount errors { code } } }",
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
    "assessmentRegisterMappings": "{ assessmentRegisterMappings { runKind } }",
    "assessmentRegisterMappingSet": "mutation { assessmentRegisterMappingSet(input: {runKind: MARKET_VAR, likelihoodFigure: BACKTEST_EXCEPTIONS, likelihoodBands: [2, 5, 8, 10], impactFigure: VAR_99}) { errors { code } } }",
    "assessmentRegisterMappingDelete": "mutation { assessmentRegisterMappingDelete(runKind: MARKET_VAR) { deleted } }",
    "assessmentRunSchedules": "{ assessmentRunSchedules { totalCount } }",
    "assessmentUploadStart": 'mutation { assessmentUploadStart(input: {name: "u", kind: POSITIONS, format: CSV}) { errors { code } } }',
    "assessmentUploadAppend": f'mutation {{ assessmentUploadAppend(input: {{upload: {nil("AssessmentUpload")}, index: 0, contentBase64: "eA=="}}) {{ errors {{ code }} }} }}',
    "assessmentUploadFinish": f"mutation {{ assessmentUploadFinish(input: {{upload: {nil('AssessmentUpload')}, chunks: 1}}) {{ errors {{ code }} }} }}",
    "assessmentRunScheduleCreate": f'mutation {{ assessmentRunScheduleCreate(input: {{name: "s", template: {AR}, cadence: DAILY}}) {{ errors {{ code }} }} }}',
    "assessmentRunScheduleUpdate": f"mutation {{ assessmentRunScheduleUpdate(input: {{schedule: {nil('AssessmentRunSchedule')}}}) {{ errors {{ code }} }} }}",
    "reserveFunds": "{ reserveFunds { totalCount } }",
    "reserveMovements": "{ reserveMovements { totalCount } }",
    "reserveAdequacies": "{ reserveAdequacies { totalCount } }",
    "reserveFundCreate": 'mutation { reserveFundCreate(input: {name: "", currency: "CNY", target: "1"}) { errors { code } } }',
    "reserveFundUpdate": f"mutation {{ reserveFundUpdate(input: {{fund: {nil('ReserveFund')}}}) {{ errors {{ code }} }} }}",
    "reserveMovementCreate": f'mutation {{ reserveMovementCreate(input: {{fund: {nil("ReserveFund")}, kind: CONTRIBUTION, amount: "1", reason: "r"}}) {{ errors {{ code }} }} }}',
    "reserveMovementTransition": f"mutation {{ reserveMovementTransition(input: {{movement: {nil('ReserveMovement')}, to: APPROVED}}) {{ errors {{ code }} }} }}",
    "reserveAdequacyAssess": f"mutation {{ reserveAdequacyAssess(input: {{fund: {nil('ReserveFund')}, run: {AR}}}) {{ errors {{ code }} }} }}",
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
