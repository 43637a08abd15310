"""Taxonomy, matrices, appetite, limits and register settings: what a tenant sets up."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.risks import matrix as matrix_math
from apps.risks.errors import RiskErrorCode as Code
from apps.risks.levels import RiskLevel
from apps.risks.models import (
    ControlEffectiveness,
    RegisterSettings,
    Risk,
    RiskAppetite,
    RiskCategory,
    RiskLimit,
    RiskMatrix,
)
from apps.risks.selectors import register_settings
from apps.risks.services import assessments
from apps.risks.services.common import get_for_update, invalid
from apps.risks.services.register import refresh_appetite_flags

# The ten codes of domain.md; every tenant starts with them and they never change meaning.
SEED_CATEGORIES = [
    ("credit", "Credit risk", "信用风险"),
    ("fraud", "Fraud risk", "欺诈风险"),
    ("market", "Market risk", "市场风险"),
    ("liquidity", "Liquidity risk", "流动性风险"),
    ("operational", "Operational risk", "操作风险"),
    ("technology", "Technology and cyber risk", "技术风险"),
    ("third_party", "Third-party risk", "合作方风险"),
    ("legal_compliance", "Legal and compliance risk", "法律合规风险"),
    ("reputational", "Reputational risk", "声誉风险"),
    ("strategic", "Strategic risk", "战略风险"),
]


def category_create(
    *, code: str, name_en: str, name_zh: str = "", description: str = "", parent_id=None
) -> RiskCategory:
    code = code.strip().lower()
    if RiskCategory.objects.filter(code=code).exists():
        raise invalid("code", "This code is taken.", Code.CODE_TAKEN)
    parent = RiskCategory.objects.filter(pk=parent_id).first() if parent_id else None
    if parent_id and parent is None:
        raise invalid("parent_id", "No such category.", Code.NOT_FOUND)
    category = RiskCategory(
        code=code,
        name_en=name_en.strip(),
        name_zh=name_zh.strip(),
        description=description,
        parent=parent,
        path=f"{parent.path}/{code}" if parent else code,
    )
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def category_update(
    *,
    category_id,
    name_en: str | None = None,
    name_zh: str | None = None,
    description: str | None = None,
) -> RiskCategory:
    """Names and descriptions change; codes and the tree position do not (they are identifiers)."""
    category = get_for_update(RiskCategory, category_id)
    for field, value in (("name_en", name_en), ("name_zh", name_zh), ("description", description)):
        if value is not None:
            setattr(category, field, value.strip() if field != "description" else value)
    category.full_clean()
    category.save()
    return category


def matrix_create(*, name: str, definition: dict) -> RiskMatrix:
    """A new version; it rates nothing until activated."""
    try:
        matrix_math.validate(definition)
    except matrix_math.MatrixError as exc:
        raise invalid("definition", str(exc), Code.MATRIX_INVALID) from exc
    latest = RiskMatrix.objects.order_by("-version").values_list("version", flat=True).first() or 0
    definition = {
        **definition,
        "colours": {**matrix_math.DEFAULT_COLOURS, **definition.get("colours", {})},
    }
    return RiskMatrix.objects.create(
        name=name.strip() or f"Matrix v{latest + 1}", version=latest + 1, definition=definition
    )


@transaction.atomic
def matrix_activate(*, matrix_id, actor) -> tuple[RiskMatrix, int]:
    """Switch the tenant to another matrix; every current rating is carried over.

    Each risk's latest inherent and residual ratings are mapped onto the new matrix and recorded
    as new assessments (method `matrix_migration`, rationale naming the old cell), so nothing is
    lost and the history shows the switch. Returns the matrix and how many ratings were mapped.
    """
    new = get_for_update(RiskMatrix, matrix_id)
    old = RiskMatrix.objects.select_for_update().filter(is_active=True).first()
    if old is None or old.pk == new.pk:
        raise invalid("id", "This matrix is already active.", Code.INVALID_TRANSITION)
    old.is_active = False
    old.save(update_fields=["is_active", "updated_at"])
    new.is_active = True
    new.activated_at = timezone.now()
    new.save(update_fields=["is_active", "activated_at", "updated_at"])
    mapped = assessments.carry_over_ratings(old=old, new=new, actor=actor)
    return new, mapped


def appetite_set(*, category_id, max_level: str, statement: str = "") -> RiskAppetite:
    category = RiskCategory.objects.filter(pk=category_id).first()
    if category is None:
        raise invalid("category_id", "No such category.", Code.NOT_FOUND)
    if max_level not in RiskLevel.values:
        raise invalid("max_level", "Unknown level.")
    appetite, _ = RiskAppetite.objects.update_or_create(
        category=category, defaults={"max_level": max_level, "statement": statement}
    )
    refresh_appetite_flags()
    return appetite


LIMIT_FIELDS = ["name", "cap", "current_value", "unit", "warning_ratio", "category_id", "risk_id"]
# An update may send null for these: the link is cleared. The others are required.
LIMIT_CLEARABLE = {"category_id", "risk_id"}


def limit_create(
    *,
    name: str,
    cap: Decimal,
    current_value: Decimal = Decimal(0),
    unit: str = "CNY",
    warning_ratio: Decimal = Decimal("0.8"),
    category_id=None,
    risk_id=None,
) -> RiskLimit:
    fields = {
        "name": name,
        "cap": cap,
        "current_value": current_value,
        "unit": unit,
        "warning_ratio": warning_ratio,
        "category_id": category_id,
        "risk_id": risk_id,
    }
    return _limit_write(RiskLimit(), fields)


@transaction.atomic
def limit_update(*, limit_id, **fields) -> RiskLimit:
    """Change the fields given; an omitted one is unchanged, None clears a link."""
    unknown = set(fields) - set(LIMIT_FIELDS)
    if unknown:
        raise TypeError(f"limit_update() got unexpected fields {sorted(unknown)}")
    return _limit_write(get_for_update(RiskLimit, limit_id), fields)


def limit_save(*, limit_id=None, **fields) -> RiskLimit:
    """The admin's write: every field, on a new or an existing limit."""
    return limit_update(limit_id=limit_id, **fields) if limit_id else limit_create(**fields)


