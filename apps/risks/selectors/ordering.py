"""Sort keys of the register's lists: `[(field, descending)]` → ORDER BY expressions.

Each list names its sortable fields (a field value → the model fields it sorts by) and its
default. The id always comes last, so a page boundary never falls between equal rows.
"""

from collections.abc import Mapping

from django.db.models import F

Order = list[tuple[str, bool]]  # [(field value, descending)]


def sort_keys(order: Order, keys: Mapping[str, tuple[str, ...]]) -> list:
    expressions = []
    for field, descending in order:
        for name in keys[field]:
            column = F(name)
            expressions.append(
                column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
            )
    last_descending = order[-1][1] if order else False
    expressions.append(F("id").desc() if last_descending else F("id").asc())
    return expressions


RISK_KEYS = {
    "reference": ("number",),
    "created": ("created_at",),
    "updated": ("updated_at",),
    "title": ("title",),
    "inherent_score": ("inherent_score",),
    "residual_score": ("residual_score",),
    "next_review": ("next_review_at",),
}
RISK_DEFAULT: Order = [("created", True)]

CONTROL_KEYS = {"name": ("name",), "created": ("created_at",), "last_tested": ("last_tested_at",)}
CONTROL_DEFAULT: Order = [("name", False)]

ACTION_KEYS = {"due": ("due_date",), "created": ("created_at",), "title": ("title",)}
ACTION_DEFAULT: Order = [("due", False), ("created", False)]

ACCEPTANCE_KEYS = {
    "created": ("created_at",),
    "requested_expiry": ("requested_expires_at",),
    "decided": ("decided_at",),
}
ACCEPTANCE_DEFAULT: Order = [("created", True)]

ASSESSMENT_KEYS = {"assessed": ("assessed_at", "created_at"), "score": ("score",)}
ASSESSMENT_DEFAULT: Order = [("assessed", True)]

REVIEW_KEYS = {"reviewed": ("reviewed_at",), "next_review": ("next_review_at",)}
REVIEW_DEFAULT: Order = [("reviewed", True)]

CATEGORY_KEYS = {"path": ("path",), "code": ("code",), "name": ("name_en",)}
CATEGORY_DEFAULT: Order = [("path", False)]

MATRIX_KEYS = {"version": ("version",)}
MATRIX_DEFAULT: Order = [("version", True)]

APPETITE_KEYS = {"category": ("category__path",)}
APPETITE_DEFAULT: Order = [("category", False)]

LIMIT_KEYS = {"name": ("name",), "cap": ("cap",), "current_value": ("current_value",)}
LIMIT_DEFAULT: Order = [("name", False)]

HISTORY_KEYS = {"timestamp": ("timestamp",)}
HISTORY_DEFAULT: Order = [("timestamp", True)]

INDICATOR_KEYS = {"code": ("code",), "name": ("name",)}
INDICATOR_DEFAULT: Order = [("code", False)]

SIGNAL_KEYS = {"last_triggered": ("last_triggered_at",), "first_triggered": ("first_triggered_at",)}
SIGNAL_DEFAULT: Order = [("last_triggered", True)]

LOSS_EVENT_KEYS = {"occurred": ("occurred_at",), "amount": ("amount",)}
LOSS_EVENT_DEFAULT: Order = [("occurred", True)]


def sorted_rows(rows: list, order: Order, keys: Mapping[str, tuple[str, ...]]) -> list:
    """`rows` (model instances already fetched) in the order `sort_keys` gives in SQL: each key
    with nulls last either way, then the id in the last key's direction."""
    rows = sorted(rows, key=lambda row: str(row.pk), reverse=bool(order and order[-1][1]))
    for field, descending in reversed(order):
        for name in reversed(keys[field]):
            present = [row for row in rows if getattr(row, name) is not None]
            missing = [row for row in rows if getattr(row, name) is None]
            present.sort(key=lambda row: getattr(row, name), reverse=descending)
            rows = present + missing
    return rows
