"""Complaints: due times from the SLA of their priority, one lifecycle, breaches found by the
tick — each stamped, notified and published once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.notifications.models import Notification
from apps.reputation.models import Complaint
from apps.reputation.services import complaints


def _complaint(**kw):
    values = {
        "reference": "T-1",
        "channel": "hotline",
        "category": "collection",
        "summary": "Collectors called my employer.",
    }
    return complaints.complaint_create(**{**values, **kw})


def test_due_times_follow_the_priority_sla(in_a):
    received = timezone.now() - timedelta(hours=1)
    urgent = _complaint(reference="U", priority="urgent", received_at=received)
    assert urgent.response_due_at == received + timedelta(hours=2)
    assert urgent.resolution_due_at == received + timedelta(hours=24)
    complaints.sla_update(priority="low", response_hours=10, resolution_hours=20)
    low = _complaint(reference="L", priority="low", received_at=received)
    assert (low.response_due_at, low.resolution_due_at) == (
        received + timedelta(hours=10),
        received + timedelta(hours=20),
    )
    raised = complaints.complaint_update(complaint_id=low.pk, priority="high")
    assert raised.response_due_at == received + timedelta(hours=4)


def test_the_lifecycle_stamps_response_and_resolution(in_a):
    c = _complaint()
    now = timezone.now()
    c = complaints.complaint_transition(complaint_id=c.pk, to="in_progress", now=now)
    assert (c.status, c.first_response_at, c.resolved_at) == ("in_progress", now, None)
    later = now + timedelta(minutes=5)
    c = complaints.complaint_transition(complaint_id=c.pk, to="resolved", now=later)
    assert (c.first_response_at, c.resolved_at) == (now, later)
    c = complaints.complaint_transition(complaint_id=c.pk, to="in_progress")  # reopened
    assert c.resolved_at is None and c.first_response_at == now
    complaints.complaint_transition(complaint_id=c.pk, to="resolved")
    complaints.complaint_transition(complaint_id=c.pk, to="closed")
    with pytest.raises(ValidationError) as raised:
        complaints.complaint_transition(complaint_id=c.pk, to="in_progress")
    assert raised.value.error_dict["to"][0].code == "invalid_transition"
    assert Complaint.objects.get().status == "closed"


@pytest.mark.parametrize(
    "fields, field, code",
    [
        ({"customer_ref": "13812345678"}, "customer_ref", "raw_identifier"),
        ({"customer_ref": "11010519491231002X"}, "customer_ref", "raw_identifier"),
        ({"summary": "Call me at 13912345678"}, "summary", "raw_identifier"),
        ({"regulator_hotline": "12378"}, "regulator_hotline", "invalid"),  # not a referral
        ({"satisfaction": 6}, "satisfaction", "invalid"),
        ({"reference": ""}, "reference", "invalid"),
    ],
)
def test_bad_complaints_are_refused(in_a, fields, field, code):
    with pytest.raises(ValidationError) as raised:
        _complaint(**fields)
    assert (field, code) in [
        (f, e.code) for f, errors in raised.value.error_dict.items() for e in errors
    ]
    assert not Complaint.objects.exists()


def test_a_pseudonymised_reference_and_a_regulator_referral_are_accepted(in_a):
    c = _complaint(channel="regulator", regulator_hotline="12378", customer_ref="cust-8f3a")
    assert c.regulator_referred and c.customer_ref == "cust-8f3a"


def test_a_breach_is_stamped_and_notified_once(in_a):
    received = timezone.now() - timedelta(hours=30)
    late = _complaint(reference="late", priority="urgent", received_at=received)  # 2 h / 24 h
    answered = _complaint(reference="answered", priority="urgent", received_at=received)
    complaints.complaint_transition(
        complaint_id=answered.pk, to="in_progress", now=received + timedelta(hours=1)
    )
    fresh = _complaint(reference="fresh", priority="normal")
    now = timezone.now()
    assert complaints.sla_breaches_detect(now=now) == {"response": 1, "resolution": 2}
    late.refresh_from_db()
    answered.refresh_from_db()
    fresh.refresh_from_db()
    assert late.response_breached_at == now and late.resolution_breached_at == now
    assert answered.response_breached_at is None and answered.resolution_breached_at == now
    assert fresh.response_breached_at is None and fresh.resolution_breached_at is None
    # No assignee: the tenant's risk manager and admin hear of each breach.
    sent = sorted(
        (n.recipient.email, n.dedup_key.rsplit(":", 1)[1], n.subject.split(":")[0])
        for n in Notification.objects.filter(event="reputation.complaint_sla_breached")
    )
    assert sent == [
        ("admin@a.test", "resolution", "Complaint answered"),
        ("admin@a.test", "resolution", "Complaint late"),
        ("admin@a.test", "response", "Complaint late"),
        ("risk_manager@a.test", "resolution", "Complaint answered"),
        ("risk_manager@a.test", "resolution", "Complaint late"),
        ("risk_manager@a.test", "response", "Complaint late"),
    ]
    # The tick runs again (and again): nothing new.
    assert complaints.sla_breaches_detect(now=now + timedelta(minutes=1)) == {
        "response": 0,
        "resolution": 0,
    }
    assert Notification.objects.filter(event="reputation.complaint_sla_breached").count() == 6
    late.refresh_from_db()
    assert late.response_breached_at == now


def test_an_assignee_is_the_one_told(in_a):
    analyst = in_a.user("a", "analyst")
    _complaint(
        reference="mine",
        priority="urgent",
        received_at=timezone.now() - timedelta(hours=3),
        assignee_id=analyst.pk,
    )
    complaints.sla_breaches_detect()
    assert list(Notification.objects.values_list("recipient__email", flat=True)) == [
        "analyst@a.test"
    ]
