"""Floor views: the same answer as a benchmarked GraphQL query, written by hand.

A floor goes through the same middleware (tenant from host, bearer token, membership) and does
the same work a resolver does, minus GraphQL: it is what the request would cost if the API
layer were free. Each benchmark compares its query with its floor in the same run.
"""

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from apps.accounts.roles import Role


def answer(payload: Any) -> JsonResponse:
    """JSON with the GraphQL view's compact separators: the same bytes on the wire."""
    return JsonResponse(payload, json_dumps_params={"separators": (",", ":")})


def unauthenticated() -> JsonResponse:
    message = "Authentication required: send 'Authorization: Bearer <token>'."
    return answer(
        {"data": None, "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}
    )


@require_POST
def me(request: HttpRequest) -> JsonResponse:
    """Floor of `{ me { user { email } role } }`: the caller's e-mail and role on this host."""
    json.loads(request.body or b"{}")  # the GraphQL view parses its body too
    if not request.user.is_authenticated:
        return unauthenticated()
    membership = request.membership  # type: ignore[attr-defined]
    # GraphQL enums serialise as the member name (Role.ADMIN -> "ADMIN").
    role = Role(membership.role).name if membership is not None else None
    return answer({"data": {"me": {"user": {"email": request.user.email}, "role": role}}})


# --- risk_list ------------------------------------------------------------------------------
def _enum_names(choices) -> dict[str, str]:
    """value -> GraphQL enum name (the member name), e.g. "in_treatment" -> "IN_TREATMENT"."""
    return {member.value: member.name for member in choices}


def _page_size(request: HttpRequest, name: str, default: int) -> int | None:
    from django.conf import settings

    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        return None
    return value if 0 <= value <= settings.GRAPHQL_PAGE_MAX else None


@require_POST
def risk_list(request: HttpRequest) -> JsonResponse:
    """Floor of the register's first page with the first controls of each risk.

    Same answer as `{ risks(first: F) { totalCount edges { node { id title status category
    { code nameEn } owner { email } inherent { level score } residual { level score }
    currentLevel controls(first: C) { edges { node { name effectiveness } } } } } } }`,
    F and C given as `?first=F&controls=C`. Three queries: the count, the page (category and
    owner joined), and the first C controls of every risk on the page in one window query.
    """
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber
    from strawberry.relay import to_base64

    from apps.risks.levels import RiskLevel
    from apps.risks.models import Control, ControlEffectiveness, Risk, RiskStatus

    json.loads(request.body or b"{}")  # the GraphQL view parses its body too
    if not request.user.is_authenticated:
        return unauthenticated()
    if request.membership is None:  # type: ignore[attr-defined]  # IsViewer: any member
        message = "You are not a member of this tenant."
        return answer({"data": None, "errors": [{"message": message, "path": ["risks"]}]})
    first, per_risk = _page_size(request, "first", 100), _page_size(request, "controls", 5)
    if first is None or per_risk is None:
        return answer({"data": None, "errors": [{"message": "Bad page size."}]})
    statuses, levels = _enum_names(RiskStatus), _enum_names(RiskLevel)
    effectiveness = _enum_names(ControlEffectiveness)

    risks = Risk.objects.order_by("-created_at", "-id")  # selectors.ORDERINGS["created"]
    total = risks.count()
    page = list(
        risks.values_list(
            "id",
            "title",
            "status",
            "category__code",
            "category__name_en",
            "owner__email",
            "inherent_likelihood",
            "inherent_level",
            "inherent_score",
            "residual_likelihood",
            "residual_level",
            "residual_score",
            "current_level",
        )[:first]
    )
    controls: dict[Any, list] = {row[0]: [] for row in page}
    if page and per_risk:
        # Like the nested connection: each risk's controls in Control.Meta.ordering (name, id).
        ranked = (
            Control.risks.through.objects.filter(risk_id__in=list(controls))
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("risk_id"),
                    order_by=(F("control__name").asc(), F("control_id").asc()),
                )
            )
            .filter(rank__lte=per_risk)
            .order_by("risk_id", "rank")
            .values_list("risk_id", "control__name", "control__effectiveness")
        )
        for risk_id, name, rating in ranked:
            node = {"name": name, "effectiveness": effectiveness[rating]}
            controls[risk_id].append({"node": node})

    def rating(likelihood, level, score):  # types._rating: null when not assessed
        return {"level": levels[level], "score": score} if likelihood else None

    edges = [
        {
            "node": {
                "id": to_base64("Risk", pk),
                "title": title,
                "status": statuses[status],
                "category": {"code": code, "nameEn": name_en},
                "owner": {"email": email} if email is not None else None,
                "inherent": rating(i_likelihood, i_level, i_score),
                "residual": rating(r_likelihood, r_level, r_score),
                "currentLevel": levels[current] if current else None,
                "controls": {"edges": controls[pk]},
            }
        }
        for (
            pk,
            title,
            status,
            code,
            name_en,
            email,
            i_likelihood,
            i_level,
            i_score,
            r_likelihood,
            r_level,
            r_score,
            current,
        ) in page
    ]
    return answer({"data": {"risks": {"totalCount": total, "edges": edges}}})
