"""Brand metrics: bulk, all or nothing, idempotent on (metric, source, period); their part of
the reputation index against a hand-worked example; history recomputed."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.reputation.models import BrandMetric, ReputationDay
from apps.reputation.services import complaints, index, lexicon
from apps.reputation.services.brand import brand_metrics_ingest


def _figure(metric, value, start, end, source="survey-q3", **kw):
    return {"metric": metric, "source": source, "period_start": start, "period_end": end,
            "value": value, **kw}  # fmt: skip


@pytest.fixture
def quarter():
    today = timezone.localdate()
    return today - timedelta(days=40), today - timedelta(days=1)


def test_figures_are_stored_once_per_metric_source_and_period(in_a, quarter):
    start, end = quarter
    rows = [
        _figure("awareness", 60, start, end),
        _figure("nps", -20, start, end, sample_size=800),
        _figure("awareness", 70, start, end, source="panel"),
    ]
    first = brand_metrics_ingest(metrics=rows)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = brand_metrics_ingest(metrics=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = brand_metrics_ingest(metrics=[_figure("awareness", 65, start, end)])
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0)
    assert BrandMetric.objects.count() == 3
    assert BrandMetric.objects.get(metric="awareness", source="survey-q3").value == 65


def test_one_bad_figure_refuses_the_call_and_stores_nothing(in_a, quarter):
    start, end = quarter
    rows = [
        _figure("awareness", 60, start, end),
        _figure("awareness", 101, start, end, source="b"),  # a percentage
        _figure("nps", -100, start, end),  # NPS runs from −100: fine
        _figure("loyalty", 50, end, start),  # the period backwards
        _figure("reach", 5, start, end),  # not a metric
        _figure("nps", 10, start, end),  # the same figure twice in one call
    ]
    with pytest.raises(ValidationError) as refused:
        brand_metrics_ingest(metrics=rows)
    assert sorted(refused.value.error_dict) == [
        "metrics.1.value",
        "metrics.3.period_end",
        "metrics.4.metric",
        "metrics.5",
    ]
    assert not BrandMetric.objects.exists()


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_brand_metrics_enter_the_index_of_the_days_they_cover(in_a, quarter):
    start, end = quarter
    day = end  # yesterday: two complaints received, nothing else measured
    received = {"channel": "online", "category": "fees", "summary": "Fees."}
    complaints.complaint_create(reference="c1", received_at=_at(day, 9), **received)
    complaints.complaint_create(reference="c2", received_at=_at(day, 10), **received)
    index.days_refresh(days=[day])
    # C = 1 − 2 / 20 = 0.9, weight 0.2 alone: 90.
    assert ReputationDay.objects.get(day=day).index == pytest.approx(90.0)
    outcome = brand_metrics_ingest(
        metrics=[
            _figure("awareness", 60, start, end),
            _figure("awareness", 80, start, end, source="panel"),  # awareness: (0.6 + 0.8) / 2
            _figure("nps", 40, start, end),  # (40 + 100) / 200 = 0.7
        ]
    )
    assert outcome.days == 1  # the one computed day of the period, computed again
    figures = ReputationDay.objects.get(day=day)
    # B = (0.7 + 0.7) / 2 = 0.7; index = 100 × (0.2 × 0.9 + 0.2 × 0.7) / (0.2 + 0.2) = 80
    assert figures.brand == pytest.approx(0.7)
    assert figures.index == pytest.approx(80.0)
    # A new weight applies when history is recomputed.
    lexicon.settings_update(weight_brand=0.6)
    index.days_recompute(start=day, end=day)
    # 100 × (0.2 × 0.9 + 0.6 × 0.7) / 0.8 = 75
    assert ReputationDay.objects.get(day=day).index == pytest.approx(75.0)


def test_a_day_no_metric_covers_leaves_the_brand_part_out(in_a, quarter):
    start, end = quarter
    brand_metrics_ingest(metrics=[_figure("satisfaction", 10, start, start)])
    received = {"channel": "online", "category": "fees", "summary": "Fees."}
    complaints.complaint_create(reference="c1", received_at=_at(end, 9), **received)
    index.days_refresh(days=[end, start])
    assert ReputationDay.objects.get(day=end).brand is None
    assert ReputationDay.objects.get(day=end).index == pytest.approx(95.0)  # 1 − 1/20
    # The first day: only the survey covers it — not a measured day (a period figure alone).
    assert ReputationDay.objects.get(day=start).brand == pytest.approx(0.1)
    assert ReputationDay.objects.get(day=start).index is None
