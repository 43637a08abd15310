"""Complaints from a file: all rows or none, every problem at its row and column, a file sent
twice adds nothing."""

import base64
import io

from django_tenants.utils import schema_context

from apps.reputation.models import Complaint

IMPORT = """mutation($i: ComplaintsImportInput!) { complaintsImport(input: $i) {
  createdCount unchangedCount errors { field row column code message } } }"""


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


GOOD = (
    "Reference,Channel,Category,Summary,Priority,Received_at\n"
    "C-1,hotline,fees,Charged twice.,urgent,2020-01-05T09:00:00+08:00\n"
    "\n"
    "C-2,online,collection,Calls at night.,,\n"
)


def test_a_file_records_complaints_once(api, world):
    analyst = api("a", "analyst")
    done = analyst.ok(IMPORT, {"i": {"format": "CSV", "contentBase64": _b64(GOOD)}})
    assert done["complaintsImport"] == {"createdCount": 2, "unchangedCount": 0, "errors": []}
    again = analyst.ok(IMPORT, {"i": {"format": "CSV", "contentBase64": _b64(GOOD)}})
    assert again["complaintsImport"] == {"createdCount": 0, "unchangedCount": 2, "errors": []}
    with schema_context(world.a.schema_name):
        c1 = Complaint.objects.get(reference="C-1")
        assert (c1.channel, c1.priority, c1.received_at.isoformat()) == (
            "hotline", "urgent", "2020-01-05T01:00:00+00:00"
        )  # fmt: skip
        assert Complaint.objects.get(reference="C-2").priority == "normal"
        assert Complaint.objects.count() == 2
    with schema_context(world.b.schema_name):
        assert not Complaint.objects.exists()


def test_a_bad_file_is_refused_whole_with_rows_and_columns(api, world):
    analyst = api("a", "analyst")
    bad = (
        "reference,channel,category,summary,customer_ref\n"
        "C-1,hotline,fees,Fine.,cust-77\n"
        "C-2,pigeon,fees,Unknown channel.,\n"
        "C-3,online,fees,Raw phone.,13812345678\n"
        "C-1,online,fees,Twice.,\n"
    )
    errors = analyst.ok(IMPORT, {"i": {"format": "CSV", "contentBase64": _b64(bad)}})[
        "complaintsImport"
    ]["errors"]
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [
        (3, "channel", "INVALID"),
        (4, "customer_ref", "RAW_IDENTIFIER"),
        (5, "reference", "CODE_TAKEN"),
    ]
    assert {e["field"] for e in errors} == {"contentBase64"}
    missing = analyst.ok(
        IMPORT, {"i": {"format": "CSV", "contentBase64": _b64("reference,summary\nX,y\n")}}
    )["complaintsImport"]["errors"]
    assert [(e["row"], e["code"]) for e in missing] == [(1, "IMPORT_INVALID")] * 2
    both = analyst.ok(IMPORT, {"i": {"format": "CSV", "contentBase64": "!!"}})
    assert both["complaintsImport"]["errors"][0]["row"] == 0
    with schema_context(world.a.schema_name):
        assert not Complaint.objects.exists()  # C-1 was fine, and is not written either


def test_an_xlsx_file(api, world):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["reference", "channel", "category", "summary"])
    sheet.append(["X-1", "regulator", "fees", "Referred by the regulator."])
    out = io.BytesIO()
    book.save(out)
    done = api("a", "analyst").ok(
        IMPORT,
        {"i": {"format": "XLSX", "contentBase64": base64.b64encode(out.getvalue()).decode()}},
    )["complaintsImport"]
    assert done == {"createdCount": 1, "unchangedCount": 0, "errors": []}
    with schema_context(world.a.schema_name):
        assert Complaint.objects.get(reference="X-1").channel == "regulator"
