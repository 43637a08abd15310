"""Plans and versions: draft → in review → approved → retired. An approved version is never
edited (a change starts a new draft, a copy), and approving one retires the one in force."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.roles import Role
from apps.core.lifecycle import Change, Lifecycle, transition
from apps.core.validation import fits_column
from apps.emergency.errors import EmergencyErrorCode as Code
from apps.emergency.models import Plan, PlanVersion, RoleKind, Scenario, VersionStatus
from apps.emergency.services import content
from apps.emergency.services.common import add_months, get_for_update, holder, invalid
from apps.risks.selectors import category_exists, risks_by_ids

V = VersionStatus
PLAN_FIELDS = (
    "name",
    "scenario_id",
    "owner_id",
    "owner_person_id",
    "risk_category_ids",
    "risk_ids",
    "review_cycle_months",
    "drill_cadence_months",
)


def _approver(change: Change) -> None:
    """A risk manager or admin who is not the author approves (four eyes)."""
    if Role.rank(change.context.get("actor_role") or Role.VIEWER) < Role.rank(Role.RISK_MANAGER):
        raise invalid("to", "Only a risk manager or admin approves a plan.", Code.NOT_ALLOWED)
    if change.actor is None or change.obj.author_id == change.actor.pk:
        raise invalid("to", "Someone other than the author approves.", Code.SELF_APPROVAL)


def _manager_only(change: Change) -> None:
    if Role.rank(change.context.get("actor_role") or Role.VIEWER) < Role.rank(Role.RISK_MANAGER):
        raise invalid("to", "Only a risk manager or admin retires a plan.", Code.NOT_ALLOWED)


def _complete(change: Change) -> str | None:
    version = change.obj
    if not version.roles.filter(role=RoleKind.COMMANDER).exists():
        raise invalid("to", "The organisation needs a commander.", Code.INCOMPLETE)
    if not version.steps.exists():
        raise invalid("to", "The plan needs at least one step.", Code.INCOMPLETE)
    return None


def _submitted(change: Change) -> list[str]:
    change.obj.submitted_at = change.now
    return ["submitted_at"]


def _approved(change: Change) -> list[str]:
    version = change.obj
    in_force = (
        PlanVersion.objects.select_for_update()
        .filter(plan_id=version.plan_id, status=V.APPROVED)
        .exclude(pk=version.pk)
        .first()
    )
    if in_force is not None:  # first, so the one-approved-version constraint holds
        transition(in_force, V.RETIRED, actor=change.actor, now=change.now, context=change.context)
    plan = Plan.objects.select_for_update().get(pk=version.plan_id)
    plan.review_due_on = add_months(timezone.localdate(change.now), plan.review_cycle_months)
    plan.review_reminded_for = None
    plan.save(update_fields=["review_due_on", "review_reminded_for", "updated_at"])
    version.approved_by, version.approved_at = change.actor, change.now
    return ["approved_by", "approved_at"]


def _retired(change: Change) -> list[str]:
    change.obj.retired_at = change.now
    return ["retired_at"]


VERSION_LIFECYCLE = Lifecycle(
    model=PlanVersion,
    statuses=VersionStatus,
    table={
        V.DRAFT: {V.IN_REVIEW},
        V.IN_REVIEW: {V.DRAFT, V.APPROVED},
        V.APPROVED: {V.RETIRED},
        V.RETIRED: set(),
    },
    refusal_code=Code.INVALID_TRANSITION,
    field="to",
    noun="plan version",
    guards={V.IN_REVIEW: _complete, V.APPROVED: _approver, V.RETIRED: _manager_only},
    on_enter={V.IN_REVIEW: _submitted, V.APPROVED: _approved, V.RETIRED: _retired},
)


def _check_plan(fields: dict) -> None:
    if "name" in fields:
        if not (fields["name"] or "").strip():
            raise invalid("name", "A plan needs a name.")
        fields["name"] = fits_column(Plan, "name", fields["name"].strip(), Code.INVALID)
    if "scenario_id" in fields and not Scenario.objects.filter(pk=fields["scenario_id"]).exists():
        raise invalid("scenario_id", "No such scenario.", Code.NOT_FOUND)
    for name in ("review_cycle_months", "drill_cadence_months"):
        if name in fields and not 1 <= (fields[name] or 0) <= 60:
            raise invalid(name, "Between 1 and 60 months.")
    if "owner_id" in fields or "owner_person_id" in fields:
        # a member, or a person of the directory (a member with an entry is kept as it)
        person, member = holder(
            fields.get("owner_person_id"), fields.get("owner_id"), field="owner_id", required=False
        )
        fields["owner_id"] = getattr(member, "pk", None)
        fields["owner_person_id"] = getattr(person, "pk", None)
    if "risk_category_ids" in fields:
        ids = list(dict.fromkeys(fields["risk_category_ids"] or []))
        if not all(category_exists(pk) for pk in ids):
            raise invalid("risk_category_ids", "Some risk categories do not exist.", Code.NOT_FOUND)
        fields["risk_category_ids"] = ids
    if "risk_ids" in fields:
        ids = list(dict.fromkeys(str(pk) for pk in fields["risk_ids"] or []))
        if len(risks_by_ids(ids)) != len(ids):
            raise invalid("risk_ids", "Some risks do not exist.", Code.NOT_FOUND)
        fields["risk_ids"] = ids


@transaction.atomic
def plan_create(*, code: str, actor=None, **fields) -> Plan:
    """A plan and its first draft (version 1), empty: fill it with version_update."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"plan_create() got unexpected fields {sorted(unknown)}")
    code = slugify((code or "").strip()).replace("-", "_")
    if not code:
        raise invalid("code", "A plan needs a code (letters, digits, _).")
    code = fits_column(Plan, "code", code, Code.INVALID)
    if Plan.objects.filter(code=code).exists():
        raise invalid("code", "This plan code is taken.", Code.CODE_TAKEN)
    if "scenario_id" not in fields:
        raise invalid("scenario_id", "A plan needs a scenario.")
    _check_plan(fields)
    plan = Plan.objects.create(code=code, **fields)
    PlanVersion.objects.create(plan=plan, number=1, author=_user(actor))
    return plan


