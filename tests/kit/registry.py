"""The registries every root field of the tenant schema is held to (tests/test_schema_guards.py
fails on a field that is missing here). Written by hand, on purpose: a new field is a decision
about who may call it and what it may cost, not something read back from the code under test.
"""

from tests.kit.roles import ANYONE

# Root field → the lowest role that may call it. Probed for every role, and without a token, by
# tests/test_role_matrix.py.
MINIMUM_ROLE = {
    # accounts / core
    "me": "viewer",
    "members": "viewer",
    "apiTokens": "viewer",
    "job": "viewer",
    "jobs": "viewer",
    "auditEntries": "admin",
    "node": "viewer",
    "login": ANYONE,
    "logout": "viewer",
    "inviteAccept": ANYONE,
    "apiTokenCreate": "viewer",
    "apiTokenRevoke": "viewer",
    "memberInvite": "admin",
    "memberRoleChange": "admin",
    "memberRemove": "admin",
    "diagnosticsRun": "analyst",
    # notifications: a webhook's URL and its payloads are for admins only
    "webhooks": "admin",
    "webhook": "admin",
    "webhookDeliveries": "admin",
    "webhookEventTypes": "admin",
    "webhookCreate": "admin",
    "webhookUpdate": "admin",
    "webhookDelete": "admin",
    "webhookRotateSecret": "admin",
    "webhookTest": "admin",
    # risks
    "risks": "viewer",
    "risk": "viewer",
    "riskHeatmap": "viewer",
    "riskSummary": "viewer",
    "riskCategories": "viewer",
    "riskMatrix": "viewer",
    "riskMatrices": "viewer",
    "controls": "viewer",
    "riskAppetites": "viewer",
    "riskLimits": "viewer",
    "riskExport": "viewer",
    "registerSettings": "viewer",
    "riskImport": "analyst",
    "riskCreate": "analyst",
    "riskUpdate": "analyst",
    "riskTransition": "analyst",
    "reviewRecord": "analyst",
    "assessmentRecord": "analyst",
    "residualApplyProposal": "analyst",
    "controlCreate": "analyst",
    "controlUpdate": "analyst",
    "controlArchive": "analyst",
    "riskArchive": "analyst",
    "actionCreate": "analyst",
    "actionUpdate": "analyst",
    "acceptanceRequest": "analyst",
    "acceptanceDecide": "risk_manager",
    "limitCreate": "risk_manager",
    "limitUpdate": "risk_manager",
    "actions": "viewer",
    "actionCounts": "viewer",
    "acceptances": "viewer",
    "acceptanceCounts": "viewer",
    "riskCategory": "viewer",
    "residualProposal": "viewer",
    "categoryCreate": "admin",
    "categoryUpdate": "admin",
    "appetiteSet": "admin",
    "matrixActivate": "admin",
    "matrixCreate": "admin",
    "registerSettingsUpdate": "admin",
    # early warning
    "indicators": "viewer",
    "indicator": "viewer",
    "indicatorSeries": "viewer",
    "warningSignals": "viewer",
    "warningSettings": "viewer",
    "indicatorCreate": "risk_manager",
    "indicatorUpdate": "risk_manager",
    "indicatorArchive": "risk_manager",
    "ruleCreate": "risk_manager",
    "ruleUpdate": "risk_manager",
    "ruleArchive": "risk_manager",
    "warningSettingsUpdate": "risk_manager",
    "observationsIngest": "analyst",
    "observationsIngestRows": "analyst",
    "observationsIngestCsv": "analyst",
    "signalTransition": "analyst",
    "warningSignalsTransition": "analyst",
    "warningSignalCounts": "viewer",
    "signalAssign": "analyst",
    "signalCommentCreate": "analyst",
    "scanRun": "analyst",
    # people: viewers read, only admins write (HR data)
    "departments": "viewer",
    "department": "viewer",
    "people": "viewer",
    "person": "viewer",
    "departmentCreate": "admin",
    "departmentUpdate": "admin",
    "departmentDeactivate": "admin",
    "personCreate": "admin",
    "personUpdate": "admin",
    "personDeactivate": "admin",
    "peopleImport": "admin",
    # training: viewers read; risk managers and admins write (a control the risk function owns)
    "courses": "viewer",
    "course": "viewer",
    "trainingRequirements": "viewer",
    "trainingRecords": "viewer",
    "trainingStatus": "viewer",
    "trainingCoverage": "viewer",
    "trainingCoverageTrend": "viewer",
    "trainingOverdue": "viewer",
    "trainingOwners": "viewer",
    "trainingSessions": "viewer",
    "trainingEnrolments": "viewer",
    "educationCampaigns": "viewer",
    "courseCreate": "risk_manager",
    "courseUpdate": "risk_manager",
    "requirementCreate": "risk_manager",
    "requirementUpdate": "risk_manager",
    "recordCreate": "risk_manager",
    "exemptionGrant": "risk_manager",
    "trainingRecordsImport": "risk_manager",
    "trainingOwnerSet": "risk_manager",
    "campaignReachImport": "risk_manager",
    # emergency: viewers read; analysts run plans, activations and drills; approval (a guard in
    # the service), closing, scenarios and levels are the risk manager's
    "emergencyScenarios": "viewer",
    "severityLevels": "viewer",
    "emergencyPlans": "viewer",
    "emergencyPlan": "viewer",
    "activations": "viewer",
    "activation": "viewer",
    "drills": "viewer",
    "scenarioCreate": "risk_manager",
    "severityLevelUpdate": "risk_manager",
    "planCreate": "analyst",
    "planUpdate": "analyst",
    "planVersionUpdate": "analyst",
    "planVersionCreate": "analyst",
    "planVersionTransition": "analyst",
    "activationDeclare": "analyst",
    "activationLevelChange": "analyst",
    "activationTransition": "analyst",
    "activationClose": "risk_manager",
    "activationRoleAssign": "analyst",
    "activationTaskTransition": "analyst",
    "activationNoteAdd": "analyst",
    "activationCommunicationRecord": "analyst",
    "regulatorReportSubmit": "analyst",
    "drillSchedule": "analyst",
    "drillRecord": "analyst",
    "drillFindingCreate": "analyst",
    "drillFindingTransition": "analyst",
    "sessionCreate": "risk_manager",
    "sessionUpdate": "risk_manager",
    "sessionCancel": "risk_manager",
    "sessionComplete": "risk_manager",
    "enrolmentCreate": "risk_manager",
    "enrolmentCancel": "risk_manager",
    "campaignCreate": "risk_manager",
    "campaignUpdate": "risk_manager",
    # reputation: viewers read mentions and figures; complaints (customer matters) from analysts,
    # who also ingest; risk managers set sources, lexicon, SLAs, scorers and weights
    "mentionSources": "viewer",
    "mentions": "viewer",
    "mention": "viewer",
    "stories": "viewer",
    "sentimentLexicon": "viewer",
    "complaintSlas": "viewer",
    "reputationSeries": "viewer",
    "reputationSummary": "viewer",
    "reputationSettings": "viewer",
    "sentimentEvaluation": "viewer",
    "mentionBreakdown": "viewer",
    "complaints": "analyst",
    "complaint": "analyst",
    "mentionsIngest": "analyst",
    "mentionsIngestRows": "analyst",
    "mentionsIngestCsv": "analyst",
    "mentionLabel": "analyst",
    "complaintCreate": "analyst",
    "complaintUpdate": "analyst",
    "complaintTransition": "analyst",
    "mentionsRescore": "risk_manager",
    "mentionSourceCreate": "risk_manager",
    "mentionSourceUpdate": "risk_manager",
    "lexiconTermCreate": "risk_manager",
    "lexiconTermUpdate": "risk_manager",
    "complaintSlaUpdate": "risk_manager",
    "reputationSettingsUpdate": "risk_manager",
    "reputationRecompute": "risk_manager",
    # assessments: every member reads results; analysts upload data and run the models
    "assessmentDatasets": "viewer",
    "assessmentDatasetVersions": "viewer",
    "scorecards": "viewer",
    "assessmentRuns": "viewer",
    "assessmentRun": "viewer",
    "assessmentCompare": "viewer",
    "assessmentLoanResults": "viewer",
    "riskQuantitativeResults": "viewer",
    "assessmentDatasetUpload": "analyst",
    "assessmentRunCreate": "analyst",
    "assessmentRunCancel": "analyst",
    "assessmentRunRepeat": "analyst",
}

