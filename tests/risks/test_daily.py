"""The daily register run: overdue notices, expiries, residual proposals; twice is once."""

from datetime import timedelta

from django.utils import timezone

from apps.notifications.models import Notification
from apps.risks.models import Risk, RiskStatus
from apps.risks.services import acceptance, assessments, controls, register
from apps.risks.services.daily import run_daily
from apps.risks.tasks import daily_register_if_due
from tests.risks.people import person_for


def test_the_daily_run_changes_nothing_the_second_time(credit, world):
    owner = world.user("a", "analyst")
    person = person_for(owner)  # owners are people; the linked member is e-mailed
    late = register.risk_create(
        title="Stale review", category_id=credit.pk, owner_id=person.pk, status=RiskStatus.OPEN
    )
    Risk.objects.filter(pk=late.pk).update(next_review_at=timezone.localdate() - timedelta(days=3))
    accepted = register.risk_create(
        title="Accepted once", category_id=credit.pk, owner_id=person.pk, status=RiskStatus.OPEN
    )
    assessments.assessment_record(risk_id=accepted.pk, kind="inherent", likelihood=3, impact=3)
    item = acceptance.acceptance_request(
        risk_id=accepted.pk,
        actor=owner,
        justification="ok",
        expires_on=timezone.localdate() + timedelta(days=1),
    )
    acceptance.acceptance_decide(
        acceptance_id=item.pk, actor=world.user("a", "admin"), actor_role="admin", approve=True
    )
    item.__class__.objects.filter(pk=item.pk).update(
        expires_at=timezone.localdate() - timedelta(days=1)
    )
    controlled = register.risk_create(title="Controlled", category_id=credit.pk, owner_id=person.pk)
    assessments.assessment_record(risk_id=controlled.pk, kind="inherent", likelihood=4, impact=4)
    controls.control_save(
        name="Maker-checker",
        control_type="preventive",
        kind="authorisation",
        effectiveness="effective",
        risk_ids=[controlled.pk],
    )

    since = timezone.now() - timedelta(days=1)
    first = run_daily(since=since)
    assert first == {"overdue_reviews": 1, "acceptances_expired": 1, "residual_proposals": 1}
    assert Risk.objects.get(pk=accepted.pk).status == RiskStatus.OPEN
    assert Risk.objects.get(pk=controlled.pk).residual_proposal["likelihood"] == 2
    sent = Notification.objects.count()
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {owner.pk}
    assert set(Notification.objects.values_list("event", flat=True)) == {
        "risks.review_overdue",
        "risks.acceptance_expired",
        "risks.residual_proposed",
    }

    second = run_daily(since=since)
    assert second == {"overdue_reviews": 1, "acceptances_expired": 0, "residual_proposals": 0}
    assert Notification.objects.count() == sent  # nothing sent twice


def test_the_tick_starts_one_daily_run_per_day(in_a):
    from apps.core.models import Job

    assert daily_register_if_due()["started"] is True
    assert daily_register_if_due() == {"started": False}
    assert Job.objects.filter(kind="register_daily").count() == 1


def test_the_daily_run_also_tells_subscribed_webhooks_once(credit, world):
    """Even of a risk with no owner to e-mail: a system subscribed wants every overdue review."""
    from apps.notifications.models import WebhookDelivery
    from apps.notifications.services import webhook_create

    webhook_create(
        name="risk desk", url="http://127.0.0.1:9/hook", event_types=["risks.review_overdue"]
    )
    late = register.risk_create(title="Stale", category_id=credit.pk, status=RiskStatus.OPEN)
    Risk.objects.filter(pk=late.pk).update(next_review_at=timezone.localdate() - timedelta(days=1))
    since = timezone.now() - timedelta(days=1)
    run_daily(since=since)
    run_daily(since=since)
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "risks.review_overdue" and delivery.payload["data"]["risk"] == str(
        late.pk
    )
