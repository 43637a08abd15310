from django.db.models import QuerySet

from apps.accounts.models import ApiToken, Membership
from apps.core.schemas import tenant_connection


def members(*, tenant) -> QuerySet[Membership]:
    return Membership.objects.filter(tenant=tenant).select_related("user").order_by("user__email")


def tokens(*, tenant) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(tenant=tenant).order_by("-created_at")


def members_here(user_ids) -> dict:
    """{user id: user} of those among `user_ids` who are members of the tenant whose schema the
    connection is on (services run inside a tenant's schema and check people against it)."""

    rows = Membership.objects.select_related("user").filter(
        user_id__in=list(user_ids), tenant__schema_name=tenant_connection().schema_name
    )
    return {m.user_id: m.user for m in rows}
