import pytest


@pytest.fixture
def org(in_a):
    """HQ ─ Risk ─ Credit risk; HQ ─ IT. Two people in Risk: a head and her report."""
    from apps.people.services import departments, people

    hq = departments.department_create(code="hq", name_zh="总部", name_en="Head office")
    risk = departments.department_create(code="risk", name_zh="风险管理部", parent_id=hq.pk)
    credit = departments.department_create(code="credit", name_en="Credit risk", parent_id=risk.pk)
    it = departments.department_create(code="it", name_en="IT", parent_id=hq.pk)
    head = people.person_create(
        employee_number="E001", full_name="王芳", department_id=risk.pk, job_role="head"
    )
    report = people.person_create(
        employee_number="E002",
        full_name="Li Wei",
        department_id=credit.pk,
        job_role="risk_officer",
        manager_id=head.pk,
        email="Li.Wei@Example.com",
    )
    return {"hq": hq, "risk": risk, "credit": credit, "it": it, "head": head, "report": report}
