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
