"""SLAs per complaint category × channel: a channel's row over the category's row over the
priority's SLA; breaches of those due times found by the tick once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.reputation.models import CategorySla
from apps.reputation.services import complaints


def _complaint(reference, channel, category, received, **kw):
    return complaints.complaint_create(
        reference=reference,
        channel=channel,
        category=category,
        summary="Called at night.",
        received_at=received,
        **kw,
    )


def test_the_most_specific_rule_sets_the_due_times(in_a):
    received = timezone.now() - timedelta(hours=30)
    complaints.category_sla_set(category="collection", response_hours=6, resolution_hours=48)
    complaints.category_sla_set(
        category="collection", channel="regulator", response_hours=1, resolution_hours=12
    )
    # collection on the hotline: the category's row (6 h / 48 h), whatever the priority
    hotline = _complaint("H", "hotline", "collection", received, priority="low")
    assert hotline.response_due_at == received + timedelta(hours=6)
    assert hotline.resolution_due_at == received + timedelta(hours=48)
    # collection referred by a regulator: the channel's row (1 h / 12 h)
    referred = _complaint(
        "R", "regulator", "collection", received, regulator_hotline="12378", priority="low"
    )
    assert referred.response_due_at == received + timedelta(hours=1)
    assert referred.resolution_due_at == received + timedelta(hours=12)
    # fees: no row, the normal priority's seeded 24 h / 168 h
    fees = _complaint("F", "hotline", "fees", received)
    assert fees.response_due_at == received + timedelta(hours=24)
    # A new category recomputes from receipt: collection → fees on the hotline, normal
    moved = complaints.complaint_update(complaint_id=hotline.pk, category="fees", priority="normal")
    assert moved.response_due_at == received + timedelta(hours=24)
    # Removing the channel's row: the category's row applies to the next complaint
    complaints.category_sla_delete(
        sla_id=CategorySla.objects.get(category="collection", channel="regulator").pk
    )
    later = _complaint("R2", "regulator", "collection", received, regulator_hotline="12378")
    assert later.response_due_at == received + timedelta(hours=6)


def test_breaches_of_a_category_sla_are_stamped_once(in_a):
    now = timezone.now()
    complaints.category_sla_set(
        category="withdrawal", channel="social", response_hours=1, resolution_hours=2
    )
    late = _complaint("S", "social", "withdrawal", now - timedelta(hours=3))
    _complaint("O", "online", "withdrawal", now - timedelta(hours=3))  # normal: 24 h, not late
    assert complaints.sla_breaches_detect(now=now) == {"response": 1, "resolution": 1}
    assert complaints.sla_breaches_detect(now=now + timedelta(minutes=5)) == {
        "response": 0,
        "resolution": 0,
    }
    late.refresh_from_db()
    assert late.response_breached_at == now and late.resolution_breached_at == now


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": "nope", "response_hours": 1, "resolution_hours": 2}, "category"),
        ({"category": "fees", "channel": "fax", "response_hours": 1, "resolution_hours": 2},
         "channel"),
        ({"category": "fees", "response_hours": 0, "resolution_hours": 2}, "response_hours"),
        ({"category": "fees", "response_hours": 5, "resolution_hours": 2}, "resolution_hours"),
    ],
)  # fmt: skip
def test_a_bad_category_sla_is_refused(in_a, fields, field):
    with pytest.raises(ValidationError) as refused:
        complaints.category_sla_set(**fields)
    assert field in refused.value.error_dict
    assert not CategorySla.objects.exists()
