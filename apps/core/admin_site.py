"""The admin of a tenant host: for that tenant's admins only.

The public host keeps Django's own `admin.site` for platform operators (staff users). On a
tenant host, being staff means nothing: what counts is an admin membership of *this* tenant,
checked at login and on every request (a session from another tenant's host gets nothing).

Writes go through the same services as the API: `ServiceModelAdmin` forms call a service, and
admin actions call the lifecycle functions, so a rule enforced there cannot be skipped here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse

from apps.accounts.roles import Role
from apps.core.schemas import tenant_connection


def is_tenant_admin(request) -> bool:
    membership = getattr(request, "membership", None)
    return bool(request.user.is_active and membership is not None and membership.role == Role.ADMIN)


class TenantAdminLoginForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user) -> None:
        from apps.accounts.models import Membership

        if (
            not user.is_active
            or not Membership.objects.filter(
                user=user, tenant=getattr(self.request, "tenant", None), role=Role.ADMIN
            ).exists()
        ):
            raise ValidationError(
                "This account is not an admin of this tenant.", code="invalid_login"
            )


class TenantAdminSite(admin.AdminSite):
    site_header = "Fengkong — tenant administration"
    site_title = "Fengkong"
    index_title = "What needs attention"
    index_template = "admin/tenant_index.html"
    site_url = None  # the tenant host serves no site: the link would be a 404
    login_form = TenantAdminLoginForm

    def has_permission(self, request) -> bool:
        return is_tenant_admin(request)

    def each_context(self, request):
        context = super().each_context(request)
        context["site_header"] = f"Fengkong — {request.tenant.name}"
        return context

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._attention: list[Attention] = []

    def add_attention(self, item: "Attention") -> None:
        """Each app's admin names what its admins should look at (core imports no domain app)."""
        self._attention.append(item)

    def index(self, request, extra_context=None):
        items = [
            {
                "label": item.label,
                "count": item.count(),
                "url": f"{reverse(f'{self.name}:{item.changelist}')}?{item.query()}",
            }
            for item in self._attention
        ]
        return super().index(request, {"attention": items, **(extra_context or {})})


@dataclass(frozen=True)
class Attention:
    """One line of the admin's home page: how many, and a link to exactly those."""

    label: str
    count: Callable[[], int]
    changelist: str  # URL name, e.g. "early_warning_warningsignal_changelist"
    query: Callable[[], str]  # the changelist's filter, as a query string


def tenant_members():
    """The users who are members of the tenant whose schema the connection is on."""

    from apps.accounts.models import User

    schema_name = tenant_connection().schema_name
    return User.objects.filter(memberships__tenant__schema_name=schema_name).order_by("email")


class TenantModelAdmin(admin.ModelAdmin):
    """Permissions from the tenant role, not from Django's per-model permissions. References
    to users offer this tenant's members only (users live in `public`, shared by all tenants)."""

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from apps.accounts.models import User

        if db_field.related_model is User:
            kwargs["queryset"] = tenant_members()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def run_each(
        self,
        request,
        objects: Iterable[Model],
        call: Callable[[Model], Any],
        *,
        done: str,
    ) -> int:
        """Apply a service call to each object in its own savepoint: a refusal is reported
        for that object (by name, with the service's reason) and the others proceed."""
        succeeded = 0
        for obj in objects:
            try:
                with transaction.atomic():
                    call(obj)
            except ValidationError as exc:
                self.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            noun = (
                self.model._meta.verbose_name
                if succeeded == 1
                else (self.model._meta.verbose_name_plural)
            )
            self.message_user(request, f"{succeeded} {noun} {done}.", messages.SUCCESS)
        return succeeded


class ReadOnlyTenantInline(admin.TabularInline):
    """Rows shown under their parent, read-only, to the tenant's admins (not by Django perms)."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None) -> bool:
        return is_tenant_admin(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyTenantModelAdmin(TenantModelAdmin):
    """For append-only records (jobs, audit) and anything without a service: visible, never
    edited here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceModelAdmin(TenantModelAdmin):
    """Add and change forms that write through a service.

    Subclasses implement `service_save(request, values, obj)`: `values` are the cleaned form
    values that changed (all of them when adding), `obj` the object being changed (None when
    adding); it returns the saved object. The service runs in the form's validation, inside a
    savepoint of the admin's transaction, so its refusal (a ValidationError naming the
    service's argument, e.g. `owner_id`) is shown on the matching form field and nothing is
    written. Inlines on these admins must stay read-only: the object is saved before they are
    looked at. Deleting is off: no service deletes these.
    """

    # service argument → form field, where the name is not the form field + "_id"
    service_fields: dict[str, str] = {}
    # True for services that take every field each time (a whole limit, an appetite)
    send_unchanged = False

    def service_save(self, request, values: dict[str, Any], obj: Model | None) -> Model:
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class: Any = super().get_form(request, obj, change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def _post_clean(self) -> None:
                super()._post_clean()
                if self._errors:
                    return
                changed = (
                    self.changed_data
                    if obj is not None and not model_admin.send_unchanged
                    else list(self.cleaned_data)
                )
                if obj is not None and not self.changed_data:
                    return  # nothing to write
                values = {name: self.cleaned_data[name] for name in changed}
                try:
                    with transaction.atomic():
                        saved = model_admin.service_save(request, values, obj)
                except ValidationError as exc:
                    model_admin.show_service_errors(self, exc)
                else:
                    self.instance = saved
                    request._fengkong_service_wrote = True

        return ServiceForm

    def show_service_errors(self, form: forms.BaseForm, exc: ValidationError) -> None:
        errors = (
            exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
        )
        for argument, field_errors in errors.items():
            field = self.service_fields.get(argument)
            if field is None and argument.endswith("_id"):
                field = argument.removesuffix("_id")
            field = field or argument
            if field in form.fields:
                form.add_error(field, field_errors)
            else:
                label = "" if argument in (NON_FIELD_ERRORS, "id") else f"{argument}: "
                form.add_error(
                    None,
                    [
                        ValidationError(f"{label}{message}", code=error.code)
                        for error in field_errors
                        for message in error.messages
                    ],
                )

    def _changeform_view(self, request, object_id, form_url, extra_context):
        # a private ModelAdmin method (no stub): where the admin saves, inside its transaction
        changeform_view = super()._changeform_view  # type: ignore[misc]
        response = changeform_view(request, object_id, form_url, extra_context)
        if getattr(request, "_fengkong_service_wrote", False) and not getattr(
            request, "_fengkong_admin_saved", False
        ):
            # The service wrote, then the page was refused (an inline's management data was
            # missing): undo the write with the admin's own transaction, as if never sent.
            transaction.set_rollback(True)
        return response

    def save_model(self, request, obj, form, change) -> None:
        """Already saved by the service during the form's validation."""
        request._fengkong_admin_saved = True

    def save_related(self, request, form, formsets, change) -> None:
        """Many-to-many links were passed to the service; the form never writes them itself."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class SettingsAdmin(ServiceModelAdmin):
    """A tenant's one settings row: changed through its service, never added or deleted."""

    def has_add_permission(self, request) -> bool:
        return False


def user_id(user) -> int | None:
    return user.pk if user is not None else None


tenant_admin_site = TenantAdminSite(name="tenant_admin")
