"""The daily handler: plan review reminders once per due date; the response timeline's typed
entries and webhook events."""

from datetime import timedelta

from django.utils import timezone

from tests.emergency.conftest import level, make_plan


def test_a_due_review_is_reminded_once(world, org):
    from apps.emergency.services import drills, plans
    from apps.notifications.models import Notification

    plan = make_plan(world, org)
    plans.plan_update(plan_id=plan.pk, owner_id=world.user("a", "risk_manager").pk)
    due = plan.review_due_on
    assert drills.daily(today=due - timedelta(days=1))["reviews_reminded"] == 0
    assert drills.daily(today=due)["reviews_reminded"] == 1
    assert drills.daily(today=due + timedelta(days=1))["reviews_reminded"] == 0
    (notice,) = Notification.objects.filter(event="emergency.plan_review_due")
    assert notice.recipient.email == "risk_manager@a.test"
    assert notice.subject == "Plan review due: Plan outage"


def test_the_timeline_records_each_step_of_the_response_in_order(world, org):
    from apps.emergency.services import activations, response
    from apps.notifications.models import WebhookDelivery
    from apps.notifications.services import webhook_create

    webhook_create(name="ops", url="https://hooks.example.com/ops")
    plan = make_plan(world, org)
    analyst = world.user("a", "analyst")
    activation = activations.activation_declare(
        plan_id=plan.pk,
        level_id=level("III").pk,
        actor=analyst,
        detected_at=timezone.now() - timedelta(minutes=10),
    )
    response.note_add(activation_id=activation.pk, text="Vendor called back", pinned=True)
    response.communication_record(
        activation_id=activation.pk, audience="customers", channel="app", summary="Delays"
    )
    activations.level_change(activation_id=activation.pk, level_id=level("II").pk, actor=analyst)
    activations.activation_transition(activation_id=activation.pk, to="stabilised")
    kinds = list(activation.timeline.order_by("at", "created_at").values_list("kind", "pinned"))
    assert kinds == [
        ("declared", False),
        ("role_assigned", False),
        ("role_assigned", False),
        ("note", True),
        ("communication_sent", False),
        ("level_changed", False),
        ("stabilised", False),
    ]
    events = sorted(WebhookDelivery.objects.values_list("event", flat=True))
    assert events == ["emergency.activation_declared", "emergency.level_changed"]
