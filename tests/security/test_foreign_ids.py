"""Input-aware probes, generated from the tenant schema:

- every `ID` field of every mutation input (nested and list fields included) is given the id of
  tenant B's object of that type, the rest of the input being real objects of tenant A, and the
  call is made as A's admin: each must answer a typed error or NOT_FOUND, and change nothing in
  B (a checksum of every table of B's schema) nor in A;
- A's viewer calls every mutation above the viewer's role with a full input of A's own ids: each
  is FORBIDDEN and changes nothing (tests/test_role_matrix.py checks the codes on hand-written
  probes; this one covers every mutation of the schema with real ids, and the data).

The type each id field names is written here by hand: a new id field fails the walk until it is
added. The counts (cases tried, failures) are printed for the closing note.
"""

import json

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from graphql import GraphQLInputObjectType, GraphQLList, GraphQLNonNull, get_named_type
from strawberry.relay import to_base64

from config.schema import schema
from tests.kit.registry import MINIMUM_ROLE
from tests.kit.roles import ANYONE
from tests.security.schema_cases import _document, baseline
from tests.security.test_node_walk import _objects

# The object an input's id field names, by field name; `id` by the mutation's prefix.
FIELD_TYPES = {
    "approvedBy": "User",
    "category": "RiskCategory",
    "riskCategories": "RiskCategory",
    "control": "Control",
    "course": "Course",
    "department": "Department",
    "departments": "Department",
    "orgDepartment": "Department",
    "head": "Person",
    "manager": "Person",
    "people": "Person",
    "person": "Person",
    "indicator": "Indicator",
    "indicators": "Indicator",
    "owner": "Person",  # risks, controls, actions, drill findings (a plan's owner: a User)
    "responsible": "User",
    "user": "User",
    "risk": "Risk",
    "risks": "Risk",
    "relatedRisks": "Risk",
    # warnings
    "assignee": "User",
    "signal": "WarningSignal",
    "ids": "WarningSignal",  # warningSignalsTransition
    "rule": "Rule",
    # emergency plans
    "scenario": "EmergencyScenario",
    "plan": "EmergencyPlan",
    "level": "SeverityLevel",
    "backup": "Person",
    "participants": "Person",
    "activation": "Activation",
    "drill": "Drill",
    # training
    "session": "TrainingSession",
    "emergencyPlans": "EmergencyPlan",
    # assessments
    "dataset": "AssessmentDataset",
    "loanBook": "AssessmentDatasetVersion",
    "positions": "AssessmentDatasetVersion",
    "returns": "AssessmentDatasetVersion",
    "cashFlows": "AssessmentDatasetVersion",
    "scenarios": "AssessmentDatasetVersion",
    "loanPerformance": "AssessmentDatasetVersion",
    "limit": "RiskLimit",  # assessmentRunCreate(input: {limits: [{limit}]})
    "template": "AssessmentRun",
    "schedule": "AssessmentRunSchedule",
    "upload": "AssessmentUpload",
    "scorecard": "Scorecard",
    "fund": "ReserveFund",
    "movement": "ReserveMovement",
    "run": "AssessmentRun",  # reserveAdequacyAssess
}
PARENT_TYPES = {"category": "RiskCategory", "department": "Department"}
ID_TYPES = {
    "acceptance": "RiskAcceptance",
    "action": "TreatmentAction",
    "apiToken": "ApiToken",
    "category": "RiskCategory",
    "control": "Control",
    "course": "Course",
    "department": "Department",
    "indicator": "Indicator",
    "limit": "RiskLimit",
    "matrix": "RiskMatrix",
    "member": "Member",
    "person": "Person",
    "requirement": "TrainingRequirement",
    "risk": "Risk",
    "rule": "Rule",
    "signal": "WarningSignal",
    "webhook": "Webhook",
    "activation": "Activation",
    "activationTask": "ActivationTask",
    "assessmentRun": "AssessmentRun",
    "campaign": "EducationCampaign",
    "complaint": "Complaint",
    "drill": "Drill",
    "drillFinding": "DrillFinding",
    "enrolment": "Enrolment",
    "lexiconTerm": "SentimentLexiconTerm",
    "mention": "Mention",
    "mentionSource": "MentionSource",
    "mentionTopic": "MentionTopic",
    "complaintCategorySla": "ComplaintCategorySla",
    "plan": "EmergencyPlan",
    "planVersion": "PlanVersion",
    "regulatorReport": "RegulatorReport",
    "session": "TrainingSession",
    "severityLevel": "SeverityLevel",
}
# Walk objects (tests/security/test_node_walk.py) by GraphQL type.
WALK_CASES = {
    "Risk": "risk",
    "RiskCategory": "category",
    "RiskMatrix": "matrix",
    "Control": "control",
    "TreatmentAction": "action",
    "RiskAcceptance": "acceptance",
    "RiskLimit": "limit",
    "Indicator": "indicator",
    "Rule": "rule",
    "WarningSignal": "signal",
    "Webhook": "webhook",
    "Member": "member",
    "ApiToken": "risk manager's token",
    "Department": "department",
    "Person": "person",
    "Course": "course",
    "TrainingRequirement": "training requirement",
    "TrainingSession": "training session",
    "Enrolment": "enrolment",
    "EducationCampaign": "education campaign",
    "EmergencyScenario": "emergency scenario",
    "SeverityLevel": "severity level",
    "EmergencyPlan": "emergency plan",
    "PlanVersion": "plan version",
    "Activation": "activation",
    "ActivationTask": "activation task",
    "RegulatorReport": "regulator report",
    "Drill": "drill",
    "DrillFinding": "drill finding",
    "MentionSource": "mention source",
    "Mention": "mention",
    "SentimentLexiconTerm": "lexicon term",
    "Complaint": "complaint",
    "MentionTopic": "mention topic",
    "ComplaintCategorySla": "complaint category sla",
    "BrandMetric": "brand metric",
    "AssessmentDataset": "assessment dataset",
    "AssessmentDatasetVersion": "assessment dataset version",
    "AssessmentRun": "assessment run",
    "Scorecard": "scorecard",
    "AssessmentRunSchedule": "assessment run schedule",
    "AssessmentUpload": "assessment upload",
    "ReserveFund": "reserve fund",
    "ReserveMovement": "reserve movement",
}


