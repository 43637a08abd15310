"""A tiny workbook holding 300,000 shared strings (a 17 KB "shared-strings bomb": openpyxl
loads every string into memory before the first row) is refused by each XLSX import as a typed
IMPORT_INVALID error of the whole file, in well under a second of CPU, writing nothing.

Twice per import: with the default limits (the compression ratio refuses it before any XML is
parsed) and with the ratio limit lifted (the streamed <si> count refuses it)."""

import base64
import time

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django_tenants.utils import schema_context

from apps.core.models import Job
from apps.people.models import Person
from apps.risks.models import Risk
from apps.training.models import TrainingRecord
from tests.core.test_tabular_limits import shared_strings_bomb

RISKS = """mutation($c: String!) { riskImport(input: {format: XLSX, contentBase64: $c}) {
  createdCount job { id } errors { row column code message } } }"""
PEOPLE = """mutation($c: String!) { peopleImport(input: {format: XLSX, contentBase64: $c}) {
  createdCount job { id } errors { row column code message } } }"""
TRAINING = """mutation($c: String!) { trainingRecordsImport(input: {format: XLSX,
  contentBase64: $c}) { createdCount errors { row column code message } } }"""

BY_LIMIT = {
    "ratio": (None, "compressed more than 100:1"),
    "shared_strings": (10_000, "more than 200,000 shared strings"),
}


@pytest.fixture(params=list(BY_LIMIT))
def bomb(request, settings):
    """(base64 of the workbook, the words the refusal must contain)."""
    ratio, words = BY_LIMIT[request.param]
    if ratio is not None:
        settings.FENGKONG_XLSX_MAX_COMPRESSION_RATIO = ratio
    return base64.b64encode(shared_strings_bomb(300_000)).decode(), words


def _written(world) -> tuple[int, ...]:
    with schema_context(world.a.schema_name):
        counts = (
            Risk.objects.count(),
            Person.objects.count(),
            TrainingRecord.objects.count(),
            Job.objects.count(),
            LogEntry.objects.count(),
        )
    connection.set_schema_to_public()
    return counts


def _refused_quickly(client, mutation: str, field: str, bomb) -> dict:
    content, words = bomb
    started = time.process_time()
    payload = client.ok(mutation, {"c": content})[field]
    spent = time.process_time() - started
    print(f"{field}: 300,000 shared strings refused in {spent:.3f} s CPU")
    assert spent < 5
    assert payload["createdCount"] == 0 and payload.get("job") is None
    [error] = payload["errors"]
    assert (error["row"], error["column"], error["code"]) == (0, None, "IMPORT_INVALID")
    assert words in error["message"]
    return payload


def test_the_risk_import_refuses_the_bomb(api, world, bomb):
    before = _written(world)
    _refused_quickly(api("a", "analyst"), RISKS, "riskImport", bomb)
    assert _written(world) == before


def test_the_people_import_refuses_the_bomb(api, world, bomb):
    before = _written(world)
    _refused_quickly(api("a", "admin"), PEOPLE, "peopleImport", bomb)
    assert _written(world) == before


def test_the_training_import_refuses_the_bomb(api, world, bomb):
    before = _written(world)
    _refused_quickly(api("a", "risk_manager"), TRAINING, "trainingRecordsImport", bomb)
    assert _written(world) == before


# Even a well-formed workbook is parsed by a worker, never by the web process: the risk, people
# and training imports queue every XLSX file (after the cheap zip checks above).


def test_a_one_row_workbook_becomes_a_risk_import_job(api, world):
    from strawberry.relay import from_base64

    from apps.risks.services.transfer_import import import_as_job
    from tests.core.test_jobs import FakeTask
    from tests.risks.test_transfer import xlsx_file

    header = ["title", "category", "inherent_likelihood", "inherent_impact"]
    content = xlsx_file([header, ["Card fraud ring", "fraud", 4, 3]])
    payload = api("a", "analyst").ok(RISKS, {"c": base64.b64encode(content).decode()})
    submitted = payload["riskImport"]
    assert submitted["errors"] == [] and submitted["createdCount"] == 0 and submitted["job"]
    with schema_context(world.a.schema_name):
        assert not Risk.objects.exists()
        import_as_job(task=FakeTask(), job_id=from_base64(submitted["job"]["id"])[1])
        assert list(Risk.objects.values_list("title", flat=True)) == ["Card fraud ring"]
    connection.set_schema_to_public()


def test_a_one_row_workbook_becomes_a_people_import_job(api, world):
    from strawberry.relay import from_base64

    from apps.people.services.importing import import_as_job
    from tests.core.test_jobs import FakeTask
    from tests.people.files import xlsx_file

    content = xlsx_file([["E7", "Seven", "", "", "", ""]])
    payload = api("a", "admin").ok(PEOPLE, {"c": base64.b64encode(content).decode()})
    submitted = payload["peopleImport"]
    assert submitted["errors"] == [] and submitted["createdCount"] == 0 and submitted["job"]
    with schema_context(world.a.schema_name):
        assert not Person.objects.filter(employee_number="E7").exists()
        import_as_job(task=FakeTask(), job_id=from_base64(submitted["job"]["id"])[1])
        assert Person.objects.get(employee_number="E7").full_name == "Seven"
    connection.set_schema_to_public()
