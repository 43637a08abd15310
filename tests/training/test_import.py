"""Results from CSV: all or nothing with row/column errors, idempotent by (employee number,
course code, completed at), through the service and the `trainingRecordsImport` mutation."""

import base64

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core.tabular import RowsRejected
from apps.training.models import TrainingRecord
from apps.training.services.importing import records_import

Y = timezone.now().year - 1  # last year: always in the past, whatever the date the suite runs
GOOD = (
    "Employee number,Course code,Completed at,Score,Certificate number\n"
    f"E1,aml_basics,{Y}-03-01,80,C-1\n"
    f"E2,aml_basics,{Y}-03-01T09:30:00+08:00,75,C-2\n"
)


def test_a_file_with_one_bad_row_writes_nothing(org, course):
    bad = GOOD + f"E404,aml_basics,{Y}-03-01,80,\nE1,nope,yesterday,101,\n"
    try:
        records_import(content=bad.encode(), file_format="csv")
    except RowsRejected as rejected:
        found = [(e.row, e.column, e.code) for e in rejected.errors]
    else:
        raise AssertionError("the file was accepted")
    assert found == [
        (4, "Employee number", "not_found"),
        (5, "Course code", "not_found"),
        (5, "Completed at", "invalid"),
        (5, "Score", "invalid"),
    ]
    assert TrainingRecord.objects.count() == 0


def test_importing_twice_changes_nothing_the_second_time(org, course):
    first = records_import(content=GOOD.encode(), file_format="csv")
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = records_import(content=GOOD.encode(), file_format="csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = records_import(content=GOOD.replace(",80,", ",90,").encode(), file_format="csv")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    ana = TrainingRecord.objects.get(person=org["ana"])
    assert (ana.score, ana.passed, ana.source, ana.certificate_number) == (
        90,
        True,
        "elearning_import",
        "C-1",
    )
    assert str(ana.expires_on) == f"{Y + 1}-03-01"  # 12 months of validity
    assert TrainingRecord.objects.count() == 2


def test_a_score_below_the_pass_mark_is_a_failed_attempt(org, course):
    records_import(content=GOOD.replace(",75,", ",40,").encode(), file_format="csv")
    bo = TrainingRecord.objects.get(person=org["bo"])
    assert (bo.passed, bo.expires_on) == (False, None)


def test_the_mutation_reports_rows_and_writes_nothing_on_error(api, world, org, course):
    connection.set_schema_to_public()
    mutation = """mutation($c: String!) { trainingRecordsImport(input: {format: CSV,
        contentBase64: $c}) { errors { row column code } createdCount unchangedCount } }"""
    manager = api("a", "risk_manager")
    bad = base64.b64encode((GOOD + "E1,aml_basics,,,\n").encode()).decode()
    body = manager.ok(mutation, {"c": bad})["trainingRecordsImport"]
    assert body["errors"] == [{"row": 4, "column": "Completed at", "code": "INVALID"}]
    with schema_context(world.a.schema_name):
        assert TrainingRecord.objects.count() == 0
    good = base64.b64encode(GOOD.encode()).decode()
    assert manager.ok(mutation, {"c": good})["trainingRecordsImport"] == {
        "errors": [],
        "createdCount": 2,
        "unchangedCount": 0,
    }
    assert manager.ok(mutation, {"c": good})["trainingRecordsImport"]["unchangedCount"] == 2
    header_only = base64.b64encode(b"employee_number,course_code\n").decode()
    refused = manager.ok(mutation, {"c": header_only})["trainingRecordsImport"]["errors"]
    assert refused == [{"row": 0, "column": None, "code": "IMPORT_INVALID"}]


def test_a_results_file_uploaded_as_multipart(api, world, org, course):
    """The same file as a multipart `Upload` part (the GraphQL multipart request spec, over
    the real HTTP stack): imported; a bad row's error names the `file` input; sending the
    file twice (upload and base64) is refused."""
    from tests.people.test_uploads import _multipart

    connection.set_schema_to_public()
    mutation = """mutation($f: Upload, $c: String) { trainingRecordsImport(input: {format: CSV,
        file: $f, contentBase64: $c}) { errors { field row column code } createdCount } }"""
    manager = api("a", "risk_manager")
    bad = (GOOD + f"E9,aml_basics,{Y}-03-01,,\n").encode()
    body = _multipart(manager, mutation, {}, {"f": ("results.csv", bad)})
    assert body["data"]["trainingRecordsImport"]["errors"] == [
        {"field": "file", "row": 4, "column": "Employee number", "code": "NOT_FOUND"}
    ]
    with schema_context(world.a.schema_name):
        assert TrainingRecord.objects.count() == 0
    body = _multipart(manager, mutation, {}, {"f": ("results.csv", GOOD.encode())})
    assert body == {"data": {"trainingRecordsImport": {"errors": [], "createdCount": 2}}}
    twice = _multipart(manager, mutation, {"c": "YQ=="}, {"f": ("results.csv", GOOD.encode())})
    assert twice["data"]["trainingRecordsImport"]["errors"] == [
        {"field": "file", "row": 0, "column": None, "code": "IMPORT_INVALID"}
    ]
