"""Reads of the register: filtered lists, the heatmap, summaries and trends."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.risks.levels import RiskLevel
from apps.risks.models import (
    Control,
    RegisterSettings,
    Risk,
    RiskAppetite,
    RiskAssessment,
    RiskCategory,
    RiskMatrix,
    RiskStatus,
)
from apps.risks.selectors.ordering import (
    CATEGORY_DEFAULT,
    CATEGORY_KEYS,
    RISK_DEFAULT,
    RISK_KEYS,
    Order,
    sort_keys,
)


def register_settings() -> RegisterSettings:
    """The tenant's one settings row, created on first read (its unique constant `singleton`
    makes a racing second create fail; get_or_create then reads the winner's row)."""
    return RegisterSettings.objects.get_or_create(singleton=True)[0]


def active_matrix() -> RiskMatrix:
    return RiskMatrix.objects.get(is_active=True)


def appetite_for(category: RiskCategory) -> str | None:
    """The nearest appetite on the category's path (its own, else an ancestor's)."""
    codes = category.path.split("/")
    appetites = dict(
        RiskAppetite.objects.filter(category__code__in=codes).values_list(
            "category__code", "max_level"
        )
    )
    for code in reversed(codes):
        if code in appetites:
            return appetites[code]
    return None


def cadence_days(level: str) -> int:
    return int(register_settings().review_cadence_days.get(level or RiskLevel.LOW, 365))


def overdue_filter(today: date | None = None) -> Q:
    """Due for review before `today`: not closed, not archived (the daily run tells of these)."""
    return (
        Q(next_review_at__lt=today or timezone.localdate())
        & ~Q(status=RiskStatus.CLOSED)
        & Q(archived_at__isnull=True)
    )


def category_and_below(category_id, *, via: str = "category") -> Q | None:
    """Filter for this category and its sub-categories, through the relation `via` (another
    module's rows: "indicator__category"); None when there is no such category."""
    category = RiskCategory.objects.filter(pk=category_id).first()
    if category is None:
        return None
    path = category.path
    return Q(**{f"{via}__path": path}) | Q(**{f"{via}__path__startswith": f"{path}/"})


def category_exists(category_id) -> bool:
    return RiskCategory.objects.filter(pk=category_id).exists()


def category_ids(codes: list[str]) -> dict[str, object]:
    """{code: id} of the categories with these codes."""
    return dict(RiskCategory.objects.filter(code__in=codes).values_list("code", "pk"))


def risk_ids_titled(titles: list[str]) -> dict[str, object]:
    """{title: id} of the risks with these exact titles (the oldest one of a repeated title)."""
    found: dict[str, object] = {}
    for title, pk in (
        Risk.objects.filter(title__in=titles).order_by("created_at").values_list("title", "pk")
    ):
        found.setdefault(title, pk)
    return found


def risks_by_ids(risk_ids: list) -> list[Risk]:
    """The risks of these ids that exist in this tenant (for another module's links)."""
    return list(Risk.objects.filter(pk__in=risk_ids))


def category_by_code(code: str) -> RiskCategory | None:
    return RiskCategory.objects.filter(code=code.strip().lower()).first()


def categories(*, codes: list[str] | None = None, order: Order | None = None) -> QuerySet:
    qs = RiskCategory.objects.all()
    if codes:
        qs = qs.filter(code__in=[code.strip().lower() for code in codes])
    return qs.order_by(*sort_keys(order or CATEGORY_DEFAULT, CATEGORY_KEYS))


RATING_AXES = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


def controls_by_ids(control_ids: list) -> dict:
    """{str(pk): control} of these ids that exist (another module's links to controls)."""
    return {str(c.pk): c for c in Control.objects.filter(pk__in=control_ids)}


@dataclass
class RiskFilters:
    category_id: object = None  # includes sub-categories
    category_code: str | None = None  # includes sub-categories
    levels: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    owner_id: Any = None  # a person of the directory
    above_appetite: bool | None = None
    review_overdue: bool | None = None
    search: str = ""
    tags: list[str] = field(default_factory=list)
    # A heatmap cell: {"inherent_likelihood": 3, "inherent_impact": 4}
    ratings: dict[str, int] = field(default_factory=dict)
    archived: bool | None = False  # None: archived or not
    # `mine`: owned (True) or not (False) by the person linked to user `mine_of` (None: any)
    mine_of: Any = None
    mine: bool = True


def mine_filter(qs: QuerySet, user_id, mine: bool = True) -> QuerySet:
    """Rows owned (or, `mine` false, not owned) by the person linked to this user: a join on
    the owner's `user` column, so a viewer with no linked person owns nothing."""
    return qs.filter(owner__user_id=user_id) if mine else qs.exclude(owner__user_id=user_id)


def risks(filters: RiskFilters | None = None, order: Order | None = None) -> QuerySet[Risk]:
    """The register filtered, sorted by `order` ([(field, descending)]; newest first)."""
    filters = filters or RiskFilters()
    return _filtered(filters).order_by(*sort_keys(order or RISK_DEFAULT, RISK_KEYS))


