"""Complaints: recorded with due times from the SLA of their priority, moved through one
lifecycle, and watched by the tick — each due time passed unanswered is stamped once, notified
once (assignee, else the tenant's risk managers and admins) and published as a webhook event."""

import re
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.accounts.selectors import members_here
from apps.core.audit import audited_bulk_update
from apps.core.errors import refuse
from apps.core.lifecycle import Change, Lifecycle, transition
from apps.notifications.services import notify, publish
from apps.reputation.errors import ReputationErrorCode as Code
from apps.reputation.models import (
    CategorySla,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintSla,
    ComplaintStatus,
    Priority,
)
from apps.reputation.selectors import slas
from apps.reputation.services.common import Problems, full_clean, get_for_update

S = ComplaintStatus
BREACHED = "reputation.complaint_sla_breached"
RECEIVED = "reputation.complaint_received"
# A raw mainland mobile number (11 digits from 1[3-9]) or an identity-card number (15 or 18).
_RAW_ID = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dXx]|\d{15})(?!\d)")
EDITABLE = (
    "category",
    "priority",
    "customer_ref",
    "product",
    "summary",
    "assignee_id",
    "satisfaction",
    "regulator_hotline",
)


def _stamp_response(change: Change) -> list[str]:
    if change.obj.first_response_at is None:
        change.obj.first_response_at = change.now
    return ["first_response_at"]


def _stamp_resolved(change: Change) -> list[str]:
    fields = _stamp_response(change)
    change.obj.resolved_at = change.now
    return [*fields, "resolved_at"]


def _reopen(change: Change) -> list[str]:
    if change.to == S.IN_PROGRESS:
        change.obj.resolved_at = None
    return ["resolved_at"]


COMPLAINT_LIFECYCLE = Lifecycle(
    model=Complaint,
    statuses=ComplaintStatus,
    table={
        S.RECEIVED: {S.IN_PROGRESS, S.RESOLVED},
        S.IN_PROGRESS: {S.RESOLVED},
        S.RESOLVED: {S.IN_PROGRESS, S.CLOSED},  # reopened when the customer is not satisfied
        S.CLOSED: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    on_enter={S.IN_PROGRESS: _stamp_response, S.RESOLVED: _stamp_resolved},
    on_leave={S.RESOLVED: _reopen},
)


def _check(complaint: Complaint, problems: Problems) -> None:
    complaint.summary = (complaint.summary or "").strip()
    if not complaint.summary:
        problems.add("summary", "What the customer complains about.")
    if complaint.channel not in ComplaintChannel.values:
        problems.add("channel", "Unknown channel.")
    if complaint.category not in ComplaintCategory.values:
        problems.add("category", "Unknown category.")
    if complaint.priority not in Priority.values:
        problems.add("priority", "Unknown priority.")
    complaint.customer_ref = (complaint.customer_ref or "").strip()
    if _RAW_ID.search(complaint.customer_ref):
        problems.add(
            "customer_ref",
            "This looks like a phone or identity-card number: store a pseudonymised reference.",
            Code.RAW_IDENTIFIER,
        )
    if _RAW_ID.search(complaint.summary):
        problems.add(
            "summary",
            "The summary holds a phone or identity-card number: leave it out.",
            Code.RAW_IDENTIFIER,
        )
    if complaint.channel != ComplaintChannel.REGULATOR and complaint.regulator_hotline:
        problems.add("regulator_hotline", "Only a regulator referral has a hotline.")
    s = complaint.satisfaction
    if s is not None and (isinstance(s, bool) or not isinstance(s, int) or not 1 <= s <= 5):
        problems.add("satisfaction", "1 to 5.")
    if complaint.assignee_id is not None and not members_here([complaint.assignee_id]):
        problems.add("assignee_id", "Not a member of this tenant.", Code.NOT_A_MEMBER)


def sla_hours(*, category: str, channel: str, priority: str) -> tuple[int, int]:
    """(first response, resolution) hours of a complaint: the row of its category on its
    channel, else its category's row for every channel, else the SLA of its priority."""
    rows = {
        row.channel: row
        for row in CategorySla.objects.filter(category=category, channel__in=[channel, ""])
    }
    row = rows.get(channel) or rows.get("")
    if row is not None:
        return row.response_hours, row.resolution_hours
    sla = slas().get(priority)
    return (sla.response_hours, sla.resolution_hours) if sla else DEFAULT_SLA[priority]


def _due(complaint: Complaint) -> None:
    response, resolution = sla_hours(
        category=complaint.category, channel=complaint.channel, priority=complaint.priority
    )
    complaint.response_due_at = complaint.received_at + timedelta(hours=response)
    complaint.resolution_due_at = complaint.received_at + timedelta(hours=resolution)


# Used when a tenant deleted its SLA row (the data migration seeds these).
DEFAULT_SLA = {"urgent": (2, 24), "high": (4, 72), "normal": (24, 168), "low": (48, 336)}


@transaction.atomic
def complaint_create(
    *,
    reference: str,
    channel: str,
    category: str,
    summary: str,
    received_at: datetime | None = None,
    priority: str = "normal",
    actor=None,
    now: datetime | None = None,
    **fields,
) -> Complaint:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"complaint_create() got unexpected fields {sorted(unknown)}")
    now = now or timezone.now()
    problems = Problems()
    reference = (reference or "").strip()
    if not reference:
        problems.add("reference", "The complaint's reference (ticket number).")
    elif len(reference) > 80:
        problems.add("reference", "At most 80 characters.")
    elif Complaint.objects.filter(reference=reference).exists():
        problems.add("reference", "This reference is recorded already.", Code.CODE_TAKEN)
    received_at = received_at or now
    if timezone.is_naive(received_at) or received_at > now + timedelta(minutes=5):
        problems.add("received_at", "A time with a zone, not in the future.")
    complaint = Complaint(
        reference=reference,
        channel=channel,
        category=category,
        summary=summary,
        received_at=received_at,
        priority=priority,
        **fields,
    )
    _check(complaint, problems)
    if "received_at" not in problems and "priority" not in problems:
        _due(complaint)
    full_clean(complaint, problems, exclude=["reference", "response_due_at", "resolution_due_at"])
    problems.raise_any()
    complaint.save()
    publish(event=RECEIVED, payload=_payload(complaint), dedup_key=f"{RECEIVED}:{complaint.pk}")
    return complaint


