"""Risk acceptance bound to the exact state that was approved.

Approval stores a snapshot (level, treatment, owner, latest assessments). Afterwards a material
change — the current level rising, the treatment strategy or the owner changing — voids the
acceptance with the reason, and the risk goes back to open. Expiry also reopens the risk.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import Role
from apps.risks.errors import RiskErrorCode as Code
from apps.risks.levels import RiskLevel
from apps.risks.models import AcceptanceStatus, Risk, RiskAcceptance, RiskStatus
from apps.risks.selectors import register_settings
from apps.risks.services.common import get_for_update, invalid
from apps.risks.services.register import risk_transition

LIVE = (AcceptanceStatus.REQUESTED, AcceptanceStatus.APPROVED)


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
        "owner_id": risk.owner_id,
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
    if snapshot.get("owner_id") != risk.owner_id:
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


@transaction.atomic
def acceptance_decide(
    *, acceptance_id, actor, actor_role: str, approve: bool, comment: str = ""
) -> RiskAcceptance:
    """Approve or reject: by a risk_manager or admin who did not ask for it."""
    acceptance = get_for_update(RiskAcceptance, acceptance_id)
    if acceptance.status != AcceptanceStatus.REQUESTED:
        raise invalid("id", f"This acceptance is {acceptance.status}.", Code.INVALID_TRANSITION)
    if Role.rank(actor_role) < Role.rank(Role.RISK_MANAGER):
        raise invalid(None, "Only a risk manager or admin decides acceptances.", Code.INVALID)
    if acceptance.requested_by_id == actor.pk:
        raise invalid(None, "Someone other than the requester decides.", Code.SELF_APPROVAL)
    acceptance.decided_by, acceptance.decided_at = actor, timezone.now()
    acceptance.decision_comment = comment
    if approve:
        risk = Risk.objects.select_for_update().get(pk=acceptance.risk_id)
        acceptance.status = AcceptanceStatus.APPROVED
        acceptance.expires_at = acceptance.requested_expires_at
        acceptance.snapshot = snapshot_of(risk)
        acceptance.save()
        risk_transition(risk_id=risk.pk, to=RiskStatus.ACCEPTED, actor=actor, via_acceptance=True)
    else:
        acceptance.status = AcceptanceStatus.REJECTED
        acceptance.save()
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


def end_live_acceptance(risk: Risk, *, reason: str) -> None:
    """The risk leaves ACCEPTED by hand: its approved acceptance ends with it."""
    for acceptance in RiskAcceptance.objects.select_for_update().filter(
        risk=risk, status=AcceptanceStatus.APPROVED
    ):
        acceptance.status = AcceptanceStatus.VOIDED
        acceptance.voided_at, acceptance.void_reason = timezone.now(), reason
        acceptance.save()


def _end(acceptance: RiskAcceptance, status: str, reason: str) -> None:
    acceptance.status = status
    acceptance.voided_at, acceptance.void_reason = timezone.now(), reason
    acceptance.save()
    if Risk.objects.filter(pk=acceptance.risk_id, status=RiskStatus.ACCEPTED).exists():
        risk_transition(risk_id=acceptance.risk_id, to=RiskStatus.OPEN)


def expire_due(today: date | None = None) -> int:
    """Approved acceptances past their expiry end; their risks reopen. Idempotent."""
    today = today or timezone.localdate()
    due = RiskAcceptance.objects.select_for_update().filter(
        status=AcceptanceStatus.APPROVED, expires_at__lt=today
    )
    count = 0
    for acceptance in due:
        _end(acceptance, AcceptanceStatus.EXPIRED, f"Expired on {acceptance.expires_at}.")
        count += 1
    return count