# Subscription root field → the lowest role that may subscribe. Websocket only, so probed by
# tests/subscriptions/test_roles.py (a real server and client), not by the HTTP role matrix.
SUBSCRIPTION_MINIMUM_ROLE = {
    "jobProgress": "viewer",
    "warningSignalEvents": "viewer",
}

# Root connection → SQL statements of one request of its list query (tests/*/test_query_counts.py
# CONNECTIONS), the same for first:10 and first:100. Request overhead included: domain → tenant,
# token, membership (3). A change that adds a statement should be a decision, not an accident.
SQL_PINS = {
    # token and membership (2: the host's tenant is cached per process), then
    # core / accounts: one statement for the page with its joins and total count
    "members": 3,
    "apiTokens": 3,
    "jobs": 3,
    "auditEntries": 3,
    # notifications: deliveries fetch their webhooks in one more (the optimizer prefetches a type
    # that has its own get_queryset, the admin-only guard)
    "webhooks": 3,
    "webhookDeliveries": 4,
    # risks: + the first five controls of every risk on the page in one window query
    "risks": 4,
    "riskCategories": 3,
    "riskMatrices": 3,
    "controls": 4,  # + the first five risks of every control on the page (1)
    "riskAppetites": 3,
    "riskLimits": 3,
    "actions": 3,  # with each action's risk, owner and control joined
    "acceptances": 3,  # with each acceptance's risk and requester joined
    # early warning
    "indicators": 4,
    # + each signal's indicator status, for the whole page at once (1); its thread and its history,
    # one prefetch each for the page (2)
    "warningSignals": 6,
    # people: departments add the first five children of every department in one prefetch
    "people": 3,
    "departments": 4,
    # training: the page with its joined course / person / department (1)
    "courses": 3,
    "trainingRequirements": 3,
    "trainingRecords": 3,
    # emergency: plans add the version in force (1 prefetch; the drill flags are subqueries in
    # the page's statement); activations add the current commanders of the page (1 prefetch;
    # plan and level joined, open tasks counted in the page's statement)
    "emergencyScenarios": 3,
    "severityLevels": 3,
    "emergencyPlans": 4,
    "activations": 4,
    "drills": 3,
    "trainingSessions": 3,
    "trainingEnrolments": 3,
    "educationCampaigns": 3,
    # reputation: the page with its joined source / story / assignee (1)
    "mentionSources": 3,
    "mentions": 3,
    "stories": 3,
    "sentimentLexicon": 3,
    "complaints": 3,
    # assessments: the page with its joins (1); runs prefetch each result list for the page (6)
    "assessmentDatasets": 3,
    "assessmentDatasetVersions": 3,
    "scorecards": 3,
    "assessmentRuns": 9,
}

# A detail root field with its nested connections → its pinned SQL count, the same with
# first:10 and first:100 on every nested list (tests/risks/test_query_counts.py).
DETAIL_PINS = {
    # token, membership (2; the host's tenant is cached); the risk (1), its category and owner
    # (2: not joined); one window query per nested model list, its relations joined (8:
    # assessments, controls, actions, reviews, acceptances, relatedRisks, limits, indicators),
    # plus a COUNT(*) for each empty one (acceptances, relatedRisks: 2); signals through the
    # early-warning selector (1, and its COUNT(*) when empty: 1); history (1), which looks up the
    # content type of each of its 6 audited models on every request (6, not cached).
    "risk": 24,
}
