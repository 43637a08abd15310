"""The binary COPY buffer ingestion builds (services/copy_binary.py): what PostgreSQL stores
from it equals the points given, field by field, with and without dimensions."""

from datetime import UTC, datetime, timedelta, timezone

from apps.early_warning.models import Observation
from apps.early_warning.services.ingestion import PointIn, ingest

# Instants a binary encoder gets wrong first: before 2000 (negative microseconds), odd
# microseconds, another zone's offset.
MOMENTS = [
    datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(2024, 2, 29, 12, 0, 0, 1, tzinfo=UTC),
    datetime(2025, 6, 30, 8, 30, 0, 654_321, tzinfo=timezone(timedelta(hours=8))),
]


def test_points_without_dimensions_arrive_exactly(make_indicator):
    make_indicator()
    values = [-1.5e-300, 0.1, 123456789.125]
    ingest([PointIn("npl_ratio", at, v) for at, v in zip(MOMENTS, values, strict=True)])
    stored = list(
        Observation.objects.order_by("observed_at").values_list(
            "observed_at", "value", "dimensions", "dimensions_key"
        )
    )
    assert stored == [(at, v, {}, "") for at, v in zip(MOMENTS, values, strict=True)]


def test_points_with_and_without_dimensions_in_one_batch(make_indicator):
    make_indicator()
    ingest(
        [
            PointIn("npl_ratio", MOMENTS[0], 1.0),
            PointIn("npl_ratio", MOMENTS[0], 2.0, {"渠道": "手机银行", "product": "loan"}),
            PointIn("npl_ratio", MOMENTS[1], 3.0, {"channel": 'a "quoted" \\ value'}),
            PointIn("npl_ratio", MOMENTS[2], 4.0),
        ]
    )
    stored = {
        (o.dimensions_key, o.observed_at): (o.value, o.dimensions)
        for o in Observation.objects.all()
    }
    assert stored == {
        ("", MOMENTS[0]): (1.0, {}),
        ("product=loan;渠道=手机银行", MOMENTS[0]): (2.0, {"渠道": "手机银行", "product": "loan"}),
        ('channel=a "quoted" \\ value', MOMENTS[1]): (3.0, {"channel": 'a "quoted" \\ value'}),
        ("", MOMENTS[2]): (4.0, {}),
    }
    # received_at is stamped on every row by the same COPY
    assert Observation.objects.filter(received_at__isnull=True).count() == 0
