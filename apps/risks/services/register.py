"""Risks: creation, edits, the one status-transition function, and derived flags."""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.audit import audited_update
from apps.core.lifecycle import Change, Lifecycle, transition
from apps.risks.errors import RiskErrorCode as Code
from apps.risks.levels import RiskLevel
from apps.risks.models import (
    Risk,
    RiskCategory,
    RiskSource,
    RiskStatus,
    TreatmentStrategy,
)
from apps.risks.selectors import appetite_for, cadence_days
from apps.risks.services.common import check_person, get_for_update, invalid


def _leave_accepted(change: Change) -> None:
    from apps.risks.services.acceptance import end_live_acceptance

    end_live_acceptance(change.obj, reason=f"Risk moved to {change.to}.", now=change.now)


# status → statuses it may move to. ACCEPTED is reached only through an approved acceptance.
RISK_LIFECYCLE = Lifecycle(
    model=Risk,
    statuses=RiskStatus,
    table={
        RiskStatus.DRAFT: {RiskStatus.OPEN, RiskStatus.CLOSED},
        RiskStatus.OPEN: {RiskStatus.IN_TREATMENT, RiskStatus.ACCEPTED, RiskStatus.CLOSED},
        RiskStatus.IN_TREATMENT: {RiskStatus.OPEN, RiskStatus.ACCEPTED, RiskStatus.CLOSED},
        RiskStatus.ACCEPTED: {RiskStatus.OPEN, RiskStatus.CLOSED},
        RiskStatus.CLOSED: {RiskStatus.OPEN},
    },
    refusal_code=Code.INVALID_TRANSITION,
    noun="risk",
    internal={RiskStatus.ACCEPTED},
    internal_message="A risk is accepted by approving an acceptance request.",
    on_leave={RiskStatus.ACCEPTED: _leave_accepted},
)

EDITABLE = [
    "title",
    "description",
    "category_id",
    "business_line",
    "causes",
    "consequences",
    "source",
    "owner_id",
    "department",
    "org_department_id",
    "treatment_strategy",
    "tags",
]


def _clean(fields: dict, current_owner_id=None) -> dict:
    if "title" in fields and not (fields["title"] or "").strip():
        raise invalid("title", "A risk needs a title.")
    if (
        "category_id" in fields
        and not RiskCategory.objects.filter(pk=fields["category_id"]).exists()
    ):
        raise invalid("category_id", "No such category.", Code.NOT_FOUND)
    if "source" in fields and fields["source"] not in RiskSource.values:
        raise invalid("source", "Unknown source.")
    if (
        fields.get("treatment_strategy")
        and fields["treatment_strategy"] not in TreatmentStrategy.values
    ):
        raise invalid("treatment_strategy", "Unknown strategy.")
    if "owner_id" in fields:
        check_person(fields["owner_id"], field="owner_id", current=current_owner_id)
    if fields.get("org_department_id") is not None:
        from apps.people.selectors import active_department_exists

        if not active_department_exists(fields["org_department_id"]):
            raise invalid("org_department_id", "No such active department.", Code.NOT_FOUND)
    if "tags" in fields:
        fields["tags"] = sorted(
            {tag.strip().lower() for tag in fields["tags"] or [] if tag.strip()}
        )
    return fields


@transaction.atomic
def risk_create(*, title: str, category_id, actor=None, **fields) -> Risk:
    unknown = set(fields) - set(EDITABLE) - {"related_risk_ids", "status"}
    if unknown:
        raise TypeError(f"risk_create() got unexpected fields {sorted(unknown)}")
    related = fields.pop("related_risk_ids", None) or []
    status = fields.pop("status", RiskStatus.DRAFT)
    if status not in (RiskStatus.DRAFT, RiskStatus.OPEN):
        raise invalid("status", "A new risk is a draft or open.", Code.INVALID_TRANSITION)
    data = _clean({"title": title, "category_id": category_id, **fields})
    # Unassessed: no level to hold against appetite; reviewed on the low cadence.
    risk = Risk(
        **data,
        status=status,
        next_review_at=timezone.localdate() + timedelta(days=cadence_days("")),
    )
    risk.title = risk.title.strip()
    risk.full_clean(exclude=["owner", "number"])
    risk.number = _next_number()
    risk.save()
    if related:
        risk_relate(risk=risk, related_ids=related)
    return risk


