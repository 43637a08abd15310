"""Sample training records for the demo tenant (`manage.py demo_setup`), over the demo
organisation of apps/people/demo.py: two mandatory courses, their audiences, and results that
show compliant, due-soon and expired obligations side by side. Through the
services; idempotent (nothing is added once course af_101 exists)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from apps.people.selectors import department_ids_by_code, person_ids_by_number
from apps.risks.selectors import category_ids
from apps.training.models import Course
from apps.training.services.courses import course_create
from apps.training.services.records import record_create
from apps.training.services.requirements import requirement_create

# employee number → days ago they completed af_101 (the certificate is valid 12 months)
ANTI_FRAUD_RESULTS = {"D0001": 30, "D0002": 200, "D0003": 400, "D0006": 340}
# employee number → days ago they completed cp_201 (valid 24 months)
CONSUMER_RESULTS = {"D0005": 90, "D0006": 120}


def demo(*, admin) -> int:
    if Course.objects.filter(code="af_101").exists():
        return 0
    departments = department_ids_by_code(["risk", "credit", "ops"])
    if len(departments) < 3:
        return 0  # the organisation is not the demo's: nothing to attach the records to
    categories = category_ids(["fraud", "legal_compliance"])
    anti_fraud = course_create(
        code="af_101",
        title_zh="反欺诈基础",
        title_en="Anti-fraud essentials",
        topic="anti_fraud",
        format="online",
        duration_minutes=90,
        pass_score=80,
        validity_months=12,
        grace_days=14,
        risk_category_ids=[categories["fraud"]] if "fraud" in categories else [],
        actor=admin,
    )
    consumer = course_create(
        code="cp_201",
        title_zh="消费者权益保护",
        title_en="Consumer protection in collections",
        topic="consumer_protection",
        format="case_analysis",
        duration_minutes=120,
        validity_months=24,
        risk_category_ids=[categories["legal_compliance"]] if categories else [],
        actor=admin,
    )
    requirement_create(
        course_id=anti_fraud.pk,
        department_ids=list(departments.values()),
        first_due_days=30,
        recurrence="course_validity",
        actor=admin,
    )
    requirement_create(
        course_id=consumer.pk,
        department_ids=[departments["ops"]],
        first_due_days=60,
        recurrence="course_validity",
        actor=admin,
    )
    people = person_ids_by_number([*ANTI_FRAUD_RESULTS, *CONSUMER_RESULTS])
    today = timezone.localdate()
    count = 0
    for course, results in ((anti_fraud, ANTI_FRAUD_RESULTS), (consumer, CONSUMER_RESULTS)):
        for number, days_ago in results.items():
            completed = timezone.make_aware(
                datetime.combine(today - timedelta(days=days_ago), time(10))
            )
            record_create(
                person_id=people[number],
                course_id=course.pk,
                completed_at=completed,
                score=92 if course.pass_score else None,
                certificate_number=f"{course.code.upper()}-{number}",
                source="elearning_import",
                actor=admin,
            )
            count += 1
    return 2 + count
