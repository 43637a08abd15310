"""Operator admin (public host). Writes with rules behind them go through the API's services;
here operators look, search, and deactivate."""

from django.contrib import admin

from apps.accounts.models import ApiToken, Membership, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "is_active", "is_staff", "date_joined", "last_login"]
    # Who is a platform operator is decided by `createsuperuser`, not by a checkbox: no service
    # grants it, so the admin cannot either.
    readonly_fields = ["email", "is_staff", "date_joined", "last_login"]

    def has_add_permission(self, request) -> bool:
        return False  # users arrive by invitation or `createsuperuser`

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # tenant rows point at users: deactivate instead


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "role", "created_at"]
    list_filter = ["role", "tenant"]
    search_fields = ["user__email", "tenant__name"]
    list_select_related = ["user", "tenant"]

    def has_add_permission(self, request) -> bool:
        return False  # memberInvite keeps the invitation and last-admin rules

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "user",
        "tenant",
        "kind",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["kind", "tenant"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user", "tenant"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset) -> None:
        from apps.accounts.services import token_revoke_own

        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke_own(token=token)
