"""The directory through GraphQL, as an admin and a viewer use it."""

import base64

from django_tenants.utils import schema_context
from strawberry.relay import from_base64, to_base64

from apps.core.models import Job
from apps.people.graphql import importing
from apps.people.models import Person
from apps.people.services.importing import import_as_job
from tests.core.test_jobs import FakeTask
from tests.people.files import csv_file

DEPARTMENT_CREATE = """mutation($input: DepartmentCreateInput!) { departmentCreate(input: $input) {
  department { id code name path parent { code } } errors { field code message } } }"""
PERSON_CREATE = """mutation($input: PersonCreateInput!) { personCreate(input: $input) {
  person { id employeeNumber fullName department { code } manager { employeeNumber } }
  errors { field code message } } }"""
PEOPLE = """query($filter: PersonFilter, $order: [PersonOrder!]) {
  people(filter: $filter, orderBy: $order) { totalCount edges { node { employeeNumber } } } }"""
IMPORT = """mutation($c: String!, $d: Boolean) { peopleImport(input: {format: CSV, contentBase64: $c,
  deactivateMissing: $d}) { createdCount updatedCount unchangedCount deactivatedCount
  job { id status } errors { row column code message } } }"""


def _department(admin, code: str, parent: str | None = None, **names) -> dict:
    names = names or {"nameEn": code.upper()}
    result = admin.ok(DEPARTMENT_CREATE, {"input": {"code": code, "parent": parent, **names}})
    assert result["departmentCreate"]["errors"] == []
    return result["departmentCreate"]["department"]


def test_an_admin_builds_the_tree_and_staffs_it(api):
    admin = api("a", "admin")
    hq = _department(admin, "hq", nameZh="总部")
    risk = _department(admin, "risk", hq["id"])
    assert (hq["name"], risk["path"], risk["parent"]) == ("总部", "hq/risk", {"code": "hq"})
    boss = admin.ok(
        PERSON_CREATE,
        {"input": {"employeeNumber": "E1", "fullName": "Boss", "department": risk["id"]}},
    )["personCreate"]["person"]
    made = admin.ok(
        PERSON_CREATE,
        {"input": {"employeeNumber": "E2", "fullName": "Clerk", "manager": boss["id"]}},
    )["personCreate"]
    assert made["errors"] == [] and made["person"]["manager"] == {"employeeNumber": "E1"}
    viewer = api("a", "viewer")
    under_hq = viewer.ok(PEOPLE, {"filter": {"department": hq["id"]}})["people"]
    assert [e["node"]["employeeNumber"] for e in under_hq["edges"]] == ["E1"]
    reports = viewer.ok(PEOPLE, {"filter": {"manager": boss["id"]}})["people"]
    assert [e["node"]["employeeNumber"] for e in reports["edges"]] == ["E2"]
    detail = viewer.ok(
        "query($id: ID!) { person(id: $id) { fullName reports { edges { node { fullName } } } } }",
        {"id": boss["id"]},
    )["person"]
    assert detail == {"fullName": "Boss", "reports": {"edges": [{"node": {"fullName": "Clerk"}}]}}


def test_refusals_are_typed_and_name_the_input_field(api):
    admin = api("a", "admin")
    hq = _department(admin, "hq")
    clash = admin.ok(DEPARTMENT_CREATE, {"input": {"code": "HQ", "nameEn": "Again"}})
    assert clash["departmentCreate"]["errors"] == [
        {
            "field": "code",
            "code": "CODE_TAKEN",
            "message": "Department with this Code already exists.",
        }
    ]
    missing = to_base64("Person", "00000000-0000-0000-0000-000000000000")
    bad = admin.ok(
        PERSON_CREATE,
        {
            "input": {
                "employeeNumber": "E1",
                "fullName": "X",
                "department": hq["id"],
                "manager": missing,
            }
        },
    )["personCreate"]
    assert bad["person"] is None
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("manager", "NOT_FOUND")]
    moved = admin.ok(
        "mutation($id: ID!) { departmentUpdate(input: {id: $id, parent: $id}) { errors { field code } } }",
        {"id": hq["id"]},
    )["departmentUpdate"]
    assert moved["errors"] == [{"field": "parent", "code": "DEPARTMENT_CYCLE"}]


def test_deactivating_a_department_in_use_is_refused(api):
    admin = api("a", "admin")
    hq = _department(admin, "hq")
    admin.ok(
        PERSON_CREATE, {"input": {"employeeNumber": "E1", "fullName": "X", "department": hq["id"]}}
    )
    refused = admin.ok(
        "mutation($id: ID!) { departmentDeactivate(input: {id: $id}) { department { active } errors { code } } }",
        {"id": hq["id"]},
    )["departmentDeactivate"]
    assert refused == {"department": None, "errors": [{"code": "DEPARTMENT_IN_USE"}]}


def test_person_deactivate_sets_the_leaving_date(api):
    admin = api("a", "admin")
    person = admin.ok(
        PERSON_CREATE, {"input": {"employeeNumber": "E1", "fullName": "X", "hiredOn": "2020-01-01"}}
    )
    gone = admin.ok(
        'mutation($id: ID!) { personDeactivate(input: {id: $id, leftOn: "2021-06-30"}) { person { active leftOn } errors { code } } }',
        {"id": person["personCreate"]["person"]["id"]},
    )["personDeactivate"]
    assert gone == {"person": {"active": False, "leftOn": "2021-06-30"}, "errors": []}


