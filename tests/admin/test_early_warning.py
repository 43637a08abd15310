"""Indicators and rules edited in the tenant admin go through the early-warning services; signals
are acknowledged, resolved and dismissed by admin actions through the signal lifecycle."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django_tenants.utils import schema_context

from apps.early_warning.models import Indicator, Rule, SignalStatus, WarningSignal
from apps.early_warning.services import indicators, signals
from apps.early_warning.services.scans import scan
from apps.risks.models import RiskCategory
from tests.admin.conftest import field_errors, page_messages
from tests.early_warning.conftest import T0, feed
from tests.early_warning.conftest import indicator_new as make_indicator

NOW = T0 + timedelta(days=30)


@pytest.fixture
def two_signals(in_a) -> list[WarningSignal]:
    """Two live red signals on two indicators, raised by a real scan."""
    made = []
    for code in ("npl_ratio", "dpd30_ratio"):
        indicator = make_indicator(code)
        indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
        feed(code, [1, 7])
        scan(indicator_ids=[indicator.pk], now=NOW)
        made.append(WarningSignal.objects.get(indicator=indicator))
    return made


def test_an_indicator_edit_goes_through_the_service(pages, in_a, world):
    indicator = make_indicator()
    analyst = world.user("a", "analyst")
    data = pages.form_data(
        pages.change(indicator), red="8.5", responsible_ids=[analyst.pk], code=" NPL_Ratio "
    )
    response = pages.post(pages.change(indicator), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        indicator.refresh_from_db()
        assert (indicator.red, indicator.responsible_ids) == (8.5, [analyst.pk])
        assert indicator.code == "npl_ratio"  # normalised by the service
        entry = LogEntry.objects.get_for_object(indicator).filter(action=LogEntry.Action.UPDATE)
        assert entry.get().actor_id == world.user("a", "admin").pk


def test_a_refused_indicator_edit_shows_the_service_reason_on_the_field(pages, in_a):
    indicator = make_indicator()
    # Higher is worse: a red below amber is refused by the service, on "red".
    data = pages.form_data(pages.change(indicator), red="2", name="Renamed")
    response = pages.post(pages.change(indicator), data)
    assert response.status_code == 200
    assert field_errors(response, "red") == [
        "Red must be at least as bad as amber for this direction."
    ]
    with schema_context(in_a.a.schema_name):
        indicator.refresh_from_db()
        assert (indicator.red, indicator.name) == (5.0, "Npl Ratio")


def test_an_indicator_added_in_the_admin(pages, in_a):
    credit = RiskCategory.objects.get(code="credit")
    add = "early_warning/indicator/add/"
    response = pages.post(
        add, pages.form_data(add, code="Churn", name="Churn", category=credit.pk, amber="")
    )
    assert response.status_code == 200  # static without amber or red: the service refuses
    assert field_errors(response, "amber") == [
        "A static indicator needs an amber or a red threshold."
    ]
    response = pages.post(
        add, pages.form_data(add, code="Churn", name="Churn", category=credit.pk, red="9")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        assert Indicator.objects.get().code == "churn"


def test_rules_are_added_and_edited_through_the_service(pages, in_a):
    indicator = make_indicator()
    add = "early_warning/rule/add/"
    response = pages.post(
        add,
        pages.form_data(add, indicator=indicator.pk, kind="zscore", params='{"window": 1}'),
    )
    assert response.status_code == 200
    assert field_errors(response, "params") == ["window is 3 to 2000."]
    with schema_context(in_a.a.schema_name):
        assert not Rule.objects.exists()
    response = pages.post(
        add, pages.form_data(add, indicator=indicator.pk, kind="zscore", params="{}")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        rule = Rule.objects.get()
        assert rule.params == {"window": 30, "amber_z": 2.0, "red_z": 3.0}  # defaults filled in
    data = pages.form_data(pages.change(rule), params='{"red_z": 1}')
    response = pages.post(pages.change(rule), data)
    assert field_errors(response, "params") == ["red_z is at least amber_z."]
    data = pages.form_data(pages.change(rule), params='{"window": 60}')
    assert pages.post(pages.change(rule), data).status_code == 302
    with schema_context(in_a.a.schema_name):
        rule.refresh_from_db()
        assert rule.params["window"] == 60


def test_bulk_acknowledge(pages, two_signals, world):
    response = pages.post(
        "early_warning/warningsignal/",
        {"action": "acknowledge", "_selected_action": [s.pk for s in two_signals]},
        follow=True,
    )
    assert "2 warning signals acknowledged." in page_messages(response)
    with schema_context(world.a.schema_name):
        for signal in two_signals:
            signal.refresh_from_db()
            assert signal.status == SignalStatus.ACKNOWLEDGED
            assert signal.assignee_id == world.user("a", "admin").pk  # the lifecycle's rule


def test_a_refused_transition_is_reported_and_the_others_proceed(pages, two_signals, world):
    done, live = two_signals
    signals.signal_transition(signal_id=done.pk, to=SignalStatus.RESOLVED)
    response = pages.post(
        "early_warning/warningsignal/",
        {"action": "resolve", "_selected_action": [done.pk, live.pk]},
        follow=True,
    )
    notes = page_messages(response)
    assert "1 warning signal resolved." in notes
    assert "Red signal on Npl Ratio (Resolved): A resolved signal cannot become resolved." in notes
    with schema_context(world.a.schema_name):
        live.refresh_from_db()
        assert live.status == SignalStatus.RESOLVED


def test_dismiss_asks_for_a_comment_first(pages, two_signals, world):
    chosen = {"action": "dismiss", "_selected_action": [s.pk for s in two_signals]}
    page = pages.post("early_warning/warningsignal/", chosen)
    assert page.status_code == 200 and "Dismiss signals" in page.content.decode()
    with schema_context(world.a.schema_name):
        assert not WarningSignal.objects.filter(status=SignalStatus.DISMISSED).exists()
    blank = pages.post("early_warning/warningsignal/", {**chosen, "apply": "1", "comment": " "})
    assert blank.status_code == 200 and blank.context["form"].errors["comment"]
    response = pages.post(
        "early_warning/warningsignal/",
        {**chosen, "apply": "1", "comment": "Test data from the sandbox."},
        follow=True,
    )
    assert "2 warning signals dismissed." in page_messages(response)
    with schema_context(world.a.schema_name):
        for signal in two_signals:
            signal.refresh_from_db()
            assert (signal.status, signal.comment) == (
                SignalStatus.DISMISSED,
                "Test data from the sandbox.",
            )


def test_the_signal_list_says_which_rule_raised_each_signal(pages, in_a):
    """A threshold and a z-score rule on one indicator raise two signals with the same name:
    the list tells them apart by rule and detail."""
    indicator = make_indicator("npl_ratio")
    indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
    feed("npl_ratio", [1, 7])
    scan(indicator_ids=[indicator.pk], now=NOW)
    page = pages.get("early_warning/warningsignal/").content.decode()
    assert '<td class="field-rule_display">Threshold breach</td>' in page
    assert '<td class="field-detail">7 &gt;= red 5</td>' in page
