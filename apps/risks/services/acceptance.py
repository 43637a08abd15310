"""Risk acceptance bound to the exact state that was approved.

Approval stores a snapshot (level, treatment, owner, latest assessments). Afterwards a material
change — the current level rising, the treatment strategy or the owner changing — voids the
acceptance with the reason, and the risk goes back to open. Expiry also reopens the risk.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.lifecycle import Change, Lifecycle, transition
from apps.risks.errors import RiskErrorCode as Code
from apps.risks.levels import RiskLevel
from apps.risks.models import AcceptanceStatus, Risk, RiskAcceptance, RiskStatus
from apps.risks.selectors import register_settings
from apps.risks.services.common import get_for_update, invalid
from apps.risks.services.register import risk_transition

LIVE = (AcceptanceStatus.REQUESTED, AcceptanceStatus.APPROVED)


def _owner_key(risk: Risk) -> str | None:
    """The owner (a person) as the snapshot stores it: JSON has no UUID."""
    return str(risk.owner_id) if risk.owner_id is not None else None


def snapshot_of(risk: Risk) -> dict:
    latest = {}
    for kind in ("inherent", "residual"):
        assessment = (
            risk.assessments.filter(kind=kind).order_by("-assessed_at", "-created_at").first()
        )
        if assessment:
            latest[kind] = {
                "id": str(assessment.pk),
                "likelihood": assessment.likelihood,
                "impact": assessment.impact,
                "level": assessment.level,
                "matrix_version": assessment.matrix.version,
            }
    return {
        "current_level": risk.current_level,
        "treatment_strategy": risk.treatment_strategy,
        "owner_id": _owner_key(risk),
        "title": risk.title,
        "assessments": latest,
        "taken_at": timezone.now().isoformat(),
    }


def material_changes(snapshot: dict, risk: Risk) -> list[str]:
    reasons = []
    before, now = snapshot.get("current_level") or "", risk.current_level or ""
    if before and now and RiskLevel.rank(now) > RiskLevel.rank(before):
        reasons.append(f"level rose from {before} to {now}")
    if snapshot.get("treatment_strategy", "") != risk.treatment_strategy:
        reasons.append(
            f"treatment changed from {snapshot.get('treatment_strategy') or 'none'} "
            f"to {risk.treatment_strategy or 'none'}"
        )
    if snapshot.get("owner_id") != _owner_key(risk):
        reasons.append("owner changed")
    return reasons


def acceptance_request(*, risk_id, actor, justification: str, expires_on: date) -> RiskAcceptance:
    risk = get_for_update(Risk, risk_id, field="risk_id")
    if not justification.strip():
        raise invalid("justification", "Say why the risk should be accepted.")
    today = timezone.localdate()
    longest = register_settings().acceptance_max_days
    if expires_on <= today:
        raise invalid("expires_on", "The expiry is in the future.")
    if expires_on > today + timedelta(days=longest):
        raise invalid("expires_on", f"At most {longest} days ahead.", Code.EXPIRY_TOO_LONG)
    if not risk.current_level:
        raise invalid("risk_id", "Assess the risk before asking to accept it.", Code.NOT_ASSESSED)
    if risk.status not in (RiskStatus.OPEN, RiskStatus.IN_TREATMENT):
        raise invalid(
            "risk_id",
            f"A {risk.status} risk cannot be put up for acceptance.",
            Code.INVALID_TRANSITION,
        )
    if RiskAcceptance.objects.filter(risk=risk, status__in=LIVE).exists():
        raise invalid(
            "risk_id", "An acceptance is already pending or in force.", Code.ACCEPTANCE_PENDING
        )
    return RiskAcceptance.objects.create(
        risk=risk,
        justification=justification.strip(),
        requested_by=actor,
        requested_expires_at=expires_on,
    )


def _decided_by_someone_else(change: Change) -> None:
    """A risk manager or admin who did not ask for it decides."""
    if Role.rank(change.context.get("actor_role", "")) < Role.rank(Role.RISK_MANAGER):
        raise invalid(None, "Only a risk manager or admin decides acceptances.", Code.INVALID)
    if change.actor is None or change.obj.requested_by_id == change.actor.pk:
        raise invalid(None, "Someone other than the requester decides.", Code.SELF_APPROVAL)


def _record_decision(change: Change) -> list[str]:
    acceptance = change.obj
    acceptance.decided_by, acceptance.decided_at = change.actor, change.now
    acceptance.decision_comment = change.comment
    return ["decided_by", "decided_at", "decision_comment"]


def _record_end(change: Change) -> list[str]:
    acceptance = change.obj
    acceptance.voided_at, acceptance.void_reason = change.now, change.comment[:500]
    return ["voided_at", "void_reason"]


A = AcceptanceStatus
ACCEPTANCE_LIFECYCLE = Lifecycle(
    model=RiskAcceptance,
    statuses=AcceptanceStatus,
    table={
        A.REQUESTED: {A.APPROVED, A.REJECTED},
        A.APPROVED: {A.VOIDED, A.EXPIRED},
        A.REJECTED: set(),
        A.VOIDED: set(),
        A.EXPIRED: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    field="approve",  # acceptanceDecide names its target with `approve`
    noun="acceptance",
    # Voiding and expiry follow from the risk's changes and the calendar, never by hand.
    internal={A.VOIDED, A.EXPIRED},
    guards={A.APPROVED: _decided_by_someone_else, A.REJECTED: _decided_by_someone_else},
    on_enter={
        A.APPROVED: _record_decision,
        A.REJECTED: _record_decision,
        A.VOIDED: _record_end,
        A.EXPIRED: _record_end,
    },
)


@transaction.atomic
def acceptance_decide(
    *, acceptance_id, actor, actor_role: str, approve: bool, comment: str = ""
) -> RiskAcceptance:
    """Approve or reject: by a risk_manager or admin who did not ask for it."""
    acceptance = get_for_update(RiskAcceptance, acceptance_id)
    context = {"actor_role": actor_role}
    if not approve:
        transition(acceptance, A.REJECTED, actor=actor, comment=comment, context=context)
        return acceptance
    risk = Risk.objects.select_for_update().get(pk=acceptance.risk_id)
    change = transition(
        acceptance,
        A.APPROVED,
        actor=actor,
        comment=comment,
        context=context,
        changes={"expires_at": acceptance.requested_expires_at, "snapshot": snapshot_of(risk)},
    )
    risk_transition(
        risk_id=risk.pk, to=RiskStatus.ACCEPTED, actor=actor, via_acceptance=True, now=change.now
    )
    return acceptance


def void_on_material_change(risk: Risk) -> RiskAcceptance | None:
    acceptance = (
        RiskAcceptance.objects.select_for_update()
        .filter(risk=risk, status=AcceptanceStatus.APPROVED)
        .first()
    )
    if acceptance is None:
        return None
    reasons = material_changes(acceptance.snapshot, risk)
    if not reasons:
        return None
    _end(acceptance, AcceptanceStatus.VOIDED, "; ".join(reasons).capitalize() + ".")
    return acceptance


def end_live_acceptance(risk: Risk, *, reason: str, now=None) -> None:
    """The risk leaves ACCEPTED by hand: its approved acceptance ends with it."""
    for acceptance in RiskAcceptance.objects.select_for_update().filter(
        risk=risk, status=AcceptanceStatus.APPROVED
    ):
        transition(acceptance, A.VOIDED, comment=reason, now=now, internal=True)


def _end(acceptance: RiskAcceptance, status: str, reason: str, now=None) -> None:
    change = transition(acceptance, status, comment=reason, now=now, internal=True)
    from apps.risks.services.register import risk_transition

    if Risk.objects.filter(pk=acceptance.risk_id, status=RiskStatus.ACCEPTED).exists():
        risk_transition(risk_id=acceptance.risk_id, to=RiskStatus.OPEN, now=change.now)


def expire_due(today: date | None = None) -> int:
    """Approved acceptances past their expiry end; their risks reopen. Idempotent."""
    today = today or timezone.localdate()
    now = timezone.now()  # one clock for every acceptance this run ends
    due = RiskAcceptance.objects.select_for_update().filter(
        status=AcceptanceStatus.APPROVED, expires_at__lt=today
    )
    count = 0
    for acceptance in due:
        _end(acceptance, A.EXPIRED, f"Expired on {acceptance.expires_at}.", now)
        count += 1
    return count