def _prefix(mutation: str) -> str:
    by_length = sorted(ID_TYPES, key=len, reverse=True)
    return next((p for p in by_length if mutation.startswith(p)), "")


def id_type(mutation: str, path: list[str]) -> str:
    name = path[-1]
    if name == "id" and len(path) == 2:
        return ID_TYPES[_prefix(mutation)]
    if name == "parent":
        return PARENT_TYPES[_prefix(mutation)]
    return FIELD_TYPES[name]


def id_slots(gql_type, path: list[str], depth: int = 0):
    """(path, is_list) of every ID field in an argument's type, nested inputs included."""
    inner = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
    is_list = isinstance(inner, GraphQLList)
    named = get_named_type(gql_type)
    if isinstance(named, GraphQLInputObjectType) and depth < 5:
        for name, field in named.fields.items():
            yield from id_slots(field.type, [*path, name], depth + 1)
    elif named.name == "ID":
        yield path, is_list


def _place(value: dict, path: list[str], replacement) -> dict:
    """`value` (an argument's value) with the field at `path` (below the argument) replaced."""
    if not path:
        return replacement
    head, *rest = path
    if not rest:
        return {**value, head: replacement}
    inner = value.get(head) if isinstance(value, dict) else None
    if isinstance(inner, list):
        return {**value, head: [_place(inner[0] if inner else {}, rest, replacement)]}
    return {**value, head: _place(inner or {}, rest, replacement)}


class AsTenant:
    """The world seen from tenant `key`, for the node walk's object builder (written for A)."""

    def __init__(self, world, key: str) -> None:
        self.world, self.key = world, key
        self.a = getattr(world, key)

    def user(self, _tenant: str, role: str):
        return self.world.user(self.key, role)


def _global_ids(world, key: str) -> dict[str, str]:
    with schema_context(getattr(world, key).schema_name):
        objects = _objects(AsTenant(world, key))
    connection.set_schema_to_public()
    ids = {type_name: to_base64(type_name, objects[case]) for type_name, case in WALK_CASES.items()}
    ids["User"] = to_base64("User", world.user(key, "analyst").pk)
    return ids


