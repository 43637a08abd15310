"""The tenant's sentiment lexicon and scorer choice. Any change makes every mention stale:
a scoring job follows (services/scoring.py), so no mention keeps a score the tenant no longer
stands behind."""

import math

from django.db import transaction

from apps.reputation.errors import ReputationErrorCode as Code
from apps.reputation.models import LexiconTerm, ReputationSettings
from apps.reputation.scoring import registry
from apps.reputation.selectors import reputation_settings
from apps.reputation.services.common import Problems, full_clean, get_for_update
from apps.reputation.services.scoring import score_enqueue


def _bump(actor) -> None:
    settings = ReputationSettings.objects.select_for_update().get(pk=reputation_settings().pk)
    settings.lexicon_version += 1
    settings.save(update_fields=["lexicon_version", "updated_at"])
    score_enqueue(created_by=actor, reason="lexicon changed")


def _check(term: LexiconTerm, problems: Problems) -> None:
    term.term = (term.term or "").strip()
    if not term.term:
        problems.add("term", "A word or phrase.")
    elif len(term.term) > 100:
        problems.add("term", "At most 100 characters.")
    elif LexiconTerm.objects.filter(term__iexact=term.term).exclude(pk=term.pk).exists():
        problems.add("term", "This term is in the lexicon already.", Code.CODE_TAKEN)
    weight = term.weight
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
        problems.add("weight", "A number from −1 to 1.")
    elif not -1 <= weight <= 1 or weight == 0:
        problems.add("weight", "From −1 to 1, not zero.")


@transaction.atomic
def term_create(*, term: str, weight: float, active: bool = True, actor=None) -> LexiconTerm:
    entry = LexiconTerm(term=term, weight=weight, active=active)
    problems = Problems()
    _check(entry, problems)
    full_clean(entry, problems, exclude=["term"])
    problems.raise_any()
    entry.save()
    _bump(actor)
    return entry


@transaction.atomic
def term_update(*, term_id, actor=None, **changes) -> LexiconTerm:
    unknown = set(changes) - {"term", "weight", "active"}
    if unknown:
        raise TypeError(f"term_update() got unexpected fields {sorted(unknown)}")
    entry = get_for_update(LexiconTerm, term_id)
    for field, value in changes.items():
        setattr(entry, field, value)
    problems = Problems()
    _check(entry, problems)
    full_clean(entry, problems, exclude=["term"])
    problems.raise_any()
    entry.save()
    _bump(actor)
    return entry


SETTINGS_FIELDS = (
    "scorer_zh",
    "scorer_en",
    "weight_sentiment",
    "weight_negative_share",
    "weight_complaints",
    "weight_brand",
    "complaint_capacity",
)


@transaction.atomic
def settings_update(*, actor=None, **changes) -> ReputationSettings:
    """Scorer choice per language (a registered name serving it; "" = the platform default)
    and the index weights. A new scorer re-scores; new weights apply to days computed from
    now on (recompute history with services.index.days_refresh)."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"settings_update() got unexpected fields {sorted(unknown)}")
    settings = ReputationSettings.objects.select_for_update().get(pk=reputation_settings().pk)
    before = (settings.scorer_zh, settings.scorer_en)
    for field, value in changes.items():
        setattr(settings, field, value.strip() if isinstance(value, str) else value)
    problems = Problems()
    for field, language in (("scorer_zh", "zh"), ("scorer_en", "en")):
        name = getattr(settings, field)
        if not name:
            continue
        if not registry.is_registered(name):
            problems.add(field, f"No scorer {name!r} is registered.", Code.UNKNOWN_SCORER)
        elif language not in registry.scorer_class(name).languages:
            problems.add(field, f"{name} does not score {language}.", Code.UNKNOWN_SCORER)
    weights = [
        settings.weight_sentiment,
        settings.weight_negative_share,
        settings.weight_complaints,
        settings.weight_brand,
    ]
    if any(not isinstance(w, int | float) or not math.isfinite(w) or w < 0 for w in weights):
        problems.add("weight_sentiment", "Weights are finite numbers, zero or more.")
    elif not sum(weights[:3]):  # brand metrics alone cannot carry a day: most have none
        problems.add("weight_sentiment", "At least one daily weight above zero.")
    if not isinstance(settings.complaint_capacity, int) or settings.complaint_capacity < 1:
        problems.add("complaint_capacity", "At least 1.")
    full_clean(settings, problems)
    problems.raise_any()
    settings.save()
    if (settings.scorer_zh, settings.scorer_en) != before:
        score_enqueue(created_by=actor, reason="scorer changed")
    return settings
