"""Sample organisation for the demo tenant (`manage.py demo_setup`): a few departments, one
with a sub-department, and the staff the training records and plans name. Through the
services, so the audit trail shows it; idempotent (nothing is added once the `risk` department
exists)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from apps.people.models import Department
from apps.people.services.departments import department_create
from apps.people.services.people import person_create

DEPARTMENTS = [
    # code, Chinese name, English name, parent code
    ("risk", "风险管理部", "Risk Management", None),
    ("credit", "信贷审批部", "Credit Approval", None),
    ("ops", "运营部", "Operations", None),
    ("ops_cs", "客服中心", "Customer Service Centre", "ops"),
    ("it", "信息科技部", "Information Technology", None),
]
PEOPLE = [
    # employee number, name, department, job role, title, manager, days since hired
    ("D0001", "王芳", "risk", "risk_manager", "Chief Risk Officer", None, 2400),
    ("D0002", "李明", "risk", "risk_officer", "Senior Risk Officer", "D0001", 900),
    ("D0003", "张伟", "credit", "credit_analyst", "Credit Analyst", "D0001", 700),
    ("D0004", "刘洋", "credit", "credit_analyst", "Credit Analyst", "D0003", 45),
    ("D0005", "陈静", "ops", "ops_lead", "Head of Operations", None, 1500),
    ("D0006", "杨磊", "ops_cs", "cs_agent", "Customer Service Agent", "D0005", 380),
    ("D0007", "赵丽", "ops_cs", "cs_agent", "Customer Service Agent", "D0005", 12),
    ("D0008", "周强", "it", "engineer", "Site Reliability Engineer", None, 1100),
]


def demo(*, admin) -> int:
    if Department.objects.filter(code="risk").exists():
        return 0
    today = timezone.localdate()
    departments: dict[str, Department] = {}
    for code, name_zh, name_en, parent in DEPARTMENTS:
        departments[code] = department_create(
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            parent_id=departments[parent].pk if parent else None,
            actor=admin,
        )
    people: dict[str, Any] = {}
    for number, name, department, role, title, manager, days in PEOPLE:
        people[number] = person_create(
            employee_number=number,
            full_name=name,
            department_id=departments[department].pk,
            job_role=role,
            job_title=title,
            email=f"{number.lower()}@demo.localhost",
            manager_id=people[manager].pk if manager else None,
            hired_on=today - timedelta(days=days),
            actor=admin,
        )
    return len(departments) + len(people)
