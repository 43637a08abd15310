"""Trigger matching (indicator, category, rule; severity) and automatic activation: exactly
one activation per red signal, however often the scan and the tick run."""

import pytest
from django.db import IntegrityError, transaction

from tests.emergency.conftest import level, make_plan, raise_signal


def _suggested(signal) -> list[tuple[str, str]]:
    from apps.emergency.selectors.triggers import suggested_plans

    return [(s.plan.code, s.level.code) for s in suggested_plans(signal)]


def test_a_signal_suggests_the_plans_whose_triggers_it_matches(world, org, indicator):
    from apps.risks.models import RiskCategory

    kri, rule = indicator
    credit = RiskCategory.objects.get(code="credit")
    market = RiskCategory.objects.get(code="market")
    make_plan(
        world,
        org,
        code="by_indicator",
        triggers=[
            {
                "kind": "indicator",
                "indicator_id": kri.pk,
                "severity": "amber",
                "level_id": level("III").pk,
            }
        ],
    )
    make_plan(
        world,
        org,
        code="by_category",
        triggers=[
            {
                "kind": "category",
                "category_id": credit.pk,
                "severity": "red",
                "level_id": level("II").pk,
            }
        ],
    )
    make_plan(
        world,
        org,
        code="by_rule",
        triggers=[
            {"kind": "rule", "rule_id": rule.pk, "severity": "red", "level_id": level("I").pk}
        ],
    )
    make_plan(
        world,
        org,
        code="other_category",
        triggers=[
            {
                "kind": "category",
                "category_id": market.pk,
                "severity": "amber",
                "level_id": level("IV").pk,
            }
        ],
    )
    make_plan(
        world,
        org,
        code="not_approved",
        approve=False,
        triggers=[
            {
                "kind": "indicator",
                "indicator_id": kri.pk,
                "severity": "amber",
                "level_id": level("IV").pk,
            }
        ],
    )

    amber = raise_signal(kri, 1.5)  # amber 1.0, red 2.0
    assert amber.severity == "amber"
    assert _suggested(amber) == [("by_indicator", "III")]

    red = raise_signal(kri, 5.0)  # the live signal escalates to red
    assert red.pk == amber.pk and red.severity == "red"
    # Most severe level first.
    assert _suggested(red) == [("by_rule", "I"), ("by_category", "II"), ("by_indicator", "III")]


def test_suggested_plans_on_the_signal_type(api, world, org, indicator):
    from strawberry.relay import to_base64

    kri, _ = indicator
    make_plan(
        world,
        org,
        code="kri_plan",
        triggers=[
            {
                "kind": "indicator",
                "indicator_id": kri.pk,
                "severity": "red",
                "level_id": level("II").pk,
                "automatic": False,
            }
        ],
    )
    signal = raise_signal(kri, 5.0)
    from django.db import connection

    connection.set_schema_to_public()
    data = api("a", "viewer").ok(
        "query($id: ID!) { node(id: $id) { ... on WarningSignal { suggestedPlans { "
        "plan { code } level { code } automatic } } } }",
        {"id": to_base64("WarningSignal", signal.pk)},
    )
    assert data["node"]["suggestedPlans"] == [
        {"plan": {"code": "kri_plan"}, "level": {"code": "II"}, "automatic": False}
    ]


def test_a_red_signal_activates_an_automatic_plan_once(world, org, indicator):
    from apps.emergency.models import Activation
    from apps.emergency.services.activations import activate_automatically

    kri, _ = indicator
    plan = make_plan(
        world,
        org,
        code="auto",
        triggers=[
            {
                "kind": "indicator",
                "indicator_id": kri.pk,
                "severity": "red",
                "level_id": level("I").pk,
                "automatic": True,
            }
        ],
    )
    signal = raise_signal(kri, 5.0)
    assert activate_automatically() == 1
    # The scan runs again on new data (the signal stays the same live row) and the tick twice.
    raise_signal(kri, 6.0, hours_ago=0)
    assert activate_automatically() == 0
    assert activate_automatically() == 0
    (activation,) = Activation.objects.all()
    assert (activation.plan_id, activation.signal_id) == (plan.pk, signal.pk)
    assert (activation.source, activation.level.code) == ("automatic", "I")
    assert activation.declared_by_id is None


def test_an_amber_signal_or_a_manual_trigger_activates_nothing(world, org, indicator):
    from apps.emergency.models import Activation
    from apps.emergency.services.activations import activate_automatically

    kri, _ = indicator
    make_plan(
        world,
        org,
        code="suggest_only",
        triggers=[
            {
                "kind": "indicator",
                "indicator_id": kri.pk,
                "severity": "red",
                "level_id": level("I").pk,
                "automatic": False,
            }
        ],
    )
    raise_signal(kri, 1.5)
    assert activate_automatically() == 0
    raise_signal(kri, 5.0, hours_ago=0)
    assert activate_automatically() == 0
    assert Activation.objects.count() == 0


def test_the_database_refuses_a_second_activation_of_a_signal(world, org, indicator):
    from apps.emergency.models import Activation
    from apps.emergency.services.activations import activation_declare

    kri, _ = indicator
    plan = make_plan(world, org)
    signal = raise_signal(kri, 5.0)
    first = activation_declare(plan_id=plan.pk, level_id=level("II").pk, signal_id=signal.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activation.objects.create(
            plan=plan,
            version=first.version,
            title="again",
            source="signal",
            level=first.level,
            signal=signal,
            detected_at=first.detected_at,
            declared_at=first.declared_at,
        )
