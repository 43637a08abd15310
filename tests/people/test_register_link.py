"""Risks point at directory departments: the free-text values become departments once."""

import importlib

from apps.people.models import Department
from apps.people.services import departments
from apps.risks.models import Risk, RiskCategory
from apps.risks.services import register

migration = importlib.import_module("apps.risks.migrations.0004_departments_from_text")


def test_free_text_departments_become_linked_departments(in_a):
    category = RiskCategory.objects.get(code="credit")
    existing = departments.department_create(code="ops", name_en="Operations")
    texts = ["Credit Risk Dept", "风险管理部", "operations", "Credit Risk Dept", ""]
    risks = [
        register.risk_create(title=f"R{i}", category_id=category.pk, department=text)
        for i, text in enumerate(texts)
    ]
    assert migration.link_departments(Risk, Department) == 4
    linked = {r.title: Risk.objects.get(pk=r.pk).org_department for r in risks}
    assert linked["R0"] == linked["R3"] and linked["R0"].code == "credit_risk_dept"
    assert (linked["R0"].name_en, linked["R0"].path) == ("Credit Risk Dept", "credit_risk_dept")
    assert linked["R1"].name_zh == "风险管理部" and linked["R1"].code.startswith("dept_")
    assert linked["R2"] == existing  # matched by name, not duplicated
    assert linked["R4"] is None
    assert migration.link_departments(Risk, Department) == 0  # idempotent
    assert Department.objects.count() == 3


def test_a_risk_shows_its_directory_department(api, world):
    from django_tenants.utils import schema_context

    with schema_context(world.a.schema_name):
        unit = departments.department_create(code="risk", name_zh="风险管理部")
        risk = register.risk_create(
            title="Linked", category_id=RiskCategory.objects.get(code="credit").pk
        )
        Risk.objects.filter(pk=risk.pk).update(org_department=unit)  # as the data migration does
    found = api("a", "viewer").ok(
        "{ risks { edges { node { title orgDepartment { code name } } } } }"
    )
    assert found["risks"]["edges"] == [
        {"node": {"title": "Linked", "orgDepartment": {"code": "risk", "name": "风险管理部"}}}
    ]


RISK_CREATE = """mutation($input: RiskCreateInput!) { riskCreate(input: $input) {
  risk { id orgDepartment { code } } errors { field code } } }"""


def test_risk_create_and_update_take_a_directory_department(api, world):
    from django_tenants.utils import schema_context
    from strawberry.relay import to_base64

    with schema_context(world.a.schema_name):
        unit = departments.department_create(code="risk", name_zh="风险管理部")
        gone = departments.department_create(code="gone", name_en="Gone")
        departments.department_deactivate(department_id=gone.pk)
        credit = to_base64("RiskCategory", RiskCategory.objects.get(code="credit").pk)
    analyst = api("a", "analyst")
    made = analyst.ok(
        RISK_CREATE,
        {
            "input": {
                "title": "T",
                "category": credit,
                "orgDepartment": to_base64("Department", unit.pk),
            }
        },
    )["riskCreate"]
    assert made["errors"] == [] and made["risk"]["orgDepartment"] == {"code": "risk"}
    refused = analyst.ok(
        """mutation($id: ID!, $d: ID) { riskUpdate(input: {id: $id, orgDepartment: $d}) {
          risk { id } errors { field code } } }""",
        {"id": made["risk"]["id"], "d": to_base64("Department", gone.pk)},
    )["riskUpdate"]
    assert refused["errors"] == [{"field": "orgDepartment", "code": "NOT_FOUND"}]
    cleared = analyst.ok(
        """mutation($id: ID!) { riskUpdate(input: {id: $id, orgDepartment: null}) {
          risk { orgDepartment { code } } errors { code } } }""",
        {"id": made["risk"]["id"]},
    )["riskUpdate"]
    assert cleared == {"risk": {"orgDepartment": None}, "errors": []}