def checksum(schema_name: str) -> dict[str, str]:
    """Row count and content hash of every table of a schema, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
            [schema_name],
        )
        tables = [row[0] for row in cursor.fetchall()]
        parts = [
            f"SELECT '{t}', count(*) || ':' || md5(coalesce(string_agg(x::text, ',' ORDER BY "
            f'x::text), \'\')) FROM "{schema_name}"."{t}" x'
            for t in tables
        ]
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t in after if before.get(t) != after[t])


def _answer(body: dict, mutation: str) -> str:
    """ "typed" (payload errors), "coded:<CODE>" (top-level), or "accepted"."""
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
    if codes:
        return "coded:" + ",".join(sorted(set(map(str, codes))))
    payload = (body.get("data") or {}).get(mutation) or {}
    # A bulk mutation answers per id, in `results` (docs/graphql.md "Bulk actions").
    per_id = [r for r in payload.get("results") or [] if r.get("errors")]
    return "typed" if payload.get("errors") or per_id else "accepted"


def _mutation_document(mutation: str, field) -> str:
    """The probe's document; a bulk mutation's per-id results are selected too."""
    document = _document("mutation", mutation, field)
    if "results" in get_named_type(field.type).fields:
        assert document.endswith(" } }"), document
        document = document[: -len(" } }")] + " results { errors { code } } } }"
    return document


@pytest.fixture
def both_worlds(world):
    return _global_ids(world, "a"), _global_ids(world, "b")


def _mutations():
    return sorted(schema._schema.mutation_type.fields.items())


def test_every_id_field_of_every_mutation_refuses_the_other_tenants_object(api, world, both_worlds):
    a_ids, b_ids = both_worlds
    admin = api("a", "admin")
    tried, failures = 0, []
    for mutation, field in _mutations():
        document = _mutation_document(mutation, field)
        for arg, arg_def in field.args.items():
            for path, is_list in id_slots(arg_def.type, [arg]):
                type_name = id_type(mutation, path)
                context = {**a_ids, "@id": ID_TYPES.get(_prefix(mutation), ""), "@full": True}
                variables = {
                    name: baseline(d.type, name, context)
                    for name, d in field.args.items()
                    if isinstance(d.type, GraphQLNonNull) or name == arg
                }
                # Every id field of A's own objects, the one probed set to B's object.
                for other_path, other_list in id_slots(arg_def.type, [arg]):
                    own = a_ids[id_type(mutation, other_path)]
                    variables[arg] = _place(
                        variables[arg], other_path[1:], [own] if other_list else own
                    )
                foreign = b_ids[type_name]
                variables[arg] = _place(variables[arg], path[1:], [foreign] if is_list else foreign)
                before_a, before_b = checksum("tenant_a"), checksum("tenant_b")
                body = admin(document, variables)
                connection.set_schema_to_public()
                answer = _answer(body, mutation)
                changed_b = _changed(before_b, checksum("tenant_b"))
                changed_a = _changed(before_a, checksum("tenant_a"))
                tried += 1
                refused = answer == "typed" or answer == "coded:NOT_FOUND"
                if not refused or changed_b or changed_a:
                    failures.append(
                        f"{mutation} {'.'.join(path)}={type_name} of B: {answer}, "
                        f"B changed {changed_b}, A changed {changed_a}: "
                        f"{json.dumps(body)[:300]}"
                    )
    print(f"\nforeign-id probe: {tried} cases tried, {len(failures)} failures")
    assert tried >= 60, tried  # 40 mutations take ids today, most of them several
    assert failures == [], "\n".join(failures)


def test_a_viewer_is_refused_every_mutation_above_its_role_and_nothing_changes(
    api, world, both_worlds
):
    a_ids, _ = both_worlds
    viewer = api("a", "viewer")
    tried, failures = 0, []
    for mutation, field in _mutations():
        if MINIMUM_ROLE.get(mutation) in ("viewer", ANYONE):
            continue
        context = {
            **a_ids,
            "@id": ID_TYPES.get(_prefix(mutation), "")
            if any(mutation.startswith(p) for p in ID_TYPES)
            else "",
            "@full": True,
        }
        variables = {name: baseline(d.type, name, context) for name, d in field.args.items()}
        for arg, arg_def in field.args.items():
            for path, is_list in id_slots(arg_def.type, [arg]):
                own = a_ids[id_type(mutation, path)]
                variables[arg] = _place(variables[arg], path[1:], [own] if is_list else own)
        before_a, before_b = checksum("tenant_a"), checksum("tenant_b")
        body = viewer(_document("mutation", mutation, field), variables)
        connection.set_schema_to_public()
        tried += 1
        answer = _answer(body, mutation)
        changed = _changed(before_a, checksum("tenant_a")) + _changed(
            before_b, checksum("tenant_b")
        )
        if answer != "coded:FORBIDDEN" or any((body.get("data") or {}).values()) or changed:
            failures.append(f"{mutation}: {answer}, changed {changed}: {json.dumps(body)[:300]}")
    print(f"\nviewer probe: {tried} mutations tried, {len(failures)} failures")
    assert tried >= 50, tried
    assert failures == [], "\n".join(failures)
