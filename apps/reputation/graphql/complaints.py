"""Complaint writes: record, change, move along the lifecycle; the SLA of each priority."""

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from apps.accounts.models import User
from apps.core.graphql.ids import pk_or_nothing
from apps.core.graphql.permissions import IsAnalyst, IsRiskManager
from apps.reputation.graphql.common import UNSET, Errors, run, sent
from apps.reputation.graphql.types import (
    ComplaintCategoryEnum,
    ComplaintChannelEnum,
    ComplaintStatusEnum,
    ComplaintType,
    PriorityEnum,
    SlaType,
)
from apps.reputation.models import Complaint
from apps.reputation.services import complaints


def _user(gid) -> Any:
    return pk_or_nothing(gid, "User", User)


@strawberry.input(description="The SLA of one priority.")
class ComplaintSlaUpdateInput:
    priority: PriorityEnum = strawberry.field(description="Which priority.")
    response_hours: int = strawberry.field(description="Hours to a first response (1–8760).")
    resolution_hours: int = strawberry.field(description="Hours to resolution (≥ response).")


@strawberry.type(description="The SLA, or why not.")
class ComplaintSlaPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    sla: SlaType | None = strawberry.field(default=None, description="The SLA.")


COMPLAINT_FIELDS = (
    "category",
    "priority",
    "customer_ref",
    "product",
    "summary",
    "satisfaction",
    "regulator_hotline",
)


@strawberry.input(description="A complaint received.")
class ComplaintCreateInput:
    reference: str = strawberry.field(description="The tenant's ticket number; unique.")
    channel: ComplaintChannelEnum = strawberry.field(description="How it came in.")
    category: ComplaintCategoryEnum = strawberry.field(description="What it is about.")
    summary: str = strawberry.field(description="What the customer says (no phone/ID numbers).")
    received_at: datetime | None = strawberry.field(default=None, description="Default: now.")
    priority: PriorityEnum | None = strawberry.field(default=None, description="Default NORMAL.")
    customer_ref: str = strawberry.field(default="", description="Pseudonymised reference.")
    product: str = strawberry.field(default="", description="Product concerned.")
    regulator_hotline: str = strawberry.field(default="", description="For a referral: 12378…")
    assignee: relay.GlobalID | None = strawberry.field(default=None, description="A User.")


@strawberry.input(description="Changes to a complaint; only the fields sent change.")
class ComplaintUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The Complaint.")
    category: ComplaintCategoryEnum | None = strawberry.field(
        default=UNSET, description="Category."
    )
    priority: PriorityEnum | None = strawberry.field(
        default=UNSET, description="A new priority recomputes the due times."
    )
    customer_ref: str | None = strawberry.field(default=UNSET, description="Pseudonymised.")
    product: str | None = strawberry.field(default=UNSET, description="Product.")
    summary: str | None = strawberry.field(default=UNSET, description="Summary.")
    satisfaction: int | None = strawberry.field(default=UNSET, description="1 to 5, or null.")
    regulator_hotline: str | None = strawberry.field(default=UNSET, description="Hotline.")
    assignee: relay.GlobalID | None = strawberry.field(default=UNSET, description="A User.")


@strawberry.input(description="Move a complaint along its lifecycle.")
class ComplaintTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The Complaint.")
    to: ComplaintStatusEnum = strawberry.field(description="The status to move to.")
    comment: str = strawberry.field(default="", description="Why (kept in the audit trail).")


@strawberry.type(description="The complaint, or why not.")
class ComplaintPayload:
    errors: Errors = strawberry.field(description="Problems; when any, nothing changed.")
    complaint: ComplaintType | None = strawberry.field(default=None, description="It.")


@strawberry.type
class ComplaintMutations:
    @strawberry.mutation(permission_classes=[IsRiskManager], description="Set a priority's SLA.")
    def complaint_sla_update(
        self, input: Annotated[ComplaintSlaUpdateInput, strawberry.argument(description="The SLA.")]
    ) -> ComplaintSlaPayload:
        def call() -> dict:
            sla = complaints.sla_update(
                priority=input.priority.value,
                response_hours=input.response_hours,
                resolution_hours=input.resolution_hours,
            )
            return {
                "sla": SlaType(
                    priority=input.priority,
                    response_hours=sla.response_hours,
                    resolution_hours=sla.resolution_hours,
                )
            }

        return run(ComplaintSlaPayload, input, call)

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Record a complaint.")
    def complaint_create(
        self,
        info: Info,
        input: Annotated[ComplaintCreateInput, strawberry.argument(description="The complaint.")],
    ) -> ComplaintPayload:
        extra = {"assignee_id": _user(input.assignee)} if input.assignee else {}
        return run(
            ComplaintPayload,
            input,
            lambda: {
                "complaint": complaints.complaint_create(
                    reference=input.reference,
                    channel=input.channel.value,
                    category=input.category.value,
                    summary=input.summary,
                    received_at=input.received_at,
                    priority=input.priority.value if input.priority else "normal",
                    customer_ref=input.customer_ref,
                    product=input.product,
                    regulator_hotline=input.regulator_hotline,
                    actor=info.context.request.user,
                    **extra,
                )
            },
        )

    @strawberry.mutation(permission_classes=[IsAnalyst], description="Change a complaint.")
    def complaint_update(
        self,
        info: Info,
        input: Annotated[ComplaintUpdateInput, strawberry.argument(description="The changes.")],
    ) -> ComplaintPayload:
        changes = sent(input, COMPLAINT_FIELDS)
        if input.assignee is not UNSET:
            changes["assignee_id"] = _user(input.assignee) if input.assignee else None
        return run(
            ComplaintPayload,
            input,
            lambda: {
                "complaint": complaints.complaint_update(
                    complaint_id=pk_or_nothing(input.id, "Complaint", Complaint),
                    actor=info.context.request.user,
                    **changes,
                )
            },
        )

    @strawberry.mutation(
        permission_classes=[IsAnalyst],
        description="Respond, resolve, reopen or close (stamps the response/resolution times).",
    )
    def complaint_transition(
        self,
        info: Info,
        input: Annotated[ComplaintTransitionInput, strawberry.argument(description="Where to.")],
    ) -> ComplaintPayload:
        return run(
            ComplaintPayload,
            input,
            lambda: {
                "complaint": complaints.complaint_transition(
                    complaint_id=pk_or_nothing(input.id, "Complaint", Complaint),
                    to=input.to.value,
                    actor=info.context.request.user,
                    comment=input.comment,
                )
            },
            fields={"status": "to"},
        )
