"""Nested lists of the emergency types: connections with `orderBy: [XOrder!]` (core's
`ordered_connection`). No resolver of ours: the optimizer prefetches each list for the whole
page of parents in one window query (a plan's versions and their steps, roles… alike)."""

from collections.abc import Mapping, Sequence
from typing import Any

from apps.core.graphql.ordering import ordered_connection


def nested(
    order: type,
    description: str,
    *,
    default: Sequence[str],
    default_text: str,
    columns: Mapping[str, Sequence[str]] | None = None,
) -> Any:
    """A connection over the relation of the field's name, `default` when `orderBy` is null
    or empty (its description says `default_text`).

    A `totalCount` selected without `edges` is counted with the parents (core's
    `ordered_connection`): no statement per parent."""
    return ordered_connection(
        order,
        default=default,
        default_text=default_text,
        columns=columns,
        description=description,
    )
