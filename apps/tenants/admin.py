"""Operator admin for tenants. Provisioning is `manage.py tenant_create` or `tenantCreate`:
both run the one service that makes a whole tenant or nothing."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from apps.tenants import services
from apps.tenants.models import Domain, Tenant


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["domain", "is_primary"]
    readonly_fields = ["domain", "is_primary"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "schema_name", "business_model", "status", "created_at"]
    list_filter = ["status", "business_model"]
    search_fields = ["name", "schema_name", "domains__domain"]
    fields = [
        "name",
        "schema_name",
        "business_model",
        "status",
        "suspended_reason",
        "cors_allowed_origins",
        "created_at",
    ]
    readonly_fields = ["schema_name", "status", "suspended_reason", "created_at"]
    inlines = [DomainInline]
    actions = ["suspend", "reactivate"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _each(self, request, queryset, action, **kwargs) -> None:
        for tenant in queryset:
            try:
                action(tenant_id=tenant.pk, **kwargs)
            except ValidationError as exc:
                self.message_user(request, f"{tenant}: {'; '.join(exc.messages)}", messages.ERROR)

    @admin.action(description="Suspend selected tenants")
    def suspend(self, request, queryset) -> None:
        self._each(
            request,
            queryset,
            services.tenant_suspend,
            reason=f"Suspended by {request.user} in the admin",
        )

    @admin.action(description="Reactivate selected tenants")
    def reactivate(self, request, queryset) -> None:
        self._each(request, queryset, services.tenant_reactivate)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    search_fields = ["domain", "tenant__name"]
    list_select_related = ["tenant"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
