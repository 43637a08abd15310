"""Which scorer serves which language: FENGKONG_SENTIMENT_SCORERS names the classes (name →
"module:Class"), FENGKONG_SENTIMENT_DEFAULTS picks one per language, and a tenant may name
another registered scorer in its settings. Instances are made once per process (a model is
loaded once, not per batch)."""

from functools import cache

from django.conf import settings

from apps.core.modules import resolve
from apps.reputation.scoring.base import Scorer


def registered() -> dict[str, str]:
    return dict(settings.FENGKONG_SENTIMENT_SCORERS)


def is_registered(name: str) -> bool:
    return name in registered()


def scorer_class(name: str) -> type[Scorer]:
    """The class registered as `name` (name, version and languages without loading a model)."""
    return resolve(registered()[name])


@cache
def _instance(name: str, ref: str) -> Scorer:
    return resolve(ref)()


def scorer(name: str) -> Scorer:
    """The process's instance of the scorer registered as `name` (KeyError if none)."""
    return _instance(name, registered()[name])


def scorer_name_for(language: str, overrides: dict[str, str] | None = None) -> str:
    """The tenant's choice for `language` if it made one, else the platform default
    (undetermined text goes to the English scorer: VADER reads emoticons and emoji)."""
    language = language if language in ("zh", "en") else "en"
    chosen = (overrides or {}).get(language) or settings.FENGKONG_SENTIMENT_DEFAULTS[language]
    return chosen
