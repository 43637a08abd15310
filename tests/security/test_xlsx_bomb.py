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