def _filtered(filters: RiskFilters) -> QuerySet[Risk]:
    qs = Risk.objects.all()
    if filters.archived is not None:
        qs = qs.filter(archived_at__isnull=not filters.archived)
    for category_id in (
        filters.category_id,
        _code_to_id(filters.category_code) if filters.category_code is not None else None,
    ):
        if category_id is None:
            continue
        below = category_and_below(category_id)
        if below is None:
            return Risk.objects.none()
        qs = qs.filter(below)
    if filters.ratings:
        qs = qs.filter(**{axis: value for axis, value in filters.ratings.items()})
    if filters.levels:
        qs = qs.filter(current_level__in=filters.levels)
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    if filters.owner_id is not None:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.mine_of is not None:
        qs = mine_filter(qs, filters.mine_of, filters.mine)
    if filters.above_appetite is not None:
        qs = qs.filter(above_appetite=filters.above_appetite)
    if filters.review_overdue is not None:
        qs = qs.filter(overdue_filter()) if filters.review_overdue else qs.exclude(overdue_filter())
    if filters.search.strip():
        term = filters.search.strip()
        words = (
            Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(causes__icontains=term)
            | Q(consequences__icontains=term)
        )
        number = reference_number(term)
        qs = qs.filter(words | Q(number=number) if number else words)
    if filters.tags:
        qs = qs.filter(tags__contains=[t.strip().lower() for t in filters.tags])
    return qs


REFERENCE = re.compile(r"R-?0*(\d{1,9})", re.IGNORECASE)


def reference_number(text: str) -> int | None:
    """The number a risk reference names ("R-0042", "r42", "R-42"), else None."""
    found = REFERENCE.fullmatch(text.strip())
    return int(found.group(1)) if found else None


def _code_to_id(code: str):
    """The category a code names, or a key no category has (an unknown code matches nothing)."""
    category = category_by_code(code)
    return category.pk if category else uuid.UUID(int=0)


@dataclass(frozen=True)
class HeatmapCell:
    likelihood: int
    impact: int
    level: str
    count: int


def heatmap(*, kind: str = "inherent", filters: RiskFilters | None = None) -> list[HeatmapCell]:
    """Every cell of the active matrix with how many risks sit in it (zeros included)."""
    definition = active_matrix().definition
    counts = {
        (row[f"{kind}_likelihood"], row[f"{kind}_impact"]): row["n"]
        for row in _filtered(filters or RiskFilters())
        .order_by()
        .exclude(**{f"{kind}_likelihood": None})
        .values(f"{kind}_likelihood", f"{kind}_impact")
        .annotate(n=Count("id"))
    }
    return [
        HeatmapCell(
            likelihood=l_,
            impact=i_,
            level=definition["grid"][l_ - 1][i_ - 1],
            count=counts.get((l_, i_), 0),
        )
        for l_ in range(1, len(definition["likelihood"]) + 1)
        for i_ in range(1, len(definition["impact"]) + 1)
    ]


def counts_by_category_and_level(filters: RiskFilters | None = None) -> list[dict]:
    """Open register (not closed), filtered, by top-level category × current level."""
    rows = (
        _filtered(filters or RiskFilters())
        .exclude(status="closed")
        .order_by()
        .values("category__path", "current_level")
        .annotate(n=Count("id"))
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        top = row["category__path"].split("/")[0]
        level = row["current_level"] or "unassessed"
        table.setdefault(top, {}).setdefault(level, 0)
        table[top][level] += row["n"]
    return [{"category": code, "counts": counts} for code, counts in sorted(table.items())]


def level_trend(
    *, months: int = 12, today: date | None = None, filters: RiskFilters | None = None
) -> list[dict]:
    """How many risks (of the filtered register) stood at each level at the end of each of the
    last `months` months.

    A risk's level at a moment is its latest residual rating by then, else its latest inherent
    one: replayed from the assessment history in one query.
    """
    today = today or timezone.localdate()
    ends = []
    cursor = today.replace(day=1)
    for _ in range(months):
        ends.append(cursor - timedelta(days=1))
        cursor = (cursor - timedelta(days=1)).replace(day=1)
    ends = sorted(ends) + [today]
    tz = timezone.get_current_timezone()
    assessed = RiskAssessment.objects.all()
    if filters is not None:
        assessed = assessed.filter(risk__in=_filtered(filters).values("pk"))
    history = assessed.order_by("assessed_at").values_list(
        "risk_id", "kind", "level", "assessed_at"
    )
    latest: dict = {}
    trend = []
    events = iter(history)
    pending = next(events, None)
    for end in ends:
        limit = datetime.combine(end, time.max, tzinfo=tz)
        while pending is not None and pending[3] <= limit:
            risk_id, kind, level, _ = pending
            latest.setdefault(risk_id, {})[kind] = level
            pending = next(events, None)
        counts = dict.fromkeys(RiskLevel.values, 0)
        for ratings in latest.values():
            counts[ratings.get("residual") or ratings["inherent"]] += 1
        trend.append({"date": end, "counts": counts})
    return trend
