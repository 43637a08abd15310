"""The daily register run: overdue reviews, expired acceptances, residual proposals, notices.

Idempotent: a second run the same day finds nothing new to change and, because notifications are
keyed by (event, object, day), sends nothing twice.
"""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import services as jobs
from apps.core.models import Job
from apps.core.transactions import enqueue_task_on_commit
from apps.notifications.services import notify, publish
from apps.risks.models import AcceptanceStatus, Control, RegisterSettings, Risk, RiskAcceptance
from apps.risks.module import JOB_DAILY
from apps.risks.selectors import overdue_filter, register_settings
from apps.risks.services import acceptance as acceptances
from apps.risks.services.assessments import residual_proposal

DAILY_TASK = "risks.daily_register"


@transaction.atomic
def daily_run_claim(today: date | None = None) -> Job | None:
    """Claim today's run (one UPDATE decides, so two ticks start it once) and queue its job after
    commit; None when today's run has started already."""
    today = today or timezone.localdate()
    settings = register_settings()
    claimed = (
        RegisterSettings.objects.filter(pk=settings.pk)
        .filter(Q(daily_run_on__isnull=True) | Q(daily_run_on__lt=today))
        .update(daily_run_on=today)
    )
    if not claimed:
        return None
    job = jobs.job_create(kind=JOB_DAILY)
    enqueue_task_on_commit(DAILY_TASK, str(job.pk))
    return job


def account_of(person):
    """The member account of an owner (a person): e-mail notifications go to members only, so
    an owner without a linked account is told nothing (webhooks still hear of it)."""
    return person.user if person is not None and person.user_id is not None else None


@transaction.atomic
def run_daily(*, since: datetime, today: date | None = None) -> dict:
    """`today` is the day the run was claimed for: every decision of the run uses that date."""
    today = today or timezone.localdate()
    overdue = list(
        Risk.objects.select_related("owner__user").filter(overdue_filter(today))
    )  # webhooks hear of every one
    for risk in overdue:
        publish(
            event="risks.review_overdue",
            dedup_key=f"risks.review_overdue:{risk.pk}:{today}",
            payload={
                "risk": str(risk.pk),
                "title": risk.title,
                "due": str(risk.next_review_at),  # set: the filter asks for a past date
            },
        )
        notify(
            recipients=[account_of(risk.owner)],
            event="risks.review_overdue",
            subject=f"Review overdue: {risk.title}",
            body=f"The review of “{risk.title}” was due on {risk.next_review_at}.",
            dedup_key=f"risks.review_overdue:{risk.pk}:{today}",
        )

    expired_before = set(
        RiskAcceptance.objects.filter(status=AcceptanceStatus.EXPIRED).values_list("pk", flat=True)
    )
    expired = acceptances.expire_due(today)
    for acceptance in (
        RiskAcceptance.objects.select_related("risk__owner__user", "requested_by")
        .filter(status=AcceptanceStatus.EXPIRED)
        .exclude(pk__in=expired_before)
    ):
        publish(
            event="risks.acceptance_expired",
            dedup_key=f"risks.acceptance_expired:{acceptance.pk}",
            payload={
                "risk": str(acceptance.risk_id),
                "acceptance": str(acceptance.pk),
                "expired_on": str(acceptance.expires_at),  # an approved one has its expiry
            },
        )
        notify(
            recipients=[account_of(acceptance.risk.owner), acceptance.requested_by],
            event="risks.acceptance_expired",
            subject=f"Acceptance expired: {acceptance.risk.title}",
            body=f"The acceptance of “{acceptance.risk.title}” expired; the risk is open again.",
            dedup_key=f"risks.acceptance_expired:{acceptance.pk}",
        )

    proposals = refresh_residual_proposals(since=since)
    return {
        "overdue_reviews": len(overdue),
        "acceptances_expired": expired,
        "residual_proposals": proposals,
    }


def refresh_residual_proposals(*, since: datetime) -> int:
    """For risks whose controls changed effectiveness since `since`: store the residual the
    controls now justify, when it differs from the current residual. Returns proposals made."""
    changed = Control.objects.filter(effectiveness_changed_at__gte=since)
    made = 0
    risks = Risk.objects.filter(controls__in=changed).distinct().exclude(inherent_level="")
    for risk in risks.select_related("owner__user"):
        rating = residual_proposal(risk=risk)
        if rating is None:
            continue
        current = (risk.residual_likelihood, risk.residual_impact)
        proposal = {
            "likelihood": rating.likelihood,
            "impact": rating.impact,
            "score": rating.score,
            "level": rating.level,
        }
        if (rating.likelihood, rating.impact) == current or risk.residual_proposal == proposal:
            continue
        risk.residual_proposal = proposal
        risk.save(update_fields=["residual_proposal", "updated_at"])
        made += 1
        publish(
            event="risks.residual_proposed",
            dedup_key=f"risks.residual_proposed:{risk.pk}:{rating.likelihood}:{rating.impact}",
            payload={"risk": str(risk.pk), **proposal},
        )
        notify(
            recipients=[account_of(risk.owner)],
            event="risks.residual_proposed",
            subject=f"New residual rating proposed: {risk.title}",
            body=f"Its controls changed; they now justify a {rating.level} residual rating "
            f"(L{rating.likelihood}×I{rating.impact}).",
            dedup_key=f"risks.residual_proposed:{risk.pk}:{rating.likelihood}:{rating.impact}",
        )
    return made
