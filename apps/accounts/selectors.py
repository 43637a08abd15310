from django.db.models import QuerySet

from apps.accounts.models import ApiToken, Membership


def members(*, tenant) -> QuerySet[Membership]:
    return Membership.objects.filter(tenant=tenant).select_related("user").order_by("user__email")


def tokens(*, tenant) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(tenant=tenant).order_by("-created_at")
