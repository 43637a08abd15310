"""Scans raise, update, deduplicate, resolve and escalate signals; twice is once."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from apps.early_warning.models import Observation, SignalStatus, WarningSignal
from apps.early_warning.services import indicators, signals
from apps.early_warning.services.scans import scan
from tests.early_warning.conftest import T0, feed

NOW = T0 + timedelta(days=30)


def shift_series(indicator, offset: timedelta) -> None:
    """The same series, every point moved by `offset` (as if observed a year later/earlier)."""
    Observation.objects.filter(indicator=indicator).update(observed_at=F("observed_at") + offset)


def threshold_rule(indicator):
    return indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})


def test_a_breach_raises_one_signal_and_repeats_update_it(make_indicator):
    npl = make_indicator()
    threshold_rule(npl)
    feed("npl_ratio", [1, 2, 4])  # amber (≥3)
    assert scan(indicator_ids=[npl.pk], now=NOW)["raised"] == 1
    feed("npl_ratio", [6], start=T0 + timedelta(hours=3))  # now red
    scan(indicator_ids=[npl.pk], now=NOW)
    live = WarningSignal.objects.get()
    assert (live.severity, live.occurrences, live.observed_value, live.threshold) == (
        "red",
        2,
        6.0,
        5.0,
    )


def test_scanning_the_same_data_twice_changes_nothing(make_indicator):
    npl = make_indicator()
    threshold_rule(npl)
    feed("npl_ratio", [1, 6])
    scan(indicator_ids=[npl.pk], now=NOW)
    before = list(WarningSignal.objects.values())
    scan(indicator_ids=[npl.pk], now=NOW + timedelta(hours=1))
    after = list(WarningSignal.objects.values())
    assert after == before


def test_green_for_n_periods_resolves(make_indicator):
    npl = make_indicator(resolve_after_green=2)
    threshold_rule(npl)
    feed("npl_ratio", [6])
    scan(indicator_ids=[npl.pk], now=NOW)
    for hour, value in ((1, 1.0), (2, 1.0)):
        feed("npl_ratio", [value], start=T0 + timedelta(hours=hour))
        scan(indicator_ids=[npl.pk], now=NOW)
    signal = WarningSignal.objects.get()
    assert signal.status == SignalStatus.RESOLVED and signal.green_streak == 2
    feed("npl_ratio", [7], start=T0 + timedelta(hours=3))  # breaches again: a new signal
    scan(indicator_ids=[npl.pk], now=NOW)
    assert WarningSignal.objects.filter(status="open").count() == 1


def test_series_per_dimension_get_their_own_signals(make_indicator):
    npl = make_indicator()
    threshold_rule(npl)
    feed("npl_ratio", [6], dims={"product": "cash_loan"})
    feed("npl_ratio", [1], dims={"product": "mortgage"})
    feed("npl_ratio", [4], dims={"product": "card"})
    scan(indicator_ids=[npl.pk], now=NOW)
    assert dict(WarningSignal.objects.values_list("dimensions_key", "severity")) == {
        "product=cash_loan": "red",
        "product=card": "amber",
    }


def test_statistical_rules_and_lower_is_worse(make_indicator):
    coverage = make_indicator(
        "liquidity_coverage", direction="lower_is_worse", amber=120.0, red=100.0
    )
    indicators.rule_save(indicator_id=coverage.pk, kind="zscore", params={"window": 20})
    feed("liquidity_coverage", [150 + (i % 3) for i in range(30)] + [110])
    scan(indicator_ids=[coverage.pk], now=NOW)
    signal = WarningSignal.objects.get()
    assert signal.severity == "red" and "z" in signal.detail


def test_missing_data_is_a_signal(make_indicator):
    quiet = make_indicator("daily_inflow", stale_after_minutes=120)
    indicators.rule_save(indicator_id=quiet.pk, kind="missing_data", params={})
    feed("daily_inflow", [1.0])
    scan(indicator_ids=[quiet.pk], now=T0 + timedelta(hours=5))
    assert WarningSignal.objects.get().severity == "red"


def test_dynamic_thresholds_are_recalibrated(make_indicator):
    latency = make_indicator(
        "api_latency",
        threshold_mode="mean_sigma",
        amber=None,
        red=None,
        dynamic_window=20,
        dynamic_amber=2.0,
        dynamic_red=3.0,
    )
    threshold_rule(latency)
    feed("api_latency", [100.0, 110.0] * 15 + [200.0])
    scan(indicator_ids=[latency.pk], now=NOW)
    latency.refresh_from_db()
    assert 110 < latency.calibrated_amber < latency.calibrated_red < 200
    assert WarningSignal.objects.get().severity == "red"


def test_a_red_signal_flags_linked_risks_for_review(make_indicator, in_a):
    from apps.risks.models import RiskCategory
    from apps.risks.services import register

    risk = register.risk_create(
        title="Credit deterioration", category_id=RiskCategory.objects.get(code="credit").pk
    )
    npl = make_indicator()
    indicators.indicator_save(indicator_id=npl.pk, risk_ids=[risk.pk])
    threshold_rule(npl)
    feed("npl_ratio", [9])
    scan(indicator_ids=[npl.pk], now=NOW)
    risk.refresh_from_db()
    assert risk.next_review_at == timezone.localdate() and "npl_ratio" in risk.review_flag


def test_responsible_members_are_notified_once(make_indicator, world):
    from apps.notifications.models import Notification

    npl = make_indicator(responsible_ids=[world.user("a", "risk_manager").pk])
    threshold_rule(npl)
    feed("npl_ratio", [9])
    scan(indicator_ids=[npl.pk], now=NOW)
    scan(indicator_ids=[npl.pk], now=NOW)
    assert Notification.objects.filter(event="warnings.signal_raised").count() == 1


def test_unacknowledged_red_signals_escalate(make_indicator):
    npl = make_indicator()
    threshold_rule(npl)
    feed("npl_ratio", [9])
    scan(indicator_ids=[npl.pk], now=NOW)
    assert WarningSignal.objects.get().status == "open"  # the scan's own clock: not overdue yet
    assert signals.escalate_overdue(after_minutes=60, now=NOW + timedelta(minutes=59)) == 0
    assert signals.escalate_overdue(after_minutes=60, now=NOW + timedelta(hours=2)) == 1
    escalated = WarningSignal.objects.get()
    assert escalated.status == "escalated" and escalated.escalated_at == NOW + timedelta(hours=2)
    assert signals.escalate_overdue(after_minutes=60, now=NOW + timedelta(hours=3)) == 0


def _signals() -> list[tuple]:
    return sorted(
        WarningSignal.objects.values_list("rule__kind", "dimensions_key", "severity", "status")
    )


@pytest.mark.parametrize("offset", [timedelta(days=365), -timedelta(days=365)])
def test_a_scan_decides_by_its_own_clock_not_the_wall_clock(make_indicator, offset):
    """The same data scanned with a `now` a year from the wall clock gives the same signals as
    a scan whose `now` is the wall clock's day: one clock for every decision in the scan."""
    npl = make_indicator(resolve_after_green=2)
    threshold_rule(npl)
    indicators.rule_save(indicator_id=npl.pk, kind="sustained", params={"periods": 2})
    feed("npl_ratio", [1, 6, 7], start=NOW - timedelta(hours=3))
    feed("npl_ratio", [9], start=NOW - timedelta(hours=3), dims={"product": "card"})
    scan(indicator_ids=[npl.pk], now=NOW)
    expected = _signals()
    assert ("threshold", "", "red", "open") in expected  # the oracle itself is meaningful

    WarningSignal.objects.all().delete()
    shifted = NOW + offset
    shift_series(npl, offset)
    scan(indicator_ids=[npl.pk], now=shifted)
    assert _signals() == expected


def test_lifecycle_transitions(make_indicator, world):
    import pytest
    from django.core.exceptions import ValidationError

    npl = make_indicator()
    threshold_rule(npl)
    feed("npl_ratio", [4])
    scan(indicator_ids=[npl.pk], now=NOW)
    signal = WarningSignal.objects.get()
    acknowledged = signals.signal_transition(
        signal_id=signal.pk, to="acknowledged", actor=world.user("a", "analyst")
    )
    assert acknowledged.assignee_id == world.user("a", "analyst").pk
    with pytest.raises(ValidationError):
        signals.signal_transition(signal_id=signal.pk, to="dismissed")  # no comment
    signals.signal_transition(signal_id=signal.pk, to="dismissed", comment="Data feed glitch")
    with pytest.raises(ValidationError):
        signals.signal_transition(signal_id=signal.pk, to="open")
