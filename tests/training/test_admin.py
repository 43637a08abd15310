"""Training in the tenant admin: saves go through the services (audited, refusals on fields),
audiences are picked by name, records are added but never edited."""

import pytest
from auditlog.models import LogEntry
from django_tenants.utils import schema_context

from apps.people.services import departments
from apps.training.models import Course, Requirement
from tests.conftest import HOST_A, PASSWORD


@pytest.fixture
def admin_client(client, world):
    signed_in = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin@a.test", "password": PASSWORD},
        HTTP_HOST=HOST_A,
    )
    assert signed_in.status_code == 302
    return client


def _post(client, path: str, data: dict):
    return client.post(path, data, HTTP_HOST=HOST_A)


COURSE = {
    "code": "Aml-Basics",
    "title_en": "AML basics",
    "topic": "compliance",
    "format": "online",
    "duration_minutes": "45",
    "grace_days": "0",
    "validity_months": "12",
    "active": "on",
}


def test_an_admin_adds_a_course_and_a_requirement_through_the_services(admin_client, world):
    made = _post(admin_client, "/admin/training/course/add/", COURSE)
    assert made.status_code == 302, made.context["adminform"].form.errors
    with schema_context(world.a.schema_name):
        course = Course.objects.get(code="aml_basics")  # normalised by the service
        assert LogEntry.objects.filter(
            object_pk=str(course.pk), actor__email="admin@a.test"
        ).exists()
        unit = departments.department_create(code="ops", name_en="Ops")
    added = _post(
        admin_client,
        "/admin/training/requirement/add/",
        {
            "course": course.pk,
            "departments": [unit.pk],
            "roles": "Teller, cashier",
            "first_due_days": "30",
            "recurrence": "once",
            "active": "on",
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    with schema_context(world.a.schema_name):
        requirement = Requirement.objects.get()
        assert (requirement.department_ids, requirement.job_roles) == (
            [str(unit.pk)],
            ["teller", "cashier"],
        )


def test_a_refusal_of_the_service_is_shown_on_its_field(admin_client, world):
    refused = _post(
        admin_client,
        "/admin/training/course/add/",
        {**COURSE, "title_en": "", "pass_score": "101"},
    )
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "pass_score" in errors and "__all__" in errors  # the title rule: no field of its own
    with schema_context(world.a.schema_name):
        assert not Course.objects.exists()


def test_sessions_campaigns_and_the_reminder_log_in_the_admin(admin_client, world):
    from apps.training.models import EducationCampaign, TrainingSession
    from apps.training.services.courses import course_create

    with schema_context(world.a.schema_name):
        course = course_create(code="fire", title_en="Fire drill", topic="legal", format="drill")
    refused = _post(
        admin_client,
        "/admin/training/trainingsession/add/",
        {
            "course": course.pk,
            "starts_at_0": "2031-05-01",
            "starts_at_1": "09:00:00",
            "ends_at_0": "2031-05-01",
            "ends_at_1": "08:00:00",
            "instructor": "Mr Wu",
            "capacity": "10",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
        },
    )
    assert refused.status_code == 200
    # the model's own checks (ends after it starts, a place or a link) refuse it before saving
    assert "__all__" in refused.context["adminform"].form.errors
    made = _post(
        admin_client,
        "/admin/training/educationcampaign/add/",
        {
            "code": "Anti-Scam",
            "title": "Anti-scam week",
            "topic": "scams_and_phishing",
            "segment": "elderly",
            "channel": "lecture",
            "starts_on": "2031-05-01",
            "ends_on": "2031-05-07",
            "planned_reach": "300",
            "reached": "0",
        },
    )
    assert made.status_code == 302, made.context["adminform"].form.errors
    with schema_context(world.a.schema_name):
        assert not TrainingSession.objects.exists()
        assert EducationCampaign.objects.get().code == "anti_scam"  # normalised by the service
    listed = admin_client.get("/admin/training/reminderlog/", HTTP_HOST=HOST_A)
    assert listed.status_code == 200
    assert admin_client.get("/admin/training/reminderlog/add/", HTTP_HOST=HOST_A).status_code == 403
