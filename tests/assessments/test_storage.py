"""Column storage and exact money sums: a text column of repeated values is stored as raw codes
and labels (`FKT1`) and read back equal; columns written in the earlier `.npz` form still read;
per-group sums of cents are exact on both paths (float bincount below 2⁵³, int64 above)."""

import io

import numpy as np

from apps.assessments import tables
from apps.assessments.services.results import sum_cents_by


def test_text_columns_round_trip_as_codes_and_labels():
    names = np.array(["EQ-1", "债券", "EQ-1", "FX", "FX", "EQ-1"])
    stored = tables.to_bytes(names)
    assert stored[:4] == b"FKT1"
    # 16-byte header + 6 one-byte codes + 3 labels of 4 UTF-32 characters
    assert len(stored) == 16 + 6 + 3 * 4 * 4
    back = tables.from_bytes(stored)
    assert back.tolist() == names.tolist() and back.flags.writeable
    keys = np.array(["L1", "L2", "L3"])  # all distinct: kept as plain .npy
    assert tables.from_bytes(tables.to_bytes(keys)).tolist() == ["L1", "L2", "L3"]
    numbers = np.array([1.5, -2.25])
    assert tables.from_bytes(tables.to_bytes(numbers)).tolist() == [1.5, -2.25]


def test_columns_of_the_earlier_npz_form_still_read():
    buffer = io.BytesIO()
    np.savez(buffer, codes=np.array([1, 0, 1], dtype=np.uint8), labels=np.array(["a", "b"]))
    assert tables.from_bytes(buffer.getvalue()).tolist() == ["b", "a", "b"]


def test_cents_sums_are_exact_on_both_paths():
    index = np.array([0, 2, 0, 1, 2, 2])
    cents = np.array([101, -7, 250, 3, 1, 99_999_999_999], dtype=np.int64)
    assert sum_cents_by(index, cents, 4).tolist() == [351, 3, 99_999_999_993, 0]
    big = np.array([2**53 - 1, 1, 1], dtype=np.int64)  # 2⁵³ + 1 has no float64
    assert sum_cents_by(np.array([0, 0, 0]), big, 1).tolist() == [2**53 + 1]
