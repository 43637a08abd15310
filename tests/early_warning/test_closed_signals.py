"""A dismissed or resolved signal remembers what it covered: the same data never raises it again,
only a breach in a newer observation does."""

from datetime import timedelta

import pytest

from apps.early_warning.models import WarningSignal
from apps.early_warning.services import indicators, signals
from apps.early_warning.services.scans import scan
from apps.notifications.models import Notification, WebhookDelivery
from apps.notifications.services import webhook_create
from tests.early_warning.conftest import T0, feed

NOW = T0 + timedelta(days=30)
CALM = [150.0 + (i % 3) for i in range(30)]  # a steady series: the z-score of a jump is large


@pytest.fixture
def spiky(make_indicator, world):
    """A z-score indicator whose newest point is an anomaly, with a responsible member and a
    webhook, scanned once: one open signal, one e-mail, one webhook delivery."""
    indicator = make_indicator(
        "liquidity_gap", amber=1000.0, red=2000.0, responsible_ids=[world.user("a", "analyst").pk]
    )
    indicators.rule_save(indicator_id=indicator.pk, kind="zscore", params={"window": 20})
    webhook_create(name="SIEM", url="https://siem.example.com/in", event_types=[])
    feed("liquidity_gap", [*CALM, 190.0])
    assert scan(indicator_ids=[indicator.pk], now=NOW)["raised"] == 1
    return indicator


def _raised_notices() -> tuple[int, int]:
    return (
        Notification.objects.filter(event="warnings.signal_raised").count(),
        WebhookDelivery.objects.filter(event="warnings.signal_raised").count(),
    )


@pytest.mark.parametrize(
    "to, comment", [("dismissed", "Feed glitch"), ("resolved", "Explained by a migration")]
)
def test_a_closed_signal_is_not_raised_again_from_the_same_data(spiky, to, comment):
    signal = WarningSignal.objects.get()
    assert _raised_notices() == (1, 1)
    signals.signal_transition(signal_id=signal.pk, to=to, comment=comment)

    for hours in (1, 2):  # rescans with no new observation
        outcome = scan(indicator_ids=[spiky.pk], now=NOW + timedelta(hours=hours))
        assert outcome["raised"] == 0
    assert list(WarningSignal.objects.values_list("pk", "status")) == [(signal.pk, to)]
    assert _raised_notices() == (1, 1)


def test_a_breach_in_a_newer_observation_raises_a_new_signal(spiky):
    first = WarningSignal.objects.get()
    signals.signal_transition(signal_id=first.pk, to="dismissed", comment="Feed glitch")
    feed("liquidity_gap", [191.0], start=T0 + timedelta(hours=len(CALM) + 1))
    assert scan(indicator_ids=[spiky.pk], now=NOW + timedelta(hours=1))["raised"] == 1
    assert WarningSignal.objects.filter(status="open").exclude(pk=first.pk).count() == 1
    assert _raised_notices() == (2, 2)


def test_a_green_newer_observation_raises_nothing(spiky):
    signals.signal_transition(
        signal_id=WarningSignal.objects.get().pk, to="dismissed", comment="Feed glitch"
    )
    feed("liquidity_gap", [151.0], start=T0 + timedelta(hours=len(CALM) + 1))
    assert scan(indicator_ids=[spiky.pk], now=NOW + timedelta(hours=1))["raised"] == 0
    assert not WarningSignal.objects.filter(status="open").exists()


def test_a_dismissed_missing_data_signal_stays_dismissed_until_data_comes_and_goes(
    make_indicator,
):
    quiet = make_indicator("daily_inflow", stale_after_minutes=120)
    indicators.rule_save(indicator_id=quiet.pk, kind="missing_data", params={})
    feed("daily_inflow", [1.0])
    scan(indicator_ids=[quiet.pk], now=T0 + timedelta(hours=5))
    signal = WarningSignal.objects.get()
    signals.signal_transition(signal_id=signal.pk, to="dismissed", comment="Holiday")
    scan(indicator_ids=[quiet.pk], now=T0 + timedelta(hours=6))
    assert not WarningSignal.objects.filter(status="open").exists()
    feed("daily_inflow", [2.0], start=T0 + timedelta(hours=7))
    scan(indicator_ids=[quiet.pk], now=T0 + timedelta(hours=12))  # stale again, after new data
    assert WarningSignal.objects.filter(status="open").count() == 1
