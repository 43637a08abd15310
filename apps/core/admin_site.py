"""The admin of a tenant host: for that tenant's admins only.

The public host keeps Django's own `admin.site` for platform operators (staff users). On a
tenant host, being staff means nothing: what counts is an admin membership of *this* tenant,
checked at login and on every request (a session from another tenant's host gets nothing).
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from apps.accounts.roles import Role


def is_tenant_admin(request) -> bool:
    membership = getattr(request, "membership", None)
    return bool(request.user.is_active and membership is not None and membership.role == Role.ADMIN)


class TenantAdminLoginForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user) -> None:
        from apps.accounts.models import Membership

        if (
            not user.is_active
            or not Membership.objects.filter(
                user=user, tenant=self.request.tenant, role=Role.ADMIN
            ).exists()
        ):
            raise ValidationError(
                "This account is not an admin of this tenant.", code="invalid_login"
            )


class TenantAdminSite(admin.AdminSite):
    site_header = "Fengkong — tenant administration"
    site_title = "Fengkong"
    login_form = TenantAdminLoginForm

    def has_permission(self, request) -> bool:
        return is_tenant_admin(request)

    def each_context(self, request):
        context = super().each_context(request)
        context["site_header"] = f"Fengkong — {request.tenant.name}"
        return context


class TenantModelAdmin(admin.ModelAdmin):
    """Permissions from the tenant role, not from Django's per-model permissions."""

    def has_module_permission(self, request) -> bool:
        return is_tenant_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_tenant_admin(request)

    def has_add_permission(self, request) -> bool:
        return is_tenant_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_tenant_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_tenant_admin(request)


class ReadOnlyTenantModelAdmin(TenantModelAdmin):
    """For append-only records (jobs, audit): visible, never edited here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


tenant_admin_site = TenantAdminSite(name="tenant_admin")
