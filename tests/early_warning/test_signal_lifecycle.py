"""Warning signals move through the shared lifecycle: forbidden moves are refused on `to` and
change nothing; the scan's auto-resolve and escalation use the scan's clock."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from apps.early_warning.models import WarningSignal
from apps.early_warning.services import indicators, signals
from apps.early_warning.services.scans import scan
from apps.notifications.models import Notification
from tests.early_warning.conftest import T0, feed

NOW = T0 + timedelta(days=30)


@pytest.fixture
def signal(make_indicator, world):
    npl = make_indicator(resolve_after_green=1, responsible_ids=[world.user("a", "analyst").pk])
    indicators.rule_save(indicator_id=npl.pk, kind="threshold", params={})
    feed("npl_ratio", [9])
    scan(indicator_ids=[npl.pk], now=NOW)
    return WarningSignal.objects.get()


def _row(pk) -> dict:
    return WarningSignal.objects.filter(pk=pk).values().get()


def _status_changes(signal) -> list:
    entries = LogEntry.objects.filter(object_pk=str(signal.pk), action=LogEntry.Action.UPDATE)
    return [e.changes["status"] for e in entries.order_by("timestamp") if "status" in e.changes]


def test_a_closed_signal_refuses_every_move_and_changes_nothing(signal):
    signals.signal_transition(signal_id=signal.pk, to="resolved")
    before, entries = _row(signal.pk), LogEntry.objects.count()
    for to in ("open", "acknowledged", "escalated", "dismissed"):
        with pytest.raises(ValidationError) as refused:
            signals.signal_transition(signal_id=signal.pk, to=to, comment="Try anyway")
        assert refused.value.error_dict["to"][0].code == "invalid_transition"
    assert _row(signal.pk) == before and LogEntry.objects.count() == entries


def test_a_dismissal_without_a_reason_is_refused_on_the_comment(signal):
    with pytest.raises(ValidationError) as refused:
        signals.signal_transition(signal_id=signal.pk, to="dismissed", comment="  ")
    assert refused.value.error_dict["comment"][0].code == "invalid"
    assert WarningSignal.objects.get(pk=signal.pk).status == "open"


def test_the_scan_resolves_through_the_lifecycle_on_its_own_clock(signal):
    later = NOW + timedelta(hours=2)
    feed("npl_ratio", [1.0], start=T0 + timedelta(hours=1))
    assert scan(indicator_ids=[signal.indicator_id], now=later)["resolved"] == 1
    resolved = WarningSignal.objects.get(pk=signal.pk)
    assert (resolved.status, resolved.resolved_at) == ("resolved", later)
    assert _status_changes(signal) == [["open", "resolved"]]
    assert Notification.objects.filter(event="warnings.signal_resolved").count() == 1


def test_escalation_uses_the_callers_clock_and_announces_once(signal):
    when = NOW + timedelta(hours=3)
    assert signals.escalate_overdue(after_minutes=60, now=when) == 1
    escalated = WarningSignal.objects.get(pk=signal.pk)
    assert (escalated.status, escalated.escalated_at) == ("escalated", when)
    assert _status_changes(signal) == [["open", "escalated"]]
    assert Notification.objects.filter(event="warnings.signal_escalated").count() == 1


def test_the_raised_notice_reads_its_figures_rounded(make_indicator, world):
    npl = make_indicator(
        red=5.123456789, amber=3.0, responsible_ids=[world.user("a", "analyst").pk]
    )
    indicators.rule_save(indicator_id=npl.pk, kind="threshold", params={})
    feed("npl_ratio", [9.0])
    scan(indicator_ids=[npl.pk], now=NOW)
    body = Notification.objects.get(event="warnings.signal_raised").body
    assert "Observed 9 against 5.12346 %." in body, body