def _next_number() -> int:
    """The next reference number of this tenant's register. Creations of one schema queue on
    a transaction-level advisory lock (risks are created by people, not in floods), so two
    at once never take the same number; the unique column is the last word."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.risk_number'))")
    latest = Risk.objects.aggregate(latest=Max("number"))["latest"]
    return (latest or 0) + 1


@transaction.atomic
def risk_update(*, risk_id, actor=None, **changes) -> Risk:
    """Edit fields; a material change voids a live acceptance (see acceptance.py)."""
    from apps.risks.services.acceptance import void_on_material_change

    unknown = set(changes) - set(EDITABLE) - {"related_risk_ids"}
    if unknown:
        raise TypeError(f"risk_update() got unexpected fields {sorted(unknown)}")
    risk = get_for_update(Risk, risk_id, related=("category",))
    related = changes.pop("related_risk_ids", None)
    for field, value in _clean(changes, risk.owner_id).items():
        setattr(risk, field, value.strip() if field == "title" else value)
    risk.full_clean(exclude=["owner"])
    risk.save()
    if related is not None:
        risk_relate(risk=risk, related_ids=related)
    if "category_id" in changes:  # another branch of the tree may have another appetite
        refresh_flags(risk)
    if risk.status == RiskStatus.ACCEPTED:
        void_on_material_change(risk)
    return risk


def risk_relate(*, risk: Risk, related_ids: list) -> None:
    related_ids = [pk for pk in related_ids if str(pk) != str(risk.pk)]
    found = list(Risk.objects.filter(pk__in=related_ids))
    if len(found) != len(set(map(str, related_ids))):
        raise invalid("related_risk_ids", "Some related risks do not exist.", Code.NOT_FOUND)
    risk.related_risks.set(found)


@transaction.atomic
def risk_transition(
    *, risk_id, to: str, actor=None, via_acceptance: bool = False, now=None
) -> Risk:
    risk = get_for_update(Risk, risk_id)
    transition(risk, to, actor=actor, now=now, internal=via_acceptance)
    return risk


ARCHIVABLE = (RiskStatus.DRAFT, RiskStatus.CLOSED)


@transaction.atomic
def risk_archive(*, risk_id, actor=None) -> Risk:
    """Take a draft or closed risk out of the register's lists, reports and heatmap. Nothing is
    deleted: the risk, its history and its audit trail stay readable by id."""
    risk = get_for_update(Risk, risk_id)
    if risk.archived_at is not None:
        raise invalid("risk_id", "This risk is already archived.", Code.INVALID_TRANSITION)
    if risk.status not in ARCHIVABLE:
        raise invalid(
            "risk_id",
            f"Close the risk before archiving it (it is {risk.status}).",
            Code.INVALID_TRANSITION,
        )
    risk.archived_at = timezone.now()
    risk.save(update_fields=["archived_at", "updated_at"])
    return risk


def derive(risk: Risk, *, level_rose: bool = False) -> dict:
    """The derived columns from the ratings on `risk` (set on it too): current level, the
    above-appetite flag, and — when the level rose — a review date brought forward."""
    current = risk.residual_level or risk.inherent_level
    appetite = appetite_for(risk.category) if current else None
    fields = {
        "current_level": current,
        "above_appetite": bool(appetite and RiskLevel.rank(current) > RiskLevel.rank(appetite)),
    }
    if level_rose:
        due = timezone.localdate() + timedelta(days=cadence_days(current))
        if risk.next_review_at is None or due < risk.next_review_at:
            fields["next_review_at"] = due
    for field, value in fields.items():
        setattr(risk, field, value)
    return fields


def refresh_flags(risk: Risk) -> None:
    fields = derive(risk)
    risk.save(update_fields=[*fields, "updated_at"])  # a save: the trail sees the flag change


def refresh_appetite_flags() -> int:
    """After an appetite changes: recompute every assessed risk's flag. Returns how many changed."""
    changed = 0
    for risk in Risk.objects.select_related("category").exclude(current_level=""):
        before = (risk.current_level, risk.above_appetite)
        derive(risk)
        if (risk.current_level, risk.above_appetite) != before:  # only real changes are written
            risk.save(update_fields=["current_level", "above_appetite", "updated_at"])
            changed += before[1] != risk.above_appetite
    return changed


def flag_for_review(*, risk_ids: list, reason: str) -> int:
    """Other modules (a red indicator) ask for an early review: due today, with the reason.
    In bulk, audited: the entries name the job that asked (a scan runs as a job)."""
    return audited_update(
        Risk.objects.filter(pk__in=risk_ids).exclude(status=RiskStatus.CLOSED),
        review_flag=reason[:200],
        next_review_at=timezone.localdate(),
        updated_at=timezone.now(),
    )
