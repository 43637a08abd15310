"""Customer-education campaigns (用户教育): outreach to a customer segment on a channel over a
period, with planned and reached counts; the reach % becomes a built-in indicator."""

from django.db import transaction
from django.utils.text import slugify

from apps.training.errors import TrainingErrorCode as Code
from apps.training.models import CampaignChannel, ContentKind, EducationCampaign
from apps.training.selectors import existing_risk_category_ids
from apps.training.services.common import Problems, full_clean, get_for_update

EDITABLE = (
    "title",
    "topic",
    "segment",
    "channel",
    "starts_on",
    "ends_on",
    "planned_reach",
    "reached",
    "risk_category_ids",
    "contents",
)
MAX_CONTENTS = 50


def _check(campaign: EducationCampaign, problems: Problems) -> None:
    campaign.title = (campaign.title or "").strip()
    if not campaign.title:
        problems.add("title", "Give the campaign a title.")
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        problems.add("ends_on", "A campaign ends on or after the day it starts.")
    if campaign.planned_reach is not None and campaign.planned_reach < 1:
        problems.add("planned_reach", "Plan to reach at least one customer.")
    if campaign.reached is not None and campaign.reached < 0:
        problems.add("reached", "Not below zero.")
    ids = list(dict.fromkeys(str(pk) for pk in campaign.risk_category_ids or []))
    try:
        found = existing_risk_category_ids(ids)
    except Exception:  # a malformed UUID
        found = set()
    if len(found) != len(ids):
        problems.add("risk_category_ids", "Some risk categories do not exist.", Code.NOT_FOUND)
    campaign.risk_category_ids = ids
    campaign.contents = _checked_contents(campaign.contents or [], problems)


def _checked_contents(items: list, problems: Problems) -> list[dict]:
    """Content items {title, kind, channel, link}: each problem named by its position."""
    if len(items) > MAX_CONTENTS:
        problems.add("contents", f"At most {MAX_CONTENTS} content items.")
        return []
    out = []
    for n, item in enumerate(items):
        title = str(item.get("title") or "").strip()
        kind, channel = item.get("kind"), item.get("channel")
        link = str(item.get("link") or "").strip()
        if not title or len(title) > 200:
            problems.add(f"contents.{n}.title", "A title of 1–200 characters.")
        if kind not in ContentKind.values:
            problems.add(f"contents.{n}.kind", "Unknown kind.")
        if channel not in CampaignChannel.values:
            problems.add(f"contents.{n}.channel", "Unknown channel.")
        if link and not (link.startswith(("https://", "http://")) and len(link) <= 500):
            problems.add(f"contents.{n}.link", "An http(s) address of at most 500 characters.")
        out.append({"title": title, "kind": kind, "channel": channel, "link": link})
    return out


def campaign_create(*, code: str, actor=None, **fields) -> EducationCampaign:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"campaign_create() got unexpected fields {sorted(unknown)}")
    problems = Problems()
    code = slugify((code or "").strip()).replace("-", "_")
    if not code:
        problems.add("code", "A code of letters, digits and _.")
    elif EducationCampaign.objects.filter(code=code).exists():
        problems.add("code", "A campaign has this code.", Code.CODE_TAKEN)
    campaign = EducationCampaign(code=code, **fields)
    _check(campaign, problems)
    full_clean(campaign, problems, exclude=["code"])
    problems.raise_any()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, campaign_id, actor=None, **changes) -> EducationCampaign:
    """Change only what is given (e.g. `reached` as results come in)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"campaign_update() got unexpected fields {sorted(unknown)}")
    campaign = get_for_update(EducationCampaign, campaign_id)
    for field, value in changes.items():
        setattr(campaign, field, value)
    problems = Problems()
    _check(campaign, problems)
    full_clean(campaign, problems, exclude=["code"])
    problems.raise_any()
    campaign.save()
    return campaign
