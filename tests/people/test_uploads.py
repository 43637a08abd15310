"""Import files as multipart uploads (the GraphQL multipart request spec), over the real HTTP
stack: the operation, the map and the file are form parts of one POST."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from apps.people.models import Person
from tests.people.files import csv_file
from tests.people.test_api import _department

IMPORT = """mutation($f: Upload, $c: String) { peopleImport(input: {format: CSV, file: $f,
  contentBase64: $c}) { createdCount errors { field row column code } } }"""


def _multipart(client, query: str, variables: dict, files: dict[str, tuple[str, bytes]]):
    """One spec request: `operations` (variables null where a file goes), `map` (part → the
    variable paths it fills), then each file as its own part."""
    mapping = {str(n): [f"variables.{name}"] for n, name in enumerate(files)}
    parts = {
        str(n): SimpleUploadedFile(filename, content, content_type="text/csv")
        for n, (filename, content) in enumerate(files.values())
    }
    operations = {"query": query, "variables": {**variables, **dict.fromkeys(files)}}
    response = client.client.post(
        "/graphql/",
        {"operations": json.dumps(operations), "map": json.dumps(mapping), **parts},
        HTTP_AUTHORIZATION=f"Bearer {client.token}",
    )
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_a_csv_uploaded_as_a_file_is_imported(api, world):
    admin = api("a", "admin")
    _department(admin, "risk")
    content = csv_file([["E1", "One", "risk", "", "", ""], ["E2", "Two", "risk", "", "E1", ""]])
    body = _multipart(admin, IMPORT, {}, {"f": ("staff.csv", content)})
    assert body == {"data": {"peopleImport": {"createdCount": 2, "errors": []}}}
    with schema_context(world.a.schema_name):
        assert sorted(Person.objects.values_list("employee_number", flat=True)) == ["E1", "E2"]


def test_an_uploaded_files_row_errors_name_the_file_input(api, world):
    admin = api("a", "admin")
    content = csv_file([["E3", "", "nowhere", "", "", ""]])
    body = _multipart(admin, IMPORT, {}, {"f": ("staff.csv", content)})
    assert body["data"]["peopleImport"]["errors"] == [
        {"field": "file", "row": 2, "column": "name", "code": "INVALID"},
        {"field": "file", "row": 2, "column": "department", "code": "NOT_FOUND"},
    ]


def test_the_file_is_sent_once(api):
    admin = api("a", "admin")
    neither = admin.ok(IMPORT)["peopleImport"]
    assert neither["errors"] == [
        {"field": "contentBase64", "row": 0, "column": None, "code": "IMPORT_INVALID"}
    ]
    both = _multipart(admin, IMPORT, {"c": "YQ=="}, {"f": ("staff.csv", b"x")})
    assert both["data"]["peopleImport"]["errors"] == [
        {"field": "file", "row": 0, "column": None, "code": "IMPORT_INVALID"}
    ]


def test_observations_come_as_an_uploaded_csv_too(api, world):
    from tests.early_warning.conftest import MONTH
    from tests.early_warning.test_api import make

    make(api, world)
    query = """mutation($f: Upload) { observationsIngestCsv(input: {file: $f, scan: false}) {
      count errors { index field code } } }"""
    content = f"indicator,observed_at,value\noverdue_rate,{MONTH}-01T00:00:00Z,1.5\n".encode()
    body = _multipart(api("a", "analyst"), query, {}, {"f": ("points.csv", content)})
    assert body == {"data": {"observationsIngestCsv": {"count": 1, "errors": []}}}
    latin = _multipart(api("a", "analyst"), query, {}, {"f": ("p.csv", "é".encode("utf-16"))})
    assert latin["data"]["observationsIngestCsv"]["errors"] == [
        {"index": 0, "field": "file", "code": "INVALID"}
    ]


def test_a_json_value_where_a_file_goes_is_a_file_error(api):
    body = api("a", "admin").ok(IMPORT, {"f": "not a file"})["peopleImport"]
    assert body["errors"] == [{"field": "file", "row": 0, "column": None, "code": "IMPORT_INVALID"}]
