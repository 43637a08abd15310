"""Analysts' sentiment labels: kept on the mention through every re-scoring, and the truth each
scorer version is evaluated against (selectors.scorer_evaluation)."""

from django.db import transaction
from django.utils import timezone

from apps.core.errors import refuse
from apps.reputation.errors import ReputationErrorCode as Code
from apps.reputation.models import Mention, SentimentLabel
from apps.reputation.services.common import get_for_update


@transaction.atomic
def mention_label(*, mention_id, label: str | None, actor=None) -> Mention:
    """Set (or with None, clear) the human label of a mention."""
    mention = get_for_update(Mention, mention_id)
    if label is not None and label not in SentimentLabel.values:
        raise refuse("label", "negative, neutral or positive.", Code.INVALID)
    mention.human_label = label or ""
    mention.labelled_by = actor if label and getattr(actor, "pk", None) else None
    mention.labelled_at = timezone.now() if label else None
    mention.save(update_fields=["human_label", "labelled_by", "labelled_at", "updated_at"])
    return mention
