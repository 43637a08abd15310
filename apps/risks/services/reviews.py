"""Reviews: recording one sets the next date from the risk's current level."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.risks.models import Risk, RiskReview
from apps.risks.selectors import cadence_days
from apps.risks.services.common import get_for_update


@transaction.atomic
def review_record(*, risk_id, actor=None, notes: str = "", reviewed_at=None) -> RiskReview:
    risk = get_for_update(Risk, risk_id, field="risk_id")
    reviewed_at = reviewed_at or timezone.now()
    next_at = timezone.localdate(reviewed_at) + timedelta(days=cadence_days(risk.current_level))
    review = RiskReview.objects.create(
        risk=risk,
        reviewer=actor,
        reviewed_at=reviewed_at,
        notes=notes,
        level_at_review=risk.current_level,
        next_review_at=next_at,
    )
    risk.next_review_at, risk.last_reviewed_at, risk.review_flag = next_at, reviewed_at, ""
    risk.save(update_fields=["next_review_at", "last_reviewed_at", "review_flag", "updated_at"])
    return review