def _limit_write(limit: RiskLimit, fields: dict) -> RiskLimit:
    for field, value in fields.items():
        if value is None and field not in LIMIT_CLEARABLE:
            raise invalid(field, "This field cannot be cleared.")
    if "name" in fields and not fields["name"].strip():
        raise invalid("name", "A limit needs a name.")
    if "cap" in fields and fields["cap"] <= 0:
        raise invalid("cap", "A limit's cap is above zero.")
    if "warning_ratio" in fields and not Decimal(0) < fields["warning_ratio"] <= Decimal(1):
        raise invalid("warning_ratio", "Between 0 and 1.")
    if (
        fields.get("category_id")
        and not RiskCategory.objects.filter(pk=fields["category_id"]).exists()
    ):
        raise invalid("category_id", "No such category.", Code.NOT_FOUND)
    if fields.get("risk_id") and not Risk.objects.filter(pk=fields["risk_id"]).exists():
        raise invalid("risk_id", "No such risk.", Code.NOT_FOUND)
    for field, value in fields.items():
        setattr(limit, field, value.strip() if field == "name" else value)
    limit.full_clean()
    limit.save()
    limit.refresh_from_db()  # decimals as stored (4 places), whatever precision was sent
    return limit


def settings_update(
    *,
    review_cadence_days: dict | None = None,
    residual_steps: dict | None = None,
    acceptance_max_days: int | None = None,
) -> RegisterSettings:
    settings = register_settings()
    if review_cadence_days is not None:
        if (
            not isinstance(review_cadence_days, dict)
            or set(review_cadence_days) != set(RiskLevel.values)
            or any(
                not isinstance(v, int) or not 1 <= v <= 3650 for v in review_cadence_days.values()
            )
        ):
            raise invalid(
                "review_cadence_days",
                "Give 1 to 3650 days for each of low, medium, high, critical.",
            )
        settings.review_cadence_days = review_cadence_days
    if residual_steps is not None:
        if (
            not isinstance(residual_steps, dict)
            or set(residual_steps) != set(ControlEffectiveness.values)
            or any(not isinstance(v, int) or not 0 <= v <= 9 for v in residual_steps.values())
        ):
            raise invalid("residual_steps", "Give 0 to 9 steps for each effectiveness rating.")
        settings.residual_steps = residual_steps
    if acceptance_max_days is not None:
        if not 1 <= acceptance_max_days <= 3650:
            raise invalid("acceptance_max_days", "1 to 3650 days.")
        settings.acceptance_max_days = acceptance_max_days
    settings.save()
    return settings
