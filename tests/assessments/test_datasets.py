"""Uploads: checked all or nothing, with row and column errors; stored as versioned columns."""

import json

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from apps.assessments.models import Dataset, DatasetVersion, StagedFile
from apps.assessments.selectors import version_arrays
from apps.assessments.services.datasets import dataset_upload, parse_as_job
from apps.core.background import JobRejected
from apps.core.models import Job
from apps.core.tabular import RowsRejected
from tests.assessments.conftest import csv


def test_a_small_csv_is_stored_as_typed_columns(upload):
    version = upload(
        "cash_flows",
        "maturity_days,inflow,outflow,counterparty",
        "0,,100,A",
        "5,50,,B",
        "20,0,200.25,A",
    )
    assert (version.status, version.number, version.row_count) == ("ready", 1, 3)
    arrays = version_arrays(version.pk)
    assert arrays["maturity_days"].tolist() == [0, 5, 20]
    assert arrays["maturity_days"].dtype == np.int64
    assert arrays["inflow"].tolist() == [0.0, 50.0, 0.0]  # a blank amount is zero
    assert arrays["outflow"].tolist() == [100.0, 0.0, 200.25]
    assert arrays["counterparty"].tolist() == ["A", "B", "A"]
    assert arrays["source"].tolist() == ["", "", ""]  # optional and absent: blank
    assert version.columns == ["maturity_days", "inflow", "outflow", "counterparty", "source"]


def test_every_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(upload):
    with pytest.raises(RowsRejected) as rejected:
        upload(
            "loan_book",
            "loan_id,EAD,default,income",
            "L1,1000,0,40",
            "L2,-5,2,x",
            "L1,300,1,12",
        )
    found = [(e.row, e.column, e.message) for e in rejected.value.errors]
    assert found == [
        (3, "EAD", "Zero or more."),
        (3, "default", "0 or 1."),
        (3, "income", "A number."),
    ]
    assert not Dataset.objects.exists() and not DatasetVersion.objects.exists()


def test_a_blank_or_bad_date_is_a_row_error(upload):
    with pytest.raises(RowsRejected) as rejected:
        upload("returns", "date,instrument,return", ",X,0.1", "2020-02-30,X,0", "2020-03-01,X,0")
    assert [(e.row, e.column, e.message) for e in rejected.value.errors] == [
        (2, "date", "A date, YYYY-MM-DD."),
        (3, "date", "A date, YYYY-MM-DD."),
    ]


def test_a_repeated_key_is_a_row_error(upload):
    with pytest.raises(RowsRejected) as rejected:
        upload("positions", "instrument,asset_class,exposure", "X,equity,1", "X,bond,2")
    assert [(e.row, e.column, e.message) for e in rejected.value.errors] == [
        (3, "instrument", "Same as row 2.")
    ]


def test_missing_and_unknown_columns_are_a_problem_of_the_file(upload):
    with pytest.raises(RowsRejected) as rejected:
        upload("positions", "instrument,weight", "X,1")
    (error,) = rejected.value.errors
    assert error.row == 0
    assert error.message == "Missing columns: asset_class, exposure. Unknown column: weight."


def test_json_rows_and_a_second_version(upload, in_a):
    first = upload("scenarios", "scenario,shock,value", "severe,pd_multiplier,2")
    content = json.dumps(
        [{"scenario": "mild", "shock": "price_shock", "asset_class": "equity", "value": -0.1}]
    ).encode()
    second = dataset_upload(content=content, file_format="json", dataset_id=first.dataset_id)
    assert (second.number, second.row_count) == (2, 1)
    assert version_arrays(second.pk)["value"].tolist() == [-0.1]
    assert version_arrays(first.pk)["scenario"].tolist() == ["severe"]  # versions are kept


def test_a_name_is_unique_and_a_kind_is_needed(upload):
    upload("positions", "instrument,asset_class,exposure", "X,equity,1", name="book")
    with pytest.raises(ValidationError) as refused:
        upload("positions", "instrument,asset_class,exposure", "X,equity,1", name="book")
    assert refused.value.error_dict["name"][0].code == "name_taken"


def test_a_large_file_is_parsed_by_a_job_and_a_bad_one_rejected(upload, in_a):
    lines = ["instrument,asset_class,exposure"] + [f"P{i},equity,{i}" for i in range(5)]
    version = upload("positions", *lines, inline_rows=3)
    assert version.status == "parsing" and version.job.kind == "assessment_dataset"
    # the job names a staged file in this schema; it does not carry the file
    assert set(version.job.input) == {"version", "staged"}
    assert StagedFile.objects.filter(pk=version.job.input["staged"]).exists()
    assert parse_as_job(Job.objects.get(pk=version.job_id)) == {
        "version": str(version.pk),
        "rows": 5,
    }
    version.refresh_from_db()
    assert version.status == "ready"
    bad = dataset_upload(
        content=csv("instrument,asset_class,exposure", "A,x,1", "B,y,z", "C,z,3", "D,w,4"),
        file_format="csv",
        dataset_id=version.dataset_id,
        inline_rows=3,
    )
    with pytest.raises(JobRejected) as rejected:
        parse_as_job(Job.objects.get(pk=bad.job_id))
    assert rejected.value.result["errors"] == [
        {"row": 3, "column": "exposure", "message": "A number.", "code": "invalid"}
    ]
    bad.refresh_from_db()
    assert bad.status == "rejected" and not bad.data.exists()
    assert not StagedFile.objects.exists()  # both staged files deleted once parsed


def test_text_columns_are_stored_as_codes_and_labels():
    import io

    import numpy as np

    from apps.assessments import tables

    repeated = np.array(["ABCDE", "XYZ"] * 500)
    stored = tables.to_bytes(repeated)
    # UTF-32 .npy: 1,000 rows × 5 characters × 4 bytes = 20,000 bytes of data; codes + labels:
    # a 16-byte header, 1,000 one-byte codes and 2 labels of 20 bytes (test_storage.py)
    assert stored[:4] == b"FKT1" and len(stored) == 16 + 1_000 + 2 * 20
    assert np.array_equal(tables.from_bytes(stored), repeated)
    keys = np.array([f"L{i}" for i in range(10)])  # all distinct: plain .npy
    assert tables.to_bytes(keys)[:6] == b"\x93NUMPY"
    assert np.array_equal(tables.from_bytes(tables.to_bytes(keys)), keys)
    older = io.BytesIO()
    np.save(older, repeated)  # a blob written before codes: still read
    assert np.array_equal(tables.from_bytes(older.getvalue()), repeated)