def test_unknown_or_foreign_ids_look_up_nothing(api):
    admin_a = api("a", "admin")
    hq = _department(admin_a, "hq")
    person = admin_a.ok(PERSON_CREATE, {"input": {"employeeNumber": "E1", "fullName": "A's"}})
    person_id = person["personCreate"]["person"]["id"]
    viewer_b = api("b", "viewer")
    assert viewer_b.ok("query($id: ID!) { department(id: $id) { code } }", {"id": hq["id"]}) == {
        "department": None
    }
    assert viewer_b.ok("query($id: ID!) { node(id: $id) { id } }", {"id": person_id}) == {
        "node": None
    }
    assert viewer_b.ok(PEOPLE)["people"]["totalCount"] == 0
    update = api("b", "admin").ok(
        'mutation($id: ID!) { personUpdate(input: {id: $id, fullName: "stolen"}) { errors { field code } } }',
        {"id": person_id},
    )["personUpdate"]
    assert update["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    assert api("a", "viewer").ok(
        "query($id: ID!) { person(id: $id) { fullName } }", {"id": person_id}
    ) == {"person": {"fullName": "A's"}}


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def test_a_small_file_is_synced_inline(api, world):
    admin = api("a", "admin")
    _department(admin, "risk")
    rows = [["E1", "One", "risk", "", "", ""], ["E2", "Two", "risk", "", "E1", ""]]
    result = admin.ok(IMPORT, {"c": _b64(csv_file(rows))})["peopleImport"]
    assert (result["errors"], result["createdCount"], result["job"]) == ([], 2, None)
    again = admin.ok(IMPORT, {"c": _b64(csv_file(rows[:1])), "d": True})["peopleImport"]
    assert (again["unchangedCount"], again["deactivatedCount"]) == (1, 1)
    bad = admin.ok(IMPORT, {"c": _b64(csv_file([["E3", "", "nope", "", "", ""]]))})["peopleImport"]
    assert [(e["row"], e["column"], e["code"]) for e in bad["errors"]] == [
        (2, "name", "INVALID"),
        (2, "department", "NOT_FOUND"),
    ]
    with schema_context(world.a.schema_name):
        assert not Person.objects.filter(employee_number="E3").exists()


def test_garbage_is_refused_clearly(api):
    result = api("a", "admin").ok(IMPORT, {"c": "not base64!"})["peopleImport"]
    assert result["errors"] == [
        {
            "row": 0,
            "column": None,
            "code": "IMPORT_INVALID",
            "message": "contentBase64 is not valid base64.",
        }
    ]


def test_a_large_file_becomes_a_job_that_syncs_all_or_nothing(api, world, monkeypatch):
    monkeypatch.setattr(importing, "INLINE_ROWS", 1)
    admin = api("a", "admin")
    good_rows = [["E1", "One", "", "", "E2", ""], ["E2", "Two", "", "", "", ""]]
    good = admin.ok(IMPORT, {"c": _b64(csv_file(good_rows))})["peopleImport"]
    bad_rows = [["E3", "Three", "", "", "", ""], ["E4", "Four", "", "", "E9", ""]]
    bad = admin.ok(IMPORT, {"c": _b64(csv_file(bad_rows))})["peopleImport"]
    assert good["job"]["status"] == "QUEUED" and good["createdCount"] == 0
    with schema_context(world.a.schema_name):
        for job_gid in (good["job"]["id"], bad["job"]["id"]):
            import_as_job(task=FakeTask(), job_id=from_base64(job_gid)[1])
        ok_job = Job.objects.get(pk=from_base64(good["job"]["id"])[1])
        bad_job = Job.objects.get(pk=from_base64(bad["job"]["id"])[1])
        assert set(Person.objects.values_list("employee_number", flat=True)) == {"E1", "E2"}
        assert Person.objects.get(employee_number="E1").manager.employee_number == "E2"
    assert (ok_job.kind, ok_job.status, ok_job.result["created"]) == (
        "people_import",
        "succeeded",
        2,
    )
    assert bad_job.status == "failed" and bad_job.result["errors"][0]["column"] == "manager"
    assert ok_job.input == {} and bad_job.input == {}  # the files are not kept


DEPARTMENTS = """query($order: [DepartmentOrder!]) {
  departments(orderBy: $order) { edges { node { code } } } }"""


def test_lists_sort_by_a_list_of_keys_ascending_unless_told(api):
    admin = api("a", "admin")
    hq = _department(admin, "hq", nameEn="Head office")
    _department(admin, "risk", hq["id"], nameEn="Risk")
    _department(admin, "audit", nameEn="Audit")
    staff = [("E3", "Ann", "2020-05-01"), ("E1", "Bo", "2021-01-10"), ("E2", "Ann", None)]
    for number, name, hired in staff:
        person = {"employeeNumber": number, "fullName": name, "hiredOn": hired}
        assert admin.ok(PERSON_CREATE, {"input": person})["personCreate"]["errors"] == []
    viewer = api("a", "viewer")

    def numbers(order):
        edges = viewer.ok(PEOPLE, {"order": order})["people"]["edges"]
        return [e["node"]["employeeNumber"] for e in edges]

    assert numbers(None) == ["E2", "E3", "E1"]  # by name, then number
    assert numbers([{"field": "HIRED_ON"}]) == ["E3", "E1", "E2"]  # ASC, unknown last
    assert numbers([{"field": "HIRED_ON", "direction": "DESC"}]) == ["E1", "E3", "E2"]
    assert numbers([{"field": "NAME", "direction": "DESC"}]) == ["E1", "E3", "E2"]

    def codes(order):
        edges = viewer.ok(DEPARTMENTS, {"order": order})["departments"]["edges"]
        return [e["node"]["code"] for e in edges]

    assert codes(None) == ["audit", "hq", "risk"]  # tree order: hq/risk under hq
    assert codes([{"field": "CODE", "direction": "DESC"}]) == ["risk", "hq", "audit"]
    assert codes([{"field": "NAME"}]) == ["audit", "hq", "risk"]  # Audit, Head office, Risk
