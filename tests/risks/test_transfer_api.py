"""Import and export through GraphQL: inline for small files, a job for large ones."""

import base64
import csv
import io

import pytest
from django_tenants.utils import schema_context

from apps.core.models import Job
from apps.risks.graphql.mutations import transfer
from apps.risks.models import Risk
from apps.risks.services.transfer_import import import_as_job
from tests.core.test_jobs import FakeTask

IMPORT = """mutation($f: TransferFormat!, $c: String!) { riskImport(input: {format: $f, contentBase64: $c}) {
  createdCount risks { title currentLevel category { code } } job { id status }
  errors { row column code message } } }"""


def csv_b64(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "category", "inherent_likelihood", "inherent_impact"])
    writer.writerows(rows)
    return base64.b64encode(buffer.getvalue().encode()).decode()


def test_a_small_file_is_imported_inline(api, world):
    result = api("a", "analyst").ok(
        IMPORT,
        {
            "f": "CSV",
            "c": csv_b64(
                [["Card fraud ring", "fraud", "4", "3"], ["数据泄露", "technology", "2", "5"]]
            ),
        },
    )["riskImport"]
    assert result["errors"] == [] and result["createdCount"] == 2 and result["job"] is None
    assert {(r["title"], r["currentLevel"]) for r in result["risks"]} == {
        ("Card fraud ring", "HIGH"),
        ("数据泄露", "HIGH"),
    }


def test_a_bad_file_reports_rows_and_columns_and_writes_nothing(api, world):
    result = api("a", "analyst").ok(
        IMPORT, {"f": "CSV", "c": csv_b64([["Fine", "credit", "1", "1"], ["", "nope", "9", "1"]])}
    )["riskImport"]
    assert result["createdCount"] == 0
    found = {(e["row"], e["column"], e["code"]) for e in result["errors"]}
    assert {
        (3, "title", "INVALID"),
        (3, "category", "NOT_FOUND"),
        (3, "inherent_likelihood", "OUT_OF_RANGE"),
    } <= found
    with schema_context(world.a.schema_name):
        assert not Risk.objects.exists()


def test_garbage_is_refused_clearly(api):
    result = api("a", "analyst").ok(IMPORT, {"f": "XLSX", "c": "not base64!"})["riskImport"]
    assert result["errors"] == [
        {
            "row": 0,
            "column": None,
            "code": "IMPORT_INVALID",
            "message": "contentBase64 is not valid base64.",
        }
    ]


def test_a_large_file_becomes_a_job_that_imports_all_or_nothing(api, world, monkeypatch):
    monkeypatch.setattr(transfer, "INLINE_ROWS", 1)
    good = api("a", "analyst").ok(
        IMPORT,
        {"f": "CSV", "c": csv_b64([["One", "credit", "1", "1"], ["Two", "market", "5", "5"]])},
    )["riskImport"]
    assert good["errors"] == [] and good["job"]["status"] == "QUEUED" and good["createdCount"] == 0
    bad = api("a", "analyst").ok(
        IMPORT,
        {"f": "CSV", "c": csv_b64([["Three", "credit", "1", "1"], ["Four", "nope", "1", "1"]])},
    )["riskImport"]
    with schema_context(world.a.schema_name):
        jobs = {
            job.input["content"][:8] and job.pk: job
            for job in Job.objects.filter(kind="risk_import")
        }
        assert len(jobs) == 2
        for job in jobs.values():
            import_as_job(task=FakeTask(), job_id=job.pk)
        finished = {str(job.pk): job for job in Job.objects.filter(kind="risk_import")}
        assert set(Risk.objects.values_list("title", flat=True)) == {"One", "Two"}
        assert all(job.input == {} for job in finished.values())  # the files are not kept
    from strawberry.relay import from_base64

    ok_job = finished[from_base64(good["job"]["id"])[1]]
    bad_job = finished[from_base64(bad["job"]["id"])[1]]
    assert ok_job.status == "succeeded" and ok_job.result == {"created": 2, "updated": 0}
    assert bad_job.status == "failed" and bad_job.result["errors"][0]["column"] == "category"


