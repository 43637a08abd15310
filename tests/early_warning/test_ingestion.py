"""Observations in, one or thousands: all or nothing, upserted, row-level errors."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.early_warning.models import Observation, ObservationSeries
from apps.early_warning.services.ingestion import IngestRejected, PointIn, ingest, points_from_csv
from tests.early_warning.conftest import MONTH, T0, feed


def test_bulk_points_are_stored_and_repeats_replace(make_indicator):
    make_indicator()
    feed("npl_ratio", [1.0, 2.0, 3.0])
    feed("npl_ratio", [1.0, 2.5], start=T0 + timedelta(hours=1))  # overlaps two points
    stored = list(Observation.objects.order_by("observed_at").values_list("value", flat=True))
    assert stored == [1.0, 1.0, 2.5]


def test_dimensions_make_separate_series(make_indicator):
    make_indicator()
    ingest(
        [
            PointIn("npl_ratio", T0, 1.0, {"channel": "app", "product": "loan"}),
            PointIn("npl_ratio", T0, 2.0, {"product": "loan", "channel": "app"}),  # same series
            PointIn("npl_ratio", T0, 3.0, {"channel": "web"}),
        ]
    )
    assert dict(Observation.objects.values_list("dimensions_key", "value")) == {
        "channel=app;product=loan": 2.0,
        "channel=web": 3.0,
    }


def test_a_batch_holding_stored_points_is_upserted_whole(make_indicator):
    make_indicator()
    app, later = {"channel": "app"}, T0 + timedelta(hours=2)
    ingest([PointIn("npl_ratio", later, 5.0, app)])
    for value in (
        6.0,
        7.0,
    ):  # a stored point re-sent and an older new one, twice in one transaction
        ingest([PointIn("npl_ratio", later, value, app), PointIn("npl_ratio", T0, 1.0, app)])
    ingest([PointIn("npl_ratio", T0 + timedelta(hours=1), 2.0, app)])  # older than the newest
    stored = Observation.objects.order_by("observed_at")
    assert list(stored.values_list("observed_at", "value", "dimensions")) == [
        (T0, 1.0, app),
        (T0 + timedelta(hours=1), 2.0, app),
        (later, 7.0, app),
    ]
    # the series' newest time stays the newest, not the last one written
    assert list(ObservationSeries.objects.values_list("dimensions_key", "last_observed_at")) == [
        ("channel=app", later)
    ]


def test_bad_points_are_reported_each_and_nothing_is_written(make_indicator):
    make_indicator()
    with pytest.raises(IngestRejected) as rejected:
        ingest(
            [
                PointIn("npl_ratio", T0, 1.0),
                PointIn("nope", T0, 1.0),
                PointIn("npl_ratio", "yesterday", 1.0),
                PointIn("npl_ratio", T0, float("nan")),
                PointIn("npl_ratio", T0.replace(tzinfo=None), 1.0),  # naive
                PointIn("npl_ratio", datetime.now(UTC) + timedelta(days=3), 1.0),
                PointIn("npl_ratio", T0, 1.0, {"a=b": "c"}),
            ]
        )
    found = {(e.index, e.field) for e in rejected.value.errors}
    assert found == {
        (1, "indicator"),
        (2, "observedAt"),
        (3, "value"),
        (4, "observedAt"),
        (5, "observedAt"),
        (6, "dimensions"),
    }
    assert not Observation.objects.exists()


def test_at_most_ten_thousand_points_per_call(make_indicator):
    make_indicator()
    with pytest.raises(IngestRejected) as rejected:
        ingest([PointIn("npl_ratio", T0, 1.0)] * 10_001)
    assert rejected.value.errors[0].code == "too_many_points"


def test_ten_thousand_points_in_one_call(make_indicator):
    make_indicator()
    points = [PointIn("npl_ratio", T0 + timedelta(minutes=i), float(i)) for i in range(10_000)]
    assert ingest(points).count == 10_000
    assert Observation.objects.count() == 10_000


def test_csv_rows_are_numbered_like_a_spreadsheet(make_indicator):
    make_indicator()
    points, rows = points_from_csv(
        "indicator,observed_at,value,channel\n"
        f"npl_ratio,{MONTH}-01T00:00:00Z,1.5,app\n\n"
        "npl_ratio,not-a-date,2,web\n"
    )
    assert rows == [2, 4] and points[0].dimensions == {"channel": "app"}
    with pytest.raises(IngestRejected) as rejected:
        ingest(points, positions=rows)
    assert [(e.index, e.field) for e in rejected.value.errors] == [(4, "observedAt")]


def test_csv_without_dimension_columns_pads_short_rows_and_skips_blank_ones():
    points, rows = points_from_csv(
        f"indicator,observed_at,value\n , ,\nnpl_ratio,{MONTH}-01T00:00:00Z\nnpl_ratio, x ,3\n"
    )
    assert rows == [3, 4]
    assert [(p.indicator, p.observed_at, p.value, p.dimensions) for p in points] == [
        ("npl_ratio", f"{MONTH}-01T00:00:00Z", "", {}),
        ("npl_ratio", "x", "3", {}),
    ]
