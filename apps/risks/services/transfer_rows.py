"""Writing an import's checked rows: a new risk, or the update of the risk a row names."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery

from apps.accounts.models import User
from apps.core.tabular import RowError
from apps.risks.errors import RiskErrorCode as Code
from apps.risks.models import AssessmentKind, AssessmentMethod, Risk, RiskAssessment
from apps.risks.services import assessments, register
from apps.risks.services.transfer import IMPORT_COLUMNS

AXES = ("likelihood", "impact")
# Service field → import column, for errors the services raise during writing.
SERVICE_FIELDS = {"category_id": "category", "owner_id": "owner", "risk_id": "id", "to": "status"}
# What an empty cell sets on an update (a required column's empty cell is an error instead).
CLEARED: dict[str, Any] = {
    **dict.fromkeys(("description", "business_line", "causes", "consequences", "department"), ""),
    "treatment_strategy": "",
    "owner_id": None,
    "tags": [],
}


def _error(row: int, column: str | None, message: str, code: Code) -> RowError:
    return RowError(row, column, message, code.value)


class RowFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors


def existing_risks(plans: list, errors: list[RowError]) -> dict:
    """The risks the rows name by id (one query, with the latest inherent loss and currency the
    export wrote); an unknown id, or one named by two rows, is an error of its rows."""
    ids = [plan.risk_id for plan in plans if plan.risk_id is not None]
    latest = RiskAssessment.objects.filter(
        risk=OuterRef("pk"), kind=AssessmentKind.INHERENT
    ).order_by("-assessed_at", "-created_at")
    found = (
        Risk.objects.filter(pk__in=ids)
        .annotate(
            latest_loss=Subquery(latest.values("expected_loss")[:1]),
            latest_currency=Subquery(latest.values("currency")[:1]),
        )
        .in_bulk()
    )
    seen: set = set()
    for plan in plans:
        if plan.risk_id is None:
            continue
        if plan.risk_id not in found:
            errors.append(_error(plan.row, "id", "No risk with this id here.", Code.NOT_FOUND))
        elif plan.risk_id in seen:
            errors.append(_error(plan.row, "id", "Another row updates this risk.", Code.INVALID))
        seen.add(plan.risk_id)
    return found


def row_create(plan: Any, actor: User | None) -> Risk:
    with _row_errors(plan.row, kind=None):
        risk = register.risk_create(actor=actor, **plan.fields)
    _rate(plan, risk, actor, changed=lambda kind, rating: True)
    return risk


def row_update(plan: Any, risk: Risk, actor: User | None) -> Risk:
    """Set the row's columns on the risk; a status that differs is a transition, a rating (or
    the loss with the inherent one) that differs a new assessment; the same values change
    nothing, so re-importing an unedited export leaves the register as it was."""
    changes = {**{field: CLEARED[field] for field in plan.cleared}, **plan.fields}
    status = changes.pop("status", None)
    with _row_errors(plan.row, kind=None):
        register.risk_update(risk_id=risk.pk, actor=actor, **changes)
        if status and status != risk.status:
            register.risk_transition(risk_id=risk.pk, to=status, actor=actor)

    def changed(kind: str, rating: tuple[int, int]) -> bool:
        prefix = "inherent" if kind == AssessmentKind.INHERENT else "residual"
        stored = (getattr(risk, f"{prefix}_likelihood"), getattr(risk, f"{prefix}_impact"))
        if kind == AssessmentKind.RESIDUAL:
            return rating != stored
        loss = (plan.expected_loss, plan.currency)
        latest = (getattr(risk, "latest_loss", None), getattr(risk, "latest_currency", None))
        return rating != stored or loss != (latest[0], latest[1] or "CNY")  # annotated

    _rate(plan, risk, actor, changed=changed)
    return risk


def _rate(plan: Any, risk: Risk, actor: User | None, *, changed) -> None:
    ratings = ((AssessmentKind.INHERENT, plan.inherent), (AssessmentKind.RESIDUAL, plan.residual))
    for kind, rating in ratings:
        if rating is None or not changed(kind, rating):
            continue
        inherent = kind == AssessmentKind.INHERENT
        with _row_errors(plan.row, kind=kind):
            assessments.assessment_record(
                risk_id=risk.pk,
                kind=kind,
                likelihood=rating[0],
                impact=rating[1],
                actor=actor,
                method=AssessmentMethod.EXPERT,
                expected_loss=plan.expected_loss if inherent else None,
                currency=plan.currency if inherent else "CNY",
                rationale="Imported",
            )


@contextmanager
def _row_errors(row: int, *, kind: str | None) -> Iterator[None]:
    """A service's ValidationError becomes this row's errors, named by import column."""
    try:
        yield
    except ValidationError as exc:
        # a dict of field errors, else one list for no field (error_list only exists then)
        by_field: dict[Any, list] = getattr(exc, "error_dict", None) or {None: exc.error_list}
        known = {code.value for code in Code}
        raise RowFailed(
            [
                RowError(
                    row,
                    _column(field, kind),
                    str(error.message % error.params if error.params else error.message),
                    error.code if error.code in known else Code.INVALID.value,
                )
                for field, field_errors in by_field.items()
                for error in field_errors
            ]
        ) from exc


def _column(field: str | None, kind: str | None) -> str | None:
    if field in AXES and kind:
        return f"{kind}_{field}"
    field = SERVICE_FIELDS.get(field or "", field)
    return field if field in IMPORT_COLUMNS else None
