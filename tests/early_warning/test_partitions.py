"""Observations are partitioned by month: ingestion makes the months it writes, the daily upkeep
makes the months ahead and drops the months retention no longer keeps, and the default
partition (which must stay empty) is watched."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.early_warning import partitions
from apps.early_warning.models import Observation, WarningSettings
from apps.early_warning.selectors import warning_settings
from apps.early_warning.services import retention
from apps.early_warning.services.ingestion import PointIn, ingest


def _where(observed_at: datetime) -> str:
    """The partition holding the observation at this time."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM early_warning_observation WHERE observed_at = %s",
            [observed_at],
        )
        return cursor.fetchone()[0]


def test_ingestion_makes_the_months_it_writes(make_indicator):
    make_indicator()
    old = datetime(2011, 3, 31, 23, 30, tzinfo=UTC)  # far before any partition of the suite
    assert (2011, 3) not in partitions.existing()
    ingest(
        [
            PointIn("npl_ratio", old, 1.0),
            PointIn("npl_ratio", datetime(2011, 5, 2, tzinfo=UTC), 2.0),
        ]
    )
    assert {(2011, 3), (2011, 4), (2011, 5)} <= partitions.existing()
    assert _where(old) == "early_warning_observation_p201103"
    assert partitions.default_rows() == 0


def test_the_upkeep_makes_this_month_and_three_ahead(in_a):
    made = retention.keep_partitions(datetime(2040, 11, 15, tzinfo=UTC))
    assert made["made"] == 4
    assert {(2040, 11), (2040, 12), (2041, 1), (2041, 2)} <= partitions.existing()
    again = retention.keep_partitions(datetime(2040, 11, 16, tzinfo=UTC))
    assert again == {"made": 0, "dropped": 0, "default_rows": 0}


def test_retention_drops_whole_months_only(make_indicator):
    make_indicator()
    times = [datetime(2012, m, 10, tzinfo=UTC) for m in (1, 2, 3, 4)]
    ingest([PointIn("npl_ratio", t, float(i)) for i, t in enumerate(times)])
    settings = warning_settings()
    settings.retention_months = 2
    settings.save()
    # "Now" is 2012-04-20: keep 2 whole months before April, i.e. from February on.
    retention.keep_partitions(datetime(2012, 4, 20, tzinfo=UTC))
    months = partitions.existing()
    assert (2012, 1) not in months and {(2012, 2), (2012, 3), (2012, 4)} <= months
    kept = Observation.objects.filter(observed_at__year=2012).order_by("observed_at")
    assert list(kept.values_list("value", flat=True)) == [1.0, 2.0, 3.0]


def test_the_upkeep_runs_once_a_day(in_a):
    day = datetime(2040, 1, 5, 8, tzinfo=UTC)
    assert retention.claim_today(day) is True
    assert retention.claim_today(day.replace(hour=20)) is False
    assert retention.claim_today(datetime(2040, 1, 6, tzinfo=UTC)) is True
    assert WarningSettings.objects.get().partitions_checked_on.isoformat() == "2040-01-06"


@pytest.mark.django_db(transaction=False)
def test_a_row_in_the_default_partition_is_reported(make_indicator, capsys):
    indicator = make_indicator()
    beyond = datetime(2199, 1, 1, tzinfo=UTC)  # no monthly partition: the default takes it
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO early_warning_observation (indicator_id, observed_at, value, dimensions,"
            " dimensions_key, received_at) VALUES (%s, %s, 1, '{}', '', now())",
            [indicator.pk, beyond],
        )
    assert _where(beyond) == partitions.DEFAULT
    assert partitions.default_rows() == 1
    connection.set_schema_to_public()
    with pytest.raises(CommandError, match="tenant_a"):
        call_command("observation_partitions", "--check")
    assert "default not empty" in capsys.readouterr().out


def test_a_scan_reads_the_newest_points_however_far_back_they_are(make_indicator):
    from datetime import timedelta

    from apps.early_warning.selectors import windows

    dense, sparse, emptied = (make_indicator(code=c) for c in ("dense", "sparse", "emptied"))
    start = datetime(2013, 1, 1, tzinfo=UTC)
    ingest([PointIn("dense", start + timedelta(hours=h), float(h)) for h in range(10)])
    # One point every 40 days: only the newest is within a day of the newest.
    ingest([PointIn("sparse", start + timedelta(days=40 * k), float(k)) for k in range(8)])
    ingest([PointIn("emptied", start, 1.0)])
    Observation.objects.filter(indicator=emptied).delete()  # its series row stays behind
    span = {i.pk: timedelta(days=1) for i in (dense, sparse, emptied)}
    data = windows({dense.pk: 4, sparse.pk: 4, emptied.pk: 4}, span)
    by_series = {
        data.series[n][0]: data.values[data.numbers == n].tolist() for n in range(len(data.series))
    }
    assert by_series == {dense.pk: [6.0, 7.0, 8.0, 9.0], sparse.pk: [4.0, 5.0, 6.0, 7.0]}


def test_a_month_the_default_partition_holds_is_moved_into_its_partition(make_indicator):
    indicator = make_indicator()
    stray = datetime(2014, 6, 3, tzinfo=UTC)
    with connection.cursor() as cursor:  # a COPY into the table, say, before the month existed
        cursor.execute(
            "INSERT INTO early_warning_observation (indicator_id, observed_at, value, dimensions,"
            " dimensions_key, received_at) VALUES (%s, %s, 7, '{}', '', now())",
            [indicator.pk, stray],
        )
    assert _where(stray) == partitions.DEFAULT
    ingest([PointIn("npl_ratio", datetime(2014, 6, 20, tzinfo=UTC), 8.0)])
    assert _where(stray) == "early_warning_observation_p201406"
    assert partitions.default_rows() == 0
    june = Observation.objects.filter(observed_at__year=2014).order_by("observed_at")
    assert list(june.values_list("value", flat=True)) == [7.0, 8.0]
