"""Operator admin for tenants. Provisioning is `manage.py tenant_create` or `tenantCreate`:
both run the one service that makes a whole tenant or nothing."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tenants.utils import get_public_schema_name

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
    # No service edits a tenant's name, business model or CORS origins (an unchecked origin
    # would open the tenant's API to any site): read-only here, set by `tenant_create`.
    readonly_fields = fields
    inlines = [DomainInline]
    actions = ["suspend", "reactivate"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None  # the list's suspend / reactivate actions; every page is read-only

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
            actor=request.user,
        )

    @admin.action(description="Reactivate selected tenants")
    def reactivate(self, request, queryset) -> None:
        self._each(request, queryset, services.tenant_reactivate, actor=request.user)


class DomainAddForm(forms.ModelForm):
    """A new host name for a tenant, checked and saved by `domain_add`."""

    class Meta:
        model = Domain
        fields = ["tenant", "domain", "is_primary"]

    def _post_clean(self) -> None:
        # The service is the validator (host name syntax, taken names); its refusal is shown
        # on its field and, inside the admin's transaction savepoint, writes nothing.
        if self._errors:
            return
        try:
            with transaction.atomic():
                self.instance = services.domain_add(
                    tenant_id=self.cleaned_data["tenant"].pk,
                    domain=self.cleaned_data["domain"],
                    is_primary=self.cleaned_data["is_primary"],
                )
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    search_fields = ["domain", "tenant__name"]
    list_select_related = ["tenant"]
    form = DomainAddForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "tenant":  # the platform's own row takes no domains from here
            kwargs["queryset"] = Tenant.objects.exclude(schema_name=get_public_schema_name())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Saved by `domain_add` during the form's validation."""
