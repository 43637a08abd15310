"""Files over 300 rows (and every workbook) are imported by a job: all or nothing with the
same row/column errors as inline, and idempotent by (employee number, course, completed at)."""

import base64
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import from_base64

from apps.core.models import Job
from apps.training.models import TrainingRecord
from apps.training.services.import_submit import import_as_job, import_submit
from tests.core.test_jobs import FakeTask

MUTATION = """mutation($c: String!, $f: TrainingFileFormat!) { trainingRecordsImport(input:
  {format: $f, contentBase64: $c}) { errors { row column code } createdCount
  job { id kind status } } }"""


def big_file(rows: int, *, bad_row: int | None = None) -> bytes:
    """`rows` attempts of E1 and E2 at aml_basics on different days (all in the past)."""
    today = timezone.localdate()
    lines = ["employee_number,course_code,completed_at,score"]
    for n in range(rows):
        day = today - timedelta(days=2 + n // 2)
        number = "E1" if n % 2 == 0 else "E2"
        score = "abc" if bad_row is not None and n == bad_row else "80"
        lines.append(f"{number},aml_basics,{day.isoformat()},{score}")
    return ("\n".join(lines) + "\n").encode()


def test_three_hundred_rows_stay_inline_and_three_hundred_and_one_become_a_job(org, course):
    inline = import_submit(content=big_file(300), file_format="csv")
    assert inline.job is None and inline.outcome.created == 300
    queued = import_submit(content=big_file(301), file_format="csv")
    assert queued.outcome is None and queued.job.kind == "training_import"
    assert TrainingRecord.objects.count() == 300  # the job has not run yet


def test_the_job_imports_all_rows_and_a_second_file_changes_nothing(org, course):
    first = import_submit(content=big_file(420), file_format="csv").job
    assert import_as_job(task=FakeTask(), job_id=first.pk)["created"] == 420
    assert TrainingRecord.objects.count() == 420
    again = import_submit(content=big_file(420), file_format="csv").job
    result = import_as_job(task=FakeTask(), job_id=again.pk)
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 420)
    done = Job.objects.get(pk=again.pk)
    assert (done.status, done.input) == ("succeeded", {})  # the file left the job row
    assert TrainingRecord.objects.count() == 420


def test_a_bad_row_in_a_large_file_fails_the_job_and_writes_nothing(org, course):
    job = import_submit(content=big_file(350, bad_row=333), file_format="csv").job
    import_as_job(task=FakeTask(), job_id=job.pk)
    failed = Job.objects.get(pk=job.pk)
    assert failed.status == "failed"
    assert [(e["row"], e["column"], e["code"]) for e in failed.result["errors"]] == [
        (335, "score", "invalid")  # data row 334 is spreadsheet row 335 (header = 1)
    ]
    assert TrainingRecord.objects.count() == 0


def test_the_mutation_answers_a_job_for_a_large_file(api, world, org, course):
    connection.set_schema_to_public()
    content = base64.b64encode(big_file(301)).decode()
    body = api("a", "risk_manager").ok(MUTATION, {"c": content, "f": "CSV"})
    answer = body["trainingRecordsImport"]
    assert answer["errors"] == [] and answer["createdCount"] == 0
    assert (answer["job"]["kind"], answer["job"]["status"]) == ("TRAINING_IMPORT", "QUEUED")
    with schema_context(world.a.schema_name):
        assert TrainingRecord.objects.count() == 0
        import_as_job(task=FakeTask(), job_id=from_base64(answer["job"]["id"])[1])
        assert TrainingRecord.objects.count() == 301


def test_the_task_the_service_names_is_registered():
    from apps.training.services.import_submit import IMPORT_TASK
    from config.celery import app

    app.loader.import_default_modules()
    assert IMPORT_TASK == "training.import_file" and IMPORT_TASK in app.tasks
