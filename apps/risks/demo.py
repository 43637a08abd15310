"""Sample register for the demo tenant (`manage.py demo_setup`): risks of an online lender across
the taxonomy, rated inherent and residual on the default matrix, with controls and treatment
actions. Through the services (the audit trail and the derived levels are real); idempotent
(nothing is added once a risk exists)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.people.selectors import person_of_user
from apps.people.services.people import person_create
from apps.risks.models import Risk, RiskCategory
from apps.risks.services.assessments import assessment_record
from apps.risks.services.controls import action_create, control_save
from apps.risks.services.register import risk_create

RISKS = [
    # category, title, inherent (likelihood, impact), residual, expected loss (CNY)
    ("credit", "Rising delinquency in the cash-loan book", (4, 4), (3, 4), "12000000"),
    ("fraud", "Synthetic identities in online applications", (4, 3), (2, 3), "3500000"),
    ("liquidity", "Funding partner withdraws its credit line", (2, 5), (2, 4), "80000000"),
    ("technology", "Core lending system outage during repayment peak", (3, 4), (2, 3), None),
    (
        "legal_compliance",
        "Collection practices breach consumer-protection rules",
        (3, 4),
        (3, 3),
        None,
    ),
    ("reputational", "Viral complaints about hidden fees", (3, 3), (2, 3), None),
    ("third_party", "Data leak at an outsourced call centre", (2, 4), (2, 3), "5000000"),
]
CONTROLS = [
    # name, type, kind, effectiveness, risks (indexes into RISKS)
    ("Credit scorecard cut-off review", "detective", "supervision", "effective", [0]),
    (
        "Device fingerprint and liveness check",
        "preventive",
        "technical",
        "partially_effective",
        [1],
    ),
    ("Daily liquidity gap report", "detective", "reporting", "effective", [2]),
    ("Disaster-recovery failover", "corrective", "technical", "not_assessed", [3]),
    ("Recorded-call quality audit", "detective", "audit", "partially_effective", [4, 6]),
]


def _admin_person(admin):
    """Owners are people of the directory: the admin's own entry (the register's demo runs
    before the directory's, which adds the rest of the staff)."""
    return person_of_user(admin.pk) or person_create(
        employee_number="D0000",
        full_name=admin.full_name or "Demo administrator",
        email=admin.email,
        job_title="Risk administrator",
        user_id=admin.pk,
        actor=admin,
    )


def demo(*, admin) -> int:
    if Risk.objects.exists():
        return 0
    categories = dict(RiskCategory.objects.values_list("code", "pk"))
    owner = _admin_person(admin)
    risks = []
    for category, title, inherent, residual, loss in RISKS:
        risk = risk_create(
            title=title,
            category_id=categories[category],
            owner_id=owner.pk,
            status="open",
            actor=admin,
        )
        for kind, (likelihood, impact) in (("inherent", inherent), ("residual", residual)):
            assessment_record(
                risk_id=risk.pk,
                kind=kind,
                likelihood=likelihood,
                impact=impact,
                expected_loss=Decimal(loss) if loss and kind == "inherent" else None,
                rationale="Demo rating.",
                actor=admin,
            )
        risks.append(risk)
    for name, control_type, kind, effectiveness, linked in CONTROLS:
        control_save(
            name=name,
            control_type=control_type,
            kind=kind,
            effectiveness=effectiveness,
            owner_id=owner.pk,
            risk_ids=[risks[i].pk for i in linked],
        )
    today = timezone.localdate()
    action_create(
        risk_id=risks[0].pk,
        title="Tighten the cut-off for first-time borrowers",
        owner_id=owner.pk,
        due_date=today + timedelta(days=30),
    )
    action_create(
        risk_id=risks[1].pk,
        title="Add a second liveness vendor",
        owner_id=owner.pk,
        due_date=today + timedelta(days=60),
    )
    return len(risks)
