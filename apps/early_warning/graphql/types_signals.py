"""Warning signals: a rule's finding, its comment thread and transition history."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import Prefetch
from strawberry.types import Info

from apps.accounts.graphql.types import UserType
from apps.accounts.roles import Role
from apps.core.graphql.nodes import TenantNode, member_rank
from apps.core.graphql.ordering import (
    ORDER_BY_DESCRIPTION,
    OrderDirection,
    OrderKey,
    order_input,
    ordered_connection,
)
from apps.core.graphql.pagination import BoundedConnection
from apps.core.lifecycle import allowed_transitions
from apps.early_warning import models as m
from apps.early_warning import selectors
from apps.early_warning.graphql.enums import SeverityEnum, SignalStatusEnum
from apps.early_warning.graphql.types_indicators import IndicatorType, RuleType


@strawberry.enum(name="SignalCommentOrderField", description="What a thread is sorted by.")
class SignalCommentOrderField(Enum):
    AT = strawberry.enum_value("at", description="When it was written or happened.")


if TYPE_CHECKING:  # built at run time by order_input
    SignalCommentOrder = OrderKey
else:
    SignalCommentOrder = order_input(
        "SignalCommentOrder", SignalCommentOrderField, description="One sort key of a thread."
    )


@strawberry_django.type(
    m.SignalComment,
    name="SignalComment",
    description="One entry of a signal's thread: a comment, or a status change with the "
    "comment given for it. Entries are never edited or removed.",
)
class SignalCommentType(TenantNode):
    min_role = Role.VIEWER

    author: UserType | None = strawberry_django.field(
        description="Who wrote it or made the change; null for a scan's own changes."
    )
    body: str = strawberry_django.field(description="The comment; may be empty on a change.")
    at: datetime = strawberry_django.field(description="When it was written or happened.")

    @strawberry_django.field(only=["from_status"], description="Status before; null: a comment.")
    def from_status(self) -> SignalStatusEnum | None:
        return SignalStatusEnum(self.from_status) if self.from_status else None

    @strawberry_django.field(only=["to_status"], description="Status after; null: a comment.")
    def to_status(self) -> SignalStatusEnum | None:
        return SignalStatusEnum(self.to_status) if self.to_status else None


_THREAD_ORDER: dict[str, Any] = dict(default=("at", "created_at"), default_text="oldest first")


@strawberry_django.type(
    m.WarningSignal,
    name="WarningSignal",
    description="A rule's finding on one series of an indicator: raised by scans, then "
    "acknowledged, escalated, resolved or dismissed by people (or scans).",
)
class WarningSignalType(TenantNode):
    min_role = Role.VIEWER

    indicator: IndicatorType = strawberry_django.field(description="The indicator it is about.")
    rule: RuleType = strawberry_django.field(description="The rule that raised it.")
    dimensions_key: str = strawberry_django.field(
        description="The series: its dimensions as `k=v;k=v`, keys sorted; empty: no dimensions."
    )
    severity: SeverityEnum = strawberry_django.field(description="Amber or red, now.")
    status: SignalStatusEnum = strawberry_django.field(description="Where it is in its life.")
    observed_value: float | None = strawberry_django.field(
        description="The value that triggered it last."
    )
    threshold: float | None = strawberry_django.field(description="The limit it was held to.")
    detail: str = strawberry_django.field(description="What the rule found, for a person.")
    first_triggered_at: datetime = strawberry_django.field(description="When it was raised.")
    last_triggered_at: datetime = strawberry_django.field(
        description="When a breach was last seen."
    )
    occurrences: int = strawberry_django.field(description="Breaching observations seen.")
    green_streak: int = strawberry_django.field(
        description="Green periods in a row since the last breach (enough of them resolve it)."
    )
    assignee: UserType | None = strawberry_django.field(
        description="The member working on it; null: nobody (acknowledging takes it)."
    )
    acknowledged_at: datetime | None = strawberry_django.field(
        description="When it was last acknowledged."
    )
    escalated_at: datetime | None = strawberry_django.field(
        description="When it was last escalated."
    )
    resolved_at: datetime | None = strawberry_django.field(
        description="When it was resolved or dismissed."
    )
    comment: str = strawberry_django.field(
        description="The latest comment.",
        deprecation_reason="Read `comments`: the whole thread, with each change.",
    )
    # Owned by the emergency module (matching and cost live there); mounted here.
    from apps.emergency.graphql.suggestions import suggested_plans_field as suggested_plans

    comments: BoundedConnection[SignalCommentType] = ordered_connection(
        SignalCommentOrder,
        **_THREAD_ORDER,
        description="The thread: comments and status changes, oldest first.",
    )

    @strawberry_django.connection(
        BoundedConnection[SignalCommentType],
        prefetch_related=[
            lambda info: Prefetch(
                "comments",
                queryset=selectors.signal_history(),
                to_attr="history_entries",
            )
        ],
        description="The status changes only (who moved it from what to what, when, why).",
    )
    def history(
        self,
        root: m.WarningSignal,
        order_by: Annotated[
            list[SignalCommentOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="oldest first")),
        ] = None,
    ) -> list[SignalCommentType]:
        entries = getattr(root, "history_entries", None)
        if entries is None:  # read on its own (a mutation's payload)
            entries = list(selectors.signal_history().filter(signal=root))
        newest_first = bool(order_by and order_by[0].direction == OrderDirection.DESC)
        return sorted(entries, key=lambda e: (e.at, e.created_at), reverse=newest_first)

    @strawberry_django.field(
        only=["status"],
        description="Where you may move it now (empty once resolved or dismissed); a viewer "
        "may not move signals at all.",
    )
    def allowed_transitions(self, info: Info) -> list[SignalStatusEnum]:
        if member_rank(info.context.request) < Role.rank(Role.ANALYST):
            return []
        return [SignalStatusEnum(s) for s in allowed_transitions(self)]
