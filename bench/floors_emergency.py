"""Floors of the emergency benchmark: the activations page and one activation's timeline page,
the same JSON as the GraphQL answers, written by hand (same middleware, no GraphQL)."""

import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from bench.floors import _enum_names, _page_size, answer, unauthenticated


@require_POST
def activation_list(request: HttpRequest) -> JsonResponse:
    """`{ activations(first: F) { totalCount edges { node { id title status declaredAt
    plan { code name } level { code } commander { fullName } openTaskCount } } } }`: the count,
    the page (plan and level joined, open tasks counted) and the page's commanders: 3 queries."""
    from django.db.models import Count, Q
    from strawberry.relay import to_base64

    from apps.emergency.models import Activation, ActivationRole, ActivationStatus

    json.loads(request.body or b"{}")
    if not request.user.is_authenticated or request.membership is None:  # type: ignore[attr-defined]
        return unauthenticated()
    first = _page_size(request, "first", 100)
    statuses = _enum_names(ActivationStatus)
    rows = Activation.objects.order_by("-declared_at", "-id")
    total = rows.count()
    page = list(
        rows.annotate(
            open_tasks=Count("tasks", filter=Q(tasks__status__in=["pending", "in_progress"]))
        ).values_list(
            "id",
            "title",
            "status",
            "declared_at",
            "plan__code",
            "plan__name",
            "level__code",
            "open_tasks",
        )[:first]
    )
    commanders = dict(
        ActivationRole.objects.filter(
            activation_id__in=[r[0] for r in page], role="commander", ended_at__isnull=True
        ).values_list("activation_id", "person__full_name")
    )
    edges = [
        {
            "node": {
                "id": to_base64("Activation", pk),
                "title": title,
                "status": statuses[status],
                "declaredAt": declared.isoformat(),
                "plan": {"code": code, "name": name},
                "level": {"code": level},
                "commander": ({"fullName": commanders[pk]} if pk in commanders else None),
                "openTaskCount": open_tasks,
            }
        }
        for pk, title, status, declared, code, name, level, open_tasks in page
    ]
    return answer({"data": {"activations": {"totalCount": total, "edges": edges}}})


@require_POST
def activation_timeline(request: HttpRequest) -> JsonResponse:
    """`{ activation(id: X) { timeline(first: F) { totalCount edges { node { kind at text } }
    } } }`, X given as `?activation=<uuid>`: the activation, the count and the page."""
    from apps.emergency.models import Activation, EventKind, TimelineEvent

    json.loads(request.body or b"{}")
    if not request.user.is_authenticated or request.membership is None:  # type: ignore[attr-defined]
        return unauthenticated()
    first = _page_size(request, "first", 100)
    activation = Activation.objects.filter(pk=request.GET.get("activation")).only("pk").first()
    if activation is None:
        return answer({"data": {"activation": None}})
    kinds = _enum_names(EventKind)
    events = TimelineEvent.objects.filter(activation=activation).order_by("at", "created_at")
    total = events.count()
    edges = [
        {"node": {"kind": kinds[kind], "at": at.isoformat(), "text": text}}
        for kind, at, text in events.values_list("kind", "at", "text")[:first]
    ]
    return answer({"data": {"activation": {"timeline": {"totalCount": total, "edges": edges}}}})
