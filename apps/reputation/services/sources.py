"""Mention sources: one per feed (a keyword search on Weibo, an app store's reviews)."""

from django.db import transaction
from django.utils.text import slugify

from apps.reputation.errors import ReputationErrorCode as Code
from apps.reputation.models import Channel, Source
from apps.reputation.services.common import Problems, full_clean, get_for_update

EDITABLE = ("name", "channel", "url", "active")


def _check(source: Source, problems: Problems) -> None:
    source.name = (source.name or "").strip()
    if not source.name:
        problems.add("name", "A source needs a name.")
    if source.channel not in Channel.values:
        problems.add("channel", "Unknown channel.")


def source_create(
    *, code: str, name: str, channel: str, url: str = "", active: bool = True, actor=None
) -> Source:
    problems = Problems()
    code = slugify((code or "").strip()).replace("-", "_")
    if not code:
        problems.add("code", "A source needs a code (letters, digits, _).")
    elif len(code) > 60:
        problems.add("code", "At most 60 characters.")
    elif Source.objects.filter(code=code).exists():
        problems.add("code", "This source code is taken.", Code.CODE_TAKEN)
    source = Source(code=code, name=name, channel=channel, url=url or "", active=active)
    _check(source, problems)
    full_clean(source, problems, exclude=["code"])
    problems.raise_any()
    source.save()
    return source


@transaction.atomic
def source_update(*, source_id, actor=None, **changes) -> Source:
    """Change the fields given. A source's channel may be corrected: its mentions follow."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"source_update() got unexpected fields {sorted(unknown)}")
    source = get_for_update(Source, source_id)
    channel_before = source.channel
    for field, value in changes.items():
        setattr(source, field, value)
    problems = Problems()
    _check(source, problems)
    full_clean(source, problems, exclude=["code"])
    problems.raise_any()
    source.save()
    if source.channel != channel_before:
        # The channel is copied onto mentions for fast filters; mentions are not audited data.
        source.mentions.update(channel=source.channel)
    return source
