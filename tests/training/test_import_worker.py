"""A large import runs on a real Celery worker: the job succeeds and the records are there."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core.models import Job
from apps.people.models import Person
from apps.training.models import Course, TrainingRecord
from tests.kit.worker import wait_for

pytestmark = pytest.mark.worker
SCHEMA = "tenant_a"


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    from apps.people.services.people import person_create
    from apps.training.services.courses import course_create

    with django_db_blocker.unblock(), schema_context(SCHEMA):
        person = person_create(employee_number="W-JOB-1", full_name="Worker Job")
        course = course_create(code="worker_import", title_en="W", topic="legal", format="exam")
    yield person, course
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        TrainingRecord.objects.filter(course=course).delete()
        Job.objects.filter(kind="training_import").delete()
        Course.objects.filter(pk=course.pk).delete()
        Person.objects.filter(pk=person.pk).delete()
        LogEntry.objects.filter(object_pk__in=[str(person.pk), str(course.pk)]).delete()
    connection.set_schema_to_public()


def test_a_worker_imports_a_large_file(worker, committed, django_db_blocker):
    from apps.training.services.import_submit import import_submit

    today = timezone.localdate()
    lines = ["employee_number,course_code,completed_at"] + [
        f"W-JOB-1,worker_import,{(today - timedelta(days=n + 1)).isoformat()}" for n in range(305)
    ]
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        job = import_submit(content="\n".join(lines).encode(), file_format="csv").job

        def finished() -> bool:
            return Job.objects.get(pk=job.pk).status in ("succeeded", "failed")

        assert wait_for(finished), "the worker did not finish the import"
        done = Job.objects.get(pk=job.pk)
        assert (done.status, done.result["created"]) == ("succeeded", 305)
        assert TrainingRecord.objects.filter(course__code="worker_import").count() == 305
    connection.set_schema_to_public()