@transaction.atomic
def complaint_update(*, complaint_id, actor=None, **changes) -> Complaint:
    """Change the fields given; a new priority or category recomputes the due times from
    receipt (the SLA may be another)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"complaint_update() got unexpected fields {sorted(unknown)}")
    complaint = get_for_update(Complaint, complaint_id)
    sla_before = (complaint.priority, complaint.category)
    for field, value in changes.items():
        setattr(complaint, field, value)
    problems = Problems()
    _check(complaint, problems)
    moved = (complaint.priority, complaint.category) != sla_before
    if moved and "priority" not in problems and "category" not in problems:
        _due(complaint)
    full_clean(complaint, problems, exclude=["reference"])
    problems.raise_any()
    complaint.save()
    return complaint


@transaction.atomic
def complaint_transition(
    *, complaint_id, to: str, actor=None, comment: str = "", now: datetime | None = None
) -> Complaint:
    complaint = get_for_update(Complaint, complaint_id)
    if to not in S.values:
        raise refuse("to", "Unknown status.", Code.INVALID)
    transition(complaint, to, actor=actor, comment=comment, now=now)
    return complaint


@transaction.atomic
def sla_update(*, priority: str, response_hours: int, resolution_hours: int) -> ComplaintSla:
    """The hours of one priority; complaints received from now on get them (recorded due
    times do not move: the customer was told them)."""
    problems = Problems()
    if priority not in Priority.values:
        problems.add("priority", "Unknown priority.")
    for field, value in (
        ("response_hours", response_hours),
        ("resolution_hours", resolution_hours),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8760:
            problems.add(field, "1 hour to a year.")
    if not problems.errors and resolution_hours < response_hours:
        problems.add("resolution_hours", "Resolution comes after the first response.")
    problems.raise_any()
    sla = ComplaintSla.objects.select_for_update().filter(priority=priority).first()
    sla = sla or ComplaintSla(priority=priority)
    sla.response_hours, sla.resolution_hours = response_hours, resolution_hours
    sla.save()
    return sla


def _hours(problems: Problems, response_hours, resolution_hours) -> None:
    for field, value in (
        ("response_hours", response_hours),
        ("resolution_hours", resolution_hours),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8760:
            problems.add(field, "1 hour to a year.")
    if not problems.errors and resolution_hours < response_hours:
        problems.add("resolution_hours", "Resolution comes after the first response.")


@transaction.atomic
def category_sla_set(
    *, category: str, channel: str = "", response_hours: int, resolution_hours: int, actor=None
) -> CategorySla:
    """The hours of one category (channel "": on every channel; a channel: there only, over
    the category's row). Complaints received from now on get them (recorded due times do not
    move: the customer was told them)."""
    problems = Problems()
    if category not in ComplaintCategory.values:
        problems.add("category", "Unknown category.")
    if channel and channel not in ComplaintChannel.values:
        problems.add("channel", "Unknown channel.")
    _hours(problems, response_hours, resolution_hours)
    problems.raise_any()
    row = (
        CategorySla.objects.select_for_update()
        .filter(category=category, channel=channel or "")
        .first()
    ) or CategorySla(category=category, channel=channel or "")
    row.response_hours, row.resolution_hours = response_hours, resolution_hours
    row.save()
    return row


@transaction.atomic
def category_sla_delete(*, sla_id, actor=None) -> None:
    """Back to the next rule (the category's row for every channel, or the priority's SLA)."""
    get_for_update(CategorySla, sla_id).delete()


def _payload(complaint: Complaint, **extra) -> dict:
    return {
        "complaint": {
            "id": str(complaint.pk),
            "reference": complaint.reference,
            "channel": complaint.channel,
            "category": complaint.category,
            "priority": complaint.priority,
            "status": complaint.status,
            "regulatorReferred": complaint.regulator_referred,
        },
        **extra,
    }


def _managers() -> list[User]:
    managers = Membership.objects.filter(
        tenant__schema_name=connection.schema_name,  # type: ignore[attr-defined]
        role__in=["risk_manager", "admin"],
    )
    return list(User.objects.filter(pk__in=managers.values("user_id"), is_active=True))


@transaction.atomic
def sla_breaches_detect(*, now: datetime | None = None) -> dict:
    """Stamp every due time passed unanswered (first response, resolution) — once: a stamped
    breach is never stamped, notified or published again. Returns the counts."""
    now = now or timezone.now()
    found: dict[str, list] = {"response": [], "resolution": []}
    open_statuses = [S.RECEIVED, S.IN_PROGRESS]
    for complaint in Complaint.objects.select_for_update(skip_locked=True).filter(
        response_breached_at__isnull=True,
        first_response_at__isnull=True,
        response_due_at__lt=now,
        status__in=open_statuses,
    ):
        complaint.response_breached_at = now
        found["response"].append(complaint)
    for complaint in Complaint.objects.select_for_update(skip_locked=True).filter(
        resolution_breached_at__isnull=True,
        resolved_at__isnull=True,
        resolution_due_at__lt=now,
        status__in=open_statuses,
    ):
        complaint.resolution_breached_at = now
        found["resolution"].append(complaint)
    for kind, field in (
        ("response", "response_breached_at"),
        ("resolution", "resolution_breached_at"),
    ):
        if found[kind]:
            audited_bulk_update(Complaint, found[kind], [field, "updated_at"])
    managers = None
    for kind, breached in found.items():
        for complaint in breached:
            if complaint.assignee_id:
                recipients = list(User.objects.filter(pk=complaint.assignee_id, is_active=True))
            else:
                managers = managers if managers is not None else _managers()
                recipients = managers
            due = complaint.response_due_at if kind == "response" else complaint.resolution_due_at
            key = f"{BREACHED}:{complaint.pk}:{kind}"
            notify(
                recipients=recipients,
                event=BREACHED,
                subject=f"Complaint {complaint.reference}: {kind} SLA breached",
                body=(
                    f"Complaint {complaint.reference} ({complaint.get_category_display()}, "
                    f"{complaint.get_priority_display()} priority, via "
                    f"{complaint.get_channel_display()}) was due a {kind} by "
                    f"{due:%Y-%m-%d %H:%M %Z}.\nStatus: {complaint.get_status_display()}."
                ),
                dedup_key=key,
            )
            publish(event=BREACHED, payload=_payload(complaint, breach=kind), dedup_key=key)
    return {"response": len(found["response"]), "resolution": len(found["resolution"])}