@transaction.atomic
def plan_update(*, plan_id, actor=None, **changes) -> Plan:
    """The plan's own settings (not its content, which is versioned)."""
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"plan_update() got unexpected fields {sorted(unknown)}")
    plan = get_for_update(Plan, plan_id)
    _check_plan(changes)
    for field, value in changes.items():
        setattr(plan, field, value.strip() if isinstance(value, str) else value)
    plan.save()
    return plan


@transaction.atomic
def version_update(*, version_id, actor=None, **changes) -> PlanVersion:
    """Replace parts of a draft's content; every list sent replaces the one stored."""
    version = get_for_update(PlanVersion, version_id)
    if version.status != V.DRAFT:
        raise invalid(
            "id", f"A {version.get_status_display().lower()} version is not edited.", Code.IMMUTABLE
        )
    content.write(version, changes)
    return version


@transaction.atomic
def version_new_draft(*, plan_id, actor=None) -> PlanVersion:
    """A new draft: a copy of the newest version (approved or retired), to edit."""
    plan = get_for_update(Plan, plan_id, field="plan_id")
    if plan.versions.filter(status__in=[V.DRAFT, V.IN_REVIEW]).exists():
        raise invalid(
            "plan_id", "The plan already has a draft or a version in review.", Code.DRAFT_EXISTS
        )
    source = plan.versions.order_by("-number").first()
    draft = PlanVersion.objects.create(
        plan=plan,
        number=(source.number + 1) if source else 1,
        author=_user(actor),
        objectives=source.objectives if source else "",
        success_criteria=list(source.success_criteria) if source else [],
        evaluation_template=source.evaluation_template if source else "",
    )
    if source is not None:
        content.copy(source, draft)
    return draft


@transaction.atomic
def version_transition(
    *, version_id, to: str, actor=None, actor_role: str = "", comment: str = "", now=None
) -> PlanVersion:
    version = get_for_update(PlanVersion, version_id)
    transition(
        version, to, actor=actor, comment=comment, now=now, context={"actor_role": actor_role}
    )
    return version


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