@pytest.mark.parametrize("file_format", ["CSV", "XLSX"])
def test_export_the_filtered_register(api, world, file_format):
    api("a", "analyst").ok(
        IMPORT,
        {"f": "CSV", "c": csv_b64([["Alpha", "fraud", "1", "1"], ["Beta", "credit", "5", "5"]])},
    )
    exported = api("a", "viewer").ok(
        """query($f: TransferFormat!) { riskExport(format: $f,
        filter: {levels: [CRITICAL]}) { filename contentType rowCount contentBase64 } }""",
        {"f": file_format},
    )["riskExport"]
    assert exported["rowCount"] == 1 and exported["filename"].endswith(file_format.lower())
    content = base64.b64decode(exported["contentBase64"])
    if file_format == "CSV":
        assert "Beta" in content.decode("utf-8-sig") and "Alpha" not in content.decode("utf-8-sig")
    else:
        assert content[:2] == b"PK"  # a zip container, as XLSX is


def test_an_exported_register_edited_and_imported_updates_its_risks(api, world):
    analyst = api("a", "analyst")
    analyst.ok(IMPORT, {"f": "CSV", "c": csv_b64([["Card fraud ring", "fraud", "4", "3"]])})
    exported = analyst.ok("{ riskExport(format: CSV) { contentBase64 } }")["riskExport"]
    text = base64.b64decode(exported["contentBase64"]).decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    listed = analyst.ok("{ risks { edges { node { id } } } }")["risks"]["edges"]
    assert row["id"] == listed[0]["node"]["id"]  # the global id the API knows it by
    row.update(title="Card fraud rings", inherent_likelihood="2")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    content = base64.b64encode(buffer.getvalue().encode()).decode()
    result = analyst.ok(
        IMPORT.replace("createdCount", "createdCount updatedCount"), {"f": "CSV", "c": content}
    )["riskImport"]
    assert (result["errors"], result["createdCount"], result["updatedCount"]) == ([], 0, 1)
    assert [(r["title"], r["currentLevel"]) for r in result["risks"]] == [
        ("Card fraud rings", "MEDIUM")
    ]
    with schema_context(world.a.schema_name):
        assert Risk.objects.count() == 1


UPLOAD = """mutation($f: Upload, $c: String) { riskImport(input: {format: CSV, file: $f,
  contentBase64: $c}) { createdCount risks { title owner { employeeNumber } }
  errors { field row column code } } }"""


def test_a_register_file_uploaded_as_multipart_is_imported(api, world):
    from tests.people.test_uploads import _multipart
    from tests.risks.people import unlinked_person

    with schema_context(world.a.schema_name):
        unlinked_person("E500", "Never Logs In")
    analyst = api("a", "analyst")
    content = "title,category,owner\nUploaded,credit,E500\n".encode("utf-8-sig")
    body = _multipart(analyst, UPLOAD, {}, {"f": ("register.csv", content)})
    assert body == {
        "data": {
            "riskImport": {
                "createdCount": 1,
                "risks": [{"title": "Uploaded", "owner": {"employeeNumber": "E500"}}],
                "errors": [],
            }
        }
    }
    bad = _multipart(analyst, UPLOAD, {}, {"f": ("r.csv", b"title,category\nNo such,crdit\n")})
    assert bad["data"]["riskImport"]["errors"] == [
        {"field": "file", "row": 2, "column": "category", "code": "NOT_FOUND"}
    ]
    both = _multipart(analyst, UPLOAD, {"c": "YQ=="}, {"f": ("r.csv", b"x")})
    assert both["data"]["riskImport"]["errors"] == [
        {"field": "file", "row": 0, "column": None, "code": "IMPORT_INVALID"}
    ]
    with schema_context(world.a.schema_name):
        assert list(Risk.objects.values_list("title", flat=True)) == ["Uploaded"]
