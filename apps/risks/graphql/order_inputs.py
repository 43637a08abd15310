"""The sort keys each register list offers (`orderBy: [XOrder!]`), and their defaults.

Built on core's helpers (apps/core/graphql/ordering.py): root connections read `orderBy` in
their resolver and hand `Sorting.order(...)` to a selector (`apps.risks.selectors.sort_keys`,
no strawberry there); nested model connections are core's `ordered_connection`, which keeps
the optimizer's one-window-query prefetch for a whole page.
"""

from dataclasses import dataclass
from enum import Enum
from typing import Any, cast

import strawberry

from apps.core.graphql.ordering import OrderDirection, order_input, ordered_connection
from apps.risks.selectors import ordering as keys
from apps.risks.selectors.ordering import Order, sort_keys


def order_spec(order_by: list | None) -> Order:
    """[(field value, descending)] from an `orderBy` argument (empty: the list's default)."""
    return [(o.field.value, o.direction == OrderDirection.DESC) for o in order_by or []]


@dataclass(frozen=True)
class Sorting:
    input: type  # the XOrder input
    keys: dict[str, tuple[str, ...]]
    default: Order
    default_text: str

    def order(self, order_by: list | None) -> Order:
        return order_spec(order_by) or self.default


def _fields(name: str, what: str, values: dict[str, str]) -> type[Enum]:
    """An `XOrderField` enum: GraphQL name → (selector key, description)."""
    members = {
        key.upper(): strawberry.enum_value(key, description=text) for key, text in values.items()
    }
    fields = cast(type[Enum], Enum(name, members))  # the functional API: a new Enum class
    return strawberry.enum(fields, name=name, description=f"What {what} sort by.")


def _sorting(name: str, what: str, values: dict[str, str], key_map, default, default_text):
    assert set(values) == set(key_map), name
    fields = _fields(f"{name}Field", what, values)
    order = order_input(name, fields, description=f"One sort key of {what}.")
    return Sorting(order, key_map, default, default_text)


RISKS = _sorting(
    "RiskOrder",
    "risks",
    {
        "reference": "Its reference number (R-0001 first).",
        "created": "When it was created.",
        "updated": "When it last changed.",
        "title": "Its title.",
        "inherent_score": "Inherent score (unassessed last).",
        "residual_score": "Residual score (unassessed last).",
        "next_review": "Next review date (none last).",
    },
    keys.RISK_KEYS,
    keys.RISK_DEFAULT,
    "newest first",
)
CONTROLS = _sorting(
    "ControlOrder",
    "controls",
    {"name": "Its name.", "created": "When it was created.", "last_tested": "Last test date."},
    keys.CONTROL_KEYS,
    keys.CONTROL_DEFAULT,
    "by name",
)
ACTIONS = _sorting(
    "TreatmentActionOrder",
    "treatment actions",
    {"due": "Due date (none last).", "created": "When it was created.", "title": "Its title."},
    keys.ACTION_KEYS,
    keys.ACTION_DEFAULT,
    "soonest due first, then oldest",
)
ACCEPTANCES = _sorting(
    "RiskAcceptanceOrder",
    "acceptances",
    {
        "created": "When it was asked for.",
        "requested_expiry": "The expiry asked for.",
        "decided": "When it was decided (undecided last).",
    },
    keys.ACCEPTANCE_KEYS,
    keys.ACCEPTANCE_DEFAULT,
    "newest first",
)
ASSESSMENTS = _sorting(
    "RiskAssessmentOrder",
    "assessments",
    {"assessed": "When it was rated.", "score": "Its score."},
    keys.ASSESSMENT_KEYS,
    keys.ASSESSMENT_DEFAULT,
    "newest first",
)
REVIEWS = _sorting(
    "RiskReviewOrder",
    "reviews",
    {"reviewed": "When it was reviewed.", "next_review": "The next review it set."},
    keys.REVIEW_KEYS,
    keys.REVIEW_DEFAULT,
    "newest first",
)
CATEGORIES = _sorting(
    "RiskCategoryOrder",
    "categories",
    {"path": "Tree order (parents before children).", "code": "Code.", "name": "English name."},
    keys.CATEGORY_KEYS,
    keys.CATEGORY_DEFAULT,
    "tree order",
)
MATRICES = _sorting(
    "RiskMatrixOrder",
    "matrices",
    {"version": "Version number."},
    keys.MATRIX_KEYS,
    keys.MATRIX_DEFAULT,
    "newest version first",
)
APPETITES = _sorting(
    "RiskAppetiteOrder",
    "appetites",
    {"category": "Their category, in tree order."},
    keys.APPETITE_KEYS,
    keys.APPETITE_DEFAULT,
    "category tree order",
)
LIMITS = _sorting(
    "RiskLimitOrder",
    "limits",
    {"name": "Its name.", "cap": "Its cap.", "current_value": "Its current value."},
    keys.LIMIT_KEYS,
    keys.LIMIT_DEFAULT,
    "by name",
)
HISTORY = _sorting(
    "RiskHistoryOrder",
    "a risk's history entries",
    {"timestamp": "When the change was recorded."},
    keys.HISTORY_KEYS,
    keys.HISTORY_DEFAULT,
    "newest first",
)
INDICATORS = _sorting(
    "RiskIndicatorOrder",
    "a risk's indicators",
    {"code": "Indicator code.", "name": "Indicator name."},
    keys.INDICATOR_KEYS,
    keys.INDICATOR_DEFAULT,
    "by code",
)
SIGNALS = _sorting(
    "RiskSignalOrder",
    "a risk's warning signals",
    {"last_triggered": "Last triggered.", "first_triggered": "First triggered."},
    keys.SIGNAL_KEYS,
    keys.SIGNAL_DEFAULT,
    "last triggered, newest first",
)
LOSS_EVENTS = _sorting(
    "RiskLossEventOrder",
    "a risk's loss events",
    {"occurred": "When the loss occurred.", "amount": "The amount (none last)."},
    keys.LOSS_EVENT_KEYS,
    keys.LOSS_EVENT_DEFAULT,
    "latest first",
)
SignalOrder = SIGNALS.input
HistoryOrder = HISTORY.input


def nested(sorting: Sorting, description: str, **kwargs: Any) -> Any:
    """A nested model connection with `orderBy` (prefetched for the whole page at once)."""
    return ordered_connection(
        sorting.input,
        default=sort_keys(sorting.default, sorting.keys)[:-1],  # core adds the key itself
        default_text=sorting.default_text,
        columns=sorting.keys,
        description=description,
        **kwargs,
    )
